"""Settings every test shares."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

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
