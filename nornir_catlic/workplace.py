"""The one documented place where catlic keeps working files that outlive a call: host locks, scratch runs.

``$CATLIC_HOME`` when set, else ``$XDG_STATE_HOME/catlic``, else ``~/.local/state/catlic``. Every folder made
here is private to the user (0700): it holds journals and codes that are worth money.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "CATLIC_HOME"


def catlic_home() -> Path:
    """The root of catlic's working files (not created)."""
    chosen = os.environ.get(HOME_ENV)
    if chosen:
        return Path(chosen).expanduser()
    state = os.environ.get("XDG_STATE_HOME")
    base = Path(state).expanduser() if state else Path.home() / ".local" / "state"
    return base / "catlic"


def private_folder(path: Path) -> Path:
    """``path`` made (with its parents) and readable by its owner only; returned for chaining."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def locks_folder() -> Path:
    """Where per-switch locks live: shared by every catlic process of this user (and machines sharing it)."""
    return private_folder(catlic_home() / "locks")


def scratch_runs_folder() -> Path:
    """Where a run with no journal of the caller's keeps its scratch journal and files until it ends."""
    return private_folder(catlic_home() / "runs")
