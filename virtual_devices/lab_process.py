"""Which process runs a lab, so that ``down`` signals that process and no other.

A PID names a process only while it lives: once the lab is gone the kernel hands the number to anything. The
lab records its PID with the process's start time and command line; a PID whose process started at another
time, or runs another command, is not the lab's and is never signalled.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path

from virtual_devices.lab_state import PID_FILE, PROCESS_RECORD, write_private

PROC = Path("/proc")
BOOT_ID = PROC / "sys" / "kernel" / "random" / "boot_id"
COMMAND_SHOWN = 80  # characters of another process's command line quoted in a refusal


@dataclass(frozen=True)
class ProcessIdentity:
    """A process as the system sees it: its PID, when it started, and its command line."""

    pid: int
    started: str  # boot id and start time in clock ticks since boot (Linux), else `ps`'s start time
    command: tuple[str, ...]

    def describe(self) -> str:
        command = " ".join(self.command) or "?"
        if len(command) > COMMAND_SHOWN:
            command = command[: COMMAND_SHOWN - 3] + "..."
        return f"`{command}`"


def identity_of(pid: int) -> ProcessIdentity | None:
    """The process now running under ``pid``; ``None`` when there is none."""
    if pid <= 0:
        return None
    if (PROC / "self" / "stat").exists():
        return _identity_from_proc(pid)
    return _identity_from_ps(pid)


def _identity_from_proc(pid: int) -> ProcessIdentity | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
        raw_command = (PROC / str(pid) / "cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # Field 22 (starttime); the command name in field 2 may hold spaces and parentheses, so split after it.
    ticks = stat.rsplit(")", 1)[1].split()[19]
    try:
        boot = BOOT_ID.read_text().strip()
    except OSError:
        boot = ""
    command = tuple(part.decode(errors="replace") for part in raw_command.split(b"\0") if part)
    return ProcessIdentity(pid, f"{boot}/{ticks}", command)


def _identity_from_ps(pid: int) -> ProcessIdentity | None:
    """Where there is no /proc (macOS, BSD): ``ps`` prints the start time (24 characters) and the command."""
    done = subprocess.run(
        ["ps", "-o", "lstart=", "-o", "command=", "-p", str(pid)], capture_output=True, text=True
    )
    line = done.stdout.strip()
    if done.returncode != 0 or not line:
        return None
    return ProcessIdentity(pid, line[:24], tuple(line[24:].split()))


def record_this_process(state_dir: Path) -> ProcessIdentity:
    """Record the running process as the folder's lab: the identity first, then the PID file scripts read."""
    me = identity_of(os.getpid())
    assert me is not None
    write_private(state_dir / PROCESS_RECORD, json.dumps(asdict(me), indent=1))
    write_private(state_dir / PID_FILE, f"{me.pid}\n")
    return me


def forget_process(state_dir: Path) -> None:
    for name in (PID_FILE, PROCESS_RECORD):
        (state_dir / name).unlink(missing_ok=True)


def recorded_process(state_dir: Path) -> ProcessIdentity | None:
    try:
        data = json.loads((state_dir / PROCESS_RECORD).read_text())
        return ProcessIdentity(int(data["pid"]), str(data["started"]), tuple(map(str, data["command"])))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class Verdict(Enum):
    NONE = "no pid file"
    GONE = "the process has exited"
    LAB = "the lab"
    OTHER = "another process"


@dataclass(frozen=True)
class LabProcessCheck:
    """What ``lab.pid`` points at: nothing, a process that has exited, the lab, or another process."""

    verdict: Verdict
    pid: int | None = None
    running: ProcessIdentity | None = None  # the process now holding the PID

    @property
    def is_lab(self) -> bool:
        return self.verdict is Verdict.LAB


def check_lab_process(state_dir: Path) -> LabProcessCheck:
    """Whether the process ``lab.pid`` names is the lab that wrote it (same start time and command line)."""
    try:
        pid = int((state_dir / PID_FILE).read_text().strip())
    except (OSError, ValueError):
        return LabProcessCheck(Verdict.NONE)
    running = identity_of(pid)
    if running is None:
        return LabProcessCheck(Verdict.GONE, pid)
    recorded = recorded_process(state_dir)
    if recorded is None or recorded.pid != pid:
        is_lab = _looks_like_a_lab(running.command)  # a lab from before process records
    else:
        is_lab = (recorded.started, recorded.command) == (running.started, running.command)
    return LabProcessCheck(Verdict.LAB if is_lab else Verdict.OTHER, pid, running)


def _looks_like_a_lab(command: tuple[str, ...]) -> bool:
    programs = {Path(part).name for part in command[:3]}
    return "up" in command and bool(programs & {"virtual_devices", "catlic-lab", "__main__.py"})


def still_running(identity: ProcessIdentity) -> bool:
    """Whether that very process (not a later one with its PID) still runs."""
    now = identity_of(identity.pid)
    if now is None or now.started != identity.started:
        return False
    with contextlib.suppress(FileNotFoundError):  # a zombie has exited: its parent has yet to reap it
        if (PROC / str(identity.pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True
