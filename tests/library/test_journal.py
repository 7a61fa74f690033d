"""The journal keeps every workflow step on disk before the next device command, and survives crashes."""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from nornir_catlic import durable as durable_module
from nornir_catlic.errors import JournalError
from nornir_catlic.journal import (
    STEP_RETURN_CODE,
    Journal,
    StepStatus,
    is_secret_key,
)


def exported(journal: Journal) -> list[str]:
    """The journal's lines as ``catlic journal export`` writes them."""
    out = io.StringIO()
    journal.export(out)
    return out.getvalue().splitlines()


# The guide's return code sample and its stack (Returning a SLAC, step 2).
RETURN_CODE = "Cr9JHx-L1x5Rj-ftwzgl-h9QZAU-LE5DT1-babWeL-FABPt9-Wr1Dn7-Rp7"
ACTIVE = "PID:C9300X-24HX,SN:FOC2519L8R7"
STANDBY = "PID:C9300X-48HXN,SN:FOC2524L39P"
MEMBER = "PID:C9300X-48HX,SN:FOC2516LC92"


def test_steps_read_back_in_order(tmp_path: Path) -> None:
    path = tmp_path / "runs" / "fleet.jsonl"
    with Journal(path) as journal:
        journal.append("stack1", "install-slac", "request", StepStatus.STARTED, {"udis": [ACTIVE, STANDBY]})
        journal.append(
            "stack1", "install-slac", "request", StepStatus.DONE, {"file": Path("bootflash:slac.txt")}
        )
        journal.append(
            "svl1", "install-slac", "request", StepStatus.FAILED, {"message_code": "ERROR_ALL_COUNTS_IN_USE"}
        )

    reopened = Journal(path)
    steps = reopened.steps("stack1", "install-slac")
    assert [(s.step, s.status) for s in steps] == [
        ("request", StepStatus.STARTED),
        ("request", StepStatus.DONE),
    ]
    assert steps[1].data == {"file": "bootflash:slac.txt"}
    last = reopened.last("stack1", "install-slac", "request")
    assert last is not None and last.status is StepStatus.DONE
    started = reopened.last("stack1", "install-slac", "request", status=StepStatus.STARTED)
    assert started is not None and started.data["udis"] == [ACTIVE, STANDBY]
    assert reopened.done("stack1", "install-slac", "request")
    assert not reopened.done("svl1", "install-slac", "request")
    assert reopened.last("nobody", "install-slac") is None
    assert sorted(reopened.hosts()) == ["stack1", "svl1"]
    assert reopened.problems == []
    # Exported: one JSON object per line, each carrying timestamp, host, workflow, step, status and data.
    lines = exported(reopened)
    assert len(lines) == 3
    assert set(json.loads(lines[0])) == {"ts", "host", "workflow", "step", "status", "data"}


def test_each_append_is_committed_with_a_full_sync_and_a_new_file_also_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append("folder" if os.path.isdir(f"/proc/self/fd/{fd}") else "file")
        real_fsync(fd)

    monkeypatch.setattr(durable_module.os, "fsync", recording_fsync)
    journal = Journal(tmp_path / "j.jsonl")
    assert journal.records() == [] and len(journal) == 0
    assert synced == [] and list(tmp_path.iterdir()) == []  # opening to read creates nothing
    journal.append("sw1", "return-slac", STEP_RETURN_CODE, data={"udi": ACTIVE, "return_code": RETURN_CODE})
    assert synced == ["folder"]  # the new name; SQLite syncs the commit itself, as the pragmas say:
    with journal.store.read() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: synced at each commit
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    journal.append("sw1", "return-slac", "import-ack")
    assert len(Journal(journal.path)) == 2, "each append committed when it returned"
    journal.close()


@pytest.mark.parametrize(
    "data",
    [
        {"password": "lab-pass-1"},
        {"enable_secret": "lab-enable-1"},
        {"device": {"connection": {"Password": "lab-pass-1"}}},
        {"targets": [{"api-token": "abc"}]},
    ],
)
def test_secrets_are_refused_and_never_echoed(tmp_path: Path, data: dict[str, object]) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    with pytest.raises(JournalError, match="never holds a secret") as refused:
        journal.append("sw1", "install-slac", "connect", data=data)
    assert "lab-pass-1" not in str(refused.value) and "lab-enable-1" not in str(refused.value)
    assert len(journal) == 0
    assert not (tmp_path / "j.jsonl").exists() or "lab-" not in (tmp_path / "j.jsonl").read_text()


