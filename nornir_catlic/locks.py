"""One run per switch: a row per switch in the store's ``host_locks`` table, held by the run working on it.

The rows live in the locks store (:func:`lock_store`: ``$CATLIC_HOME/catlic.db``, or the database
``$CATLIC_STORE`` names): every catlic process of the user shares it, and so do machines that share a
database server. A lock is taken by inserting its row (the switch's address is the primary key: one
insert wins) and holds who holds it: the PID, the machine, when it was taken, the command, and the process's
own start time (which tells a live holder from a PID the system reused).

A second run refuses the switch with those facts (:class:`~nornir_catlic.errors.HostLocked`) or waits for it
(:func:`set_wait`). A lock whose holder is gone is taken over in one transaction that rewrites the row only if
it still holds the token judged stale: two takers never both win. Who is gone: on a PostgreSQL store, the
holder also holds an advisory lock in its own database session (:mod:`nornir_catlic.store.liveness`), which
the server drops when the holder's process or machine is gone, so a dead holder on any machine is told from a
live one. On SQLite (one machine), the holder's PID: no such process, a process that ended but is not yet
reaped, or the PID now belongs to a process started later.

The switch is named by its address and port, so two inventory names for one switch share one lock.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from nornir_catlic import interrupts
from nornir_catlic.errors import HostLocked, StoreError
from nornir_catlic.store import Store
from nornir_catlic.store.liveness import SessionLocks, holds_sessions
from nornir_catlic.store.schema import host_locks
from nornir_catlic.workplace import catlic_home, private_folder

POLL_INTERVAL = 0.5
"""Seconds between two looks at a lock another run holds (``--wait-for-lock``)."""

STORE_ENV = "CATLIC_STORE"
"""A SQLAlchemy URL of the database every catlic process shares (a server, for several machines)."""

STORE_FILE = "catlic.db"

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
        process_started: the holder process's start (seconds after boot), when the system tells it.
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

    @classmethod
    def from_row(cls, row: Any) -> LockFacts:
        return cls(**{field.name: getattr(row, field.name) for field in fields(cls)})


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


def current_wait() -> float | None:
    """This process's :func:`set_wait` setting (a cluster run hands it to its workers)."""
    with _settings_guard:
        return _wait


def current_command() -> str | None:
    """This process's :func:`set_command` setting."""
    with _settings_guard:
        return _command


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
    depth: int
    facts: LockFacts


# The locks this thread holds. Thread-local, not keyed by thread id: a dead thread's id is given to the next
# thread, which must not find itself already holding a switch.
_mine = threading.local()


def _held() -> dict[tuple[str, str], _Held]:
    held: dict[tuple[str, str], _Held] | None = getattr(_mine, "held", None)
    if held is None:
        held = _mine.held = {}
    return held


_turns: dict[tuple[str, str], threading.Lock] = {}
_stores: dict[str, Store] = {}
_sessions: dict[str, SessionLocks] = {}
_held_guard = threading.Lock()


def lock_key(hostname: str | None, port: int | None, name: str) -> str:
    """The key of a switch's lock: its address (case-blind, as DNS is) and SSH port."""
    return _UNSAFE.sub("_", f"{(hostname or name).lower()}_{port or 22}")


def lock_store(folder: Path | None = None) -> Store:
    """The store holding the locks: ``folder/catlic.db`` when given, else ``$CATLIC_STORE``, else
    ``$CATLIC_HOME/catlic.db``. One object per database in this process."""
    if folder is not None:
        where = str(folder / STORE_FILE)
    else:
        where = os.environ.get(STORE_ENV) or str(private_folder(catlic_home()) / STORE_FILE)
    with _held_guard:
        store = _stores.get(where)
        if store is None:
            store = _stores[where] = Store.of(where)
        return store


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
    store = lock_store(folder)
    key = lock_key(hostname, port, name)
    mine_key = (str(store.url), key)
    mine = _held().get(mine_key)
    if mine is not None:
        mine.depth += 1
        try:
            yield mine.facts
        finally:
            mine.depth -= 1
        return
    if wait == "setting":
        with _settings_guard:
            wait = _wait
    turn = _turn_of(mine_key)
    while not turn.acquire(timeout=POLL_INTERVAL):
        interrupts.check(name, "waiting for the switch's lock")
    try:
        facts = _acquire(store, key, name, f"{hostname or name}:{port or 22}", workflow, wait)
        _held()[mine_key] = _Held(1, facts)
        try:
            yield facts
        finally:
            del _held()[mine_key]
            _release(store, key, facts)
    finally:
        turn.release()


