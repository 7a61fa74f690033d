"""One durable store: a database reached through SQLAlchemy Core, SQLite by default, any URL otherwise.

A SQLite store is one file, created private (0600) in private folders (0700), in WAL mode with
``synchronous=FULL``: a transaction that returned is on disk and survives a power cut. Writes take the
database at once (``BEGIN IMMEDIATE``), so that a read-then-write (a lock takeover, a deduplicated
submission) is one step for every process and thread; readers never wait for a writer. Waiting for another
writer is bounded by :data:`BUSY_TIMEOUT`. The store is created lazily: opening one to read creates nothing.

Everything SQLite-only lives in :func:`_sqlite_hooks` (PostgreSQL's counterpart in
:func:`_postgresql_hooks`); the rest is portable Core, so that a URL (``postgresql+psycopg://...``) points
the same code at a server shared by many machines.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Row, create_engine, event, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.expression import Executable

from nornir_catlic.durable import fsync_folder
from nornir_catlic.errors import StoreError
from nornir_catlic.store.schema import SCHEMA_VERSION, metadata, schema_version
from nornir_catlic.workplace import make_folders

BUSY_TIMEOUT = 60.0
"""Seconds a write waits for another process's write transaction before failing."""

_WRITE = "catlic_write"
_UNPOOLED: dict[str, Any] = {"poolclass": NullPool}


def is_url(text: str | os.PathLike[str]) -> bool:
    """``sqlite:///x.db`` or ``postgresql://...`` rather than a file name."""
    return isinstance(text, str) and "://" in text


