"""Air-gapped workflows through the portal, and resuming after a dropped session or a killed process, over
real SSH against one lab: no key requested twice (SSM's event log), every return code on disk, the pool never
overdrawn under concurrent installs.

Each test starts a lab of its own (a fresh SSM pool, clock, portal and journal) and builds the state its step
of the story needs: the return, for one, first installs the keys through the portal, so the tests pass in any
order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from nornir.core import Nornir

from nornir_catlic.errors import SessionLostError, WaitingForPortal, WorkflowFailed
from nornir_catlic.journal import Journal
from nornir_catlic.models.state import LicenseState
from nornir_catlic.portal import FileDropPortal, relay_through, ssm_csv_to_udis
from nornir_catlic.tasks.reporting import catlic_report_usage, export_udis_csv, verify_codes
from nornir_catlic.tasks.slac import (
    WORKFLOW_INSTALL,
    WORKFLOW_RETURN,
    catlic_install_slac,
    catlic_return_slac,
)
from nornir_catlic.tasks.stack import catlic_add_stack_member
from nornir_catlic.tasks.state import catlic_get_license_state
from virtual_devices.lab import Lab

from .labkit import (
    c9300x_stack,
    device_codes,
    device_snapshot,
    issued,
    last_event_id,
    nornir_for,
    run_one,
    running_lab,
    udi,
)

INSTALL_DROPS = {
    "drop-online-request": ("online", r"^license smart authorization request add"),
    "drop-online-sync": ("online", r"^license smart sync"),
    "drop-offline-request": ("offline", r"^license smart authorization request add"),
    "drop-offline-save": ("offline", r"^license smart authorization request save"),
    "drop-offline-import": ("offline", r"^license smart import"),
    # the first read after the request: the switch went ahead, its answer is lost with the session
    "drop-online-wait": ("online", r"^show license authorization"),
    "drop-offline-verify": ("offline", r"^show license authorization"),
}
RETURN_DROPS = {  # host: (mode, the command the session drops on, the codes are on disk at the drop)
    "drop-return-online": ("online", r"^license smart authorization return", True),
    "drop-return-online-sync": ("online", r"^license smart sync", True),
    "drop-return-offline": ("offline", r"^license smart authorization return", True),
    "drop-return-offline-ack": ("offline", r"^license smart import", True),
    # the first read after the return: online the switch printed nothing, so the codes exist only on the
    # switch until the next run reads them back; offline they were printed and journaled already
    "drop-return-online-read": ("online", r"^show license authorization", False),
    "drop-return-offline-read": ("offline", r"^show license authorization", True),
}
CONCURRENT = [f"crowd-{n}" for n in range(1, 7)]
RUN_ID = r"\d{8}T\d{6}-[0-9a-f]{8}"  # a run's identity in the names of the files it writes


def match_lines(lines: list[str], patterns: list[str]) -> bool:
    """Each line matches its pattern (``RUN`` standing for a run id; the rest literal)."""
    return len(lines) == len(patterns) and all(
        re.fullmatch(re.escape(pattern).replace("RUN", RUN_ID), line)
        for line, pattern in zip(lines, patterns, strict=True)
    )


def _devices() -> list[dict[str, object]]:
    devices: list[dict[str, object]] = [
        c9300x_stack("gap", "FOCG0", members=3, transport="off"),
        c9300x_stack("gap-old", "FOCH0", release="17.6.2", transport="off"),
        c9300x_stack("killed-install", "FOCK0"),
        c9300x_stack("killed-return", "FOCL0", transport="off", slacs="all"),
        c9300x_stack("damaged", "FOCD0", members=1, transport="off"),
        c9300x_stack("killed-submit", "FOCU0", transport="off"),
        c9300x_stack("gap-inuse", "FOCV0", transport="off", slacs="active", crypto=True),
        c9300x_stack("no-journal", "FOCN0", transport="off", slacs="all"),
        c9300x_stack("gap-short", "FOCS0", transport="off"),
        c9300x_stack(
            "gap-stack",
            "FOCT0",
            transport="off",
            slacs="all",
            spares=[{"number": 3, "pid": "C9300X-48HX", "serial": "FOCT003", "mac": "f87a.0000.0303"}],
        ),
    ]
    for index, (name, (mode, _)) in enumerate(INSTALL_DROPS.items()):
        transport = "smart" if mode == "online" else "off"
        devices.append(c9300x_stack(name, f"FOCI{index}", transport=transport))
    for index, (name, (mode, _, _)) in enumerate(RETURN_DROPS.items()):
        transport = "smart" if mode == "online" else "off"
        devices.append(c9300x_stack(name, f"FOCR{index}", transport=transport, slacs="all"))
    for index, name in enumerate(CONCURRENT):
        devices.append(c9300x_stack(name, f"FOCC{index}", members=1))
    return devices


@pytest.fixture
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with running_lab(tmp_path_factory.mktemp("airgap-lab"), _devices(), keys=200) as running:
        yield running


@pytest.fixture
def nr(lab: Lab) -> Iterator[Nornir]:
    runner = nornir_for(lab)
    yield runner
    runner.close_connections()


@pytest.fixture
def journal(tmp_path_factory: pytest.TempPathFactory) -> Journal:
    return Journal(tmp_path_factory.mktemp("journal") / "catlic.jsonl")


@pytest.fixture
def portal(tmp_path_factory: pytest.TempPathFactory) -> FileDropPortal:
    return FileDropPortal(tmp_path_factory.mktemp("portal"))


def members_of(lab: Lab, name: str) -> list[str]:
    return list(lab.call(lab.devices[name].udis))


def state_of(nr: Nornir, host: str) -> LicenseState:
    result = run_one(nr, host, catlic_get_license_state)
    assert not result.failed, result.exception
    assert isinstance(result.result, LicenseState)
    return result.result


def last_return_codes(nr: Nornir, host: str) -> dict[str, str]:
    return {str(m.udi): m.last_return_code for m in state_of(nr, host).members.values() if m.last_return_code}


def installed_through_the_portal(
    lab: Lab, nr: Nornir, host: str, portal: FileDropPortal, journal: Journal
) -> None:
    """The story so far: the request handed over, the operator back from SSM, the SLACs imported."""
    params = {"mode": "offline", "portal": portal, "journal": journal}
    waiting = run_one(nr, host, catlic_install_slac, **params)
    assert waiting.failed and isinstance(waiting.exception, WaitingForPortal)
    relay_through(portal, lab.context.ssm, host)
    result = run_one(nr, host, catlic_install_slac, **params)
    assert not result.failed, result.exception
    assert sorted(device_codes(lab, host)) == sorted(members_of(lab, host))


# --- air-gapped install, usage and return on the C9300X stack ----------------------------------------------


def test_airgapped_dry_run_lists_the_exact_commands_and_touches_nothing(
    lab: Lab, nr: Nornir, journal: Journal, portal: FileDropPortal
) -> None:
    before = device_snapshot(lab, "gap")
    result = run_one(
        nr, "gap", catlic_install_slac, mode="offline", portal=portal, journal=journal, dry_run=True
    )
    assert not result.failed, result.exception
    lines = [line for line in result.diff.splitlines() if not line.startswith("!")]
    assert match_lines(
        lines,
        [
            "license smart authorization request add hseck9 all",
            "license smart authorization request save bootflash:catlic-slac-request-RUN.txt",
            "license smart import bootflash:catlic-slac-RUN-1.txt",
            "license smart import bootflash:catlic-slac-RUN-2.txt",
            "license smart import bootflash:catlic-slac-RUN-3.txt",
        ],
    ), lines
    assert device_snapshot(lab, "gap") == before
    assert portal.awaited() == [] and journal.records("gap") == []


def test_airgapped_install_waits_for_the_operator_then_imports_one_file_per_udi(
    lab: Lab, nr: Nornir, journal: Journal, portal: FileDropPortal
) -> None:
    """Guide: "No Connectivity to CSSM and No CSLU" with the C9300X stack."""
    first = run_one(nr, "gap", catlic_install_slac, mode="offline", portal=portal, journal=journal)
    assert first.failed and isinstance(first.exception, WaitingForPortal)
    [submission] = portal.awaited("gap")
    request = portal.outbox_path(submission).read_text()
    assert request.startswith("<?xml") and "smartLicenseAuthorizationRequest" in request
    [saved] = lab.devices["gap"].bootflash.glob("catlic-slac-request-*.txt")
    assert re.fullmatch(f"catlic-slac-request-{RUN_ID}.txt", saved.name)
    assert saved.read_text() == request
    assert submission.expected_answers == 3
    again = run_one(nr, "gap", catlic_install_slac, mode="offline", portal=portal, journal=journal)
    assert again.failed and isinstance(again.exception, WaitingForPortal)
    assert len(portal.submissions("gap")) == 1, "waiting again submits nothing new"

    since = last_event_id(lab)
    relay_through(portal, lab.context.ssm, "gap")  # the operator at SSM's web UI
    result = run_one(nr, "gap", catlic_install_slac, mode="offline", portal=portal, journal=journal)
    assert not result.failed, result.exception
    install = result.result
    members = members_of(lab, "gap")
    assert install.codes == device_codes(lab, "gap") and sorted(install.codes) == sorted(members)
    assert match_lines(
        install.commands, [f"license smart import bootflash:catlic-slac-RUN-{n}.txt" for n in (1, 2, 3)]
    ), install.commands
    assert journal.installed_codes("gap") == install.codes
    assert issued(lab, members, since) == {m: 1 for m in members}
    assert portal.awaited() == [] and "Nothing is awaited." in (portal.root / "OPERATOR.txt").read_text()
    idle = run_one(nr, "gap", catlic_install_slac, mode="offline", portal=portal, journal=journal)
    assert not idle.failed and not idle.changed


def test_airgapped_usage_report_through_an_ssm_object(lab: Lab, nr: Nornir, journal: Journal) -> None:
    lab.advance_clock(days=1)
    result = run_one(nr, "gap", catlic_report_usage, mode="offline", portal=lab.context.ssm, journal=journal)
    assert not result.failed, result.exception
    report = result.result
    assert report.reported and report.last_ack_received is not None
    assert report.last_ack_before is None or report.last_ack_received > report.last_ack_before
    assert report.next_ack_deadline is not None
    assert match_lines(
        report.commands,
        [
            "license smart save usage unreported file bootflash:catlic-usage-RUN.txt",
            "license smart import bootflash:catlic-usage-ack-RUN.txt",
        ],
    ), report.commands


def test_airgapped_return_hands_the_codes_to_ssm_and_imports_the_ack(
    lab: Lab, nr: Nornir, journal: Journal, portal: FileDropPortal
) -> None:
    installed_through_the_portal(lab, nr, "gap", portal, journal)
    members = members_of(lab, "gap")
    first = run_one(nr, "gap", catlic_return_slac, mode="offline", portal=portal, journal=journal)
    assert first.failed and isinstance(first.exception, WaitingForPortal)
    codes = journal.return_codes("gap")
    assert sorted(codes) == sorted(members), "every code is on disk before anything else"
    assert codes == last_return_codes(nr, "gap")
    [submission] = portal.awaited("gap")
    assert all(code in portal.outbox_path(submission).read_text() for code in codes.values())

    relay_through(portal, lab.context.ssm, "gap")
    result = run_one(nr, "gap", catlic_return_slac, mode="offline", portal=portal, journal=journal)
    assert not result.failed, result.exception
    assert result.result.return_codes == codes and sorted(result.result.acknowledged) == sorted(members)
    assert journal.unacknowledged_returns("gap") == {}
    assert not any(r["udi"] in members for r in lab.context.ssm.reservations())


def test_airgapped_stack_addition_waits_for_ssm_then_replaces_all_keys(
    lab: Lab, nr: Nornir, journal: Journal, portal: FileDropPortal
) -> None:
    old_codes = device_codes(lab, "gap-stack")
    params = {"member_serial": "FOCT003", "mode": "offline", "portal": portal, "journal": journal}
    waiting = run_one(
        nr, "gap-stack", catlic_add_stack_member, join=lambda: lab.plug("gap-stack", "FOCT003"), **params
    )
    assert waiting.failed and isinstance(waiting.exception, WaitingForPortal)
    [submission] = portal.awaited("gap-stack")
    assert submission.expected_answers == 3

    relay_through(portal, lab.context.ssm, "gap-stack")
    result = run_one(nr, "gap-stack", catlic_add_stack_member, **params)
    assert not result.failed, result.exception
    added = result.result
    assert added.joined and added.member_udi == udi("C9300X-48HX", "FOCT003")
    codes = device_codes(lab, "gap-stack")
    assert len(codes) == 3 and added.confirmation_code == codes[added.member_udi]
    assert all(codes[u] != c for u, c in old_codes.items()), "replace: every member got a new SLAC"


def test_airgapped_replace_while_ipsec_runs_is_refused_with_the_devices_words(
    lab: Lab, nr: Nornir, journal: Journal, portal: FileDropPortal
) -> None:
    """Guide: replace returns the existing keys, so the switch refuses it while they are IN USE."""
    before = device_codes(lab, "gap-inuse")
    result = run_one(nr, "gap-inuse", catlic_install_slac, mode="offline", portal=portal, journal=journal)
    assert result.failed and isinstance(result.exception, WorkflowFailed)
    assert "license smart authorization request replace hseck9 all" in str(result.exception)
    assert "IN USE" in result.exception.device_words, "refused before the switch was asked"
    assert "disable or unconfigure the cryptographic feature" in result.exception.remedy
    assert device_codes(lab, "gap-inuse") == before and portal.awaited("gap-inuse") == []


def test_airgapped_install_with_too_few_keys_keeps_the_request_for_later(
    lab: Lab, nr: Nornir, journal: Journal
) -> None:
    ssm = lab.context.ssm
    members = members_of(lab, "gap-short")
    total = ssm.pools()[0].total
    ssm.set_pool("Eg-SA", "Eg-VA", "C9K HSEC", ssm.pools()[0].in_use + 1)
    try:
        failed = run_one(nr, "gap-short", catlic_install_slac, mode="offline", portal=ssm, journal=journal)
    finally:
        ssm.set_pool("Eg-SA", "Eg-VA", "C9K HSEC", total)
    assert failed.failed and isinstance(failed.exception, WorkflowFailed)
    assert failed.exception.message_code == "ERROR_ALL_COUNTS_IN_USE"
    assert "add keys to the virtual account" in failed.exception.remedy
    assert device_codes(lab, "gap-short") == {}, "SSM issues all or nothing"

    result = run_one(nr, "gap-short", catlic_install_slac, mode="offline", portal=ssm, journal=journal)
    assert not result.failed, result.exception
    assert result.result.resumed and match_lines(
        result.result.commands,
        [
            "license smart import bootflash:catlic-slac-RUN-1.txt",
            "license smart import bootflash:catlic-slac-RUN-2.txt",
        ],
    ), result.result.commands
    assert sorted(result.result.codes) == sorted(members) == sorted(device_codes(lab, "gap-short"))


def test_offline_return_without_a_journal_still_reaches_ssm(lab: Lab, nr: Nornir) -> None:
    members = members_of(lab, "no-journal")
    result = run_one(nr, "no-journal", catlic_return_slac, mode="offline", portal=lab.context.ssm)
    assert not result.failed, result.exception
    assert sorted(result.result.acknowledged) == sorted(members)
    assert result.result.return_codes == last_return_codes(nr, "no-journal")
    assert not any(r["udi"] in members for r in lab.context.ssm.reservations())


def test_before_17_7_1_ssm_gets_the_multiple_devices_csv(lab: Lab, nr: Nornir, journal: Journal) -> None:
    members = members_of(lab, "gap-old")
    states = nr.filter(name="gap-old").run(task=catlic_get_license_state)
    csv_text = export_udis_csv(states)
    assert csv_text.splitlines()[0] == "Serial Number,PID"
    assert sorted(udi(pid, serial) for pid, serial in ssm_csv_to_udis(csv_text)) == sorted(members)
    assert verify_codes(states).missing == members

    dry = run_one(nr, "gap-old", catlic_install_slac, mode="offline", portal=lab.context.ssm, dry_run=True)
    assert "request save" not in dry.diff and "Multiple Devices" in dry.diff
    result = run_one(
        nr, "gap-old", catlic_install_slac, mode="offline", portal=lab.context.ssm, journal=journal
    )
    assert not result.failed, result.exception
    assert result.result.codes == device_codes(lab, "gap-old")
    after = nr.filter(name="gap-old").run(task=catlic_get_license_state)
    check = verify_codes(after, expected=result.result.codes)
    assert check.ok and check.codes == result.result.codes
    assert export_udis_csv(after) == "Serial Number,PID\r\n"


def test_a_damaged_slac_file_fails_with_the_devices_words_and_is_imported_on_the_next_run(
    lab: Lab, nr: Nornir, journal: Journal
) -> None:
    members = members_of(lab, "damaged")
    since = last_event_id(lab)
    lab.set_faults("damaged", corrupt_import=True)
    failed = run_one(
        nr, "damaged", catlic_install_slac, mode="offline", portal=lab.context.ssm, journal=journal
    )
    assert failed.failed and isinstance(failed.exception, WorkflowFailed)
    assert "Import Data Failed" in failed.exception.device_words
    assert "drop a fresh copy" in failed.exception.remedy
    lab.clear_faults("damaged")
    result = run_one(
        nr, "damaged", catlic_install_slac, mode="offline", portal=lab.context.ssm, journal=journal
    )
    assert not result.failed, result.exception
    assert result.result.codes == device_codes(lab, "damaged")
    assert issued(lab, members, since) == {m: 1 for m in members}


# --- a session dropped at each step, then resumed ----------------------------------------------------------


@pytest.mark.parametrize("host", list(INSTALL_DROPS))
def test_install_dropped_at_a_step_resumes_without_asking_twice(
    lab: Lab, nr: Nornir, journal: Journal, host: str
) -> None:
    mode, pattern = INSTALL_DROPS[host]
    members = members_of(lab, host)
    since = last_event_id(lab)
    lab.set_faults(host, drop_on_command=pattern)
    dropped = run_one(nr, host, catlic_install_slac, mode=mode, portal=lab.context.ssm, journal=journal)
    assert dropped.failed and isinstance(dropped.exception, SessionLostError)
    lab.clear_faults(host)

    resumed = run_one(nr, host, catlic_install_slac, mode=mode, portal=lab.context.ssm, journal=journal)
    assert not resumed.failed, resumed.exception
    assert resumed.result.codes == device_codes(lab, host) and sorted(resumed.result.codes) == sorted(members)
    assert issued(lab, members, since) == {m: 1 for m in members}
    assert journal.installed_codes(host) == resumed.result.codes


@pytest.mark.parametrize("host", list(RETURN_DROPS))
def test_return_dropped_at_a_step_resumes_and_keeps_every_code(
    lab: Lab, nr: Nornir, journal: Journal, host: str
) -> None:
    mode, pattern, on_disk_at_drop = RETURN_DROPS[host]
    members = members_of(lab, host)
    lab.set_faults(host, drop_on_command=pattern)
    dropped = run_one(nr, host, catlic_return_slac, mode=mode, portal=lab.context.ssm, journal=journal)
    assert dropped.failed and isinstance(dropped.exception, SessionLostError)
    lab.clear_faults(host)
    shown = last_return_codes(nr, host)
    if on_disk_at_drop:
        assert {u: c for u, c in journal.return_codes(host).items() if u in shown} == shown, "a code was lost"

    resumed = run_one(nr, host, catlic_return_slac, mode=mode, portal=lab.context.ssm, journal=journal)
    assert not resumed.failed, resumed.exception
    assert journal.return_codes(host) == last_return_codes(nr, host) == resumed.result.return_codes
    assert sorted(journal.return_codes(host)) == sorted(members)
    assert journal.unacknowledged_returns(host) == {}
    assert device_codes(lab, host) == {}
    assert not any(r["udi"] in members for r in lab.context.ssm.reservations()), "SSM has every key back"


def test_install_killed_after_the_switch_took_the_request(lab: Lab, nr: Nornir, journal: Journal) -> None:
    """The process died between typing the request and reading the install: the switch went ahead."""
    host = "killed-install"
    members = members_of(lab, host)
    journal.record_slac_requested(host, WORKFLOW_INSTALL, members, command="request add hseck9 all")
    agent = lab.devices[host].agent
    lab.call(agent.request_authorization, "add", "hseck9", "all")
    since = last_event_id(lab)

    resumed = run_one(nr, host, catlic_install_slac, journal=journal)
    assert not resumed.failed, resumed.exception
    assert resumed.result.resumed and resumed.result.requested == []
    assert resumed.result.codes == device_codes(lab, host) == journal.installed_codes(host)
    assert issued(lab, members, since) == {m: 0 for m in members}


def test_install_killed_before_journaling_the_submission_finds_it_in_the_portal(
    lab: Lab, nr: Nornir, portal: FileDropPortal, tmp_path: Path
) -> None:
    host = "killed-submit"
    members = members_of(lab, host)
    first = run_one(
        nr, host, catlic_install_slac, mode="offline", portal=portal, journal=Journal(tmp_path / "a")
    )
    assert first.failed and isinstance(first.exception, WaitingForPortal)
    since = last_event_id(lab)
    relay_through(portal, lab.context.ssm, host)
    lost = Journal(tmp_path / "b")  # the journal line for the submission never reached the disk
    result = run_one(nr, host, catlic_install_slac, mode="offline", portal=portal, journal=lost)
    assert not result.failed, result.exception
    assert result.result.resumed and all(c.startswith("license smart import") for c in result.result.commands)
    assert len(portal.submissions(host)) == 1, "no second request was handed over"
    assert issued(lab, members, since) == {m: 1 for m in members}
    assert lost.installed_codes(host) == device_codes(lab, host)


def test_return_killed_after_the_switch_printed_the_codes(
    lab: Lab, nr: Nornir, journal: Journal, portal: FileDropPortal
) -> None:
    """The process died before reading the printed return codes: recovered, uploaded, acknowledged."""
    host = "killed-return"
    members = members_of(lab, host)
    journal.append(host, WORKFLOW_RETURN, "return-started", data={"command": "return all offline"})
    agent = lab.devices[host].agent
    lab.call(agent.return_authorization, "all", False)
    assert journal.return_codes(host) == {}

    result = run_one(nr, host, catlic_return_slac, mode="offline", portal=lab.context.ssm, journal=journal)
    assert not result.failed, result.exception
    assert result.result.resumed
    assert journal.return_codes(host) == last_return_codes(nr, host)
    assert sorted(journal.return_codes(host)) == sorted(members)
    assert journal.unacknowledged_returns(host) == {}
    assert not any(r["udi"] in members for r in lab.context.ssm.reservations())


# --- concurrency -------------------------------------------------------------------------------------------


def test_concurrent_installs_never_overdraw_the_pool(lab: Lab, nr: Nornir, journal: Journal) -> None:
    ssm = lab.context.ssm
    ssm.set_pool("Eg-SA", "Eg-VA", "C9K HSEC", ssm.pools()[0].in_use + 4)
    crowd = nr.filter(filter_func=lambda host: host.name in CONCURRENT)
    results = crowd.run(task=catlic_install_slac, journal=journal, on_failed=True)
    succeeded = [name for name, multi in results.items() if not multi[0].failed]
    failed = {name: multi[0].exception for name, multi in results.items() if multi[0].failed}
    assert len(succeeded) == 4 and len(failed) == 2
    for error in failed.values():
        assert isinstance(error, WorkflowFailed) and error.message_code == "ERROR_ALL_COUNTS_IN_USE"
    pool = ssm.pools()[0]
    assert 0 <= pool.in_use <= pool.total and pool.available == 0
    keyed = {udi_ for name in CONCURRENT for udi_ in device_codes(lab, name)}
    assert len(keyed) == 4


def test_the_journal_reads_back_whole(lab: Lab, nr: Nornir, journal: Journal) -> None:
    """Six installs writing to one journal at once, then the journal read from disk as a new run would."""
    crowd = nr.filter(filter_func=lambda host: host.name in CONCURRENT)
    results = crowd.run(task=catlic_install_slac, journal=journal, on_failed=True)
    assert not results.failed, {name: multi[0].exception for name, multi in results.failed_hosts.items()}
    again = Journal(journal.path)
    assert len(again) == len(journal) > 0 and again.problems == []
    for name in CONCURRENT:
        assert again.installed_codes(name) == device_codes(lab, name) != {}
