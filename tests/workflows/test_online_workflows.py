"""The guide's online workflows end to end over real SSH against one lab: SLAC install on the C9300X stack,
StackWise Virtual and dual supervisor, ERROR_ALL_COUNTS_IN_USE and its remedy, both stack-add examples,
switchover with and without the standby's SLAC, online return with forced release, usage reporting.

Each test starts a lab of its own (a fresh SSM pool, clock and journal) and builds the state its step of the
story needs: a test that continues the guide's story (a second run, the remedy after a failure) first runs the
steps before it, so the tests pass in any order.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from nornir.core import Nornir
from nornir.core.task import Result, Task
from raw_files import files_holding

from nornir_catlic import transport
from nornir_catlic.errors import PrerequisiteError, WorkflowFailed, WouldFail
from nornir_catlic.journal import Journal
from nornir_catlic.models.common import Role
from nornir_catlic.models.state import LicenseState
from nornir_catlic.tasks.release import HsecRelease, catlic_release_hsec
from nornir_catlic.tasks.reporting import WORKFLOW as USAGE_WORKFLOW
from nornir_catlic.tasks.reporting import UsageReport, catlic_report_usage
from nornir_catlic.tasks.slac import (
    WORKFLOW_INSTALL,
    WORKFLOW_RETURN,
    SlacInstall,
    SlacReturn,
    catlic_install_slac,
    catlic_return_slac,
)
from nornir_catlic.tasks.stack import StackAddition, catlic_add_stack_member
from nornir_catlic.tasks.state import catlic_get_license_state
from virtual_devices.lab import Lab

from .labkit import (
    GUIDE_MEMBER_3,
    GUIDE_STACK,
    REMOVED_3,
    SUPERVISORS_C9400,
    SUPERVISORS_C9600,
    c9300x_stack,
    device_codes,
    device_snapshot,
    issued,
    last_event_id,
    logged,
    nornir_for,
    run_one,
    running_lab,
    udi,
)

SVL_CT, SVL_BN = udi("C9407R", "FXS221500CT"), udi("C9407R", "FXS221500BN")
GUIDE_ACTIVE, GUIDE_STANDBY = udi("C9300X-24HX", "FOC2519L8R7"), udi("C9300X-48HXN", "FOC2524L39P")
GUIDE_NEW_MEMBER = udi("C9300X-48HX", "FOC2516LC92")

DEVICES = [
    c9300x_stack(
        "stack",
        "FOCA0",
        spares=[{"number": 3, "pid": "C9300-48P", "serial": "FOC0000C930", "mac": "f87a.0000.0930"}],
    ),
    {
        "name": "stack-m1",
        "platform": "C9300X",
        "release": "17.6.2",
        "transport": "smart",
        "slacs": "all",
        "crypto": True,
        "members": [*GUIDE_STACK, REMOVED_3],
        "spares": [GUIDE_MEMBER_3],
    },
    {
        "name": "stack-m2",
        "platform": "C9300X",
        "release": "17.9.4",
        "transport": "smart",
        "slacs": "all",
        "crypto": True,
        "members": [
            {"number": 1, "pid": "C9300X-24HX", "serial": "FOCB001", "mac": "b08b.0000.0001", "priority": 15},
            {
                "number": 2,
                "pid": "C9300X-48HXN",
                "serial": "FOCB002",
                "mac": "b08b.0000.0002",
                "priority": 14,
            },
            {"number": 3, "pid": "C9300X-48HX", "serial": "FOCB003", "priority": 0, "state": "Removed"},
        ],
    },
    {
        "name": "standalone-b",
        "platform": "C9300X",
        "release": "17.9.4",
        "transport": "smart",
        "members": [
            {
                "number": 1,
                "pid": "C9300X-24HX",
                "serial": "FOCB001",
                "priority": 0,
                "hw": "",
                "state": "Provisioned",
            },
            {
                "number": 2,
                "pid": "C9300X-48HXN",
                "serial": "FOCB002",
                "priority": 0,
                "hw": "",
                "state": "Provisioned",
            },
            {"number": 3, "pid": "C9300X-48HX", "serial": "FOCB003", "mac": "f87a.0000.0003", "priority": 1},
        ],
    },
    {
        "name": "svl",
        "platform": "C9400",
        "svl": True,
        "release": "17.11.1",
        "transport": "smart",
        "members": [
            {
                "number": 1,
                "pid": "C9407R",
                "serial": "FXS221500CT",
                "priority": 15,
                "supervisor": "C9400X-SUP-2",
            },
            {
                "number": 2,
                "pid": "C9407R",
                "serial": "FXS221500BN",
                "priority": 14,
                "supervisor": "C9400X-SUP-2",
            },
        ],
    },
    {
        "name": "svl-b",
        "platform": "C9400",
        "svl": True,
        "release": "17.11.1",
        "transport": "smart",
        "slacs": "active",
        "crypto": True,
        "members": [
            {
                "number": 1,
                "pid": "C9407R",
                "serial": "FXS0000SVB1",
                "priority": 15,
                "supervisor": "C9400X-SUP-2",
            },
            {
                "number": 2,
                "pid": "C9407R",
                "serial": "FXS0000SVB2",
                "priority": 14,
                "supervisor": "C9400X-SUP-2",
            },
        ],
    },
    {
        "name": "dual-sup",
        "platform": "C9600",
        "release": "17.8.1",
        "transport": "smart",
        "chassis": {"pid": "C9606R", "serial": "FXS241201WP"},
        "supervisors": [
            {"slot": 3, "pid": "C9600X-SUP-2", "serial": "CAT2411L0AB"},
            {"slot": 4, "pid": "C9600X-SUP-2", "serial": "CAT2411L0CD"},
        ],
    },
    {
        "name": "c9500x",
        "platform": "C9500X",
        "release": "17.8.1",
        "transport": "smart",
        "slacs": "all",
        "crypto": True,
        "hsec_release_required": True,
        "members": [{"number": 1, "pid": "C9500X-28C8D", "serial": "FDO2530M0XY", "priority": 1}],
    },
    c9300x_stack("ipsec-1", "FOCR0", members=1, slacs="all", crypto=True, hsec_release_required=True),
    c9300x_stack("flaky", "FOCF0"),
    c9300x_stack("rehearsal", "FOCE0", members=3),
    {
        "name": "c9200",
        "platform": "C9200",
        "release": "17.9.4",
        "transport": "smart",
        "boot_level": "network-essentials addon dna-essentials",
        "members": [{"number": 1, "pid": "C9200-48P", "serial": "JAE24380ABC", "priority": 1}],
    },
]
SUPERVISORS = {"svl": SUPERVISORS_C9400, "svl-b": SUPERVISORS_C9400, "dual-sup": SUPERVISORS_C9600}


@pytest.fixture
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with running_lab(tmp_path_factory.mktemp("online-lab"), DEVICES) as running:
        yield running


@pytest.fixture
def nr(lab: Lab) -> Iterator[Nornir]:
    runner = nornir_for(lab, SUPERVISORS)
    yield runner
    runner.close_connections()


@pytest.fixture
def journal(tmp_path_factory: pytest.TempPathFactory) -> Journal:
    return Journal(tmp_path_factory.mktemp("journal") / "catlic.jsonl")


def configure_lines(task: Task, lines: list[str]) -> Result:
    return Result(host=task.host, result=transport.configure(task, lines))


def reachable(task: Task) -> Result:
    transport.wait_until_reachable(task, timeout=20, poll_interval=0.1)
    return Result(host=task.host)


def wait_back(nr: Nornir, name: str) -> None:
    """After a switchover the device reloads: wait until a new session reaches its prompt."""
    result = run_one(nr, name, reachable)
    assert not result.failed, result.exception


def state_of(nr: Nornir, host: str) -> LicenseState:
    result = run_one(nr, host, catlic_get_license_state)
    assert not result.failed, result.exception
    assert isinstance(result.result, LicenseState)
    return result.result


def installed(nr: Nornir, host: str, journal: Journal | None = None) -> SlacInstall:
    """The story so far: an online install that worked."""
    result = run_one(nr, host, catlic_install_slac, journal=journal)
    assert not result.failed, result.exception
    assert isinstance(result.result, SlacInstall)
    return result.result


def svl_install_with_one_key_left(lab: Lab, nr: Nornir, journal: Journal) -> Result:
    """The guide's failure: the virtual account holds one free key for the two chassis of the SVL."""
    ssm = lab.context.ssm
    ssm.set_pool("Eg-SA", "Eg-VA", "C9K HSEC", ssm.pools()[0].in_use + 1)
    return run_one(nr, "svl", catlic_install_slac, journal=journal)


