"""Real device captures (tests/corpus/real/) of the license commands: no error, no unparsed line,
and the facts a licensing workflow relies on."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from parsing_cases import CORPUS_DIR

from nornir_catlic import parse
from nornir_catlic.models.common import Role
from nornir_catlic.models.license import (
    LicenseAll,
    LicenseStatus,
    LicenseSummary,
    LicenseUdi,
    LicensingGeneration,
    SlacStatus,
    TransportType,
    UsageStatus,
)

# The real captures are a requirement, not an option: without them this module fails instead of skipping.
assert CORPUS_DIR.is_dir(), f"the real-device corpus is missing: expected {CORPUS_DIR}"

UTC = timezone.utc
PDT = timezone(timedelta(hours=-7))


def capture(folder: str, name: str) -> str:
    return (CORPUS_DIR / folder / name).read_text()


def license_captures() -> list[tuple[str, Path]]:
    if not CORPUS_DIR.is_dir():
        return []
    return [
        (path.parent.name.replace("_", " "), path)
        for path in sorted(CORPUS_DIR.glob("show_license_*/*"))
        if path.is_file()
    ]


@pytest.mark.parametrize(
    ("command", "path"), license_captures(), ids=lambda v: v.name if isinstance(v, Path) else v
)
def test_every_license_capture_parses_strictly(command: str, path: Path) -> None:
    result = parse(command, path.read_text(), strict=True)
    assert result.unparsed_lines == []


def test_genie_show_license_all_stack_of_three_on_agent_5_3() -> None:
    result = parse("show license all", capture("show_license_all", "genie__golden_output_output.txt"))
    assert isinstance(result, LicenseAll)
    assert result.generation is LicensingGeneration.SMART_LICENSING_USING_POLICY
    assert result.agent_version == "5.3.10_rel/25"
    assert result.status is not None and result.status.transport is not None
    assert result.status.transport.type is TransportType.CALLHOME
    assert result.status.trust_code_installed_on is None and result.status.trust_codes == {}
    assert result.status.usage_reporting is not None
    assert result.status.usage_reporting.next_ack_deadline == datetime(2022, 2, 7, 10, 32, 11, tzinfo=UTC)
    assert result.usage is not None
    assert [(e.name, e.entitlement_tag, e.count) for e in result.usage.licenses] == [
        ("network-advantage", "C9300-24 Network Advantage", 2),
        ("dna-advantage", "C9300-24 DNA Advantage", 2),
        ("network-advantage", "C9300-48 Network Advantage", 1),
        ("dna-advantage", "C9300-48 DNA Advantage", 1),
    ]
    assert result.udi is not None
    assert {serial: m.roles for serial, m in result.udi.members.items()} == {
        "FCW2303D16Y": [Role.ACTIVE],
        "FHH2043P09E": [Role.STANDBY],
        "FCW2139L056": [Role.MEMBER],
    }
    assert result.authorization is not None
    assert all(m.status is SlacStatus.NOT_INSTALLED for m in result.authorization.members.values())
    assert result.usage_report_summary is not None
    assert (result.usage_report_summary.total, result.usage_report_summary.available_to_report) == (12, 12)
    assert result.usage_report_summary.collecting_data == 4


def test_genie_show_license_all_dual_supervisor_agent_5_11() -> None:
    result = parse("show license all", capture("show_license_all", "genie__golden_output_2_output.txt"))
    assert isinstance(result, LicenseAll)
    assert result.agent_version == "5.11.2_rel/6"
    status = result.status
    assert status is not None
    assert status.reporting_mode == "STANDARD"
    assert (
        status.license_conversion is not None
        and status.license_conversion.automatic_conversion_enabled is False
    )
    assert status.account is not None
    assert status.account.smart_account == "BU Production Test"
    assert status.account.smart_account_as_of == datetime(2023, 12, 18, 11, 2, 51, tzinfo=PDT)
    assert status.account.virtual_account == "Cat9K-FranklinDT"
    assert status.transport is not None and status.transport.proxy is not None
    assert (status.transport.proxy.address, status.transport.proxy.port) == ("173.36.224.109", 80)
    assert status.transport.proxy.password_set is False
    assert status.policy is not None and status.policy.name == "SLE Policy"
    # dual supervisor: one chassis UDI, both roles kept
    assert list(status.trust_codes) == ["FXS2119Q2U7"]
    assert status.trust_codes["FXS2119Q2U7"].roles == [Role.ACTIVE, Role.STANDBY]
    assert result.udi is not None and result.udi.members["FXS2119Q2U7"].roles == [Role.ACTIVE, Role.STANDBY]
    assert result.authorization is not None
    assert result.authorization.members["FXS2119Q2U7"].roles == [Role.ACTIVE, Role.STANDBY]
    assert result.usage is None  # this capture has no License Usage section
    assert result.usage_report_summary is not None and result.usage_report_summary.acknowledged_received == 64
    assert result.telemetry is not None and result.telemetry.data_channel == "AVAILABLE"


def test_ntc_16x_registered_but_out_of_compliance() -> None:
    result = parse(
        "show license status", capture("show_license_status", "ntc__cisco_ios_show_license_status1.raw")
    )
    assert isinstance(result, LicenseStatus)
    assert result.generation is LicensingGeneration.SMART_LICENSING
    assert result.registration is not None and result.registration.export_controlled_allowed is True
    assert result.registration.smart_account == "ACME Corporation"
    assert result.authorization is not None
    assert (
        result.authorization.status is not None and result.authorization.status.value == "OUT OF COMPLIANCE"
    )
    assert result.authorization.communication_deadline == datetime(2022, 11, 20, 18, 53, 16, tzinfo=UTC)


def test_genie_16x_status_with_echo_and_prompt() -> None:
    result = parse("show license status", capture("show_license_status", "genie__golden_output2_output.txt"))
    assert isinstance(result, LicenseStatus)
    assert result.registration is not None and result.registration.virtual_account == "RADKit-LMM-NA"
    assert result.registration.initial_registration is not None
    assert result.registration.initial_registration.result == "SUCCEEDED"
    assert result.authorization is not None and result.authorization.status is not None
    assert result.authorization.status.value == "AUTHORIZED"


def test_ntc_policy_with_transport_off_and_edt_dates() -> None:
    result = parse(
        "show license status", capture("show_license_status", "ntc__cisco_ios_show_license_status2.raw")
    )
    assert isinstance(result, LicenseStatus)
    assert result.transport is not None and result.transport.type is TransportType.OFF
    assert result.usage_reporting is not None
    assert result.usage_reporting.last_ack_received == datetime(
        2023, 11, 8, 10, 31, 23, tzinfo=timezone(timedelta(hours=-4))
    )


def test_ntc_trust_code_single_date_and_smart_account_as_of() -> None:
    result = parse(
        "show license status", capture("show_license_status", "ntc__cisco_ios_show_license_status3.raw")
    )
    assert isinstance(result, LicenseStatus)
    assert result.account is not None and result.account.smart_account == "Eg-SA"
    assert result.trust_code_installed_on == datetime(2021, 12, 3, 8, 23, 45, tzinfo=UTC)
    assert result.policy is not None and result.policy.installed_on == datetime(
        2021, 12, 3, 8, 23, 45, tzinfo=UTC
    )
    assert result.transport is not None and result.transport.proxy is None and result.transport.vrf is None


def test_ntc_no_reporting_interval_and_lowercase_est() -> None:
    result = parse(
        "show license status", capture("show_license_status", "ntc__cisco_ios_show_license_status4.raw")
    )
    assert isinstance(result, LicenseStatus)
    assert result.usage_reporting is not None and result.usage_reporting.reporting_push_interval_days == 0
    assert result.usage_reporting.next_report_push is None
    assert result.trust_code_installed_on == datetime(
        2024, 8, 3, 9, 2, 50, tzinfo=timezone(timedelta(hours=-5))
    )
    assert result.telemetry is not None and result.telemetry.reports_on_disk == 0


def test_genie_summaries_indented_0_and_2() -> None:
    flat = parse("show license summary", capture("show_license_summary", "genie__golden_output1_output.txt"))
    indented = parse(
        "show license summary", capture("show_license_summary", "genie__golden_output3_output.txt")
    )
    assert isinstance(flat, LicenseSummary) and isinstance(indented, LicenseSummary)
    assert [(r.license, r.entitlement_tag, r.entitlement_tag_truncated) for r in flat.licenses] == [
        ("network-advantage", "C9300-48 Network Advan", True),
        ("dna-advantage", "C9300-48 DNA Advantage", False),
    ]
    assert flat.find("network-advantage", "C9300-48 Network Advantage")[0].count == 1
    assert [(r.license, r.entitlement_tag, r.status) for r in indented.licenses] == [
        ("network-premier_2.5G", "ESR_P_2.5G_P", UsageStatus.IN_USE),
        ("dna-premier_2.5G", "DNA_P_2.5G_P", UsageStatus.IN_USE),
    ]


def test_genie_router_udi_slot_table() -> None:
    result = parse("show license udi", capture("show_license_udi", "genie__golden_output1_output.txt"))
    assert isinstance(result, LicenseUdi)
    [slot] = result.slots
    assert (slot.active, slot.pid, slot.serial, slot.udi) == (
        True,
        "ASR1006",
        "NWG1512050G",
        "ASR1006:NWG1512050G",
    )
    assert result.udi is None and result.members == {}