class Store:
    """A database holding catlic's durable state (see the module documentation).

    Attributes:
        url: the SQLAlchemy URL (passwords hidden when shown).
        path: the SQLite file, ``None`` for a server.
    """

    def __init__(self, url: str, *, keep_open: bool = True):
        """Args:
        keep_open: keep connections between transactions (a journal's many appends); False opens and
            closes the database around each one (a portal's index: nothing held while the caller waits).
        """
        self.url = make_url(url)
        self._keep_open = keep_open
        database = self.url.database if self.url.get_backend_name() == "sqlite" else None
        self.path = Path(database) if database and database != ":memory:" else None
        self._engine: Engine | None = None
        self._pid = os.getpid()
        self._ready = False
        self._guard = threading.Lock()  # this object's engine and schema check, not the database

    def __getstate__(self) -> dict[str, Any]:
        """A store sent to another process (a cluster worker) is its URL: it opens its own connections."""
        return {"url": self.url.render_as_string(hide_password=False), "keep_open": self._keep_open}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["url"], keep_open=state["keep_open"])  # type: ignore[misc]

    @classmethod
    def at(cls, path: str | os.PathLike[str], *, keep_open: bool = True) -> Store:
        """The SQLite store in the file ``path`` (created on the first write)."""
        return cls(f"sqlite:///{Path(path).absolute()}", keep_open=keep_open)

    @classmethod
    def of(cls, where: str | os.PathLike[str]) -> Store:
        """A URL or a SQLite file name."""
        return cls(str(where)) if is_url(where) else cls.at(where)

    def __repr__(self) -> str:
        return f"Store({self.url.render_as_string(hide_password=True)!r})"

    def exists(self) -> bool:
        """False for a SQLite store whose file is not created yet (nothing written): reads find nothing."""
        return self.path is None or self.path.exists()

    # -- transactions

    def rows(self, statement: Executable) -> list[Row[Any]]:
        """The rows a query returns; none from a SQLite store not created yet (reading creates nothing)."""
        if not self.exists():
            return []
        with self.read() as connection:
            return list(connection.execute(statement))

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (a consistent snapshot); the SQLite file must exist (:meth:`exists`)."""
        engine = self._ready_engine(create=False)
        try:
            with engine.connect() as connection, connection.begin():
                yield connection
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {self}: {_reason(exc)}") from exc

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction, taken at once (``BEGIN IMMEDIATE`` on SQLite); committed and on disk when the
        ``with`` block ends without an exception, rolled back otherwise."""
        engine = self._ready_engine(create=True)
        try:
            with engine.connect() as connection:
                connection.info[_WRITE] = True
                try:
                    with connection.begin():
                        yield connection
                finally:
                    connection.info.pop(_WRITE, None)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write the store {self}: {_reason(exc)}") from exc

    def session_connection(self) -> Connection:
        """A connection in autocommit for session-level state (a server's advisory locks): the caller keeps it
        as long as that state must live."""
        engine = self._ready_engine(create=True)
        try:
            return engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot connect to the store {self}: {_reason(exc)}") from exc

    def close(self) -> None:
        with self._guard:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
                self._ready = False

    # -- set-up

    def _ready_engine(self, *, create: bool) -> Engine:
        with self._guard:
            if self._pid != os.getpid():  # a forked child: never share the parent's connections
                if self._engine is not None:
                    self._engine.dispose(close=False)
                self._engine, self._ready, self._pid = None, False, os.getpid()
            if self._engine is None:
                if self.path is not None and create:
                    self._create_file(self.path)
                self._engine = self._make_engine()
            if not self._ready and (create or self.exists()):
                self._create_schema(self._engine)
                self._ready = True
            return self._engine

    def _make_engine(self) -> Engine:
        if self.url.get_backend_name() != "sqlite":
            # A server takes concurrent readers: Nornir's threads each hold a connection for a moment.
            server: dict[str, Any] = {"pool_size": 4, "max_overflow": -1}
            engine = create_engine(self.url, pool_pre_ping=True, **(server if self._keep_open else _UNPOOLED))
            if self.url.get_backend_name() == "postgresql":
                _postgresql_hooks(engine)
            return engine
        # SQLite has one writer at a time anyway: one connection per process, threads take turns on it.
        # (More would not write faster, and SQLite keeps the files of closed ones open while others lock.)
        pooling: dict[str, Any] = (
            {"pool_size": 1, "max_overflow": 0, "pool_timeout": BUSY_TIMEOUT}
            if self._keep_open
            else _UNPOOLED
        )
        engine = create_engine(
            self.url, connect_args={"timeout": BUSY_TIMEOUT, "check_same_thread": False}, **pooling
        )
        _sqlite_hooks(engine)
        return engine

    @staticmethod
    def _create_file(path: Path) -> None:
        if path.exists():
            return
        make_folders(path.parent)  # new folders private (0700)
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            return
        except OSError as exc:
            raise StoreError(f"cannot create the store {path}: {exc}") from exc
        fsync_folder(path.parent)  # the new name survives a crash too

    def _create_schema(self, engine: Engine) -> None:
        """Tables made once, under the write lock (two processes opening a new store at once)."""
        try:
            with engine.connect() as connection:
                connection.info[_WRITE] = True
                try:
                    with connection.begin():
                        found = None
                        if engine.dialect.has_table(connection, schema_version.name):
                            found = connection.execute(
                                select(schema_version.c.version).where(schema_version.c.component == "catlic")
                            ).scalar()
                        if found is None:
                            metadata.create_all(connection)
                            connection.execute(
                                insert(schema_version).values(component="catlic", version=SCHEMA_VERSION)
                            )
                        elif found > SCHEMA_VERSION:
                            raise StoreError(
                                f"the store {self} was made by a newer catlic (schema {found}, this one "
                                f"knows {SCHEMA_VERSION}): upgrade catlic"
                            )
                        elif found < SCHEMA_VERSION:  # an older catlic's store: add the tables it lacks
                            metadata.create_all(connection)
                            connection.execute(
                                update(schema_version)
                                .where(schema_version.c.component == "catlic")
                                .values(version=SCHEMA_VERSION)
                            )
                finally:
                    connection.info.pop(_WRITE, None)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the store {self}: {_reason(exc)}") from exc


def _sqlite_hooks(engine: Engine) -> None:
    """SQLite's durability and locking: WAL, fsync on every commit, ``BEGIN IMMEDIATE`` for writes."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = (
            None  # the driver's own BEGIN off: SQLAlchemy's begin event says which
        )
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
        _enter_wal(cursor)
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.info.get(_WRITE) else "BEGIN")


def _enter_wal(cursor: Any) -> None:
    """Switch the file to WAL (it stays so). SQLite answers SQLITE_BUSY at once, without its busy handler,
    when another process is switching a new file at the same instant: try again until BUSY_TIMEOUT."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(pause)  # the other process holds the file for a moment; no event to wait on
            pause = min(pause * 2, 0.2)


WRITE_LOCK_KEY = 0x636174_6C6963  # "catlic": the advisory lock every catlic write takes on a server
"""PostgreSQL's counterpart of ``BEGIN IMMEDIATE``: one catlic write transaction at a time per database."""


def _postgresql_hooks(engine: Engine) -> None:
    """A write waits for the others from its first statement (a read-then-write, such as a deduplicated
    submission, is one step), released at commit or rollback."""

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.info.get(_WRITE):
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    return str(original or exc).splitlines()[0]
