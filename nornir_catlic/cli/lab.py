"""``catlic lab``: start, stop and inspect the bundled virtual switches; find the running lab's inventory."""

from __future__ import annotations

import os
from pathlib import Path

from nornir_catlic.cli.errors import CliError

STATE_DIR_ENV = "CATLIC_LAB_STATE"
DEFAULT_STATE_DIR = Path("lab-state")
LAB_CONFIG_FILE = "config.yaml"


def lab_state_dir() -> Path:
    return Path(os.environ.get(STATE_DIR_ENV) or DEFAULT_STATE_DIR)


def running_lab_config() -> Path:
    """The Nornir config file of the running lab; raises :class:`CliError` when no lab runs."""
    state_dir = lab_state_dir()
    config = state_dir / LAB_CONFIG_FILE
    if not config.is_file():
        raise CliError(
            f"no inventory given and no lab running in {state_dir}: start one with `catlic lab up`, "
            "or give -c CONFIG_FILE / -i INVENTORY_FOLDER"
        )
    return config
