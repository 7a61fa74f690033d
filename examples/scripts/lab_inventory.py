"""Where the examples find their Nornir inventory: the running lab's config file, or one you name.

Set CATLIC_NORNIR_CONFIG to point the examples at your own Nornir config file; by default they use the
lab started with `catlic lab up` (its state folder is $CATLIC_LAB_STATE, else ./lab-state).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from nornir import InitNornir
from nornir.core import Nornir


def lab_state_dir() -> Path:
    return Path(os.environ.get("CATLIC_LAB_STATE") or "lab-state")


def nornir_config() -> Path:
    given = os.environ.get("CATLIC_NORNIR_CONFIG")
    if given:
        return Path(given)
    return lab_state_dir() / "nornir.yaml"


def lab_ssm() -> Any:
    """The lab's simulated Cisco SSM: in a rehearsal it answers like the operator carrying files would."""
    from virtual_devices.ssm import SimulatedSSM

    return SimulatedSSM(lab_state_dir() / "ssm.sqlite")


def lab_nornir(*, dry_run: bool = False) -> Nornir:
    # The scripts report failures themselves; without a handler Python would print Nornir's tracebacks.
    logging.getLogger("nornir").addHandler(logging.NullHandler())
    return InitNornir(config_file=str(nornir_config()), dry_run=dry_run)