# --- install on the C9300X stack ---------------------------------------------------------------------------


def test_dry_run_lists_the_exact_commands_and_touches_nothing(lab: Lab, nr: Nornir, journal: Journal) -> None:
    before = device_snapshot(lab, "stack")
    result = run_one(nr, "stack", catlic_install_slac, journal=journal, dry_run=True)
    assert not result.failed, result.exception
    assert result.changed
    planned = [line for line in result.diff.splitlines() if not line.startswith("!")]
    assert planned == ["license smart authorization request add hseck9 all", "license smart sync all"]
    assert device_snapshot(lab, "stack") == before
    assert journal.records("stack") == []


def test_online_install_on_the_stack_keys_every_member_once(lab: Lab, nr: Nornir, journal: Journal) -> None:
    since = last_event_id(lab)
    result = run_one(nr, "stack", catlic_install_slac, journal=journal)
    assert not result.failed, result.exception
    install = result.result
    assert isinstance(install, SlacInstall) and result.changed
    members = [udi("C9300X-24HX", "FOCA001"), udi("C9300X-48HXN", "FOCA002")]
    assert install.codes == device_codes(lab, "stack")
    assert sorted(install.codes) == sorted(members)
    assert install.commands == [
        "license smart authorization request add hseck9 all",
        "license smart sync all",
    ]
    assert journal.installed_codes("stack") == install.codes
    assert issued(lab, members, since) == {member: 1 for member in members}


