"""Syslog messages of the guide and the facts note, read into typed events.

Each `syslog/<name>.raw` is a block of messages as the guide prints it (wrapped lines included, markdown
fences removed); `<name>.yml` holds `model:`, the expected dump without defaults, read by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from parsing_cases import dump_for_comparison, load_expected, netmiko_records

from nornir_catlic import ParseError, parse
from nornir_catlic.syslog import Severity, SyslogLog, parse_syslog, parse_syslog_line

SYSLOG_DIR = Path(__file__).parent / "syslog"
CASES = sorted(SYSLOG_DIR.glob("*.raw"))

# `show logging` as the lab and real 17.x switches print it: settings, then the buffer.
SHOW_LOGGING = """\
Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, xml disabled, \
filtering disabled)

No Active Message Discriminator.



No Inactive Message Discriminator.


    Console logging: disabled
    Monitor logging: level debugging, 0 messages logged, xml disabled,
                     filtering disabled
    Buffer logging:  level debugging, 3 messages logged, xml disabled,
                    filtering disabled
    Exception Logging: size (4096 bytes)
    Count and timestamp logging messages: disabled
    File logging: disabled
    Persistent logging: disabled

No active filter modules.

    Trap logging: level informational, 3 message lines logged
        Logging Source-Interface:       VRF Name:

Log Buffer (102400 bytes):

