"""`show license rum id`, `show license eventlog` and `show license history message` through
`nornir_catlic.parse`: what the `.raw`/`.yml` pairs in facts/ do not show (abbreviations, zones,
refusals, strictness, netmiko)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from parsing_cases import FACTS_DIR, GUIDE_DIR, netmiko_records

from nornir_catlic import ParseError, parse
from nornir_catlic.models.agent_log import LicenseEventLog, LicenseMessageHistory
from nornir_catlic.models.common import LocalTime
from nornir_catlic.models.usage_reports import RumReports
from nornir_catlic.parsing import template_for

RUM_TABLE = (FACTS_DIR / "show_license_rum_id_all" / "stack_open_closed_acked.raw").read_text()
RUM_DETAIL = (FACTS_DIR / "show_license_rum_id_all_detail" / "open_and_acked_pacific_zone.raw").read_text()
EVENTLOG = (FACTS_DIR / "show_license_eventlog" / "slac_install_and_usage.raw").read_text()
HISTORY = (FACTS_DIR / "show_license_history_message" / "usage_report_and_ack.raw").read_text()
SUMMARY = sorted((GUIDE_DIR / "show_license_summary").glob("*.raw"))[0].read_text()


@pytest.mark.parametrize(
    ("command", "template"),
    [
        ("show license rum id all", "cisco_xe_show_license_rum_id.textfsm"),
        ("sh lic rum id 1601520013", "cisco_xe_show_license_rum_id.textfsm"),
        ("sh lic ru id all det", "cisco_xe_show_license_rum_id.textfsm"),
        ("show license rum id 1601520013 detail", "cisco_xe_show_license_rum_id.textfsm"),
        ("show license eventlog", "cisco_xe_show_license_eventlog.textfsm"),
        ("sh lic ev 2", "cisco_xe_show_license_eventlog.textfsm"),
        ("show license history message", "cisco_xe_show_license_history_message.textfsm"),
        ("sh lic hi m", "cisco_xe_show_license_history_message.textfsm"),
        ("show license rum id", None),
        ("show license rum id nope", None),
        ("show license rum feature all", None),
        ("show license eventlog two", None),
        ("show license history", None),
    ],
)
def test_index_matches_the_whole_command(command: str, template: str | None) -> None:
    assert template_for(command) == template


def test_rum_table_and_detail_are_one_model() -> None:
    table = parse("show license rum id all", RUM_TABLE, expect=RumReports, strict=True)
    assert [r.report_id for r in table.in_state("open")] == [1601520015, 1601520016]
    assert table.find(1601520013) is not None and table.find(1601520013).udi is None  # type: ignore[union-attr]
    detail = parse("show license rum id all detail", RUM_DETAIL, expect=RumReports, strict=True)
    acked = detail.find(1601520012)
    assert acked is not None and acked.next_report_id == 1601520016
    assert isinstance(acked.start_time, LocalTime) and acked.start_time.zone_name == "pacific"
    assert detail.find(1601520016).end_time is None  # type: ignore[union-attr]  # still open


def test_a_zone_map_makes_rum_dates_aware() -> None:
    detail = parse("show license rum id all detail", RUM_DETAIL, expect=RumReports, zones={"pacific": -8})
    start = detail.reports[0].start_time
    assert isinstance(start, datetime)
    assert start.astimezone(timezone.utc) == datetime(2020, 10, 1, 1, 26, 52, tzinfo=timezone.utc)


def test_a_report_printed_twice_is_held_once_and_shown() -> None:
    doubled = RUM_TABLE + "1601520016    OPEN           N     dna-advantage\n"
    result = parse("show license rum id all", doubled, expect=RumReports)
    assert len(result.reports) == 6
    assert result.unparsed_lines == ["1601520016    OPEN           N     dna-advantage"]
    with pytest.raises(ParseError, match="printed twice"):
        parse("show license rum id all", doubled, strict=True)


def test_event_attributes_and_times() -> None:
    log = parse("sh lic ev", EVENTLOG, expect=LicenseEventLog, strict=True)
    (failure,) = log.of("comm_fail")
    assert failure.attributes == {"error": "Unable to resolve server hostname/domain name"}
    assert failure.time == datetime(2020, 7, 9, 9, 14, 40, 311000, tzinfo=timezone.utc)
    assert [e.attributes["count"] for e in log.of("SAEVT_ENDPOINT_USAGE")] == ["1", "1"]


def test_an_empty_event_log_is_a_log_without_events() -> None:
    assert parse("show license eventlog 1", "**** Event Log ****\n", strict=True).model_dump()["events"] == []


def test_event_text_beside_its_attributes_is_shown_not_guessed_at() -> None:
    damaged = EVENTLOG.replace('error="Unable', 'because error="Unable')
    (shown,) = parse("show license eventlog", damaged).unparsed_lines
    assert shown.startswith('2020-07-09 09:14:40.311 UTC SAEVT_COMM_FAIL because error="Unable')
    with pytest.raises(ParseError, match="SAEVT_COMM_FAIL"):
        parse("show license eventlog", damaged, strict=True)


def test_message_history_reads_both_date_forms() -> None:
    history = parse("show license history message", HISTORY, expect=LicenseMessageHistory, strict=True)
    assert [(m.direction, m.message_type, m.result) for m in history.messages][:2] == [
        ("Sent", "Usage Report", "Success"),
        ("Received", "Acknowledgement", "Success"),
    ]
    aware = parse(
        "show license history message", HISTORY, expect=LicenseMessageHistory, zones={"PACIFIC": -8}
    )
    assert aware.messages[2].time == datetime(
        2023, 7, 5, 9, 0, 1, 250000, tzinfo=timezone(timedelta(hours=-8))
    )


@pytest.mark.parametrize(
    "command", ["show license rum id all", "show license eventlog", "show license history message"]
)
def test_another_commands_output_is_refused(command: str) -> None:
    with pytest.raises(ParseError, match="not this command's output"):
        parse(command, SUMMARY)


@pytest.mark.parametrize(
    ("command", "output"),
    [("show license status", RUM_DETAIL), ("show license summary", EVENTLOG), ("show license udi", HISTORY)],
)
def test_their_outputs_are_refused_by_other_commands(command: str, output: str) -> None:
    with pytest.raises(ParseError):
        parse(command, output)


def test_templates_work_when_handed_to_netmiko() -> None:
    rows = netmiko_records("cisco_xe_show_license_rum_id.textfsm", RUM_DETAIL)
    assert [r["report_id"] for r in rows if r["report_id"]] == ["1601520012", "1601520016"]
    events = netmiko_records("cisco_xe_show_license_eventlog.textfsm", EVENTLOG)
    assert [e["event"] for e in events][-1] == "SAEVT_COMM_RESTORE"
    messages = netmiko_records("cisco_xe_show_license_history_message.textfsm", HISTORY)
    assert [m["direction"] for m in messages if m["time"]] == ["Sent", "Received", "Sent"]