def test_a_second_install_changes_nothing(lab: Lab, nr: Nornir, journal: Journal) -> None:
    installed(nr, "stack", journal)
    since = last_event_id(lab)
    result = run_one(nr, "stack", catlic_install_slac, journal=journal)
    assert not result.failed, result.exception
    assert not result.changed and result.result.requested == []
    assert result.result.codes == device_codes(lab, "stack")
    assert last_event_id(lab) == since


def test_the_global_dry_run_holds_for_every_write_workflow(lab: Lab, nr: Nornir, journal: Journal) -> None:
    before = device_snapshot(lab, "rehearsal")
    nr.data.dry_run = True
    try:
        install = run_one(nr, "rehearsal", catlic_install_slac, journal=journal)
        usage = run_one(nr, "rehearsal", catlic_report_usage, journal=journal)
        added = run_one(nr, "rehearsal", catlic_add_stack_member, member_serial="FOCE004")
    finally:
        nr.data.dry_run = False
    for result in (install, usage, added):
        assert not result.failed, result.exception
        assert result.changed
    assert "license smart authorization request add hseck9 all" in install.diff
    assert usage.diff.splitlines()[-1] == "license smart sync all"
    assert device_snapshot(lab, "rehearsal") == before and journal.records("rehearsal") == []


def test_usage_report_only_when_due_says_unchanged(lab: Lab, nr: Nornir) -> None:
    result = run_one(nr, "rehearsal", catlic_report_usage, if_due_within_days=7)
    assert not result.failed, result.exception
    assert not result.changed and result.result.nothing_to_report and not result.result.reported


def test_usage_report_online_installs_a_new_ack(lab: Lab, nr: Nornir, journal: Journal) -> None:
    lab.advance_clock(days=2)
    result = run_one(nr, "stack", catlic_report_usage, journal=journal)
    assert not result.failed, result.exception
    report = result.result
    assert isinstance(report, UsageReport) and report.reported
    assert report.last_ack_before is not None and report.last_ack_received is not None
    assert report.last_ack_received > report.last_ack_before
    assert report.next_ack_deadline is not None and report.next_ack_deadline > report.last_ack_received
    assert report.commands == ["license smart sync all"]


def test_a_platform_without_hseck9_is_refused_with_the_guides_reason(lab: Lab, nr: Nornir) -> None:
    before = device_snapshot(lab, "c9200")
    result = run_one(nr, "c9200", catlic_install_slac)
    assert result.failed and isinstance(result.exception, PrerequisiteError)
    assert "does not support the HSECK9 key" in str(result.exception)
    assert device_snapshot(lab, "c9200") == before


