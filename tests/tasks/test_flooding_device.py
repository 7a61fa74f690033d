"""A device that floods a command's output fails its host quickly, with the reason; the others finish.

Real SSH to the lab: one switch answers every `show` with an unbroken line of millions of characters
(the lab's ``flood_bytes`` fault), the rest of the fleet answers normally.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from nornir import InitNornir
from nornir.core import Nornir

from nornir_catlic.parsing import MAX_LINE_CHARS
from nornir_catlic.tasks import catlic_get_license_state
from nornir_catlic.transport import MAX_COMMAND_OUTPUT_CHARS, use_recommended_options
from virtual_devices.lab import Lab, load_topology

DEFAULT_TOPOLOGY = Path(__file__).parents[2] / "virtual_devices" / "topologies" / "default.yaml"
FLEET = ("flooding", "quiet-1", "quiet-2")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    topology = load_topology(DEFAULT_TOPOLOGY)
    topology["devices"] = [{"name": name, "platform": "C9300X", "release": "17.9.4"} for name in FLEET]
    with Lab.from_dict(topology, tmp_path_factory.mktemp("flood-lab")) as running:
        yield running


@pytest.fixture
def nr(lab: Lab) -> Iterator[Nornir]:
    nornir = use_recommended_options(InitNornir(config_file=str(lab.nornir_config)))
    yield nornir
    nornir.close_connections()


def run_fleet_with_flood(nr: Nornir, lab: Lab, flood_bytes: int) -> tuple[dict[str, str], float]:
    """Each host's outcome ('ok' or its error) and the run's seconds, one host flooding."""
    lab.set_faults("flooding", flood_bytes=flood_bytes)
    try:
        start = time.monotonic()
        results = nr.run(task=catlic_get_license_state, on_failed=True)
        elapsed = time.monotonic() - start
    finally:
        lab.clear_faults("flooding")
    outcomes = {
        host: "ok" if not multi.failed else str(multi[0].exception or multi[-1].exception)
        for host, multi in results.items()
    }
    return outcomes, elapsed


def test_endless_output_fails_the_host_at_the_transport_limit(nr: Nornir, lab: Lab) -> None:
    outcomes, elapsed = run_fleet_with_flood(nr, lab, MAX_COMMAND_OUTPUT_CHARS + 1024 * 1024)
    assert outcomes["quiet-1"] == outcomes["quiet-2"] == "ok"
    assert f"output of 'show version' exceeded {MAX_COMMAND_OUTPUT_CHARS:,} bytes" in outcomes["flooding"]
    assert elapsed < 20


def test_an_enormous_line_fails_the_host_with_the_parse_limit(nr: Nornir, lab: Lab) -> None:
    outcomes, elapsed = run_fleet_with_flood(nr, lab, 1024 * 1024)
    assert outcomes["quiet-1"] == outcomes["quiet-2"] == "ok"
    assert "'show version'" in outcomes["flooding"]
    assert (
        f"a line of 1,048,576 characters, more than the limit of {MAX_LINE_CHARS:,}" in outcomes["flooding"]
    )
    assert elapsed < 20


def test_the_flooded_host_works_again_once_the_flood_stops(nr: Nornir, lab: Lab) -> None:
    run_fleet_with_flood(nr, lab, MAX_COMMAND_OUTPUT_CHARS + 1024)
    result = nr.filter(name="flooding").run(task=catlic_get_license_state, on_failed=True)["flooding"]
    assert not result.failed, result[0].exception
