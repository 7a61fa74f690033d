"""What the history holds: runs, the fleet at a run, a host's timeline, the newest snapshots, the trend.

Every query reads the store in one transaction and decodes only the snapshot bodies it returns; a store
with no history (or not created yet) answers with nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, func, select

from nornir_catlic.history.bodies import load_texts
from nornir_catlic.history.codec import decode
from nornir_catlic.history.recorder import utc_text
from nornir_catlic.history.snapshot import HostSnapshot, RunKind
from nornir_catlic.history.summary import RunSummary
from nornir_catlic.rules.findings import Severity
from nornir_catlic.store import Store
from nornir_catlic.store.schema import history_runs, history_spans


@dataclass(frozen=True)
class RecordedRun:
    """A run as recorded.

    Attributes:
        id: the run's id, increasing with each run recorded (``catlic diff --run ID``).
        command: the words it was started with.
        hosts_changed: hosts whose snapshot differed from their previous one of the same kind (new hosts
            included).
        summary: the run counted (the compliance trend's point).
    """

    id: int
    kind: RunKind
    started_at: dt.datetime
    finished_at: dt.datetime
    command: str
    hosts_changed: int
    summary: RunSummary


@dataclass(frozen=True)
class TimelineEntry:
    """One snapshot of a host, and the runs that saw it unchanged (``first_run`` to ``last_run_id``)."""

    first_run: RecordedRun
    last_run_id: int
    snapshot: HostSnapshot


def runs(
    store: Store, *, since: dt.datetime | None = None, host: str | None = None, kind: RunKind | None = None
) -> list[RecordedRun]:
    """The runs recorded, oldest first: started at or after ``since``, of ``kind``, that recorded ``host``."""
    query = select(history_runs)
    if host is not None:
        query = query.join(
            history_spans,
            and_(
                history_spans.c.host == host,
                history_spans.c.kind == history_runs.c.kind,
                history_runs.c.id.between(history_spans.c.first_run_id, history_spans.c.last_run_id),
            ),
        )
    return [_recorded(row) for row in store.rows(_filtered(query, since, kind).order_by(history_runs.c.id))]


def run(store: Store, run_id: int) -> RecordedRun | None:
    """The run of that id, if recorded (and not pruned)."""
    found = store.rows(select(history_runs).where(history_runs.c.id == run_id))
    return _recorded(found[0]) if found else None


def newest_run(store: Store, *, kind: RunKind | None = None, before: int | None = None) -> RecordedRun | None:
    """The newest run (of ``kind``, with an id below ``before``)."""
    query = select(history_runs)
    if kind is not None:
        query = query.where(history_runs.c.kind == kind.value)
    if before is not None:
        query = query.where(history_runs.c.id < before)
    found = store.rows(query.order_by(history_runs.c.id.desc()).limit(1))
    return _recorded(found[0]) if found else None


def run_as_of(store: Store, moment: dt.datetime, *, kind: RunKind | None = None) -> RecordedRun | None:
    """The newest run (of ``kind``) started at or before ``moment``: the fleet as it was known then; the
    oldest run when none is that old."""
    query = select(history_runs)
    if kind is not None:
        query = query.where(history_runs.c.kind == kind.value)
    found = store.rows(
        query.where(history_runs.c.started_at <= utc_text(moment)).order_by(history_runs.c.id.desc()).limit(1)
    ) or store.rows(query.order_by(history_runs.c.id).limit(1))
    return _recorded(found[0]) if found else None


def fleet_digests(store: Store, run_id: int) -> dict[str, str]:
    """host -> digest of its snapshot in run ``run_id``: equal digests, equal snapshots (nothing decoded)."""
    if not store.exists():
        return {}
    with store.read() as connection:
        return _fleet_digests(connection, run_id)


def fleet_at(store: Store, run_id: int, hosts: Iterable[str] | None = None) -> dict[str, HostSnapshot]:
    """Every host of run ``run_id`` (or only ``hosts``) as that run saw it, by host name."""
    recorded = run(store, run_id)
    if recorded is None:
        return {}
    with store.read() as connection:
        digests = _fleet_digests(connection, run_id)
        if hosts is not None:
            chosen = set(hosts)
            digests = {host: digest for host, digest in digests.items() if host in chosen}
        texts = load_texts(connection, set(digests.values()))
    return {host: decode(texts[digest], recorded.started_at) for host, digest in sorted(digests.items())}


def snapshot_at(store: Store, host: str, run_id: int) -> HostSnapshot | None:
    """``host`` as run ``run_id`` saw it; ``None`` when that run did not record it."""
    return fleet_at(store, run_id, [host]).get(host)


def latest(store: Store, *, kind: RunKind | None = None) -> dict[str, HostSnapshot]:
    """The newest snapshot of every host ever recorded (of ``kind``), by host name: what an exporter
    serves before its first refresh. A host's ``taken_at`` is the start of the last run that saw it."""
    if not store.exists():
        return {}
    newest = select(history_spans.c.host, func.max(history_spans.c.last_run_id).label("last_run_id"))
    if kind is not None:
        newest = newest.where(history_spans.c.kind == kind.value)
    newest_per_host = newest.group_by(history_spans.c.host).subquery()
    query = (
        select(history_spans.c.host, history_spans.c.digest, history_runs.c.started_at)
        .join(
            newest_per_host,
            and_(
                history_spans.c.host == newest_per_host.c.host,
                history_spans.c.last_run_id == newest_per_host.c.last_run_id,
            ),
        )
        .join(history_runs, history_runs.c.id == history_spans.c.last_run_id)
    )
    with store.read() as connection:
        rows = list(connection.execute(query))
        texts = load_texts(connection, {row.digest for row in rows})
    return {
        row.host: decode(texts[row.digest], dt.datetime.fromisoformat(row.started_at))
        for row in sorted(rows, key=lambda row: row.host)
    }


def trend(store: Store, *, since: dt.datetime | None = None, kind: RunKind | None = None) -> list[RunSummary]:
    """Each run counted, oldest first (from the runs' rows: no snapshot is decoded)."""
    return [recorded.summary for recorded in runs(store, since=since, kind=kind)]


def timeline(store: Store, host: str, *, since: dt.datetime | None = None) -> list[TimelineEntry]:
    """Each distinct snapshot of ``host`` in the order first seen (every kind), with the runs that saw it;
    with ``since``, the snapshot seen then too (what the first change is measured from)."""
    if not store.exists():
        return []
    query = (
        select(history_spans.c.digest, history_spans.c.last_run_id, history_runs)
        .join(history_runs, history_runs.c.id == history_spans.c.first_run_id)
        .where(history_spans.c.host == host)
        .order_by(history_spans.c.first_run_id)
    )
    if since is not None:
        first_kept = select(func.min(history_runs.c.id)).where(history_runs.c.started_at >= utc_text(since))
        query = query.where(history_spans.c.last_run_id >= first_kept.scalar_subquery())
    with store.read() as connection:
        rows = list(connection.execute(query))
        texts = load_texts(connection, {row.digest for row in rows})
    entries = []
    for row in rows:
        first = _recorded(row)
        entries.append(TimelineEntry(first, row.last_run_id, decode(texts[row.digest], first.started_at)))
    return entries


# --- reading rows


def _filtered(query: Select[Any], since: dt.datetime | None, kind: RunKind | None) -> Select[Any]:
    if since is not None:
        query = query.where(history_runs.c.started_at >= utc_text(since))
    if kind is not None:
        query = query.where(history_runs.c.kind == kind.value)
    return query


def _fleet_digests(connection: Connection, run_id: int) -> dict[str, str]:
    kind = select(history_runs.c.kind).where(history_runs.c.id == run_id).scalar_subquery()
    rows = connection.execute(
        select(history_spans.c.host, history_spans.c.digest).where(
            history_spans.c.last_run_id >= run_id,
            history_spans.c.first_run_id <= run_id,
            history_spans.c.kind == kind,
        )
    )
    return {row.host: row.digest for row in rows}


def _recorded(row: Any) -> RecordedRun:
    kind = RunKind(row.kind)
    started_at = dt.datetime.fromisoformat(row.started_at)
    severities = json.loads(row.by_severity)
    return RecordedRun(
        id=row.id,
        kind=kind,
        started_at=started_at,
        finished_at=dt.datetime.fromisoformat(row.finished_at),
        command=row.command,
        hosts_changed=row.hosts_changed,
        summary=RunSummary(
            run_id=row.id,
            kind=kind,
            started_at=started_at,
            hosts_total=row.hosts_total,
            hosts_read=row.hosts_read,
            hosts_compliant=row.hosts_compliant,
            by_severity={severity: int(severities.get(severity.value, 0)) for severity in Severity},
        ),
    )
