"""The one durable store between real processes: appends lost by none, one lock winner, one import."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import multiprocessing
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from cli.catlic_process import run_catlic
from sqlalchemy import inspect, select, update

from nornir_catlic import locks
from nornir_catlic.errors import JournalError
from nornir_catlic.journal import Journal, StepStatus
from nornir_catlic.portal import ExchangeKind, FileDropPortal, Submission
from nornir_catlic.store import Store
from nornir_catlic.store.schema import SCHEMA_VERSION, host_locks, schema_version

APPENDER = textwrap.dedent(
    """\
    import sys, time
    from nornir_catlic.journal import Journal
    journal = Journal(sys.argv[1])
    host, other, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
    journal.append(host, "report-usage", "sync", data={"seq": 0})
    deadline = time.monotonic() + 120
    while not journal.records(other):  # go on once the other has committed: each is midway while it writes
        if time.monotonic() > deadline:
            sys.exit("the other writer never wrote")
        time.sleep(0.005)
    for seq in range(1, count):
        journal.append(host, "report-usage", "sync", data={"seq": seq})
    """
)


def test_two_processes_appending_thousands_each_lose_nothing_and_interleave(store_url: str) -> None:
    path = store_url
    count = 2500 if store_url.startswith("sqlite") else 500  # a server round trip costs more
    writers = [
        subprocess.Popen([sys.executable, "-c", APPENDER, str(path), host, other, str(count)])
        for host, other in (("site-a", "site-b"), ("site-b", "site-a"))
    ]
    assert [writer.wait(timeout=300) for writer in writers] == [0, 0]

    journal = Journal(path)
    assert len(journal) == 2 * count
    for host in ("site-a", "site-b"):
        assert [r.data["seq"] for r in journal.records(host)] == list(range(count))
    order = [r.host for r in journal.records()]
    turns = sum(1 for before, after in itertools.pairwise(order) if before != after)
    # Each writer saw the other's first record before its second: both wrote while the other was midway,
    # which takes two turns at least; how many more depends on the machine's scheduler, not on the store.
    assert turns >= 2, "the writers never overlapped: one finished before the other began"


def _append_in_child(journal: Journal, host: str, count: int) -> None:
    for seq in range(count):
        journal.append(host, "audit", "show", data={"seq": seq})


def test_forked_children_sharing_the_parents_journal_object_lose_nothing(store_url: str) -> None:
    """A journal opened (and written) before a fork: each child opens its own connections."""
    journal = Journal(store_url)
    journal.append("parent", "audit", "show")
    fork = multiprocessing.get_context("fork")
    children = [fork.Process(target=_append_in_child, args=(journal, f"child-{n}", 500)) for n in (1, 2)]
    for child in children:
        child.start()
    journal.append("parent", "audit", "show")  # the parent goes on writing meanwhile
    for child in children:
        child.join(timeout=300)
    assert [child.exitcode for child in children] == [0, 0]
    assert [r.data["seq"] for r in journal.records("child-1")] == list(range(500))
    assert [r.data["seq"] for r in journal.records("child-2")] == list(range(500))
    assert len(journal.records("parent")) == 2


def filled_journal(path: Path | str) -> Journal:
    journal = Journal(path)
    journal.record_slac_requested("stack1", "install-slac", ["PID:C9300X-24HX,SN:FOC2519L8R7"])
    journal.record_slac_installed("stack1", "install-slac", "PID:C9300X-24HX,SN:FOC2519L8R7", "72ad37d5")
    journal.append(
        "svl1", "report-usage", "sync", StepStatus.FAILED, {"note": "Zürich ✓", "n": [1, 2.5, None]}
    )
    journal.record_return_code("stack1", "return-slac", "PID:C9300X-24HX,SN:FOC2519L8R7", "Cr9JHx-L1x5Rj")
    return journal


def test_export_then_import_gives_back_every_record(tmp_path: Path, store_url: str) -> None:
    original = filled_journal(store_url)
    exported = tmp_path / "export.jsonl"
    with open(exported, "w", encoding="utf-8") as out:
        assert original.export(out) == 4

    copy = Journal(tmp_path / "b.db")
    assert copy.import_jsonl(exported) == 4
    assert copy.records() == original.records()
    assert copy.installed_codes("stack1") == {}  # returned since: the resume queries read the same
    assert copy.unacknowledged_returns("stack1") == original.unacknowledged_returns("stack1") != {}
    again = io.StringIO()
    copy.export(again)
    assert again.getvalue() == exported.read_text(encoding="utf-8"), "the same lines, byte for byte"
    assert copy.import_jsonl(exported) == 0 and len(copy) == 4, "a file imported once is not imported again"

    one_host = io.StringIO()
    original.export(one_host, host="svl1")
    [line] = one_host.getvalue().splitlines()
    assert json.loads(line)["data"] == {"note": "Zürich ✓", "n": [1, 2.5, None]}


OLD_LINES = (
    '{"ts":"2026-11-28T06:00:00Z","host":"stack1","workflow":"install-slac","step":"slac-requested",'
    '"status":"done","data":{"udis":["PID:C9300X-24HX,SN:FOC2519L8R7"]}}\n'
    '{"ts":"2026-11-28T06:00:09Z","host":"stack1","workflow":"install-slac","step":"slac-installed",'
    '"status":"done","data":{"udi":"PID:C9300X-24HX,SN:FOC2519L8R7","confirmation_code":"72ad37d5"}}\n'
)


def test_an_old_json_lines_journal_is_imported_once_and_kept(tmp_path: Path) -> None:
    old = tmp_path / "catlic-journal.jsonl"
    old.write_text(OLD_LINES, encoding="utf-8")

    journal = Journal(old)  # an old invocation: --journal catlic-journal.jsonl
    assert journal.path == tmp_path / "catlic-journal.db"
    assert journal.requested_udis("stack1") == {"PID:C9300X-24HX,SN:FOC2519L8R7"}
    assert journal.installed_codes("stack1") == {"PID:C9300X-24HX,SN:FOC2519L8R7": "72ad37d5"}
    journal.append("stack1", "install-slac", "verified")

    for name in ("catlic-journal.jsonl", "catlic-journal.db"):  # reopened by either name: no second import
        assert [r.step for r in Journal(tmp_path / name).records("stack1")] == [
            "slac-requested",
            "slac-installed",
            "verified",
        ]
    assert old.read_text(encoding="utf-8") == OLD_LINES, "the old file is kept as it was"
    out = io.StringIO()
    Journal(old).export(out)
    assert out.getvalue().startswith(OLD_LINES), "exported as the old journal wrote it"


def test_catlic_journal_export_reads_an_old_journal_in_the_working_folder(tmp_path: Path) -> None:
    (tmp_path / "catlic-journal.jsonl").write_text(OLD_LINES, encoding="utf-8")
    exported = run_catlic("journal", "export", "--host", "stack1", cwd=tmp_path, in_process=True)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == OLD_LINES
    assert "2 record(s) exported" in exported.stderr
    to_file = run_catlic("journal", "export", "archive.jsonl", cwd=tmp_path, in_process=True)
    assert to_file.returncode == 0, to_file.stderr
    assert (tmp_path / "archive.jsonl").read_text(encoding="utf-8") == OLD_LINES
    assert (tmp_path / "archive.jsonl").stat().st_mode & 0o777 == 0o600


SUBMITTER = textwrap.dedent(
    """\
    import sys, time
    from nornir_catlic.portal import ExchangeKind, FileDropPortal
    start = float(sys.argv[2])
    time.sleep(max(0.0, start - time.time()))
    from nornir_catlic.store import Store
    store = Store(sys.argv[3]) if len(sys.argv) > 3 else None
    submission = FileDropPortal(sys.argv[1], store=store).submit(
        "stack1", ExchangeKind.USAGE_REPORT, "the same usage report", filename="rum.txt"
    )
    print(submission.id, flush=True)
    """
)


@pytest.mark.parametrize("shared", [False, True], ids=["own-index", "shared-store"])
def test_two_processes_submitting_one_file_to_a_portal_make_one_submission(
    tmp_path: Path, shared: bool, request: pytest.FixtureRequest
) -> None:
    """The portal's own SQLite index, or a store on a PostgreSQL server shared by both."""
    url = [str(request.getfixturevalue("postgresql_url"))] if shared else []
    start = time.time() + 1.0
    submitters = [
        subprocess.Popen(
            [sys.executable, "-c", SUBMITTER, str(tmp_path / "portal"), str(start), *url],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    ids = [submitter.communicate(timeout=120)[0].strip() for submitter in submitters]
    assert ids[0] == ids[1] != ""
    portal = FileDropPortal(tmp_path / "portal", store=Store(url[0]) if url else None)
    [awaited] = portal.awaited("stack1")
    assert awaited.id == ids[0] and awaited.kind is ExchangeKind.USAGE_REPORT
    assert "rum.txt" in (tmp_path / "portal" / "OPERATOR.txt").read_text()


def test_a_store_made_by_a_newer_catlic_is_refused(store_url: str) -> None:
    journal = Journal(store_url)
    journal.append("sw1", "audit", "show")
    journal.close()
    with Store(store_url).write() as connection:
        connection.execute(update(schema_version).values(version=SCHEMA_VERSION + 1))
    with pytest.raises(JournalError, match="made by a newer catlic"):
        Journal(store_url).records()


def test_the_working_files_of_a_host_are_indexed_once_per_content(tmp_path: Path, store_url: str) -> None:
    journal = Journal(store_url)
    folder = tmp_path / "catlic-files" / "hosts" / "stack1"
    folder.mkdir(parents=True)
    (folder / "slac-request.txt").write_text("request")
    (folder / "usage-ack.txt").write_text("ack")
    assert journal.index_files("stack1", folder) == 2
    assert journal.index_files("stack1", folder) == 0, "the same files again: nothing new"
    (folder / "usage-ack.txt").write_text("a newer ack")
    assert journal.index_files("stack1", folder) == 1
    assert [path.name for _, path, _ in journal.files("stack1")] == [
        "slac-request.txt",
        "usage-ack.txt",
        "usage-ack.txt",
    ]
    assert journal.files("other") == []


def test_the_schema_has_its_tables_and_indexes(store_url: str) -> None:
    store = Store(store_url)
    with store.write():
        pass  # the first write creates the schema
    with store.read() as connection:
        inspector = inspect(connection)
        tables = set(inspector.get_table_names())
        indexes = {index["name"] for table in tables for index in inspector.get_indexes(table)}
        version = connection.execute(select(schema_version.c.version)).scalar()
    assert tables == {
        "schema_version",
        "journal_records",
        "imports",
        "portal_submissions",
        "host_locks",
        "working_files",
        "poll_handles",
        "history_runs",
        "history_snapshots",
        "history_spans",
    }
    assert indexes >= {
        "journal_by_host",
        "journal_by_step",
        "portal_by_host",
        "portal_open",
        "poll_by_handle",
    }
    assert version == SCHEMA_VERSION
    if store.path is not None:
        assert store.path.stat().st_mode & 0o777 == 0o600


def test_an_old_portals_records_are_imported_once_and_kept(tmp_path: Path) -> None:
    """A portal an older catlic kept its records in (``.portal/<host>/<id>.json``) resumes as it was."""
    old = Submission(
        id="20261128T060000Z-slac-request-abc123",
        host="stack1",
        kind=ExchangeKind.SLAC_REQUEST,
        file="slac-request.txt",
        udis=("PID:C9300X-24HX,SN:FOC2519L8R7",),
        expected_answers=1,
        submitted_at=dt.datetime(2026, 11, 28, 6, 0, tzinfo=dt.UTC),
    )
    record = tmp_path / "portal" / ".portal" / "stack1" / f"{old.id}.json"
    record.parent.mkdir(parents=True)
    record.write_text(old.model_dump_json(indent=2))

    assert FileDropPortal(tmp_path / "portal").awaited("stack1") == [old]
    portal = FileDropPortal(tmp_path / "portal")
    portal.complete(old)
    assert portal.awaited() == [] and len(FileDropPortal(tmp_path / "portal").submissions()) == 1
    assert record.is_file(), "the old record is kept"


def test_the_locks_go_to_the_database_catlic_store_names(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(locks.STORE_ENV, store_url)
    with locks.host_lock("sw7", hostname="10.0.0.7", port=22, wait=None) as facts:
        rows = Store(store_url).rows(select(host_locks))
        assert [(row.key, row.token) for row in rows] == [("10.0.0.7_22", facts.token)]
    assert Store(store_url).rows(select(host_locks)) == []
