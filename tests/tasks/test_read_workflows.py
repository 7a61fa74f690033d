"""The read-side workflows end to end over real SSH against the lab's guide topology.

Each test starts the topology afresh (a lab starts in a fraction of a second): a test that plugs a member,
reloads or switches over changes no other test's device, so the tests pass in any order.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.task import Result, Task

from nornir_catlic.domain import AddOn, BaseLicense, BootLevel, ProductFamily, Redundancy
from nornir_catlic.errors import PrerequisiteError
from nornir_catlic.journal import Journal
from nornir_catlic.models.common import Role
from nornir_catlic.models.license import SlacStatus, TransportType, UsageStatus
from nornir_catlic.models.platform import MemberState
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.findings import Severity
from nornir_catlic.tasks import (
    DeviceAudit,
    HseckCheck,
    catlic_audit,
    catlic_check_hseck9,
    catlic_get_license_state,
    catlic_set_boot_level,
    summarize_audit,
)
from nornir_catlic.tasks.state import read_license_state
from nornir_catlic.transport import configure, run_exec, use_recommended_options, wait_until_reachable
from virtual_devices.lab import Lab, load_topology

DEFAULT_TOPOLOGY = Path(__file__).parents[2] / "virtual_devices" / "topologies" / "default.yaml"
NA_DA = BootLevel(base=BaseLicense.NETWORK_ADVANTAGE, addon=AddOn.DNA_ADVANTAGE)
NE_DE = BootLevel(base=BaseLicense.NETWORK_ESSENTIALS, addon=AddOn.DNA_ESSENTIALS)


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    topology = load_topology(DEFAULT_TOPOLOGY)
    topology["lab"]["reload_delay"] = 0.3
    svl = next(spec for spec in topology["devices"] if spec["name"] == "c9407r-svl")
    svl.update(slacs="active", crypto=True)  # the guide's Scenario 2: SLAC on the active chassis only
    with Lab.from_dict(topology, tmp_path / "lab") as running:
        yield running


@pytest.fixture
def nr(lab: Lab) -> Iterator[Nornir]:
    nornir = use_recommended_options(InitNornir(config_file=str(lab.nornir_config)))
    yield nornir
    nornir.close_connections()


def on(nr: Nornir, host: str, task: Any, **params: Any) -> Result:
    multi = nr.filter(name=host).run(task=task, on_failed=True, **params)[host]
    return multi[0]


def config_of(lab: Lab, host: str) -> tuple[list[str], list[str]]:
    device = lab.devices[host]
    return lab.call(lambda: (device.config.render(), device.startup.render()))


# --- catlic_get_license_state ----------------------------------------------------------------------


def test_the_guides_stack_reads_as_members_by_serial(nr: Nornir) -> None:
    result = on(nr, "c9300x-stack", catlic_get_license_state)
    assert not result.failed, result.result
    assert result.changed is False
    state = result.result
    assert isinstance(state, LicenseState)
    assert list(state.members) == ["FOC2519L8R7", "FOC2524L39P"]
    active, standby = state.members.values()
    assert (active.roles, active.pid, active.switch_number) == ([Role.ACTIVE], "C9300X-24HX", 1)
    assert (standby.roles, standby.pid, standby.switch_number) == ([Role.STANDBY], "C9300X-48HXN", 2)
    for member in (active, standby):
        assert member.slac_status is SlacStatus.INSTALLED
        assert member.confirmation_code is not None and len(member.confirmation_code) == 8
        assert member.trust_code_installed
    removed = [row for row in state.stack_members if row.switch == 3]
    assert removed and removed[0].state is MemberState.REMOVED
    assert state.hsec.usage_status is UsageStatus.IN_USE and state.hsec.authorized_count == 2
    assert state.boot_level.now == NA_DA and not state.boot_level.pending_reload
    assert state.transport is not None and state.transport.type is TransportType.SMART
    assert state.redundancy is Redundancy.STACK
    assert state.unparsed == {}


@pytest.mark.parametrize(
    ("host", "serials", "redundancy"),
    [
        ("c9407r-svl", ["FXS221500CT", "FXS221500BN"], Redundancy.STACKWISE_VIRTUAL),
        ("c9606r-dual-sup", ["FXS241201WP"], Redundancy.DUAL_SUPERVISOR),
        ("c9500x", ["FDO2530M0XY"], Redundancy.STANDALONE),
        ("c9200", ["JAE24380ABC"], Redundancy.STANDALONE),
    ],
)
def test_every_topology_of_the_guide_reads(
    nr: Nornir, host: str, serials: list[str], redundancy: Redundancy
) -> None:
    result = on(nr, host, catlic_get_license_state)
    assert not result.failed, result.result
    state = result.result
    assert list(state.members) == serials
    assert state.redundancy is redundancy
    assert state.active is not None and state.active.serial == serials[0]
    assert state.unparsed == {}


def test_the_dual_supervisor_chassis_has_both_roles_on_one_udi(nr: Nornir) -> None:
    state = on(nr, "c9606r-dual-sup", catlic_get_license_state).result
    assert state.members["FXS241201WP"].roles == [Role.ACTIVE, Role.STANDBY]


def test_the_state_takes_one_session_and_debug_sub_steps(nr: Nornir, lab: Lab) -> None:
    listener = lab.front.listeners["c9300x-stack"] if lab.front else None
    assert listener is not None

    def read_and_count(task: Task) -> int:
        read_license_state(task)
        read_license_state(task)
        return lab.call(lambda: len(listener.connections))

    multi = nr.filter(name="c9300x-stack").run(task=read_and_count)["c9300x-stack"]
    assert multi[0].result == 1
    steps = [r.name for r in multi[1:]]
    assert steps[:3] == ["show version", "show license all", "show switch detail"]
    assert all(r.severity_level == logging.DEBUG for r in multi[1:])


def test_a_standalone_skips_show_switch_detail(nr: Nornir) -> None:
    multi = nr.filter(name="c9500x").run(task=catlic_get_license_state)["c9500x"]
    assert [r.name for r in multi[1:]] == ["show version", "show license all"]


# --- catlic_check_hseck9 ---------------------------------------------------------------------------


def test_check_hseck9_on_a_platform_without_hseck9(nr: Nornir) -> None:
    check = on(nr, "c9200", catlic_check_hseck9).result
    assert isinstance(check, HseckCheck)
    assert not check.ready
    assert [f.code for f in check.findings] == ["HSEC_PLATFORM_UNSUPPORTED"]
    assert check.key_plan is None


def test_check_hseck9_on_the_keyed_stack_is_ready_with_a_key_per_udi(nr: Nornir) -> None:
    result = on(nr, "c9300x-stack", catlic_check_hseck9)
    check = result.result
    assert result.changed is False
    assert check.ready, check.findings
    assert check.crypto_configured is True
    assert check.key_plan is not None
    assert check.key_plan.recommended == ("PID:C9300X-24HX,SN:FOC2519L8R7", "PID:C9300X-48HXN,SN:FOC2524L39P")


def test_check_hseck9_names_catalyst_center_as_unsupported(nr: Nornir) -> None:
    from nornir_catlic.domain import ConnectionMode

    check = on(nr, "c9500x", catlic_check_hseck9, connection=ConnectionMode.CONTROLLER).result
    assert "HSEC_VIA_CONTROLLER" in [f.code for f in check.findings]
    assert not check.ready


# --- catlic_set_boot_level -------------------------------------------------------------------------


def test_boot_level_refuses_combinations_the_guide_does_not_permit(nr: Nornir) -> None:
    multi = nr.filter(name="c9500x").run(
        task=catlic_set_boot_level, base="network-essentials", addon="dna-advantage", on_failed=True
    )["c9500x"]
    assert isinstance(multi[0].exception, PrerequisiteError)
    assert len(multi) == 1  # refused before a single command was sent

    multi = nr.filter(name="c9500x").run(
        task=catlic_set_boot_level, base="network-advantage", addon="dna-essentials", on_failed=True
    )["c9500x"]
    assert isinstance(multi[0].exception, PrerequisiteError)
    assert "renewal" in str(multi[0].exception)


def test_boot_level_already_configured_is_a_no_op(nr: Nornir, lab: Lab) -> None:
    before = config_of(lab, "c9200")
    result = on(nr, "c9200", catlic_set_boot_level, base="network-essentials", addon="dna-essentials")
    assert not result.failed, result.result
    assert result.changed is False
    assert result.result.commands == [] and result.diff == ""
    assert config_of(lab, "c9200") == before


def test_boot_level_dry_run_lists_the_commands_and_touches_nothing(nr: Nornir, lab: Lab) -> None:
    before = config_of(lab, "c9500x")
    result = on(
        nr,
        "c9500x",
        catlic_set_boot_level,
        base="network-advantage",
        addon="dna-essentials",
        renewal=True,
        reload=True,
        dry_run=True,
    )
    assert not result.failed, result.result
    assert result.changed is True
    expected = [
        "configure terminal",
        "license boot level network-advantage addon dna-essentials",
        "end",
        "copy running-config startup-config",
        "reload",
    ]
    assert result.result.commands == expected
    assert [line for line in result.diff.splitlines() if not line.startswith("!")] == expected
    assert config_of(lab, "c9500x") == before


def test_global_dry_run_holds(lab: Lab) -> None:
    nornir = use_recommended_options(InitNornir(config_file=str(lab.nornir_config), dry_run=True))
    before = config_of(lab, "c9500x")
    result = on(nornir, "c9500x", catlic_set_boot_level, base="network-essentials")
    nornir.close_connections()
    assert result.changed and result.result.dry_run
    assert config_of(lab, "c9500x") == before


def test_boot_level_example_of_the_guide_save_then_reload(nr: Nornir, lab: Lab) -> None:
    # Step 3-6: configure and save; show version's Next reboot column shows the new level.
    saved = on(nr, "c9200", catlic_set_boot_level, base="network-advantage", addon="dna-advantage")
    assert not saved.failed, saved.result
    assert saved.changed is True
    change = saved.result
    assert (change.running, change.next_reload, change.pending_reload) == (NE_DE, NA_DA, True)
    assert "license boot level network-advantage addon dna-advantage" in config_of(lab, "c9200")[1]

    again = on(nr, "c9200", catlic_set_boot_level, base="network-advantage", addon="dna-advantage")
    assert again.changed is False and again.result.pending_reload

    pending = on(nr, "c9200", catlic_audit).result
    assert "BOOT_LEVEL_PENDING_RELOAD" in pending.codes()

    # Step 7-8: reload, wait for the switch, and verify through show version.
    reloaded = on(
        nr, "c9200", catlic_set_boot_level, base="network-advantage", addon="dna-advantage", reload=True
    )
    assert not reloaded.failed, reloaded.result
    assert reloaded.changed is True
    assert reloaded.result.commands == ["reload"]
    assert (reloaded.result.reloaded, reloaded.result.running, reloaded.result.pending_reload) == (
        True,
        NA_DA,
        False,
    )

    settled = on(
        nr, "c9200", catlic_set_boot_level, base="network-advantage", addon="dna-advantage", reload=True
    )
    assert settled.changed is False


# --- catlic_audit ------------------------------------------------------------------------------------


def test_fleet_audit_summary(nr: Nornir) -> None:
    results = nr.run(task=catlic_audit)
    fleet = summarize_audit(results)
    assert fleet.hosts_failed == {}
    assert sorted(fleet.hosts_audited) == sorted(nr.inventory.hosts)
    assert fleet.hosts_total == len(nr.inventory.hosts)
    assert set(fleet.by_severity) == set(Severity)
    assert sum(fleet.by_severity.values()) == sum(len(d.findings) for d in fleet.devices.values())
    for device in fleet.devices.values():
        assert isinstance(device, DeviceAudit)
        assert device.findings == sorted(device.findings, key=lambda f: -f.severity.rank)


def test_audit_flags_a_passed_ack_deadline_by_the_devices_own_deadline(nr: Nornir) -> None:
    state = on(nr, "c9300x-stack", catlic_get_license_state).result
    deadline = state.next_ack_deadline
    assert deadline is not None
    near = on(nr, "c9300x-stack", catlic_audit, now=deadline - dt.timedelta(days=3), warn_days=30).result
    assert "ACK_DEADLINE_NEAR" in near.codes()
    passed = on(nr, "c9300x-stack", catlic_audit, now=deadline + dt.timedelta(days=1)).result
    assert "ACK_DEADLINE_PASSED" in passed.codes()
    assert passed.worst in (Severity.ERROR, Severity.CRITICAL)


def test_a_host_that_cannot_be_audited_is_listed_with_the_reason(nr: Nornir, lab: Lab) -> None:
    lab.set_faults("c9500x", drop_on_command="show license all")
    try:
        pair = nr.filter(filter_func=lambda host: host.name in ("c9500x", "c9200"))
        fleet = summarize_audit(pair.run(task=catlic_audit))
    finally:
        lab.clear_faults("c9500x")
    assert list(fleet.hosts_failed) == ["c9500x"]
    assert "'show license all' failed: the SSH session closed" in fleet.hosts_failed["c9500x"]
    assert fleet.hosts_audited == ["c9200"]


def test_svl_with_a_slac_on_the_active_only_warns_of_the_switchover(nr: Nornir) -> None:
    result = on(nr, "c9407r-svl", catlic_audit)
    audit = result.result
    standby = [f for f in audit.findings if f.code == "STANDBY_NOT_AUTHORIZED"]
    assert [f.subject for f in standby] == ["PID:C9407R,SN:FXS221500BN"]
    assert "return the SLAC on the active" in standby[0].remedy
    assert result.severity_level == logging.WARNING


def test_a_chassis_reads_its_supervisors_from_show_inventory(nr: Nornir) -> None:
    multi = nr.filter(name="c9606r-dual-sup").run(task=catlic_get_license_state)["c9606r-dual-sup"]
    assert [r.name for r in multi[1:]] == ["show version", "show license all", "show inventory"]
    state = multi[0].result
    assert state.supervisor_pids == ["C9600X-SUP-2", "C9600X-SUP-2"]
    assert state.family is ProductFamily.C9600_SUP2


def test_host_data_overrides_the_supervisors(lab: Lab) -> None:
    nornir = use_recommended_options(InitNornir(config_file=str(lab.nornir_config)))
    nornir.inventory.hosts["c9407r-svl"].data["supervisor_pids"] = ["C9400-SUP-1"]
    check = on(nornir, "c9407r-svl", catlic_check_hseck9).result
    nornir.close_connections()
    assert [f.code for f in check.findings] == ["HSEC_PLATFORM_UNSUPPORTED"]


def test_guide_stack_member_added_without_slac(nr: Nornir, lab: Lab) -> None:
    """Guide: "Adding a Member to a Stack Where HSECK9 Keys are in Use", step 2 (switch 3 joins)."""
    assert lab.plug("c9300x-stack", "FOC2516LC92")["joined"]
    state = on(nr, "c9300x-stack", catlic_get_license_state).result
    assert list(state.members) == ["FOC2519L8R7", "FOC2524L39P", "FOC2516LC92"]
    member = state.members["FOC2516LC92"]
    assert (member.roles, member.switch_number, member.stack_state) == ([Role.MEMBER], 3, MemberState.READY)
    assert member.slac_status is SlacStatus.NOT_INSTALLED and member.trust_code_installed
    audit = on(nr, "c9300x-stack", catlic_audit).result
    without = [f for f in audit.findings if f.code == "MEMBER_WITHOUT_SLAC"]
    assert [f.subject for f in without] == ["PID:C9300X-48HX,SN:FOC2516LC92"]
    assert "license smart authorization request replace hseck9 all" in without[0].remedy


def test_crypto_configured_before_the_slac_is_an_order_error(nr: Nornir) -> None:
    """Guide, prerequisites: "First install SLAC on the device, and only then configure the cryptographic
    feature. If not, you will have to reconfigure the cryptographic feature after installing SLAC." The
    standalone C9300X has no SLAC: the device refuses the IPsec line, and its log says so."""

    def configure_ipsec(task: Task) -> str:
        return configure(task, ["interface tu10", "tunnel mode ipsec ipv4"])

    assert not on(nr, "c9300x-standalone", configure_ipsec).failed
    check = on(nr, "c9300x-standalone", catlic_check_hseck9).result
    assert check.crypto is not None
    assert check.crypto.in_running_config is False  # refused...
    assert [e.mnemonic for e in check.crypto.rejected] == ["INVALID_HSEC"]  # ...and logged
    assert check.crypto_configured is True
    order = [f for f in check.findings if f.code == "CRYPTO_BEFORE_SLAC"]
    assert order and order[0].severity is Severity.ERROR
    assert not check.ready
    audit = on(nr, "c9300x-standalone", catlic_audit).result
    assert "CRYPTO_BEFORE_SLAC" in audit.codes()


def test_switchover_to_a_standby_without_slac_is_found_in_the_log(nr: Nornir) -> None:
    """Guide, StackWise Virtual Scenario 2: the standby has no HSECK9 key and a switchover occurs; the new
    active says `%PLATFORM_IPSEC_HSEC-3-UNAUTHORIZED_HSEC` and the device reloads."""

    def switchover(task: Task) -> str:
        reply = run_exec(task, "redundancy force-switchover", expect_disconnect=True)
        wait_until_reachable(task, timeout=30, poll_interval=0.1)
        return reply

    assert not on(nr, "c9407r-svl", switchover).failed
    audit = on(nr, "c9407r-svl", catlic_audit).result
    lost = [f for f in audit.findings if f.code == "SWITCHOVER_WITHOUT_HSEC"]
    assert lost and lost[0].severity is Severity.ERROR
    assert "HSEC unauthorized" in lost[0].message


def test_a_slac_the_journal_remembers_but_the_chassis_lost(nr: Nornir, tmp_path: Path) -> None:
    """Guide, hardware replacement: both supervisors replaced at once take the SLAC with them."""
    chassis = "PID:C9606R,SN:FXS241201WP"
    with Journal(tmp_path / "journal.jsonl") as journal:
        journal.record_slac_installed("c9606r-dual-sup", "install_slac", chassis, "7cf1f54a")
        check = on(nr, "c9606r-dual-sup", catlic_check_hseck9, journal=journal).result
    lost = [f for f in check.findings if f.code == "SLAC_LOST"]
    assert [f.subject for f in lost] == [chassis]
    assert "install SLAC again" in lost[0].remedy
