"""Whether a lock's holder lives, asked of the database server: PostgreSQL session-level advisory locks.

A process that holds a switch's lock on a server store also holds an advisory lock named after the switch, on
one connection of its own. The server drops the advisory lock when that session ends: the process exited, was
killed, or its machine is gone (once TCP keepalives notice). So another machine can tell a dead holder from a
live one, which a PID cannot.
"""

from __future__ import annotations

import hashlib
import os
import threading
from typing import Any

from sqlalchemy import Connection, text

from nornir_catlic.store.database import Store


def advisory_key(name: str) -> int:
    """A 64-bit advisory-lock key for a lock's name (collisions: about one in 10^19)."""
    return int.from_bytes(hashlib.sha256(f"catlic-lock:{name}".encode()).digest()[:8], "big", signed=True)


class SessionLocks:
    """This process's advisory locks on one server store, on one dedicated connection (threads take turns)."""

    def __init__(self, store: Store):
        self._store = store
        self._connection: Connection | None = None
        self._pid = os.getpid()
        self._guard = threading.Lock()

    def try_take(self, name: str) -> bool:
        """Take the advisory lock ``name`` unless a live session holds it."""
        return bool(self._run("SELECT pg_try_advisory_lock(:key)", name))

    def release(self, name: str) -> None:
        self._run("SELECT pg_advisory_unlock(:key)", name)

    def _run(self, statement: str, name: str) -> Any:
        with self._guard:
            if self._pid != os.getpid():  # a forked child: the session is the parent's
                self._connection, self._pid = None, os.getpid()
            if self._connection is None or self._connection.closed:
                self._connection = self._store.session_connection()
            return self._connection.execute(text(statement), {"key": advisory_key(name)}).scalar()


def holds_sessions(store: Store) -> bool:
    """True for a store whose server can tell live holders (PostgreSQL)."""
    return store.url.get_backend_name() == "postgresql"
