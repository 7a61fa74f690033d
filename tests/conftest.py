"""Settings every test shares."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgresql_server import PostgresqlServer, running_server

from nornir_catlic.workplace import HOME_ENV

IN_MEMORY_TEMP = Path("/dev/shm")


def pytest_configure(config: pytest.Config) -> None:
    """The suite's temporary folders (``tmp_path``, labs, journals, CATLIC_HOME) in memory, where the machine
    has a tmpfs and no TMPDIR was chosen: the store commits with ``synchronous=FULL``, and an fsync to a
    shared disk costs ~5 ms, to tmpfs next to nothing. What the tests assert does not change.

    Set in the first process (xdist's workers take their folders under its basetemp, and the environment).
    """
    if hasattr(config, "workerinput") or config.option.basetemp or os.environ.get("TMPDIR"):
        return
    if IN_MEMORY_TEMP.is_dir() and os.access(IN_MEMORY_TEMP, os.W_OK | os.X_OK):
        os.environ["TMPDIR"] = str(IN_MEMORY_TEMP)
        tempfile.tempdir = None  # computed again from TMPDIR on the next gettempdir()


@pytest.fixture(scope="session", autouse=True)
def catlic_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """catlic's working files (host locks, scratch runs) in the suite's own folder, never the user's home.

    Set in the environment, so the ``catlic`` processes the tests start share it. Under pytest-xdist each
    worker has a session, hence a home, of its own: two workers never share a host lock.
    """
    home = tmp_path_factory.mktemp("catlic-home")
    before = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = str(home)
    yield home
    if before is None:
        os.environ.pop(HOME_ENV, None)
    else:
        os.environ[HOME_ENV] = before


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgresqlServer]:
    """One private PostgreSQL server per test session (per xdist worker), started on first use."""
    with running_server() as server:
        yield server


@pytest.fixture
def postgresql_url(postgresql_server: PostgresqlServer) -> str:
    """A new empty database on the session's server: tests never see each other's rows."""
    return postgresql_server.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a new store on each backend: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return str(request.getfixturevalue("postgresql_url"))
