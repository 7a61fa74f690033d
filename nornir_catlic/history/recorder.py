"""Record a run: one row for the run, each new snapshot body once, and each host's span moved or started.

A span is a host seen with one snapshot in consecutive runs of one kind. Recording run R of kind K moves
the end of a host's span to R when the host's span ended at the previous run of kind K with the same
digest; otherwise (the host changed, is new, or was not in that run) it starts a span at R. A year of
daily audits of mostly unchanged switches is then a few spans per switch, not one row per switch per day.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from sqlalchemy import Connection, bindparam, func, insert, select, update

from nornir_catlic.history.bodies import store_new
from nornir_catlic.history.codec import EncodedSnapshot, encode
from nornir_catlic.history.snapshot import HostSnapshot, RunKind
from nornir_catlic.history.summary import summarize
from nornir_catlic.store import Store
from nornir_catlic.store.schema import history_runs, history_spans

_CHUNK = 500  # bound parameters per IN (...) list: well under SQLite's limit


def record_run(
    store: Store,
    *,
    kind: RunKind,
    started_at: dt.datetime,
    finished_at: dt.datetime,
    command: str,
    snapshots: Mapping[str, HostSnapshot],
) -> int:
    """Record one run of ``kind`` with each host's snapshot, in one transaction; returns the run's id.

    Args:
        started_at, finished_at: when the run started and ended (aware; stored in UTC).
        command: the words the run was started with (``catlic audit --filter site-a``).
        snapshots: host -> its snapshot; hosts not read are recorded too (their ``error``).
    """
    encoded = [encode(snapshot) for _, snapshot in sorted(snapshots.items())]
    summary = summarize(0, kind, started_at, snapshots.values())
    with store.write() as connection:
        run_id = _insert_run(
            connection, kind, started_at, finished_at, command, summary.model_dump(mode="json")
        )
        previous = connection.execute(
            select(func.max(history_runs.c.id)).where(
                history_runs.c.kind == kind.value, history_runs.c.id < run_id
            )
        ).scalar()
        open_spans = _spans_ending_at(connection, previous) if previous is not None else {}
        last = _last_digests(connection, kind, encoded, open_spans)
        changed = sum(last.get(snapshot.host) != snapshot.digest for snapshot in encoded)
        moved: list[int] = []
        started: list[EncodedSnapshot] = []
        for snapshot in encoded:
            span = open_spans.get(snapshot.host)
            if span is not None and span[0] == snapshot.digest:
                moved.append(span[1])
            else:
                started.append(snapshot)
        if moved:
            connection.execute(
                update(history_spans)
                .where(history_spans.c.id == bindparam("span"))
                .values(last_run_id=run_id),
                [{"span": span_id} for span_id in moved],
            )
        if started:
            store_new(connection, started, last)
            connection.execute(
                insert(history_spans),
                [
                    {
                        "host": s.host,
                        "kind": kind.value,
                        "digest": s.digest,
                        "first_run_id": run_id,
                        "last_run_id": run_id,
                    }
                    for s in started
                ],
            )
        connection.execute(
            update(history_runs).where(history_runs.c.id == run_id).values(hosts_changed=changed)
        )
    return run_id


def _insert_run(
    connection: Connection,
    kind: RunKind,
    started_at: dt.datetime,
    finished_at: dt.datetime,
    command: str,
    summary: Mapping[str, object],
) -> int:
    by_severity = summary["by_severity"]
    assert isinstance(by_severity, dict)
    result = connection.execute(
        insert(history_runs).values(
            kind=kind.value,
            started_at=utc_text(started_at),
            finished_at=utc_text(finished_at),
            command=command,
            hosts_total=summary["hosts_total"],
            hosts_read=summary["hosts_read"],
            hosts_compliant=summary["hosts_compliant"],
            hosts_changed=0,
            by_severity=json.dumps(by_severity),
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _spans_ending_at(connection: Connection, run_id: int) -> dict[str, tuple[str, int]]:
    """host -> (digest, span id) of the spans that end at ``run_id``."""
    rows = connection.execute(
        select(history_spans.c.host, history_spans.c.digest, history_spans.c.id).where(
            history_spans.c.last_run_id == run_id
        )
    )
    return {row.host: (row.digest, row.id) for row in rows}


def _last_digests(
    connection: Connection,
    kind: RunKind,
    encoded: list[EncodedSnapshot],
    open_spans: Mapping[str, tuple[str, int]],
) -> dict[str, str]:
    """host -> digest of its last snapshot of ``kind``: its open span's, else (a host not in the previous
    run: few, usually) its newest span's."""
    last = {host: digest for host, (digest, _) in open_spans.items()}
    missing = [snapshot.host for snapshot in encoded if snapshot.host not in open_spans]
    newest: dict[str, tuple[int, str]] = {}
    for start in range(0, len(missing), _CHUNK):
        rows = connection.execute(
            select(history_spans.c.host, history_spans.c.digest, history_spans.c.last_run_id).where(
                history_spans.c.host.in_(missing[start : start + _CHUNK]), history_spans.c.kind == kind.value
            )
        )
        for row in rows:
            if row.host not in newest or newest[row.host][0] < row.last_run_id:
                newest[row.host] = (row.last_run_id, row.digest)
    last.update((host, digest) for host, (_, digest) in newest.items())
    return last


def utc_text(moment: dt.datetime) -> str:
    """A moment as the store keeps it: ISO 8601 in UTC (sorts as it reads)."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no time zone")
    return moment.astimezone(dt.timezone.utc).isoformat()
