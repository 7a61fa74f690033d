"""Dates whose zone name no table knows stay dates, and the device's `clock timezone` tells their offset.

`clock_config/<name>.raw` is `show running-config | include ^clock` as IOS prints it; `<name>.yml` holds
`model:` (the dump without defaults) and `zones:` (name -> hours, what ``ClockZone.zone_offsets`` gives).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from parsing_cases import FACTS_DIR, LICENSE_COMMANDS, dump_for_comparison, guide_cases, netmiko_records
from pydantic import BaseModel

from nornir_catlic import parse
from nornir_catlic.errors import ParseError
from nornir_catlic.models.clock import ClockZone, _moments, with_zone_offsets, zone_names
from nornir_catlic.models.common import LocalTime
from nornir_catlic.models.license import LicenseStatus
from nornir_catlic.parsers.clock import CLOCK_TEMPLATE
from nornir_catlic.syslog import parse_syslog

CLOCK_COMMAND = "show running-config | include ^clock"
CASES = sorted((Path(__file__).parent / "clock_config").glob("*.raw"))
PACIFIC_STATUS = FACTS_DIR / "show_license_status" / "zone_pacific_lowercase.raw"
ZONED_STATUS = FACTS_DIR / "show_license_status" / "zones_ist_mdt_pdt.raw"


@pytest.mark.parametrize("raw", CASES, ids=lambda path: path.stem)
def test_clock_config_parses_to_hand_read_zone(raw: Path) -> None:
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text())
    zone = parse(CLOCK_COMMAND, raw.read_text(), expect=ClockZone, strict=True)
    assert dump_for_comparison(zone) == expected["model"]
    hours = {name: offset / dt.timedelta(hours=1) for name, offset in zone.zone_offsets().items()}
    assert hours == expected["zones"]


@pytest.mark.parametrize("raw", CASES, ids=lambda path: path.stem)
def test_clock_template_works_handed_to_netmiko(raw: Path) -> None:
    records = netmiko_records(CLOCK_TEMPLATE, raw.read_text())
    assert (
        records
        and records[-1]["zone"] == yaml.safe_load(raw.with_suffix(".yml").read_text())["model"]["zone_name"]
    )
    assert all(not record["unparsed"] for record in records)


@pytest.mark.parametrize("command", ["sh run | i clock", "show running-config | include clock timezone"])
def test_the_filtered_command_is_known_abbreviated_and_with_a_longer_filter(command: str) -> None:
    assert parse(command, "clock timezone pacific -8 0\n", expect=ClockZone).zone_name == "pacific"


def test_another_commands_output_is_not_a_clock_zone() -> None:
    with pytest.raises(ParseError):
        parse(CLOCK_COMMAND, PACIFIC_STATUS.read_text())


def test_an_unknown_zone_name_leaves_a_local_time_flagged_offset_unknown() -> None:
    status = parse("show license status", PACIFIC_STATUS.read_text(), expect=LicenseStatus, strict=True)
    assert status.usage_reporting is not None
    deadline = status.usage_reporting.next_ack_deadline
    assert deadline == LocalTime(
        local=dt.datetime(2023, 7, 4, 21, 11, 50), zone_name="pacific", offset_known=False
    )
    assert str(deadline) == "2023-07-04 21:11:50 pacific (offset unknown)"
    assert zone_names(status) == {"pacific"}


def test_a_zone_map_given_to_parse_makes_the_dates_aware_and_keeps_the_name() -> None:
    status = parse(
        "show license status", PACIFIC_STATUS.read_text(), expect=LicenseStatus, zones={"PACIFIC": -8}
    )
    assert status.usage_reporting is not None
    deadline = status.usage_reporting.next_ack_deadline
    assert deadline == dt.datetime(2023, 7, 5, 5, 11, 50, tzinfo=dt.timezone.utc)
    assert isinstance(deadline, dt.datetime) and deadline.tzname() == "pacific"


def test_the_devices_own_offset_wins_over_the_common_meaning_of_a_name() -> None:
    """IST is India's (+05:30) among the abbreviations; a device with `clock timezone IST 2 0` means +2."""
    status = parse("show license status", ZONED_STATUS.read_text(), expect=LicenseStatus)
    assert status.account is not None
    assert status.account.smart_account_as_of == dt.datetime(2024, 1, 15, 4, 30, tzinfo=dt.timezone.utc)
    israel = parse(CLOCK_COMMAND, "clock timezone IST 2 0\n", expect=ClockZone).zone_offsets()
    resolved = with_zone_offsets(status, israel)
    assert resolved.account is not None
    assert resolved.account.smart_account_as_of == dt.datetime(2024, 1, 15, 8, 0, tzinfo=dt.timezone.utc)
    assert resolved.usage_reporting == status.usage_reporting  # MDT/PDT/CET: the device did not say


