"""Settings every test shares."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgresql_server import PostgresqlServer, running_server

from nornir_catlic.workplace import HOME_ENV


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
