"""One run per switch: a lock file per switch, held by the process that works on it.

Lock files live in :func:`nornir_catlic.workplace.locks_folder` (``$CATLIC_HOME/locks``): every catlic process
of the user shares them, and so do machines that share that folder. A lock is created atomically
(``O_CREAT | O_EXCL``) and holds, as one JSON line, who holds it: the PID, the machine, when it was taken,
the command, and the process's own start time (which tells a live holder from a PID the system reused).

A second run refuses the switch with those facts (:class:`~nornir_catlic.errors.HostLocked`) or waits for it
(:func:`set_wait`). A lock whose holder is gone (same machine: no such PID, a process that ended but is not
yet reaped, or the PID now belongs to a process started later) is taken over under a second, short-lived
``.takeover`` lock, after checking that the stale lock is still the one judged stale: two takers never both
win. A lock from another machine is never taken over: its PID cannot be checked from here.

The switch is named by its address and port, so two inventory names for one switch share one lock.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from nornir_catlic import interrupts
from nornir_catlic.errors import HostLocked
from nornir_catlic.workplace import locks_folder

POLL_INTERVAL = 0.5
"""Seconds between two looks at a lock another run holds (``--wait-for-lock``)."""

BEING_WRITTEN_GRACE = 10.0
"""An empty or unreadable lock younger than this is being written by its taker; older, it is debris."""

LOCK_SUFFIX = ".lock"
TAKEOVER_SUFFIX = ".takeover"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class LockFacts:
    """Who holds a switch's lock.

    Attributes:
        host: the inventory name the holder uses for the switch.
        address: the switch's address and port (what the lock is keyed on).
        pid: the holder's process id, on ``machine``.
        machine: the holder's host name.
        since: when the lock was taken (UTC, ISO 8601).
        command: what the holder runs (``catlic slac install``).
        process_started: the holder process's start (seconds since the epoch), when the system tells it.
        token: unique to this taking of the lock.
    """

    host: str
    address: str
    pid: int
    machine: str
    since: str
    command: str
    process_started: float | None
    token: str

    def describe(self) -> str:
        """``catlic slac install, PID 1234 on host X since 2026-12-04 20:31:05 UTC``."""
        moment = self.since.replace("T", " ").split(".")[0].removesuffix("+00:00")
        return f"{self.command}, PID {self.pid} on {self.machine} since {moment} UTC"

    def to_line(self) -> bytes:
        return (json.dumps(asdict(self), sort_keys=True) + "\n").encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> LockFacts | None:
        try:
            data = json.loads(raw.decode())
            return cls(**data) if isinstance(data, dict) else None
        except (ValueError, TypeError):
            return None


# --- settings of this process ------------------------------------------------------------------------

_settings_guard = threading.Lock()
_wait: float | None = None
_command: str | None = None
_notify: Callable[[str], None] | None = None


def set_wait(seconds: float | None) -> None:
    """How long a run waits for a switch another run holds: ``None`` refuses at once, ``math.inf`` waits."""
    global _wait
    with _settings_guard:
        _wait = seconds


def set_notify(notify: Callable[[str], None] | None) -> None:
    """Who hears that a run waits for a switch another run holds (the CLI writes it on stderr)."""
    global _notify
    with _settings_guard:
        _notify = notify


def set_command(command: str | None) -> None:
    """The words a lock shows for this process (``catlic slac install``); default: the program's name."""
    global _command
    with _settings_guard:
        _command = command


def _command_words(workflow: str) -> str:
    with _settings_guard:
        chosen = _command
    return chosen or f"{workflow} ({Path(sys.argv[0]).name or 'python'})"


# --- this process's locks ----------------------------------------------------------------------------


@dataclass
class _Held:
    thread: int
    depth: int
    facts: LockFacts


_held: dict[Path, _Held] = {}
_turns: dict[Path, threading.Lock] = {}
_held_guard = threading.Lock()


def lock_key(hostname: str | None, port: int | None, name: str) -> str:
    """The file name of a switch's lock: its address (case-blind, as DNS is) and SSH port."""
    return _UNSAFE.sub("_", f"{(hostname or name).lower()}_{port or 22}") + LOCK_SUFFIX


@contextmanager
def host_lock(
    name: str,
    *,
    hostname: str | None = None,
    port: int | None = None,
    workflow: str = "catlic",
    wait: float | Literal["setting"] | None = "setting",
    folder: Path | None = None,
) -> Iterator[LockFacts]:
    """Hold the lock of the switch at ``hostname:port`` (inventory ``name``) for the ``with`` block.

    Args:
        wait: seconds to wait for a lock another run holds (``None``: refuse at once); by default the
            process's setting (:func:`set_wait`).

    Re-entrant on one thread (a workflow that runs another on the same switch). Threads of this process
    that work on the same switch (two inventory names for one address) take turns: the second waits for
    the first whatever ``wait`` says, as they belong to one run. Waiting stops when the run is interrupted
    (:mod:`nornir_catlic.interrupts`).

    Raises:
        HostLocked: another run holds it (after ``wait`` seconds, when waiting), with the holder's facts.
        Interrupted: the run was asked to stop while waiting.
    """
    path = (folder if folder is not None else locks_folder()) / lock_key(hostname, port, name)
    with _held_guard:
        mine = _held.get(path)
        if mine is not None and mine.thread == threading.get_ident():
            mine.depth += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield _held[path].facts
        finally:
            with _held_guard:
                _held[path].depth -= 1
        return
    if wait == "setting":
        with _settings_guard:
            wait = _wait
    turn = _turn_of(path)
    while not turn.acquire(timeout=POLL_INTERVAL):
        interrupts.check(name, "waiting for the switch's lock")
    try:
        facts = _acquire(path, name, f"{hostname or name}:{port or 22}", workflow, wait)
        with _held_guard:
            _held[path] = _Held(threading.get_ident(), 1, facts)
        try:
            yield facts
        finally:
            with _held_guard:
                del _held[path]
            _release(path, facts)
    finally:
        turn.release()


