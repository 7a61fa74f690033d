"""build_license_state on the guide's examples (device text with the guide's values, parsed for real)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nornir_catlic.domain import AddOn, BaseLicense, BootLevel, ConnectionMode, Redundancy
from nornir_catlic.models.common import Role
from nornir_catlic.models.license import SlacStatus, UsageStatus
from nornir_catlic.models.platform import MemberState
from nornir_catlic.models.state import LicenseState, build_license_state
from nornir_catlic.parsing import parse
from nornir_catlic.rules.audit import audit

GUIDE = Path(__file__).parent / "guide"


def parsed(scenario: str, command: str):  # type: ignore[no-untyped-def]
    name = command.replace(" ", "_")
    return parse(command, (GUIDE / f"{scenario}.{name}.txt").read_text())


def stack_after_member_added() -> LicenseState:
    """Guide, "Adding a Member to a Stack Where HSECK9 Keys are in Use", after step 2."""
    scenario = "stack_member_added"
    return build_license_state(
        "c9300x-stack",
        version=parsed(scenario, "show version"),
        status=parsed(scenario, "show license status"),
        udi=parsed(scenario, "show license udi"),
        authorization=parsed(scenario, "show license authorization"),
        summary=parsed(scenario, "show license summary"),
        switch_detail=parsed(scenario, "show switch detail"),
    )


def test_stack_members_are_keyed_by_serial_with_role_pid_and_switch_number() -> None:
    state = stack_after_member_added()
    assert list(state.members) == ["FOC2519L8R7", "FOC2524L39P", "FOC2516LC92"]
    active, standby, member = state.members.values()
    assert (active.roles, active.pid, active.switch_number) == ([Role.ACTIVE], "C9300X-24HX", 1)
    assert (standby.roles, standby.pid, standby.switch_number) == ([Role.STANDBY], "C9300X-48HXN", 2)
    assert (member.roles, member.pid, member.switch_number) == ([Role.MEMBER], "C9300X-48HX", 3)
    assert all(m.stack_state is MemberState.READY for m in state.members.values())
    assert state.active is active and state.standby is standby


def test_stack_slac_status_and_confirmation_codes_per_member() -> None:
    state = stack_after_member_added()
    active, standby, member = state.members.values()
    assert active.slac_status is SlacStatus.INSTALLED and active.confirmation_code == "72ad37d5"
    assert standby.slac_installed and standby.confirmation_code == "842584db"
    assert member.slac_status is SlacStatus.NOT_INSTALLED and member.confirmation_code is None
    assert state.members_without_slac == [member]
    assert (active.hsec_term_count, member.hsec_term_count) == (1, None)


def test_stack_hsec_usage_and_authorized_count() -> None:
    state = stack_after_member_added()
    assert state.hsec.authorized_count == 2
    assert state.hsec.usage_status is UsageStatus.IN_USE and state.hsec.usage_count == 1
    assert state.hsec_in_use
    tags = [(row.name, row.entitlement_tag, row.count) for row in state.usage]
    assert ("network-advantage", "C9300-48 Network Advan", 2) in tags  # cut by the device


def test_stack_reporting_policy_transport_and_trust_codes() -> None:
    state = stack_after_member_added()
    assert state.next_ack_deadline == dt.datetime(2022, 3, 3, 18, 37, 21, tzinfo=dt.timezone.utc)
    assert state.last_ack_received == dt.datetime(2021, 12, 3, 18, 37, 21, tzinfo=dt.timezone.utc)
    assert state.policy is not None and state.policy.reporting_ack_required is True
    assert state.connection_mode is ConnectionMode.SSM_DIRECT
    assert state.account is not None and state.account.smart_account == "Eg-SA"
    member = state.members["FOC2516LC92"]
    assert member.trust_code_installed
    assert member.trust_code_installed_on == dt.datetime(2021, 12, 3, 18, 43, 29, tzinfo=dt.timezone.utc)


def test_stack_boot_level_release_and_topology() -> None:
    state = stack_after_member_added()
    assert state.release == "17.06.03"
    assert state.boot_level.now == BootLevel(base=BaseLicense.NETWORK_ADVANTAGE, addon=AddOn.DNA_ADVANTAGE)
    assert not state.boot_level.pending_reload
    assert state.redundancy is Redundancy.STACK
    assert state.unparsed == {}


def test_the_rules_see_the_member_without_slac_as_a_switchover_risk() -> None:
    state = stack_after_member_added()
    facts = state.to_facts(crypto_configured=True)
    findings = audit(facts, dt.datetime(2021, 12, 3, 19, 0, tzinfo=dt.timezone.utc))
    codes = {(f.code, f.subject) for f in findings}
    assert ("MEMBER_WITHOUT_SLAC", "PID:C9300X-48HX,SN:FOC2516LC92") in codes
    assert not any(code == "STANDBY_NOT_AUTHORIZED" for code, _ in codes)


def test_dual_supervisor_chassis_is_one_member_with_both_roles() -> None:
    state = build_license_state(
        "c9606r",
        udi=parsed("dual_sup", "show license udi"),
        authorization=parsed("dual_sup", "show license authorization"),
        summary=parsed("dual_sup", "show license summary"),
    )
    assert list(state.members) == ["FXS241201WP"]
    chassis = state.members["FXS241201WP"]
    assert chassis.roles == [Role.ACTIVE, Role.STANDBY]
    assert chassis.confirmation_code == "7cf1f54a"
    assert state.active is chassis and state.standby is chassis
    assert state.redundancy is Redundancy.DUAL_SUPERVISOR
    assert state.hsec.authorized_count == 1 and state.hsec_in_use


def test_a_returned_slac_keeps_its_wrapped_return_code() -> None:
    state = build_license_state(
        "c9300x-stack", authorization=parsed("returned", "show license authorization")
    )
    active = state.members["FOC2519L8R7"]
    assert not active.slac_installed
    assert active.last_return_code == "Cr9JHx-L1x5Rj-ftwzgL-h9QZAU-LE5DT1-babWeL-FABPt9-Wr1Dn7-Rp7"
    assert state.hsec.authorized_count == 0


def test_the_state_survives_a_json_round_trip() -> None:
    state = stack_after_member_added()
    again = LicenseState.model_validate_json(state.model_dump_json())
    assert again == state


def test_a_16x_device_out_of_compliance_is_an_audit_error() -> None:
    """A real Smart Licensing (16.x) capture: registered, but License Authorization OUT OF COMPLIANCE.

    The capture is networktocode/ntc-templates' tests/cisco_ios/show_license_status/
    cisco_ios_show_license_status1.raw (Apache-2.0), as copied into tests/corpus/real.
    """
    from nornir_catlic.rules.licensing_health import license_health_findings

    capture = Path(__file__).parent / "guide" / "real_16x_out_of_compliance.show_license_status.txt"
    state = build_license_state("c9300-16x", status=parse("show license status", capture.read_text()))
    assert state.generation is not None and state.generation.value == "smart-licensing"
    findings = license_health_findings(state)
    assert [(f.code, f.severity.value) for f in findings] == [("SMART_LICENSING_NOT_AUTHORIZED", "error")]
    assert "OUT OF COMPLIANCE" in findings[0].message


def test_usage_in_evaluation_or_not_authorized_is_found() -> None:
    from nornir_catlic.models.license import LicenseUsageEntry
    from nornir_catlic.rules.licensing_health import license_health_findings

    state = LicenseState(
        host="sw",
        usage=[
            LicenseUsageEntry(
                name="network-advantage",
                entitlement_tag="C9300-48 Network Advantage",
                status=UsageStatus.EVAL_MODE,
            ),
            LicenseUsageEntry(name="dna-advantage", status=UsageStatus.NOT_AUTHORIZED),
            LicenseUsageEntry(name="C9K HSEC", status=UsageStatus.NOT_IN_USE),
        ],
    )
    found = [(f.code, f.message) for f in license_health_findings(state)]
    assert found == [
        ("LICENSE_IN_EVALUATION", "network-advantage (C9300-48 Network Advantage) runs in evaluation mode"),
        ("LICENSE_NOT_AUTHORIZED", "dna-advantage is NOT AUTHORIZED"),
    ]
