"""The store's tables, in one place: what catlic keeps between runs, and the indexes its queries use.

Portable SQLAlchemy Core (SQLite, PostgreSQL): texts, integers and floats, and the history's compressed
snapshot bodies as binary. Times are ISO 8601 texts
in UTC (they sort as they read, and round-trip exactly); structured values are JSON texts written by the
library, so that ``catlic journal export`` gives back exactly what was appended.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, LargeBinary, MetaData, String, Table, Text

SCHEMA_VERSION = 2
"""Raised when a table or column changes; a store made by a newer catlic is refused, not misread. An older
store gains the tables it lacks when opened (version 2 added the history's three tables)."""

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("component", String(32), primary_key=True),
    Column("version", Integer, nullable=False),
)

journal_records = Table(
    "journal_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ts", String(40), nullable=False),
    Column("host", String(255), nullable=False),
    Column("workflow", String(64), nullable=False),
    Column("step", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("data", Text, nullable=False),
)
# Every resume query reads one host's records in order; the step index serves "the last X of this host".
Index("journal_by_host", journal_records.c.host, journal_records.c.id)
Index("journal_by_step", journal_records.c.host, journal_records.c.workflow, journal_records.c.step)

imports = Table(
    "imports",
    metadata,
    Column("source", String(255), primary_key=True),
    Column("imported_at", String(40), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("records", Integer, nullable=False),
    Column("problems", Text, nullable=False),
)
"""Files imported once (an old ``catlic-journal.jsonl``, an old portal's records), with what could not be."""

portal_submissions = Table(
    "portal_submissions",
    metadata,
    Column("portal", String(1024), primary_key=True),
    Column("id", String(128), primary_key=True),
    Column("host", String(255), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("file", String(255), nullable=False),
    Column("udis", Text, nullable=False),
    Column("expected_answers", Integer, nullable=False),
    Column("submitted_at", String(40), nullable=False),
    Column("completed_at", String(40), nullable=True),
)
# A host's submissions in order (resume, dedup); the open ones of the whole portal (OPERATOR.txt).
Index(
    "portal_by_host",
    portal_submissions.c.portal,
    portal_submissions.c.host,
    portal_submissions.c.submitted_at,
)
Index("portal_open", portal_submissions.c.portal, portal_submissions.c.completed_at)

host_locks = Table(
    "host_locks",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("host", String(255), nullable=False),
    Column("address", String(300), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("machine", String(255), nullable=False),
    Column("since", String(40), nullable=False),
    Column("command", Text, nullable=False),
    Column("process_started", Float, nullable=True),
    Column("token", String(32), nullable=False),
)
"""One row per switch held (the primary key is the switch's address): the row is the lock."""

working_files = Table(
    "working_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("host", String(255), nullable=False),
    Column("purpose", String(64), nullable=False),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("written_at", String(40), nullable=False),
)
"""Files a workflow kept beside its journal (requests fetched from a switch, ACKs put on it)."""
Index("working_files_by_host", working_files.c.host, working_files.c.id)

poll_handles = Table(
    "poll_handles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("host", String(255), nullable=False),
    Column("poll_id", String(255), nullable=False),
    Column("submitted_at", String(40), nullable=False),
    Column("deadline", String(40), nullable=False),
    Column("state", String(16), nullable=False),
    Column("answer", Text, nullable=True),
)
"""An asynchronous exchange with Cisco (an ``OK_POLL`` answer): a killed run resumes the same poll."""
Index("poll_by_handle", poll_handles.c.kind, poll_handles.c.host, poll_handles.c.poll_id, unique=True)
Index("poll_by_state", poll_handles.c.state, poll_handles.c.deadline)

# --- the fleet history (nornir_catlic.history): runs, snapshots stored once, and spans of unchanged runs

history_runs = Table(
    "history_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("started_at", String(40), nullable=False),
    Column("finished_at", String(40), nullable=False),
    Column("command", Text, nullable=False),
    Column("hosts_total", Integer, nullable=False),
    Column("hosts_read", Integer, nullable=False),
    Column("hosts_compliant", Integer, nullable=False),
    Column("hosts_changed", Integer, nullable=False),
    Column("by_severity", Text, nullable=False),
    sqlite_autoincrement=True,  # ids never reused after a prune: a span's run ids keep their meaning
)
"""One recorded ``state`` or ``audit`` run, counted when recorded: a trend reads these rows, no snapshot."""
Index("history_runs_by_time", history_runs.c.started_at)
Index("history_runs_by_kind", history_runs.c.kind, history_runs.c.id)

history_snapshots = Table(
    "history_snapshots",
    metadata,
    Column("digest", String(32), primary_key=True),
    Column("base", String(32), nullable=True),
    Column("depth", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
)
"""A host's snapshot (state, findings, error) as canonical JSON, keyed by its digest, stored once however
many runs saw it; zlib-compressed against the body ``base`` (the host's previous snapshot, ``depth`` links
from a body stored whole), or alone when ``base`` is NULL."""
Index("history_snapshots_by_base", history_snapshots.c.base)

history_spans = Table(
    "history_spans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("host", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("digest", String(32), nullable=False),
    Column("first_run_id", Integer, nullable=False),
    Column("last_run_id", Integer, nullable=False),
)
"""A host seen with one snapshot in consecutive runs of a kind, ``first_run_id`` to ``last_run_id``: an
unchanged host only moves ``last_run_id`` (a slowly changing dimension, type 2)."""
# A host's timeline; the fleet at a run (the spans still open at it); the blobs a prune may drop.
Index("history_spans_by_host", history_spans.c.host, history_spans.c.last_run_id)
Index("history_spans_by_last_run", history_spans.c.last_run_id, history_spans.c.first_run_id)
Index("history_spans_by_digest", history_spans.c.digest)