*Dec  3 18:29:30.097: %SMART_LIC-6-AGENT_ENABLED: Smart Agent for Licensing is enabled
*Dec  3 18:58:39.026: %SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS: A new licensing authorization code was \
successfully installed on PID:C9300X-48HX,SN:FOC2516LC92
*Dec  3 18:59:29.309: %SMART_LIC-6-EXPORT_CONTROLLED: Usage of export controlled features is allowed for \
feature hseck9
"""


@pytest.mark.parametrize("raw", CASES, ids=lambda path: path.stem)
def test_guide_message_block_reads_as_hand_read_events(raw: Path) -> None:
    expected = load_expected(raw)
    log = parse_syslog(raw.read_text(), strict=not expected["model"].get("unparsed_lines"))
    assert dump_for_comparison(log) == expected["model"]


def test_every_message_family_of_the_brief_has_an_example() -> None:
    tags = {event.tag for raw in CASES for event in parse_syslog(raw.read_text()).events}
    for tag in (
        "%SMART_LIC-6-AGENT_READY",
        "%SMART_LIC-6-AGENT_ENABLED",
        "%SMART_LIC-6-EXPORT_CONTROLLED",
        "%SMART_LIC-6-REPORTING_REQUIRED",
        "%SMART_LIC-3-COMM_FAILED",
        "%SMART_LIC-5-COMM_RESTORED",
        "%SMART_LIC-5-SYSTEM_CLOCK_CHANGED",
        "%SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS",
        "%SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED",
        "%SMART_LIC-6-TRUST_INSTALL_SUCCESS",
        "%SMART_LIC-6-AUTHORIZATION_REMOVED",
        "%IOSXE_SMART_AGENT-6-STANDBY_NOT_AUTHORIZED",
        "%PLATFORM_IPSEC_HSEC-3-UNAUTHORIZED_HSEC",
        "%PMAN-5-EXITACTION",
        "%STACKMGR-4-SWITCH_ADDED",
        "%STACKMGR-6-STACK_LINK_CHANGE",
        "%STACKMGR-1-RELOAD",
    ):
        assert tag in tags


def test_show_logging_reads_the_buffer_and_understands_the_settings() -> None:
    log = parse("show logging", SHOW_LOGGING, strict=True)
    assert isinstance(log, SyslogLog)
    assert [event.mnemonic for event in log.events] == [
        "AGENT_ENABLED",
        "AUTHORIZATION_INSTALL_SUCCESS",
        "EXPORT_CONTROLLED",
    ]
    installed = log.of("SMART_LIC", "AUTHORIZATION_INSTALL_SUCCESS")[0]
    assert str(installed.udi) == "PID:C9300X-48HX,SN:FOC2516LC92"
    assert log.events[2].feature == "hseck9" and log.events[2].allowed is True


def test_show_logging_abbreviated_with_crlf_echo_and_prompt() -> None:
    raw = "sh logg\r\n" + SHOW_LOGGING.replace("\n", "\r\n") + "c9300x-stack#"
    log = parse("sh logg", raw, strict=True)
    assert len(log.events) == 3
    assert log.unparsed_lines == []


def test_a_line_that_is_no_message_is_kept_and_strict_names_it() -> None:
    text = (
        "*Dec  3 18:29:30.097: %SMART_LIC-6-AGENT_ENABLED: Smart Agent for Licensing is enabled\n"
        "Applying config on Switch 3...[DONE]\n"
    )
    assert parse_syslog(text).unparsed_lines == ["Applying config on Switch 3...[DONE]"]
    with pytest.raises(ParseError, match=r"line 2: 'Applying config on Switch 3\.\.\.\[DONE\]'"):
        parse_syslog(text, strict=True)


def test_text_without_any_message_is_an_empty_log_not_an_error() -> None:
    log = parse_syslog("Press RETURN to get started!\n")
    assert log.events == []
    assert log.unparsed_lines == ["Press RETURN to get started!"]
    assert parse_syslog("").events == []


def test_single_line_forms_sequence_year_zone_and_uptime_stamps() -> None:
    numbered = parse_syslog_line("000123: Dec  3 2021 18:42:49.885 UTC: %SMART_LIC-5-COMM_RESTORED: restored")
    assert numbered is not None
    assert numbered.sequence == 123
    assert numbered.timestamp is not None
    assert numbered.timestamp.to_datetime() == datetime(2021, 12, 3, 18, 42, 49, 885000, tzinfo=timezone.utc)

    uptime = parse_syslog_line(
        "1w2d: %STACKMGR-4-SWITCH_ADDED: Switch 1 R0/0: stack_mgr: Switch 2 has been added"
    )
    assert uptime is not None and uptime.uptime_stamp == "1w2d" and uptime.timestamp is None
    assert uptime.switch == 2 and uptime.severity is Severity.WARNING

    assert parse_syslog_line("Switch number is 3") is None


def test_timestamp_without_year_takes_the_year_given_and_its_zone() -> None:
    event = parse_syslog_line(
        "*Sep 6 16:58:25.528 PDT: %SMART_LIC-6-AGENT_ENABLED: Smart Agent for Licensing is enabled"
    )
    assert event is not None and event.timestamp is not None
    assert not event.timestamp.clock_authoritative
    moment = event.timestamp.to_datetime(year=2022)
    assert moment == datetime(2022, 9, 6, 23, 58, 25, 528000, tzinfo=timezone.utc)
    assert moment.utcoffset() == timedelta(hours=-7)


def test_unknown_zone_falls_back_to_the_default_zone() -> None:
    event = parse_syslog_line(
        "Dec  3 18:00:00.000 XYZ: %SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized"
    )
    assert event is not None and event.timestamp is not None
    assert event.timestamp.zone == "XYZ" and event.timestamp.offset is None
    plus_one = timezone(timedelta(hours=1))
    assert event.timestamp.to_datetime(2021, default_zone=plus_one).utcoffset() == timedelta(hours=1)


def test_events_dump_to_json_and_back() -> None:
    log = parse_syslog((SYSLOG_DIR / "slac_install_failed_counts_in_use.raw").read_text())
    again = SyslogLog.model_validate_json(log.model_dump_json())
    assert again == log
    failed = again.at_least(Severity.ERROR)
    assert [event.error_code for event in failed] == ["ERROR_ALL_COUNTS_IN_USE"]


def test_stamp_without_year_is_placed_before_the_time_the_log_was_read() -> None:
    event = parse_syslog_line("*Dec 31 23:59:58.000 UTC: %SMART_LIC-5-COMM_RESTORED: restored")
    assert event is not None and event.timestamp is not None
    read_at = datetime(2022, 1, 1, 0, 0, 5, tzinfo=timezone.utc)
    assert event.timestamp.to_datetime_before(read_at) == datetime(
        2021, 12, 31, 23, 59, 58, tzinfo=timezone.utc
    )
    same_day = datetime(2021, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    assert event.timestamp.to_datetime_before(same_day).year == 2021


def test_a_leap_day_stamp_without_year_lands_in_the_last_leap_year_before_the_reading() -> None:
    event = parse_syslog_line("*Feb 29 12:00:00.000 UTC: %SMART_LIC-5-COMM_RESTORED: restored")
    assert event is not None and event.timestamp is not None
    for read_in in (2024, 2025, 2026, 2027):
        read_at = datetime(read_in, 6, 1, tzinfo=timezone.utc)
        assert event.timestamp.to_datetime_before(read_at) == datetime(2024, 2, 29, 12, tzinfo=timezone.utc)
    before_leap_day = datetime(2024, 2, 28, tzinfo=timezone.utc)
    assert event.timestamp.to_datetime_before(before_leap_day).year == 2020


def test_chassis_origin_of_stackwise_virtual_messages() -> None:
    event = parse_syslog_line(
        "%PMAN-5-EXITACTION: Chassis 2 R0/0: pvp: Process manager is exiting: reload fp action requested"
    )
    assert event is not None
    assert (event.origin, event.switch, event.reason) == ("Chassis 2 R0/0", 2, "reload fp action requested")


def test_show_logging_template_works_handed_to_netmiko_directly() -> None:
    records = netmiko_records("cisco_xe_show_logging.textfsm", SHOW_LOGGING)
    assert [record["mnemonic"] for record in records] == [
        "AGENT_ENABLED",
        "AUTHORIZATION_INSTALL_SUCCESS",
        "EXPORT_CONTROLLED",
    ]
    assert records[2]["continuation"] == []