def test_ssm_unreachable_fails_with_comm_failed_and_a_later_run_syncs_instead_of_asking_again(
    lab: Lab, nr: Nornir, journal: Journal
) -> None:
    members = [udi("C9300X-24HX", "FOCF001"), udi("C9300X-48HXN", "FOCF002")]
    lab.set_faults("flaky", ssm_unreachable=True)
    since = last_event_id(lab)
    failed = run_one(nr, "flaky", catlic_install_slac, journal=journal, wait=1.0)
    assert failed.failed and isinstance(failed.exception, WorkflowFailed)
    assert "%SMART_LIC-3-COMM_FAILED" in failed.exception.device_words
    assert "run again" in failed.exception.remedy
    assert issued(lab, members, since) == {m: 0 for m in members}

    lab.clear_faults("flaky")
    result = run_one(nr, "flaky", catlic_install_slac, journal=journal)
    assert not result.failed, result.exception
    assert result.result.resumed and result.result.commands == ["license smart sync all"]
    assert result.result.codes == device_codes(lab, "flaky")
    assert issued(lab, members, since) == {m: 1 for m in members}


# --- the two stack-add examples ----------------------------------------------------------------------------


def test_a_non_c9300x_member_is_refused_before_anything_happens(lab: Lab, nr: Nornir) -> None:
    before = device_snapshot(lab, "stack-m1")
    result = run_one(
        nr, "stack-m1", catlic_add_stack_member, member_serial="FOC0000C930", member_pid="C9300-48P"
    )
    assert result.failed and isinstance(result.exception, PrerequisiteError)
    assert "mixed stacking is not supported" in str(result.exception)
    assert device_snapshot(lab, "stack-m1") == before


def test_a_switch_the_stack_refuses_ends_the_wait_with_the_stack_managers_words(lab: Lab, nr: Nornir) -> None:
    result = run_one(
        nr,
        "stack",
        catlic_add_stack_member,
        member_serial="FOC0000C930",
        join=lambda: lab.plug("stack", "FOC0000C930"),
        join_timeout=60,
    )
    assert result.failed and isinstance(result.exception, WorkflowFailed)
    assert "%STACKMGR-4-SWITCH_ADDED_INCOMPATIBLE" in result.exception.device_words
    assert "mixed stacking is not supported" in result.exception.remedy


def test_adding_a_member_then_replacing_all_keys(lab: Lab, nr: Nornir, journal: Journal) -> None:
    """Guide: "Example for C9300X: Adding a Member to a Stack Where HSECK9 Keys are in Use"."""
    old_codes = device_codes(lab, "stack-m1")
    assert sorted(old_codes) == sorted([GUIDE_ACTIVE, GUIDE_STANDBY])
    dry = run_one(nr, "stack-m1", catlic_add_stack_member, member_serial="FOC2516LC92", dry_run=True)
    assert "license smart authorization request replace hseck9 all" in dry.diff.splitlines()

    result = run_one(
        nr,
        "stack-m1",
        catlic_add_stack_member,
        member_serial="FOC2516LC92",
        member_pid="C9300X-48HX",
        join=lambda: lab.plug("stack-m1", "FOC2516LC92"),
        journal=journal,
    )
    assert not result.failed, result.exception
    added = result.result
    assert isinstance(added, StackAddition) and added.joined and added.member_udi == GUIDE_NEW_MEMBER
    assert added.install is not None
    assert added.install.commands[0] == "license smart authorization request replace hseck9 all"
    new_codes = device_codes(lab, "stack-m1")
    assert sorted(new_codes) == sorted([GUIDE_ACTIVE, GUIDE_STANDBY, GUIDE_NEW_MEMBER])
    assert added.install.codes == new_codes
    assert all(new_codes[u] != old_codes[u] for u in old_codes), "the existing members got new codes"
    assert "%SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS" in logged(lab, "stack-m1")
    state = state_of(nr, "stack-m1")
    assert state.hsec_in_use, "IPsec keeps running through the replace"
    again = run_one(nr, "stack-m1", catlic_add_stack_member, member_serial="FOC2516LC92", journal=journal)
    assert not again.failed and not again.changed and again.result.install.requested == []
    rehearsed = run_one(nr, "stack-m1", catlic_add_stack_member, member_serial="FOC2516LC92", dry_run=True)
    assert not rehearsed.failed and not rehearsed.changed


