"""A FakeNOS process serving the real captures for each test module that asks for it."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from fakenos_process import FakeFleet, serving
from fakenos_switches import SWITCHES


@pytest.fixture(scope="module")
def fakenos_fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeFleet]:
    """Every switch of :data:`~fakenos_switches.SWITCHES` served by one FakeNOS process for the module."""
    if sys.version_info < (3, 11):
        pytest.skip("FakeNOS needs Python 3.11 or later")
    with serving(SWITCHES, tmp_path_factory.mktemp("fakenos")) as fleet:
        yield fleet
