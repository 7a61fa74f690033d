"""A switch whose clock zone is a name no table knows (`clock timezone pacific -8 0`) still has a reporting
deadline: the state task reads the zone's offset from the device, and the audit judges the deadline.

Real SSH to a one-switch lab; the lab prints every license date in the device's zone (`... 2023 pacific`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.task import Result

from nornir_catlic import parse
from nornir_catlic.models.common import LocalTime
from nornir_catlic.models.license import LicenseStatus
from nornir_catlic.tasks import catlic_audit, catlic_get_license_state
from nornir_catlic.tasks.state import SHOW_CLOCK_CONFIG
from nornir_catlic.transport import show_text, use_recommended_options
from virtual_devices.lab import Lab

HOST = "c9300-pacific"
PACIFIC = dt.timedelta(hours=-8)


def _topology(timezone: str | None) -> dict[str, Any]:
    switch: dict[str, Any] = {
        "name": HOST,
        "platform": "C9300",
        "release": "17.9.4",
        "generation": "agent5",
        "boot_level": "network-advantage addon dna-advantage",
        "transport": "off",  # no usage exchange: the deadline stays where the clock leaves it
        "members": [{"number": 1, "pid": "C9300-48P", "serial": "FOC2341X0AB", "priority": 15}],
    }
    if timezone:
        switch["timezone"] = timezone
    return {
        "lab": {"credentials": {"username": "admin", "password": "lab-pass-1", "secret": "lab-enable-1"}},
        "devices": [switch],
    }


@pytest.fixture
def pacific_lab(tmp_path: Path) -> Iterator[Lab]:
    with Lab.from_dict(_topology("pacific -8"), tmp_path / "lab") as running:
        yield running


@pytest.fixture
def nr(pacific_lab: Lab) -> Iterator[Nornir]:
    nornir = use_recommended_options(InitNornir(config_file=str(pacific_lab.nornir_config)))
    yield nornir
    nornir.close_connections()


def on(nr: Nornir, task: Any, **params: Any) -> Result:
    return nr.run(task=task, on_failed=True, **params)[HOST][0]


def lab_deadline(lab: Lab) -> dt.datetime:
    """The deadline as the lab's agent holds it (UTC), independent of what the switch prints."""
    deadline = lab.call(lambda: lab.devices[HOST].agent.state.reporting.deadline)
    assert deadline is not None
    return deadline.astimezone(dt.timezone.utc)


def test_the_deadline_in_a_zone_named_pacific_is_a_date_read_with_the_devices_offset(
    nr: Nornir, pacific_lab: Lab
) -> None:
    printed = on(
        nr, lambda task: Result(host=task.host, result=show_text(task, "show license status"))
    ).result
    assert " pacific" in printed  # the switch prints its dates in its own zone name
    state = on(nr, catlic_get_license_state).result
    deadline = state.next_ack_deadline
    assert isinstance(deadline, dt.datetime)
    assert deadline.utcoffset() == PACIFIC
    assert deadline.tzname() == "pacific"
    assert deadline == lab_deadline(pacific_lab)


def test_an_audit_after_the_lab_clock_nears_then_passes_the_deadline_reports_it(
    nr: Nornir, pacific_lab: Lab
) -> None:
    deadline = lab_deadline(pacific_lab)
    now = dt.datetime.fromisoformat(pacific_lab.advance_clock(seconds=0)["now"])
    to_near = deadline - now - dt.timedelta(days=3)
    near_now = dt.datetime.fromisoformat(pacific_lab.advance_clock(seconds=to_near.total_seconds())["now"])
    near = on(nr, catlic_audit, now=near_now, warn_days=30).result
    assert "ACK_DEADLINE_NEAR" in near.codes()
    assert "ACK_DEADLINE_PASSED" not in near.codes()

    passed_now = dt.datetime.fromisoformat(pacific_lab.advance_clock(days=3, seconds=3600)["now"])
    assert lab_deadline(pacific_lab) == deadline  # nothing reported: the deadline stayed
    passed = on(nr, catlic_audit, now=passed_now).result
    assert "ACK_DEADLINE_PASSED" in passed.codes()


def test_one_hour_before_the_deadline_is_not_passed_the_offset_is_not_ignored(
    nr: Nornir, pacific_lab: Lab
) -> None:
    """Read as UTC, the printed local time would put the deadline 8 hours early: passed an hour before it."""
    deadline = lab_deadline(pacific_lab)
    audit = on(nr, catlic_audit, now=deadline - dt.timedelta(hours=1), warn_days=1).result
    assert "ACK_DEADLINE_NEAR" in audit.codes()
    assert "ACK_DEADLINE_PASSED" not in audit.codes()


def test_host_data_clock_zones_maps_the_name_without_reading_the_device(nr: Nornir, pacific_lab: Lab) -> None:
    nr.inventory.hosts[HOST].data["clock_zones"] = {"pacific": -8}
    multi = nr.run(task=catlic_get_license_state, on_failed=True)[HOST]
    assert not multi.failed
    assert SHOW_CLOCK_CONFIG not in [step.name for step in multi[1:]]
    assert multi[0].result.next_ack_deadline == lab_deadline(pacific_lab)


def test_a_wrong_host_map_wins_over_the_device_as_the_user_asked(nr: Nornir, pacific_lab: Lab) -> None:
    nr.inventory.hosts[HOST].data["clock_zones"] = {"pacific": -7}
    deadline = on(nr, catlic_get_license_state).result.next_ack_deadline
    assert deadline == lab_deadline(pacific_lab) - dt.timedelta(hours=1)


def test_parsed_alone_the_switchs_deadline_stays_a_date_flagged_offset_unknown(
    nr: Nornir, pacific_lab: Lab
) -> None:
    text = on(nr, lambda task: Result(host=task.host, result=show_text(task, "show license status"))).result
    status = parse("show license status", text, expect=LicenseStatus, strict=True)
    assert status.usage_reporting is not None
    unresolved = status.usage_reporting.next_ack_deadline
    assert isinstance(unresolved, LocalTime)
    assert (unresolved.zone_name, unresolved.offset_known) == ("pacific", False)
    mapped = parse("show license status", text, expect=LicenseStatus, zones={"pacific": -8})
    assert mapped.usage_reporting is not None
    assert mapped.usage_reporting.next_ack_deadline == lab_deadline(pacific_lab)
