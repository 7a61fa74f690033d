"""Where the examples find their Nornir inventory: the running lab's config file, or one you name.

Set CATLIC_NORNIR_CONFIG to point the examples at your own Nornir config file; by default they use the
lab started with `catlic lab up` (its state folder is $CATLIC_LAB_STATE, else ./lab-state).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from nornir import InitNornir
from nornir.core import Nornir


def nornir_config() -> Path:
    given = os.environ.get("CATLIC_NORNIR_CONFIG")
    if given:
        return Path(given)
    return Path(os.environ.get("CATLIC_LAB_STATE") or "lab-state") / "nornir.yaml"


def lab_nornir(*, dry_run: bool = False) -> Nornir:
    # The scripts report failures themselves; without a handler Python would print Nornir's tracebacks.
    logging.getLogger("nornir").addHandler(logging.NullHandler())
    return InitNornir(config_file=str(nornir_config()), dry_run=dry_run)