def _session_locks(store: Store) -> SessionLocks | None:
    """The advisory locks that tell live holders on a server store; ``None`` on SQLite."""
    if not holds_sessions(store):
        return None
    with _held_guard:
        return _sessions.setdefault(str(store.url), SessionLocks(store))


def _turn_of(mine_key: tuple[str, str]) -> threading.Lock:
    """The in-process lock of one switch: this process's threads take turns on it."""
    with _held_guard:
        return _turns.setdefault(mine_key, threading.Lock())


def holder(
    name: str, *, hostname: str | None = None, port: int | None = None, folder: Path | None = None
) -> LockFacts | None:
    """Who holds the lock of the switch at ``hostname:port`` (``None``: free)."""
    return _read(lock_store(folder), lock_key(hostname, port, name))


def _acquire(store: Store, key: str, name: str, address: str, workflow: str, wait: float | None) -> LockFacts:
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
    sessions = _session_locks(store)
    while True:
        if sessions is not None:
            current = _acquire_on_server(store, sessions, key, facts)
            if current is None:
                return facts
        else:
            if _create(store, key, facts):
                return facts
            current = _read(store, key)
            if current is None:
                continue  # released between our two looks: try again at once
            if _is_stale(current):
                if _take_over(store, key, current, facts):
                    return facts
                continue  # another taker came first: look again at whoever holds it now
        words = current.describe()
        if deadline is None or time.monotonic() >= deadline:
            if current.machine != socket.gethostname() and sessions is None:  # a server tells it itself
                words += (
                    f" (another machine: once that run is gone, delete the row {key!r} of the table "
                    f"host_locks in {store})"
                )
            raise HostLocked(name, words)
        if not told:
            told = True
            with _settings_guard:
                notify = _notify
            if notify is not None:
                notify(f"{name}: waiting for the switch, locked by {words}")
        interrupts.check(name, "waiting for the switch's lock")
        time.sleep(min(POLL_INTERVAL, max(0.0, deadline - time.monotonic())))


def _acquire_on_server(store: Store, sessions: SessionLocks, key: str, facts: LockFacts) -> LockFacts | None:
    """Take the lock on a server store; ``None`` when taken, else who holds it.

    The advisory lock comes first: once held, no live session holds the switch, so a row still there is a dead
    holder's and is taken over.
    """
    while True:
        if not sessions.try_take(key):
            current = _read(store, key)
            if current is None:  # a live taker between its advisory lock and its row: look again
                time.sleep(0.05)
                continue
            return current
        try:
            while not _create(store, key, facts):
                current = _read(store, key)
                if current is not None and _take_over(store, key, current, facts):
                    break
        except BaseException:
            sessions.release(key)
            raise
        return None


def _create(store: Store, key: str, facts: LockFacts) -> bool:
    """Insert the lock's row (atomic: the key is the primary key); False when the switch is held."""
    try:
        with store.write() as connection:
            connection.execute(insert(host_locks), [{"key": key, **asdict(facts)}])
    except StoreError as error:
        if isinstance(error.__cause__, IntegrityError):
            return False
        raise
    return True


def _read(store: Store, key: str) -> LockFacts | None:
    rows = store.rows(select(host_locks).where(host_locks.c.key == key))
    return LockFacts.from_row(rows[0]) if rows else None


def _is_stale(facts: LockFacts) -> bool:
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


def _take_over(store: Store, key: str, judged: LockFacts, facts: LockFacts) -> bool:
    """Rewrite the stale lock ``judged`` as ours, in one transaction that changes the row only while it
    still holds the stale token; False when another taker or holder came first."""
    with store.write() as connection:
        changed = connection.execute(
            update(host_locks)
            .where(host_locks.c.key == key, host_locks.c.token == judged.token)
            .values(**asdict(facts))
        )
    return changed.rowcount == 1


def _release(store: Store, key: str, facts: LockFacts) -> None:
    """Delete the lock's row if it is still ours: never someone else's lock."""
    try:
        with store.write() as connection:
            connection.execute(
                delete(host_locks).where(host_locks.c.key == key, host_locks.c.token == facts.token)
            )
    finally:
        sessions = _session_locks(store)
        if sessions is not None:
            sessions.release(key)


# --- processes ---------------------------------------------------------------------------------------


def process_start_time(pid: int) -> float | None:
    """When process ``pid`` started, in seconds after the machine booted; ``None`` when unknown or no such
    process.

    Read from Linux's ``/proc``; elsewhere ``None`` and a lock's holder is judged by its PID alone. Counted
    from boot, not from the epoch: the epoch figure moves whenever the wall clock is stepped (NTP, a VM's
    clock sync), which made a live holder look like a reused PID and its lock was taken over.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, starttime, after the command name
    except (OSError, IndexError, ValueError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


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
