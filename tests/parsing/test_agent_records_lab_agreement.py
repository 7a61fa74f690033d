"""The lab prints its agent's RUM reports, event log and message history; the parsers (written apart, the
lab never imports the library) read every device's output strictly, and what they read is what the agent
holds. Driven in-process, without SSH."""

from __future__ import annotations

import pytest
from parsing_cases import LAB_TOPOLOGY

from nornir_catlic import ParseError, parse
from nornir_catlic.models.agent_log import LicenseEventLog, LicenseMessageHistory
from nornir_catlic.models.license import LicenseAll, LicenseStatus
from nornir_catlic.models.usage_reports import RumReports
from virtual_devices.cli import CliSession
from virtual_devices.commands.base import Mode
from virtual_devices.lab import Lab

COMMANDS = (
    "show license rum id all",
    "show license rum id all detail",
    "show license eventlog",
    "show license eventlog 1",
    "show license history message",
)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    return Lab.from_topology(LAB_TOPOLOGY, state_dir=tmp_path_factory.mktemp("lab"))


def run(lab: Lab, name: str, command: str) -> str:
    return CliSession(lab.devices[name]).run(command, mode=Mode.PRIVILEGED)


@pytest.mark.parametrize("generation", ["agent5", "agent6"])
def test_every_device_prints_its_records_in_a_shape_we_read(lab: Lab, generation: str) -> None:
    for name, device in lab.devices.items():
        original = device.generation
        device.generation = generation
        try:
            for command in COMMANDS:
                result = parse(command, run(lab, name, command), strict=True)
                assert result.unparsed_lines == [], (name, command)
        finally:
            device.generation = original


def test_the_reports_read_are_the_reports_the_agent_holds(lab: Lab) -> None:
    name = "c9300x-stack"
    held = lab.devices[name].agent.state.reports
    table = parse("show license rum id all", run(lab, name, "show license rum id all"), expect=RumReports)
    assert [r.report_id for r in table.reports] == [r.id for r in held]
    assert {r.report_id for r in table.in_state("OPEN")} == {r.id for r in held if r.end is None}
    newest = held[-1]
    command = f"show license rum id {newest.id} detail"
    (detail,) = parse(command, run(lab, name, command), expect=RumReports, strict=True).reports
    assert detail.report_id == newest.id and detail.metric_value == newest.tag
    assert detail.start_time == newest.start
    assert detail.udi is not None and detail.udi.serial == lab.devices[name].active_unit().serial


def test_the_event_log_and_history_agree_with_the_agent(lab: Lab) -> None:
    name = "c9300x-standalone"
    state = lab.devices[name].agent.state
    log = parse("show license eventlog", run(lab, name, "show license eventlog"), expect=LicenseEventLog)
    usage = log.of("ENDPOINT_USAGE")
    assert [e.attributes["entitlementTag"] for e in usage] == [r.tag for r in state.reports]
    assert [e.time for e in log.events] == sorted(e.time for e in log.events)  # type: ignore[type-var]
    history = parse(
        "show license history message",
        run(lab, name, "show license history message"),
        expect=LicenseMessageHistory,
    )
    acks = [m for m in history.messages if m.message_type == "Acknowledgement"]
    assert [m.time for m in acks] == ([state.reporting.last_ack] if state.reporting.last_ack else [])


def test_16x_has_no_rum_reports(lab: Lab) -> None:
    device = lab.devices["c9200"]
    original = device.generation
    device.generation = "sl16"
    try:
        with pytest.raises(ParseError, match="device answered with an error"):
            parse("show license rum id all", run(lab, "c9200", "show license rum id all"))
        assert isinstance(
            parse("show license eventlog", run(lab, "c9200", "show license eventlog")), LicenseEventLog
        )
    finally:
        device.generation = original


def test_dates_in_the_switchs_own_zone_stay_dates(lab: Lab) -> None:
    name = "c9500x"
    session = CliSession(lab.devices[name])
    session.run("clock timezone pacific -8 0", mode=Mode.CONFIG)
    try:
        text = run(lab, name, "show license rum id all detail")
        unknown = parse("show license rum id all detail", text, expect=RumReports, strict=True)
        assert {r.start_time.zone_name for r in unknown.reports} == {"pacific"}  # type: ignore[union-attr]
        known = parse("show license rum id all detail", text, expect=RumReports, zones={"pacific": -8})
        assert [r.start_time for r in known.reports] == [
            r.start for r in lab.devices[name].agent.state.reports
        ]
    finally:
        session.run("no clock timezone", mode=Mode.CONFIG)


def test_agent6_prints_conversion_status_and_telemetry_we_read(lab: Lab) -> None:
    name = "c9300x-standalone"
    device = lab.devices[name]
    original = device.generation
    device.generation = "agent6"
    try:
        status = parse("show license status", run(lab, name, "show license status"), expect=LicenseStatus)
        every = parse("show license all", run(lab, name, "show license all"), expect=LicenseAll, strict=True)
        assert status.unparsed_lines == []
        assert status.license_conversion is not None and status.license_conversion.status == "Not started"
        assert every.status is not None and every.status.license_conversion == status.license_conversion
        for telemetry in (status.telemetry, every.telemetry):
            assert telemetry is not None
            assert (telemetry.data_channel, telemetry.reports_on_disk) == ("AVAILABLE", 0)
        device.faults.ssm_unreachable = True
        status = parse("show license status", run(lab, name, "show license status"), strict=True)
        assert status.telemetry.data_channel == "NOT AVAILABLE"  # type: ignore[attr-defined]
    finally:
        device.generation = original
        device.faults.ssm_unreachable = False