def test_a_known_secret_is_refused_under_any_key(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl", known_secrets=["lab-pass-1", "", "ab"])
    journal.forbid("lab-enable-1")
    for data in ({"output": "username admin password lab-pass-1"}, {"lines": ["x", "enable lab-enable-1"]}):
        with pytest.raises(JournalError, match="contains a known secret") as refused:
            journal.append("sw1", "install-slac", "configure", data=data)
        assert "lab-" not in str(refused.value)
    journal.append("sw1", "install-slac", "configure", data={"output": "ab about"})  # short ones ignored
    assert len(journal) == 1


def test_key_names_that_are_not_secrets_pass() -> None:
    assert is_secret_key("enable_secret") and is_secret_key("PASSWORD") and is_secret_key("api-token")
    assert (
        not is_secret_key("confirmation_code")
        and not is_secret_key("return_code")
        and not is_secret_key("keys")
    )


def test_values_json_cannot_hold_are_refused(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="cannot journal a object"):
        Journal(tmp_path / "j.jsonl").append("sw1", "w", "s", data={"thing": object()})


@pytest.mark.parametrize("number", [float("nan"), float("inf"), -float("inf")])
def test_numbers_json_cannot_hold_are_refused_not_written_as_nan(tmp_path: Path, number: float) -> None:
    path = tmp_path / "j.jsonl"
    with pytest.raises(JournalError, match=r"data\.ratio"):
        Journal(path).append("sw1", "w", "s", data={"ratio": number})
    assert not path.exists() or path.read_text() == ""


def test_an_old_journal_with_a_torn_last_line_is_imported_with_the_line_reported(tmp_path: Path) -> None:
    """The JSON-lines journal of an older catlic, torn by a crash: its whole lines come in, the torn one is
    reported, and the journal goes on."""
    path = tmp_path / "j.jsonl"
    old = Journal(tmp_path / "old.db")
    old.record_return_code("sw1", "return-slac", ACTIVE, RETURN_CODE)
    path.write_text(  # the old file: that line, then a crash in the middle of the next write
        exported(old)[0] + "\n" + '{"ts":"2026-11-28T06:00:00Z","host":"sw1","workflow":"return-sl'
    )

    survivor = Journal(path)
    assert survivor.return_codes("sw1") == {ACTIVE: RETURN_CODE}
    [problem] = survivor.problems
    assert problem.torn and problem.line_number == 2 and "torn" in problem.reason

    survivor.record_return_acknowledged("sw1", "return-slac", ACTIVE)
    survivor.reload()
    assert survivor.unacknowledged_returns("sw1") == {}
    [problem] = Journal(path).problems  # remembered with the import, and imported once
    assert problem.torn and problem.line_number == 2
    assert len(survivor) == 2


def test_a_damaged_line_in_the_middle_does_not_stop_reading(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(tmp_path / "old.db")
    journal.append("sw1", "w", "one")
    journal.append("sw1", "w", "two")
    one, two = exported(journal)
    path.write_text(f"{one}\nnot json at all\n{two}\n")
    reread = Journal(path)
    assert [r.step for r in reread.records("sw1")] == ["one", "two"]
    assert [p.line_number for p in reread.problems] == [2]


def test_resume_queries_never_request_twice_and_never_lose_a_return_code(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path)
    journal.record_slac_requested(
        "stack1", "install-slac", [ACTIVE, STANDBY], request_file="bootflash:slac.txt"
    )
    journal.record_slac_installed("stack1", "install-slac", ACTIVE, "72ad37d5")
    journal.record_slac_installed("stack1", "install-slac", STANDBY, "842584db")
    journal.close()

    # The process dies; a new run asks what was already requested.
    resumed = Journal(path)
    assert resumed.requested_udis("stack1") == {ACTIVE, STANDBY}
    assert resumed.installed_codes("stack1") == {ACTIVE: "72ad37d5", STANDBY: "842584db"}

    # The return code is written first, before the ACK is even sought.
    resumed.record_return_code("stack1", "return-slac", ACTIVE, RETURN_CODE, file="bootflash:return-code.txt")
    resumed.close()
    again = Journal(path)
    assert again.unacknowledged_returns("stack1") == {ACTIVE: RETURN_CODE}
    assert again.requested_udis("stack1") == {STANDBY}  # a returned key may be requested again
    assert again.installed_codes("stack1") == {STANDBY: "842584db"}
    again.record_return_acknowledged("stack1", "return-slac", ACTIVE)
    assert again.unacknowledged_returns("stack1") == {}
    assert again.return_codes("stack1") == {ACTIVE: RETURN_CODE}  # kept for the record
    # Request after the return: requested again, and a failed request does not count.
    again.record_slac_requested("stack1", "add-member", [ACTIVE, STANDBY, MEMBER])
    again.append("stack1", "add-member", "slac-requested", StepStatus.FAILED, {"udis": ["PID:X,SN:Y"]})
    assert again.requested_udis("stack1") == {ACTIVE, STANDBY, MEMBER}


def test_threads_append_concurrently_without_losing_or_mixing_lines(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path)
    threads_count, per_thread = 8, 40
    start = threading.Barrier(threads_count)

    def work(index: int) -> None:
        start.wait()
        for seq in range(per_thread):
            journal.append(f"sw{index}", "audit", "show", data={"seq": seq, "pad": "x" * (index * 500)})

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads_count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    journal.close()

    lines = exported(Journal(path))
    assert len(lines) == threads_count * per_thread
    reread = Journal(path)
    assert reread.problems == []
    for index in range(threads_count):
        assert [r.data["seq"] for r in reread.records(f"sw{index}")] == list(range(per_thread))


def test_an_append_by_another_journal_object_is_seen_without_a_reload(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    journal.append("sw1", "audit", "first")
    other = Journal(tmp_path / "j.jsonl")  # another run on the same journal
    appender = threading.Thread(target=lambda: other.append("sw1", "audit", "second"))
    appender.start()
    appender.join()
    assert [r.step for r in journal.records("sw1")] == ["first", "second"]


CHILD = textwrap.dedent(
    """
    import sys
    from nornir_catlic.journal import Journal

    journal = Journal(sys.argv[1])
    pad = "r" * 200_000
    seq = 0
    while True:
        journal.append("stack1", "return-slac", "return-code", data={"seq": seq, "pad": pad})
        print(seq, flush=True)  # acknowledged: the line is on disk
        seq += 1
    """
)


def test_a_process_killed_mid_write_loses_nothing_it_acknowledged(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    acknowledged = [int(child.stdout.readline()) for _ in range(15)]
    child.send_signal(signal.SIGKILL)
    child.wait()
    acknowledged += [int(line) for line in child.stdout.read().split()]

    survivor = Journal(path)
    on_disk = [r.data["seq"] for r in survivor.records("stack1")]
    assert on_disk[: len(acknowledged)] == acknowledged  # every acknowledged step is there, in order
    assert all(p.torn for p in survivor.problems) and len(survivor.problems) <= 1
    survivor.append("stack1", "return-slac", "resumed")
    survivor.reload()
    assert survivor.records("stack1")[-1].step == "resumed"


WRITER = textwrap.dedent(
    """
    import sys
    from nornir_catlic.journal import Journal

    journal = Journal(sys.argv[1])
    for seq in range(int(sys.argv[3])):
        journal.append(sys.argv[2], "report-usage", "sync", data={"seq": seq, "pad": "p" * 3000})
    """
)


def test_two_processes_share_one_journal(tmp_path: Path) -> None:
    # One file per fleet: two runs appending at once must not interleave inside a line.
    path = tmp_path / "fleet.jsonl"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), host, "150"])
        for host in ("site-a", "site-b")
    ]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]
    shared = Journal(path)
    assert shared.problems == []
    for host in ("site-a", "site-b"):
        assert [r.data["seq"] for r in shared.records(host)] == list(range(150))


def test_a_journal_in_a_new_folder_makes_it_private(tmp_path: Path) -> None:
    with Journal(tmp_path / "site" / "runs" / "journal.jsonl") as journal:
        journal.append("c9300x-stack", "install-slac", "planned")
    path = journal.path

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (path.parent, path.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