def test_standalone_first_then_join_keeps_its_slac(lab: Lab, nr: Nornir, journal: Journal) -> None:
    """Guide: "Example for C9300X: Requesting SLAC on a Standalone and Then Adding it to a Stack"."""
    refused = run_one(
        nr,
        "stack-m2",
        catlic_add_stack_member,
        member_serial="FOCB003",
        method="standalone-first",
        standalone=nr.inventory.hosts["standalone-b"],
    )
    assert refused.failed and isinstance(refused.exception, PrerequisiteError)
    assert "install it on the standalone first" in str(refused.exception)

    installed = run_one(nr, "standalone-b", catlic_install_slac, journal=journal)
    assert not installed.failed, installed.exception
    standalone_code = installed.result.codes[udi("C9300X-48HX", "FOCB003")]
    tunnel = run_one(
        nr, "standalone-b", configure_lines, lines=["interface Tunnel10", "tunnel mode ipsec ipv4"]
    )
    assert not tunnel.failed, tunnel.exception
    assert state_of(nr, "standalone-b").hsec_in_use

    since = last_event_id(lab)
    result = run_one(
        nr,
        "stack-m2",
        catlic_add_stack_member,
        member_serial="FOCB003",
        method="standalone-first",
        standalone=nr.inventory.hosts["standalone-b"],
        join=lambda: lab.merge("standalone-b", "stack-m2"),
        journal=journal,
    )
    assert not result.failed, result.exception
    added = result.result
    assert added.joined and added.retained and added.confirmation_code == standalone_code
    assert device_codes(lab, "stack-m2")[udi("C9300X-48HX", "FOCB003")] == standalone_code
    assert last_event_id(lab) == since, "no key was requested from SSM"
    assert "stack merge" in logged(lab, "standalone-b")


# --- StackWise Virtual: ERROR_ALL_COUNTS_IN_USE and the remedy; switchover ---------------------------------


def test_svl_with_too_few_keys_fails_with_the_devices_words_and_the_remedy(
    lab: Lab, nr: Nornir, journal: Journal
) -> None:
    """Guide: "Example: SLAC Installation Failure Because of an Insufficient Number of HSECK9 Keys"."""
    ssm = lab.context.ssm
    result = svl_install_with_one_key_left(lab, nr, journal)
    assert result.failed and isinstance(result.exception, WorkflowFailed)
    failure = result.exception
    assert failure.message_code == "ERROR_ALL_COUNTS_IN_USE"
    assert "AUTHORIZATION_INSTALL_FAILED" in failure.device_words and SVL_BN in failure.device_words
    assert "return the SLAC on the active" in failure.remedy
    assert list(device_codes(lab, "svl")) == [SVL_CT]
    assert journal.installed_codes("svl") == device_codes(lab, "svl")
    assert ssm.pools()[0].available == 0


def test_svl_remedy_returns_the_actives_slac_then_requests_for_all(
    lab: Lab, nr: Nornir, journal: Journal
) -> None:
    failed = svl_install_with_one_key_left(lab, nr, journal)
    assert failed.failed and list(device_codes(lab, "svl")) == [SVL_CT], "only the active got a key"
    ssm = lab.context.ssm
    ssm.set_pool("Eg-SA", "Eg-VA", "C9K HSEC", 50)
    active_code = device_codes(lab, "svl")[SVL_CT]
    dry = run_one(nr, "svl", catlic_install_slac, journal=journal, dry_run=True)
    commands = [line for line in dry.diff.splitlines() if not line.startswith("!")]
    assert commands == [
        "license smart authorization return local online",
        "license smart authorization request add hseck9 all",
        "license smart sync all",
    ]
    result = run_one(nr, "svl", catlic_install_slac, journal=journal)
    assert not result.failed, result.exception
    install = result.result
    assert list(install.returned) == [SVL_CT] and SVL_CT in journal.return_codes("svl")
    assert sorted(install.codes) == sorted([SVL_CT, SVL_BN]) == sorted(device_codes(lab, "svl"))
    assert install.codes[SVL_CT] != active_code
    assert install.codes[SVL_CT] != install.codes[SVL_BN], "each chassis UDI has its own SLAC"
    assert all(p.in_use <= p.total for p in ssm.pools())


def test_switchover_with_the_standbys_slac_keeps_ipsec(lab: Lab, nr: Nornir) -> None:
    assert sorted(installed(nr, "svl").codes) == sorted([SVL_CT, SVL_BN])
    tunnel = run_one(nr, "svl", configure_lines, lines=["interface Tunnel10", "tunnel mode ipsec ipv4"])
    assert not tunnel.failed, tunnel.exception
    lab.call(lab.devices["svl"].switchover)
    wait_back(nr, "svl")
    state = state_of(nr, "svl")
    assert state.active is not None and str(state.active.udi) == SVL_BN
    assert state.hsec_in_use
    assert "UNAUTHORIZED_HSEC" not in logged(lab, "svl")


