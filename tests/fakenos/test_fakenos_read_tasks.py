"""The read side's Nornir tasks over SSH to FakeNOS, a simulator written by others, serving real captures.

What fails here is ours: the switch's replies are copies of real devices' (tests/corpus/real/), the SSH
server and its shell are FakeNOS's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from fakenos_process import FakeFleet
from fakenos_switches import (
    C9300_BUSY,
    C9300_STACK,
    C9500_NO_LICENSE_ALL,
    C9600_DUAL_SUP,
    C9600_ZONES_UNKNOWN,
    FakeSwitch,
)
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.task import MultiResult, Result

from nornir_catlic import DeviceCommandError, LicenseAll, ShowSwitchDetail, ShowVersion, parse
from nornir_catlic.domain import AddOn, BaseLicense, BootLevel
from nornir_catlic.models.common import Role
from nornir_catlic.models.license import LicensingGeneration, SlacStatus, TransportType, UsageStatus
from nornir_catlic.models.platform import MemberState
from nornir_catlic.models.state import LicenseState, build_license_state
from nornir_catlic.rules import Severity
from nornir_catlic.tasks import (
    DeviceAudit,
    catlic_audit,
    catlic_get_license_state,
    closing_session,
    summarize_audit,
    use_recommended_options,
)

UTC = dt.timezone.utc
PDT = dt.timezone(dt.timedelta(hours=-7))
INVALID_INPUT = "% Invalid input detected at '^' marker."
ModelT = TypeVar("ModelT")


@pytest.fixture
def nornir(fakenos_fleet: FakeFleet) -> Iterator[Nornir]:
    """A Nornir of its own per test over the fleet's SimpleInventory, with catlic's recommended options."""
    folder = fakenos_fleet.inventory
    nornir = InitNornir(
        inventory={
            "plugin": "SimpleInventory",
            "options": {
                "host_file": str(folder / "hosts.yaml"),
                "group_file": str(folder / "groups.yaml"),
                "defaults_file": str(folder / "defaults.yaml"),
            },
        },
        runner={"plugin": "threaded", "options": {"num_workers": 5}},
        logging={"enabled": False},
    )
    yield use_recommended_options(nornir)
    nornir.close_connections(on_good=True, on_failed=True)


def read(
    nornir: Nornir,
    switch: FakeSwitch,
    task: Callable[..., Result] = catlic_get_license_state,
    **params: Any,
) -> MultiResult:
    """Run ``task`` on one switch in a session of its own; its MultiResult."""
    return nornir.filter(name=switch.name).run(task=closing_session(task), **params)[switch.name]


def read_state(nornir: Nornir, switch: FakeSwitch) -> tuple[LicenseState, list[str]]:
    """The switch's state, and the commands the read sent in order."""
    multi = read(nornir, switch)
    assert not multi.failed, multi[0].exception
    state = multi[0].result
    assert isinstance(state, LicenseState)
    return state, commands_sent(multi)


def state_of(nornir: Nornir, switch: FakeSwitch) -> LicenseState:
    return read_state(nornir, switch)[0]


def commands_sent(multi: MultiResult) -> list[str]:
    return [str(result.name) for result in multi[1:]]


def parsed(switch: FakeSwitch, command: str, model: type[ModelT]) -> ModelT:
    result = parse(command, switch.output(command))
    assert isinstance(result, model)
    return result


def offline_state(switch: FakeSwitch) -> LicenseState:
    """The state the same captures give parsed from the files, with no SSH in between."""
    return build_license_state(
        switch.name,
        version=parsed(switch, "show version", ShowVersion),
        license_all=parsed(switch, "show license all", LicenseAll),
        switch_detail=parsed(switch, "show switch detail", ShowSwitchDetail),
    )


# --- catlic_get_license_state -----------------------------------------------------------------------


