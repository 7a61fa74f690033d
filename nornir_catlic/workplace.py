"""The one documented place where catlic keeps working files that outlive a call: locks store, scratch runs.

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
    make_folders(path)
    os.chmod(path, 0o700)
    return path


def make_folders(path: Path) -> Path:
    """Make ``path`` and its missing parents, each new one private (0700); folders that exist keep their
    mode (an operator's shared folder stays as they made it)."""
    missing: list[Path] = []
    level = path
    while not level.is_dir() and level != level.parent:
        missing.append(level)
        level = level.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue
        os.chmod(folder, 0o700)  # whatever the umask
    return path


def scratch_runs_folder() -> Path:
    """Where a run with no journal of the caller's keeps its scratch journal and files until it ends."""
    return private_folder(catlic_home() / "runs")


def write_private_text(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` readable by its owner only (0600 from creation, also when it existed)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
    with open(fd, "w", encoding="utf-8", newline="") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(text)
    return path
