"""A lab's state folder: which topology built it, starting over, and files only their owner can read.

The folder keeps what the switches and the simulated SSM did (codes installed, keys in use, pools) across
restarts. That history belongs to the topology that built it, so the folder records that topology (its
path and a hash of its content) and a lab from another topology is refused instead of silently resuming a
stranger's switches and keys. ``--fresh`` wipes the lab's state and starts from the topology as written.

The inventory holds the lab's password and enable secret, the device files and the SSM database hold codes:
folders are made 0700 and files 0600.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

INVENTORY_DIR = "inventory"
NORNIR_CONFIG = "nornir.yaml"
PORTS_FILE = "ports.json"
CONTROL_SOCKET = "control.sock"
PID_FILE = "lab.pid"  # the PID alone, as scripts expect of a pid file
PROCESS_RECORD = "lab.process.json"  # the PID with what identifies the process (see lab_process.py)
READY_MARKER = "lab.ready"
TOPOLOGY_RECORD = "topology.json"
SSM_DATABASE = "ssm.sqlite"
TLS_FOLDER = "tls"  # the lab's CA and server certificate; kept across --fresh, as the SSH host key is
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600

# Everything a lab writes into its state folder except its log and SSH host key (clients keep trusting the
# key across a fresh start). `--fresh` removes these; nothing else in the folder is touched.
LAB_STATE = (
    "devices",
    "bootflash",
    "tftp",
    INVENTORY_DIR,
    SSM_DATABASE,
    f"{SSM_DATABASE}-journal",
    f"{SSM_DATABASE}-wal",
    f"{SSM_DATABASE}-shm",
    PORTS_FILE,
    NORNIR_CONFIG,
    TOPOLOGY_RECORD,
    READY_MARKER,
    f"{READY_MARKER}.tmp",
    CONTROL_SOCKET,
    PID_FILE,
    PROCESS_RECORD,
)
# A folder holding any of these has served a lab: without a record, its topology is unknown.
SIGNS_OF_A_LAB = ("devices", SSM_DATABASE, PORTS_FILE)


class LabStateConflict(Exception):
    """The state folder holds another topology's lab; starting would resume its switches, keys and pool."""


@dataclass(frozen=True)
class TopologySource:
    """Which topology a lab runs: the YAML file (``None`` when given in code) and the content it built from.

    ``sha256`` hashes the topology as the lab builds it (after ``--fleet``), so an edited file or another
    fleet size counts as another topology.
    """

    path: str | None
    sha256: str
    devices: int

    @classmethod
    def of(cls, topology: dict[str, Any], path: Path | str | None, devices: int) -> TopologySource:
        canonical = json.dumps(topology, sort_keys=True, default=str).encode()
        where = str(Path(path).resolve()) if path is not None else None
        return cls(where, hashlib.sha256(canonical).hexdigest(), devices)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TopologySource:
        return cls(data.get("path"), str(data["sha256"]), int(data["devices"]))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        where = self.path or "a topology given in code"
        count = f"{self.devices} device{'' if self.devices == 1 else 's'}"
        return f"{where} ({count}, sha256 {self.sha256[:12]})"


def recorded_topology(root: Path) -> TopologySource | None:
    """The topology the folder was built from; ``None`` when it records none (or the record is unreadable)."""
    try:
        return TopologySource.from_dict(json.loads((root / TOPOLOGY_RECORD).read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def holds_a_lab(root: Path) -> bool:
    return any((root / name).exists() for name in SIGNS_OF_A_LAB)


def check_state_folder(root: Path, source: TopologySource) -> bool:
    """Whether the folder's state may be resumed for ``source``: ``True`` to resume, ``False`` when there is
    none yet. Raises :class:`LabStateConflict` when it holds another topology's lab, naming both."""
    recorded = recorded_topology(root)
    if recorded is None:
        if not holds_a_lab(root):
            return False
        raise LabStateConflict(
            f"the state folder {root} holds a lab whose topology it did not record (a lab from before "
            f"topology records, or a damaged {TOPOLOGY_RECORD}), and this start is from {source.describe()}. "
            "Resuming would keep its switches, keys and SSM pool: start with --fresh to wipe them and build "
            "the topology as written, or choose another --state-dir"
        )
    if recorded.sha256 == source.sha256:
        return True
    same_file = recorded.path is not None and recorded.path == source.path
    built_from = recorded.describe() + (" (the file since edited, or another --fleet)" if same_file else "")
    raise LabStateConflict(
        f"the state folder {root} holds the lab of another topology: built from {built_from}, "
        f"not {source.describe()}. Resuming would keep its switches, keys and SSM pool: start with --fresh "
        "to wipe them and build the topology as written, or choose another --state-dir"
    )


def record_topology(root: Path, source: TopologySource) -> None:
    write_private(root / TOPOLOGY_RECORD, json.dumps(source.to_dict(), indent=1, sort_keys=True))


def wipe_lab_state(root: Path) -> list[str]:
    """Remove what a lab keeps in ``root`` (the names in ``LAB_STATE`` only); the names removed."""
    removed = []
    for name in LAB_STATE:
        path = root / name
        if path.is_symlink() or path.is_file() or path.is_socket():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        else:
            continue
        removed.append(name)
    return removed


# --- private files ----------------------------------------------------------------------------------


def private_folder(path: Path) -> Path:
    """``path`` as a folder only its owner can enter (created, or tightened if it exists: it is the lab's)."""
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    path.chmod(PRIVATE_FOLDER)
    return path


def new_state_folder(path: Path) -> Path:
    """The state folder itself: created 0700; a folder that already exists keeps its mode (it may be a
    folder the user chose for other things too; what the lab writes into it is private anyway)."""
    with contextlib.suppress(FileExistsError):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(mode=PRIVATE_FOLDER)
        path.chmod(PRIVATE_FOLDER)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty when missing and make it 0600 (a database that will hold codes, a log)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    path.chmod(PRIVATE_FILE)
    return path


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically (write, then rename), readable by its owner only."""
    tmp = path.with_name(path.name + ".tmp")
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(descriptor, "w") as file:
        os.fchmod(file.fileno(), PRIVATE_FILE)  # a .tmp left by a crash may carry other modes
        file.write(text)
    os.replace(tmp, path)
