"""Only the right answer is installed: what an operator drops by mistake into a portal's inbox is refused by
name, nothing is imported from it, and the switch and SSM's reservations still agree.

Over real SSH and SCP against a lab; the lab's SSM plays Cisco's web UI (``relay_through``), the test plays
the operator who drops files into the inbox. Each test builds its own state on its own switches.
"""

from __future__ import annotations

import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from nornir.core import Nornir
from nornir.core.task import Result

from nornir_catlic.errors import AnswersRefused, PrerequisiteError, WaitingForPortal, WouldFail
from nornir_catlic.journal import Journal
from nornir_catlic.portal import FileDropPortal, Submission, relay_through
from nornir_catlic.tasks.reporting import catlic_report_usage
from nornir_catlic.tasks.slac import catlic_install_slac, catlic_return_slac
from nornir_catlic.tasks.state import catlic_get_license_state
from virtual_devices.lab import Lab

from .labkit import c9300x_stack, device_codes, device_snapshot, nornir_for, run_one, running_lab

HOSTS = [
    "stale",
    "mixed-a",
    "mixed-b",
    "stray",
    "private",
    "stale-ack",
    "unwritable",
    "usage-a",
    "usage-b",
    "dry-stray",
    "return-twice",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    devices = [
        c9300x_stack(name, f"FOCQ{index}", members=1, transport="off") for index, name in enumerate(HOSTS)
    ]
    devices[HOSTS.index("return-twice")] = c9300x_stack("return-twice", "FOCQR", transport="off", slacs="all")
    with running_lab(tmp_path_factory.mktemp("inbox-lab"), devices, keys=20) as running:
        yield running


@pytest.fixture(scope="module")
def nr(lab: Lab) -> Iterator[Nornir]:
    runner = nornir_for(lab)
    yield runner
    runner.close_connections()


def ssm_codes(lab: Lab, host: str) -> dict[str, str]:
    """UDI -> confirmation code of SSM's active reservations for the host's UDIs."""
    udis = set(lab.call(lab.devices[host].udis))
    return {r["udi"]: r["confirmation_code"] for r in lab.context.ssm.reservations() if r["udi"] in udis}


def install(nr: Nornir, host: str, portal: FileDropPortal, journal: Journal) -> Result:
    return run_one(nr, host, catlic_install_slac, mode="offline", portal=portal, journal=journal)


def waiting_submission(nr: Nornir, host: str, portal: FileDropPortal, journal: Journal) -> Submission:
    first = install(nr, host, portal, journal)
    assert first.failed and isinstance(first.exception, WaitingForPortal), first.exception
    [submission] = portal.awaited(host)
    return submission


def refused(result: Result) -> AnswersRefused:
    assert result.failed, "the run must stop"
    error = result.exception
    assert isinstance(error, AnswersRefused), error
    return error


def test_a_stale_slac_whose_code_was_returned_is_refused_and_nothing_is_imported(
    lab: Lab, nr: Nornir, tmp_path: Path
) -> None:
    portal, journal = FileDropPortal(tmp_path / "portal"), Journal(tmp_path / "journal.jsonl")
    # The earlier exchange: install, keep a copy of SSM's SLAC, return it (SSM marks the code returned).
    earlier = waiting_submission(nr, "stale", portal, journal)
    relay_through(portal, lab.context.ssm, "stale")
    [old_slac] = portal.answers(earlier)
    kept = tmp_path / "kept-SLAC.txt"
    shutil.copy(old_slac.path, kept)
    assert not install(nr, "stale", portal, journal).failed
    waiting = run_one(nr, "stale", catlic_return_slac, mode="offline", portal=portal, journal=journal)
    assert isinstance(waiting.exception, WaitingForPortal)
    relay_through(portal, lab.context.ssm, "stale")
    assert not run_one(nr, "stale", catlic_return_slac, mode="offline", portal=portal, journal=journal).failed
    assert device_codes(lab, "stale") == {} == ssm_codes(lab, "stale")

    # The new exchange: the operator drops last time's SLAC into the inbox.
    current = waiting_submission(nr, "stale", portal, journal)
    shutil.copy(kept, portal.inbox / "stale" / "SLAC-from-last-time.txt")
    error = refused(install(nr, "stale", portal, journal))

    assert list(error.refused) == ["SLAC-from-last-time.txt"]
    assert "returned since" in error.refused["SLAC-from-last-time.txt"]
    assert "SLAC-from-last-time.txt" in str(error) and str(portal.answer_folder(current)) in error.remedy
    assert "drop a fresh copy" in error.remedy
    assert device_codes(lab, "stale") == {} == ssm_codes(lab, "stale"), "nothing imported, nothing reserved"
    assert portal.awaited("stale") == [current]

    # The remedy: the stale file out, SSM's answer to this request in; the switch and SSM then agree.
    (portal.answer_folder(current) / "SLAC-from-last-time.txt").unlink()
    relay_through(portal, lab.context.ssm, "stale")
    done = install(nr, "stale", portal, journal)
    assert not done.failed, done.exception
    assert device_codes(lab, "stale") == ssm_codes(lab, "stale") != {}


def test_a_slac_for_another_udi_is_refused_by_name(lab: Lab, nr: Nornir, tmp_path: Path) -> None:
    portal, journal = FileDropPortal(tmp_path / "portal"), Journal(tmp_path / "journal.jsonl")
    for_a = waiting_submission(nr, "mixed-a", portal, journal)
    for_b = waiting_submission(nr, "mixed-b", portal, journal)
    relay_through(portal, lab.context.ssm)  # the operator gets both answers from SSM...
    [b_slac] = portal.answers(for_b)
    moved = portal.answer_folder(for_a) / b_slac.name
    shutil.move(b_slac.path, moved)  # ...and drops B's into A's folder

    error = refused(install(nr, "mixed-a", portal, journal))
    assert list(error.refused) == [b_slac.name]
    [b_udi] = lab.call(lab.devices["mixed-b"].udis)
    assert f"a SLAC for {b_udi}, which this request did not ask for" in error.refused[b_slac.name]
    assert device_codes(lab, "mixed-a") == {}, "A's own SLAC, also in the folder, is not imported either"
    waiting = install(nr, "mixed-b", portal, journal)
    assert isinstance(waiting.exception, WaitingForPortal)

    shutil.move(moved, portal.answer_folder(for_b) / b_slac.name)
    for host in ("mixed-a", "mixed-b"):
        done = install(nr, host, portal, journal)
        assert not done.failed, done.exception
        assert device_codes(lab, host) == ssm_codes(lab, host) != {}


def test_a_stray_text_file_is_refused_and_blocks_the_import(lab: Lab, nr: Nornir, tmp_path: Path) -> None:
    portal, journal = FileDropPortal(tmp_path / "portal"), Journal(tmp_path / "journal.jsonl")
    submission = waiting_submission(nr, "stray", portal, journal)
    relay_through(portal, lab.context.ssm, "stray")  # SSM's real answer is there...
    (portal.inbox / "stray" / "README.txt").write_text("Files from Cisco SSM go here.\n")  # ...and this

    error = refused(install(nr, "stray", portal, journal))
    assert list(error.refused) == ["README.txt"]
    assert "not a Smart Licensing file" in error.refused["README.txt"]
    assert device_codes(lab, "stray") == {}, "not even the right SLAC beside it is imported"
    assert [r.step for r in journal.records("stray")][-1] == "answers-refused"

    (portal.answer_folder(submission) / "README.txt").unlink()
    done = install(nr, "stray", portal, journal)
    assert not done.failed, done.exception
    assert device_codes(lab, "stray") == ssm_codes(lab, "stray") != {}


def test_a_dry_run_of_the_resumed_install_predicts_waiting_and_the_refusal_and_moves_nothing(
    lab: Lab, nr: Nornir, tmp_path: Path
) -> None:
    portal, journal = FileDropPortal(tmp_path / "portal"), Journal(tmp_path / "journal.jsonl")

    def dry_run() -> Result:
        return run_one(
            nr, "dry-stray", catlic_install_slac, mode="offline", portal=portal, journal=journal, dry_run=True
        )

    submission = waiting_submission(nr, "dry-stray", portal, journal)
    assert isinstance(dry_run().exception, WaitingForPortal), "nothing to import yet: the real run waits"
    relay_through(portal, lab.context.ssm, "dry-stray")
    loose = portal.inbox / "dry-stray" / "README.txt"  # the real run claims it into the exchange's folder
    loose.write_text("Files from Cisco SSM go here.\n")

    predicted = dry_run().exception
    assert isinstance(predicted, WouldFail) and "refused README.txt: not a Smart Licensing file" in str(
        predicted
    )
    assert loose.exists() and not (portal.answer_folder(submission) / "README.txt").exists(), "moved nothing"
    assert list(refused(install(nr, "dry-stray", portal, journal)).refused) == ["README.txt"]
    assert device_codes(lab, "dry-stray") == {}


def test_an_ack_from_an_earlier_return_is_refused_and_the_codes_stay_unacknowledged(
    lab: Lab, nr: Nornir, tmp_path: Path
) -> None:
    portal, journal = FileDropPortal(tmp_path / "portal"), Journal(tmp_path / "journal.jsonl")

    def offline_return() -> Result:
        return run_one(nr, "stale-ack", catlic_return_slac, mode="offline", portal=portal, journal=journal)

    waiting_submission(nr, "stale-ack", portal, journal)
    relay_through(portal, lab.context.ssm, "stale-ack")
    assert not install(nr, "stale-ack", portal, journal).failed
    assert isinstance(offline_return().exception, WaitingForPortal)
    [earlier] = portal.awaited("stale-ack")
    relay_through(portal, lab.context.ssm, "stale-ack")
    [old_ack] = portal.answers(earlier)
    kept = tmp_path / "kept-ACK.txt"
    shutil.copy(old_ack.path, kept)
    assert not offline_return().failed

    waiting_submission(nr, "stale-ack", portal, journal)  # a second key, returned again
    relay_through(portal, lab.context.ssm, "stale-ack")
    assert not install(nr, "stale-ack", portal, journal).failed
    assert isinstance(offline_return().exception, WaitingForPortal)
    pending = journal.unacknowledged_returns("stale-ack")
    shutil.copy(kept, portal.inbox / "stale-ack" / "ACK.txt")

    predicted = run_one(
        nr, "stale-ack", catlic_return_slac, mode="offline", portal=portal, journal=journal, dry_run=True
    ).exception
    assert isinstance(predicted, WouldFail) and "refused ACK.txt: " in str(predicted)
    error = refused(offline_return())
    assert list(error.refused) == ["ACK.txt"]
    assert "acknowledged that return already" in error.refused["ACK.txt"]
    assert journal.unacknowledged_returns("stale-ack") == pending != {}, "the codes still await SSM's ACK"

    [current] = portal.awaited("stale-ack")
    (portal.answer_folder(current) / "ACK.txt").unlink()
    relay_through(portal, lab.context.ssm, "stale-ack")
    done = offline_return()
    assert not done.failed, done.exception
    assert journal.unacknowledged_returns("stale-ack") == {}
    assert device_codes(lab, "stale-ack") == {} == ssm_codes(lab, "stale-ack")


def test_a_usage_ack_for_the_switch_next_door_is_refused(lab: Lab, nr: Nornir, tmp_path: Path) -> None:
    portal, journal = FileDropPortal(tmp_path / "portal"), Journal(tmp_path / "journal.jsonl")

    def report(host: str) -> Result:
        return run_one(nr, host, catlic_report_usage, mode="offline", portal=portal, journal=journal)

    def last_ack(host: str) -> object:
        return run_one(nr, host, catlic_get_license_state).result.last_ack_received

    for host in ("usage-a", "usage-b"):
        assert isinstance(report(host).exception, WaitingForPortal)
    relay_through(portal, lab.context.ssm)  # the operator gets both ACKs from SSM...
    [for_a], [for_b] = portal.awaited("usage-a"), portal.awaited("usage-b")
    (portal.answer_folder(for_a) / "usage-ack.txt").unlink()
    moved = shutil.move(portal.answer_folder(for_b) / "usage-ack.txt", portal.answer_folder(for_a) / "B.txt")
    before = last_ack("usage-a")  # ...and drops B's into A's folder, A's nowhere

    predicted = run_one(
        nr, "usage-a", catlic_report_usage, mode="offline", portal=portal, journal=journal, dry_run=True
    ).exception
    assert isinstance(predicted, WouldFail) and "refused B.txt: acknowledges" in str(predicted)
    error = refused(report("usage-a"))
    [b_udi, *_] = lab.call(lab.devices["usage-b"].udis)
    assert error.refused == {"B.txt": f"acknowledges {b_udi}, which this exchange did not hand over"}
    assert last_ack("usage-a") == before, "A's reports were not acknowledged by B's ACK"

    shutil.move(moved, portal.answer_folder(for_b) / "usage-ack.txt")
    done = report("usage-b")
    assert not done.failed and done.result.reported, done.exception


def test_a_code_returned_while_an_earlier_return_awaits_its_ack_is_not_taken_as_acknowledged(
    lab: Lab, nr: Nornir, tmp_path: Path
) -> None:
    """The active's SLAC goes back first (scope local) and waits for SSM's ACK; then the rest (scope all):
    the member's code was never handed to SSM, so the active's ACK does not acknowledge it."""
    portal, journal = FileDropPortal(tmp_path / "portal"), Journal(tmp_path / "journal.jsonl")
    assert len(ssm_codes(lab, "return-twice")) == 2

    def offline_return(scope: str) -> Result:
        return run_one(
            nr,
            "return-twice",
            catlic_return_slac,
            mode="offline",
            scope=scope,
            portal=portal,
            journal=journal,
        )

    assert isinstance(offline_return("local").exception, WaitingForPortal)
    result = offline_return("all")
    for _ in range(3):  # the operator carries whatever is awaited, until nothing is
        if not isinstance(result.exception, WaitingForPortal):
            break
        relay_through(portal, lab.context.ssm, "return-twice")
        result = offline_return("all")

    assert not result.failed, result.exception
    assert journal.unacknowledged_returns("return-twice") == {}
    assert ssm_codes(lab, "return-twice") == {}, "SSM got every code: no key stays reserved"


def test_everything_the_exchange_writes_is_private(lab: Lab, nr: Nornir, tmp_path: Path) -> None:
    """Portal, relay and fetched files hold codes: 0600, in folders of 0700."""
    portal, journal = FileDropPortal(tmp_path / "portal"), Journal(tmp_path / "run" / "journal.jsonl")
    waiting_submission(nr, "private", portal, journal)
    relay_through(portal, lab.context.ssm, "private")
    assert not install(nr, "private", portal, journal).failed
    returned = run_one(
        nr, "private", catlic_return_slac, mode="offline", portal=lab.context.ssm, journal=journal
    )
    assert not returned.failed, returned.exception

    written = [portal.outbox, portal.inbox, portal.root / ".portal", portal.root / "OPERATOR.txt"]
    written.append(journal.path.parent / "catlic-files")  # fetched files, the relay's outbox and inbox
    files = [p for top in written for p in ([top] if top.is_file() else [top, *top.rglob("*")])]
    assert any(p.name.startswith("catlic-slac-request-") for p in files), "the fetched request is checked"
    assert any("relay" in p.parts and p.suffix == ".txt" for p in files), "the relay's files are checked"
    modes = {str(p.relative_to(tmp_path)): stat.S_IMODE(p.stat().st_mode) for p in files}
    assert {p: m for p, m in modes.items() if m != (0o700 if Path(tmp_path / p).is_dir() else 0o600)} == {}
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600


def test_a_portal_that_cannot_be_written_stops_the_install_before_the_switch_saves_anything(
    lab: Lab, nr: Nornir, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    portal = FileDropPortal(tmp_path / "a-file" / "portal")
    before = device_snapshot(lab, "unwritable")
    result = install(nr, "unwritable", portal, Journal(tmp_path / "journal.jsonl"))
    assert result.failed and isinstance(result.exception, PrerequisiteError), result.exception
    assert f"the portal folder {portal.root} is not writable" in str(result.exception)
    assert device_snapshot(lab, "unwritable") == before, "no request made, no file saved"