def _turn_of(path: Path) -> threading.Lock:
    """The in-process lock of one switch: this process's threads take turns on it."""
    with _held_guard:
        return _turns.setdefault(path, threading.Lock())


def holder(path: Path) -> LockFacts | None:
    """Who holds the lock at ``path`` (``None``: free, or not readable as a lock)."""
    try:
        return LockFacts.from_bytes(path.read_bytes())
    except OSError:
        return None


def _acquire(path: Path, name: str, address: str, workflow: str, wait: float | None) -> LockFacts:
    facts = LockFacts(
        host=name,
        address=address,
        pid=os.getpid(),
        machine=socket.gethostname(),
        since=datetime.now(UTC).isoformat(timespec="seconds"),
        command=_command_words(workflow),
        process_started=process_start_time(os.getpid()),
        token=secrets.token_hex(8),
    )
    deadline = None if wait is None else time.monotonic() + wait
    told = False
    while True:
        if _create(path, facts.to_line()):
            return facts
        raw = _read(path)
        if raw is None:
            continue  # released between our two looks: try again at once
        if _is_stale(path, raw):
            if _take_over(path, raw, facts.to_line()):
                return facts
            time.sleep(0.05)  # another taker is at it: look again at whoever holds it next
            continue
        current = LockFacts.from_bytes(raw)
        words = current.describe() if current is not None else "a run whose lock is being written"
        if deadline is None or time.monotonic() >= deadline:
            if current is not None and current.machine != socket.gethostname():
                words += f" (another machine: remove {path} once that run is gone)"
            raise HostLocked(name, words)
        if not told:
            told = True
            with _settings_guard:
                notify = _notify
            if notify is not None:
                notify(f"{name}: waiting for the switch, locked by {words}")
        interrupts.check(name, "waiting for the switch's lock")
        time.sleep(min(POLL_INTERVAL, max(0.0, deadline - time.monotonic())))


def _create(path: Path, content: bytes) -> bool:
    """Create ``path`` holding ``content`` if it does not exist (atomic); False when it exists."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    try:
        os.write(fd, content)
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _is_stale(path: Path, raw: bytes) -> bool:
    facts = LockFacts.from_bytes(raw)
    if facts is None:  # empty or damaged: being written, or debris of a taker that died at once
        try:
            return time.time() - path.stat().st_mtime > BEING_WRITTEN_GRACE
        except FileNotFoundError:
            return False
    if facts.machine != socket.gethostname():
        return False
    if _ended(facts.pid):
        return True
    started = process_start_time(facts.pid)
    if started is None:
        return not _pid_alive(facts.pid)
    if facts.process_started is None:
        return False
    return abs(started - facts.process_started) > 1.0  # the PID now belongs to another process


def _take_over(path: Path, judged: bytes, content: bytes) -> bool:
    """Replace the stale lock ``judged`` with ``content``; False when another taker or holder came first."""
    guard = path.with_name(path.name + TAKEOVER_SUFFIX)
    token = secrets.token_hex(8).encode()
    if not _create(guard, token):
        stale_guard = _read(guard)
        if stale_guard is not None and _guard_abandoned(guard):
            _remove_if(guard, stale_guard)
        return False
    try:
        if _read(path) != judged:  # someone took it over (or released it) since we looked
            return False
        path.unlink()
        return _create(path, content)
    finally:
        _remove_if(guard, token)


def _guard_abandoned(guard: Path) -> bool:
    # A takeover lasts milliseconds: a guard this old belongs to a taker that died inside it.
    try:
        return time.time() - guard.stat().st_mtime > BEING_WRITTEN_GRACE
    except FileNotFoundError:
        return False


def _release(path: Path, facts: LockFacts) -> None:
    _remove_if(path, facts.to_line())


def _remove_if(path: Path, content: bytes) -> None:
    """Remove ``path`` if it still holds ``content``: never someone else's lock."""
    if _read(path) == content:
        with suppress(FileNotFoundError):
            path.unlink()


# --- processes ---------------------------------------------------------------------------------------


def process_start_time(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch); ``None`` when unknown or no such process.

    Read from Linux's ``/proc``; elsewhere ``None`` and a lock's holder is judged by its PID alone.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
    except (OSError, StopIteration, ValueError, IndexError):
        return None
    try:
        ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, starttime, after the command name
    except (IndexError, ValueError):
        return None
    return boot + ticks / os.sysconf("SC_CLK_TCK")


def _ended(pid: int) -> bool:
    """Process ``pid`` has ended but its parent has not reaped it yet (a zombie): its PID still answers."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state in ("Z", "X")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
