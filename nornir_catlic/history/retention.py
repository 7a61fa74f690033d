"""How long the history keeps runs: ``prune`` drops runs started before a moment, and what only they used.

``CATLIC_HISTORY_KEEP`` (``400d``) prunes after each recorded run; ``catlic history prune --keep`` on demand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from nornir_catlic.durations import parse_duration
from nornir_catlic.history.bodies import drop_unused
from nornir_catlic.history.recorder import utc_text
from nornir_catlic.history.snapshot import RunKind
from nornir_catlic.store import Store
from nornir_catlic.store.schema import history_runs, history_spans

KEEP_ENV = "CATLIC_HISTORY_KEEP"
"""How long each recorded run keeps older runs (``400d``, ``12h``); unset: the history keeps every run."""


@dataclass(frozen=True)
class Pruned:
    """What a prune dropped."""

    runs: int
    spans: int
    snapshots: int


def parse_when(text: str, now: dt.datetime) -> dt.datetime:
    """A moment: a duration before ``now`` (``7d``, ``12h``), or an ISO date or date and time (UTC unless
    it says otherwise).

    Raises:
        ValueError: for anything else, with the forms accepted.
    """
    try:
        return now - parse_duration(text)
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is neither a duration (7d, 12h, 1h30m) nor an ISO date (2026-12-01, 2026-12-01T08:00)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


def prune(store: Store, *, older_than: dt.datetime) -> Pruned:
    """Drop the runs started before ``older_than``, the spans only they covered and the snapshots no span
    uses any more, in one transaction. A span that reaches a kept run is kept, starting at that run."""
    if not store.exists():
        return Pruned(0, 0, 0)
    with store.write() as connection:
        runs = connection.execute(
            delete(history_runs).where(history_runs.c.started_at < utc_text(older_than))
        ).rowcount
        if not runs:
            return Pruned(0, 0, 0)
        spans = 0
        for kind in RunKind:
            oldest = connection.execute(
                select(func.min(history_runs.c.id)).where(history_runs.c.kind == kind.value)
            ).scalar()
            of_kind = history_spans.c.kind == kind.value
            if oldest is None:
                spans += connection.execute(delete(history_spans).where(of_kind)).rowcount
                continue
            spans += connection.execute(
                delete(history_spans).where(of_kind, history_spans.c.last_run_id < oldest)
            ).rowcount
            connection.execute(
                update(history_spans)
                .where(of_kind, history_spans.c.first_run_id < oldest)
                .values(first_run_id=oldest)
            )
        snapshots = drop_unused(connection)
    return Pruned(runs, spans, snapshots)