def test_a_c9300_stack_read_over_ssh_is_what_its_captures_say(nornir: Nornir) -> None:
    state, commands = read_state(nornir, C9300_STACK)

    # three UDIs in `show license all` on a C9300: a stack, so its members' states are read too
    assert commands == ["show version", "show license all", "show switch detail"]
    assert (state.hostname, state.chassis_pid) == ("ssr-cat9300", "C9300-24P")
    assert state.release == "BLD_POLARIS_DEV_LATEST_20210302_012043"  # an engineering build prints no number
    assert state.generation is LicensingGeneration.SMART_LICENSING_USING_POLICY
    assert state.agent_version == "5.3.10_rel/25"
    assert [(m.serial, m.pid, m.roles, m.slac_status) for m in state.members.values()] == [
        ("FCW2303D16Y", "C9300-24UX", [Role.ACTIVE], SlacStatus.NOT_INSTALLED),
        ("FHH2043P09E", "C9300-24U", [Role.STANDBY], SlacStatus.NOT_INSTALLED),
        ("FCW2139L056", "C9300-48T", [Role.MEMBER], SlacStatus.NOT_INSTALLED),
    ]
    assert [(m.switch, m.role, m.state) for m in state.stack_members] == [
        (1, Role.ACTIVE, MemberState.READY),
        (2, Role.STANDBY, MemberState.READY),
        (3, Role.MEMBER, MemberState.READY),
    ]
    assert [(u.name, u.entitlement_tag, u.count, u.status) for u in state.usage] == [
        ("network-advantage", "C9300-24 Network Advantage", 2, UsageStatus.IN_USE),
        ("dna-advantage", "C9300-24 DNA Advantage", 2, UsageStatus.IN_USE),
        ("network-advantage", "C9300-48 Network Advantage", 1, UsageStatus.IN_USE),
        ("dna-advantage", "C9300-48 DNA Advantage", 1, UsageStatus.IN_USE),
    ]
    expected_level = BootLevel(base=BaseLicense.NETWORK_ADVANTAGE, addon=AddOn.DNA_ADVANTAGE)
    assert (state.boot_level.now, state.boot_level.after_reload) == (expected_level, expected_level)
    assert not state.boot_level.pending_reload
    assert state.transport is not None and state.transport.type is TransportType.CALLHOME
    assert state.policy is not None and state.policy.reporting_ack_required is True
    assert state.next_ack_deadline == dt.datetime(2022, 2, 7, 10, 32, 11, tzinfo=UTC)
    assert state.last_ack_received is None
    assert (state.hsec.authorized_count, state.hsec_in_use) == (0, False)
    assert state.unparsed == {}


def test_the_state_read_over_ssh_equals_the_captures_parsed_from_the_files(nornir: Nornir) -> None:
    assert state_of(nornir, C9300_STACK) == offline_state(C9300_STACK)


def test_a_dual_supervisor_chassis_in_pdt_reads_with_the_operators_zone(nornir: Nornir) -> None:
    state, commands = read_state(nornir, C9600_DUAL_SUP)

    # clock_zones gives PDT: no `show running-config | include ^clock`; a chassis lists its supervisors
    assert commands == ["show version", "show license all", "show inventory"]
    assert (state.hostname, state.chassis_pid) == ("intrepid-2", "C9606R")
    assert state.udi is not None and (state.udi.pid, state.udi.serial) == ("C9407R", "FXS2119Q2U7")
    [supervisor] = state.members.values()  # one chassis UDI, both roles
    assert (supervisor.serial, supervisor.roles) == ("FXS2119Q2U7", [Role.ACTIVE, Role.STANDBY])
    assert supervisor.slac_status is SlacStatus.NOT_INSTALLED
    assert supervisor.trust_code_installed_on == dt.datetime(2023, 11, 22, 11, 34, 47, tzinfo=PDT)
    assert state.agent_version == "5.11.2_rel/6"
    assert state.account is not None
    assert (state.account.smart_account, state.account.virtual_account) == (
        "BU Production Test",
        "Cat9K-FranklinDT",
    )
    assert state.transport is not None and state.transport.type is TransportType.SMART
    assert state.transport.proxy is not None
    assert (state.transport.proxy.address, state.transport.proxy.port) == ("173.36.224.109", 80)
    assert state.policy is not None and state.policy.name == "SLE Policy"
    assert state.last_ack_received == dt.datetime(2023, 12, 18, 18, 5, 11, tzinfo=UTC)
    assert state.next_ack_deadline == dt.datetime(2024, 2, 16, 18, 5, 11, tzinfo=UTC)
    assert state.usage == []  # this capture has no License Usage section
    # FakeNOS's own `show inventory` (a 3640 router's) names no Catalyst supervisor
    assert state.supervisor_pids == []
    assert state.unparsed == {}