def test_switchover_without_the_standbys_slac_reloads_and_the_install_recovers(
    lab: Lab, nr: Nornir, journal: Journal
) -> None:
    """Guide, StackWise Virtual scenario 2: the standby without a key becomes active, the system reloads and
    the next active (the one holding the key, by priority) applies IPsec again."""
    keyed, standby = udi("C9407R", "FXS0000SVB1"), udi("C9407R", "FXS0000SVB2")
    assert list(device_codes(lab, "svl-b")) == [keyed]
    lab.call(lab.devices["svl-b"].switchover)
    wait_back(nr, "svl-b")
    assert "%PLATFORM_IPSEC_HSEC-3-UNAUTHORIZED_HSEC" in logged(lab, "svl-b")
    state = state_of(nr, "svl-b")
    assert state.active is not None and str(state.active.udi) == keyed and state.hsec_in_use

    refused = run_one(nr, "svl-b", catlic_install_slac, journal=journal)
    assert refused.failed and isinstance(refused.exception, WorkflowFailed)
    assert "return the SLAC on the active" in str(refused.exception)
    assert "disable or unconfigure the cryptographic feature" in refused.exception.remedy
    assert list(device_codes(lab, "svl-b")) == [keyed], "nothing was returned while IPsec runs"

    off = run_one(nr, "svl-b", configure_lines, lines=["interface Tunnel10", "no tunnel mode ipsec ipv4"])
    assert not off.failed, off.exception
    result = run_one(nr, "svl-b", catlic_install_slac, journal=journal)
    assert not result.failed, result.exception
    install = result.result
    assert list(install.returned) == [keyed], "the active's SLAC went back first"
    assert sorted(install.codes) == sorted([keyed, standby]) == sorted(device_codes(lab, "svl-b"))


# --- dual supervisor ---------------------------------------------------------------------------------------


def test_dual_supervisor_needs_one_key_for_the_chassis(lab: Lab, nr: Nornir, journal: Journal) -> None:
    chassis = udi("C9606R", "FXS241201WP")
    since = last_event_id(lab)
    result = run_one(nr, "dual-sup", catlic_install_slac, journal=journal)
    assert not result.failed, result.exception
    assert result.result.codes == device_codes(lab, "dual-sup") and list(result.result.codes) == [chassis]
    assert issued(lab, [chassis], since) == {chassis: 1}
    member = state_of(nr, "dual-sup").members["FXS241201WP"]
    assert member.roles == [Role.ACTIVE, Role.STANDBY]
    assert member.confirmation_code == result.result.codes[chassis]


def test_dual_supervisor_switchover_never_interrupts_the_key(lab: Lab, nr: Nornir) -> None:
    """Guide: the key is tied to the chassis UDI, so a supervisor switchover keeps WAN MACsec running."""
    installed(nr, "dual-sup")
    macsec = run_one(
        nr, "dual-sup", configure_lines, lines=["interface HundredGigE1/0/1", "macsec network-link"]
    )
    assert not macsec.failed, macsec.exception
    assert state_of(nr, "dual-sup").hsec_in_use
    lab.call(lab.devices["dual-sup"].switchover)
    wait_back(nr, "dual-sup")
    assert state_of(nr, "dual-sup").hsec_in_use
    assert "UNAUTHORIZED_HSEC" not in logged(lab, "dual-sup")


# --- forced release and online return ----------------------------------------------------------------------