def test_a_local_time_is_resolved_after_the_fact_and_a_json_round_trip_keeps_both_kinds() -> None:
    status = parse("show license status", PACIFIC_STATUS.read_text(), expect=LicenseStatus)
    again = LicenseStatus.model_validate_json(status.model_dump_json())
    assert again == status
    resolved = with_zone_offsets(status, {"pacific": dt.timedelta(hours=-8)})
    assert resolved.usage_reporting is not None
    assert resolved.usage_reporting.next_ack_deadline == dt.datetime(
        2023, 7, 5, 5, 11, 50, tzinfo=dt.timezone.utc
    )
    assert LicenseStatus.model_validate_json(resolved.model_dump_json()) == resolved


@pytest.mark.parametrize("zones", [{"pacific": -24}, {"pacific": dt.timedelta(days=2)}])
def test_an_impossible_zone_offset_is_a_parse_error_naming_the_zone(zones: dict[str, object]) -> None:
    with pytest.raises(ParseError, match="pacific"):
        parse("show license status", PACIFIC_STATUS.read_text(), zones=zones)  # type: ignore[arg-type]


def test_a_zone_offset_outside_what_ios_accepts_in_the_config_is_refused() -> None:
    with pytest.raises(ParseError, match="clock timezone"):
        parse(CLOCK_COMMAND, "clock timezone far 25 0\n")


def test_syslog_stamps_in_a_seven_letter_zone_are_messages_and_take_the_map() -> None:
    """`clock timezone pacific -8` stamps console lines `*Jul  4 13:11:50.123 pacific:` (service timestamps
    ... show-timezone); a longer name than the usual abbreviations must not turn the message into noise."""
    text = (
        "*Jul  4 13:11:50.123 pacific: %SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized\n"
    )
    alone = parse_syslog(text, strict=True).events[0].timestamp
    assert alone is not None and (alone.zone, alone.offset) == ("pacific", None)
    mapped = parse_syslog(text, zones={"pacific": -8}).events[0].timestamp
    assert mapped is not None
    assert mapped.to_datetime(2023) == dt.datetime(2023, 7, 4, 21, 11, 50, 123000, tzinfo=dt.timezone.utc)


def _every_date(value: object) -> list[object]:
    """Every datetime and LocalTime inside a model, walking every field (what ``zone_names`` skips must
    hold none)."""
    if isinstance(value, LocalTime | dt.datetime):
        return [value]
    if isinstance(value, BaseModel):
        return [date for field in type(value).model_fields for date in _every_date(getattr(value, field))]
    if isinstance(value, list | tuple):
        return [date for item in value for date in _every_date(item)]
    if isinstance(value, dict):
        return [date for item in value.values() for date in _every_date(item)]
    return []


@pytest.mark.parametrize(
    ("command", "raw"),
    [case for case in guide_cases() + guide_cases(FACTS_DIR) if case[0] in LICENSE_COMMANDS],
    ids=lambda case: str(case),
)
def test_zone_walk_finds_every_date_of_a_parsed_model(command: str, raw: Path) -> None:
    """``zone_names`` walks only the fields whose types can hold a date: on every license capture it
    sees the same dates as a walk over every field, and ``with_zone_offsets`` re-reads them all."""
    model = parse(command, raw.read_text())
    dates = _every_date(model)
    seen = list(_moments(model))
    assert [id(date) for date in seen] == [id(date) for date in dates]
    names = {date.zone_name if isinstance(date, LocalTime) else date.tzname() for date in dates}
    resolved = with_zone_offsets(model, {name: dt.timedelta(hours=3) for name in names if name})
    assert all(not isinstance(date, LocalTime) for date in _every_date(resolved))
