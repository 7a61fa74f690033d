"""Secret greps over files that may be live SQLite databases, read by a child process.

Reading a database's files (``catlic.db``, its ``-wal`` and ``-shm``) from the test process would open and
close them here, and closing any descriptor of a file drops every POSIX lock this process holds on it: the
store's open connections would lose their locks, and another process could then take itself for the last
user of the WAL, checkpoint it and delete it under them (https://www.sqlite.org/howtocorrupt.html, 2.2).
A child process has no connection to lose.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

_GREP = """\
import json, sys
request = json.load(sys.stdin)
needles = [needle.encode() for needle in request["needles"]]
found = []
for path in request["paths"]:
    try:
        with open(path, "rb") as file:
            data = file.read()
    except FileNotFoundError:  # a WAL checkpointed away meanwhile
        continue
    found.extend([path, needle.decode()] for needle in needles if needle in data)
json.dump(found, sys.stdout)
"""


def files_holding(needles: Iterable[str], paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """``(file, needle)`` for every needle found in the raw bytes of every file."""
    request = {"needles": list(needles), "paths": [str(path) for path in paths]}
    done = subprocess.run(
        [sys.executable, "-c", _GREP], input=json.dumps(request), capture_output=True, text=True, check=True
    )
    return [(Path(path), needle) for path, needle in json.loads(done.stdout)]


def files_under(*folders: Path) -> list[Path]:
    """Every file below the folders."""
    return [path for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()]