def test_forced_release_plan_refusal_and_release(lab: Lab, nr: Nornir) -> None:
    # IPsec still configured: the dry run predicts the refusal, and the real run refuses before sending.
    before = device_snapshot(lab, "ipsec-1")
    dry = run_one(nr, "ipsec-1", catlic_release_hsec, dry_run=True)
    assert dry.failed and isinstance(dry.exception, WouldFail), dry.result
    assert "would fail: the HSECK9 key would stay IN USE" in str(dry.exception)
    still = run_one(nr, "ipsec-1", catlic_release_hsec)
    assert still.failed and isinstance(still.exception, WorkflowFailed)
    assert "unconfigure the cryptographic feature" in still.exception.remedy
    assert "tunnel mode ipsec" in still.exception.device_words
    assert device_snapshot(lab, "ipsec-1") == before
    sent = [
        r.name for r in nr.filter(name="ipsec-1").run(task=catlic_release_hsec, on_failed=True)["ipsec-1"]
    ]
    assert not any("hsec-license-release" in str(name) for name in sent), f"nothing is sent: {sent}"

    off = run_one(nr, "ipsec-1", configure_lines, lines=["interface Tunnel10", "no tunnel mode ipsec ipv4"])
    assert not off.failed, off.exception
    assert state_of(nr, "ipsec-1").hsec_in_use, "the key stays IN USE until released"
    planned = run_one(nr, "ipsec-1", catlic_release_hsec, dry_run=True)
    assert not planned.failed, planned.exception
    assert planned.diff.splitlines()[1:] == ["configure terminal", "platform hsec-license-release", "end"]
    released = run_one(nr, "ipsec-1", catlic_release_hsec)
    assert not released.failed, released.exception
    assert isinstance(released.result, HsecRelease) and released.result.released
    assert released.result.device_reply.strip() == "HSEC license is released"
    assert not state_of(nr, "ipsec-1").hsec_in_use
    again = run_one(nr, "ipsec-1", catlic_release_hsec)
    assert not again.failed and not again.changed


def test_online_return_refuses_a_key_in_use_then_releases_it_when_asked(
    lab: Lab, nr: Nornir, journal: Journal
) -> None:
    off = run_one(
        nr, "c9500x", configure_lines, lines=["interface HundredGigE1/0/1", "no macsec network-link"]
    )
    assert not off.failed, off.exception
    before = device_snapshot(lab, "c9500x")
    dry = run_one(nr, "c9500x", catlic_return_slac, journal=journal, force_release=True, dry_run=True)
    assert not dry.failed, dry.exception
    assert [line for line in dry.diff.splitlines() if not line.startswith("!")] == [
        "configure terminal",
        "platform wanmacsec hsec-license-release",
        "end",
        "license smart authorization return all online",
        "license smart sync all",
    ]
    assert device_snapshot(lab, "c9500x") == before and journal.records("c9500x") == []
    refused = run_one(nr, "c9500x", catlic_return_slac, journal=journal)
    assert refused.failed and isinstance(refused.exception, PrerequisiteError)
    assert "platform wanmacsec hsec-license-release" in str(refused.exception)

    result = run_one(nr, "c9500x", catlic_return_slac, journal=journal, force_release=True)
    assert not result.failed, result.exception
    returned = result.result
    chassis = udi("C9500X-28C8D", "FDO2530M0XY")
    assert isinstance(returned, SlacReturn) and returned.released
    assert returned.commands[:3] == [
        "configure terminal",
        "platform wanmacsec hsec-license-release",
        "end",
    ]
    assert returned.return_codes[chassis] == journal.return_codes("c9500x")[chassis]
    assert returned.acknowledged == [chassis] and journal.unacknowledged_returns("c9500x") == {}
    assert device_codes(lab, "c9500x") == {}
    assert not any(r["udi"] == chassis for r in lab.context.ssm.reservations()), "SSM has the key back"
    again = run_one(nr, "c9500x", catlic_return_slac, journal=journal)
    assert not again.failed and not again.changed


def test_every_step_is_in_the_journal_without_secrets(lab: Lab, nr: Nornir, journal: Journal) -> None:
    """A stack's whole life in one journal: install, a usage report, then the return of its keys."""
    codes = installed(nr, "stack", journal).codes
    lab.advance_clock(days=2)
    usage = run_one(nr, "stack", catlic_report_usage, journal=journal)
    returned = run_one(nr, "stack", catlic_return_slac, journal=journal)
    assert not usage.failed and not returned.failed, usage.exception or returned.exception
    workflows = {record.workflow for record in journal.records("stack")}
    assert workflows == {WORKFLOW_INSTALL, USAGE_WORKFLOW, WORKFLOW_RETURN}
    assert sorted(journal.return_codes("stack")) == sorted(codes)
    exported = io.StringIO()
    journal.export(exported)
    stored = sorted(journal.path.parent.glob(f"{journal.path.name}*"))  # with -wal
    secrets = [lab.credentials["password"], lab.credentials["secret"]]
    assert not any(secret in exported.getvalue() for secret in secrets)
    assert files_holding(secrets, stored) == []
    assert journal.problems == []