@pytest.mark.parametrize(
    ("switch", "sent"),
    [
        # a date zone nobody mapped: catlic asks the device for its clock configuration
        (C9600_ZONES_UNKNOWN, ["show version", "show license all", "show running-config | include ^clock"]),
        # no capture of `show license all` from a 17.3 box
        (C9500_NO_LICENSE_ALL, ["show version", "show license all"]),
    ],
    ids=lambda value: value.name if isinstance(value, FakeSwitch) else None,
)
def test_a_refused_command_fails_the_host_naming_it_with_the_devices_words(
    nornir: Nornir, switch: FakeSwitch, sent: list[str]
) -> None:
    multi = read(nornir, switch)

    assert multi.failed
    error = multi[0].exception
    assert isinstance(error, DeviceCommandError)
    assert (error.host, error.command, error.reply) == (switch.name, sent[-1], INVALID_INPUT)
    assert commands_sent(multi) == sent
    assert [result.failed for result in multi[1:]] == [False] * (len(sent) - 1) + [True]


def test_a_prompt_arriving_late_after_the_session_set_up_is_not_taken_for_the_next_reply(
    nornir: Nornir,
) -> None:
    # c9300-busy answers netmiko's `terminal length 0` late: its prompts arrive once catlic has started
    # typing. Each read is a new session.
    expected = offline_state(C9300_STACK).model_copy(update={"host": C9300_BUSY.name})
    for _ in range(2):  # without the fix, nine sessions in ten read the late prompt
        assert state_of(nornir, C9300_BUSY) == expected


# --- catlic_audit --------------------------------------------------------------------------------------


def audit_of(nornir: Nornir, switch: FakeSwitch, now: dt.datetime, warn_days: int = 30) -> DeviceAudit:
    multi = read(nornir, switch, task=catlic_audit, now=now, warn_days=warn_days)
    assert not multi.failed, multi[0].exception
    audit = multi[0].result
    assert isinstance(audit, DeviceAudit)
    return audit


@pytest.mark.parametrize(
    ("switch", "now", "expected"),
    [
        (C9300_STACK, dt.datetime(2022, 1, 20, tzinfo=UTC), ("ACK_DEADLINE_NEAR", "is in 18 day(s)")),
        (C9300_STACK, dt.datetime(2022, 2, 7, 10, 33, tzinfo=UTC), ("ACK_DEADLINE_PASSED", "has passed")),
        # PDT 11:05:11 is 18:05:11 UTC: five minutes before it the deadline is near, not passed
        (
            C9600_DUAL_SUP,
            dt.datetime(2024, 2, 16, 18, 0, tzinfo=UTC),
            ("ACK_DEADLINE_NEAR", "is in 0 day(s)"),
        ),
        (C9600_DUAL_SUP, dt.datetime(2024, 2, 16, 18, 6, tzinfo=UTC), ("ACK_DEADLINE_PASSED", "has passed")),
    ],
    ids=["stack-near", "stack-passed", "chassis-near-in-utc", "chassis-passed"],
)
def test_the_audit_judges_the_captures_ack_deadline(
    nornir: Nornir, switch: FakeSwitch, now: dt.datetime, expected: tuple[str, str]
) -> None:
    audit = audit_of(nornir, switch, now)

    code, words = expected
    [finding] = audit.findings
    assert (finding.code, finding.subject) == (code, switch.name)
    assert words in finding.message
    assert audit.worst is (Severity.ERROR if code == "ACK_DEADLINE_PASSED" else Severity.WARNING)


def test_an_ack_deadline_far_enough_away_leaves_nothing_to_report(nornir: Nornir) -> None:
    audit = audit_of(nornir, C9600_DUAL_SUP, dt.datetime(2024, 1, 1, tzinfo=UTC))

    assert audit.findings == [] and audit.worst is None
    assert audit.state.next_ack_deadline == dt.datetime(2024, 2, 16, 18, 5, 11, tzinfo=UTC)


def test_the_fleet_audit_counts_findings_and_names_the_hosts_that_could_not_be_read(nornir: Nornir) -> None:
    now = dt.datetime(2023, 6, 1, tzinfo=UTC)  # the stack's deadline passed, the chassis's far ahead
    fleet = summarize_audit(nornir.run(task=closing_session(catlic_audit), now=now))

    assert fleet.hosts_total == 5
    assert fleet.hosts_audited == [C9300_BUSY.name, C9300_STACK.name, C9600_DUAL_SUP.name]
    refused = {
        C9500_NO_LICENSE_ALL.name: "show license all",
        C9600_ZONES_UNKNOWN.name: "show running-config | include ^clock",
    }
    assert fleet.hosts_failed == {
        name: f"{name}: {command!r} failed: {INVALID_INPUT}" for name, command in refused.items()
    }
    assert fleet.by_code == {"ACK_DEADLINE_PASSED": 2}
    assert fleet.hosts_by_worst[Severity.ERROR] == [C9300_BUSY.name, C9300_STACK.name]
    assert fleet.clean_hosts == [C9600_DUAL_SUP.name]
