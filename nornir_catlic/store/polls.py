"""Poll handles of Cisco's asynchronous answers (``OK_POLL``), one row per switch a poll covers.

A handle is recorded (committed) before its first poll and marked answered or failed, with what Cisco
said, before the next step: a run killed while polling finds its open handles here and polls them again
instead of submitting again (Cisco rejects a duplicate usage report; a second SLAC request spends a key).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select, update

from nornir_catlic.store.database import Store
from nornir_catlic.store.schema import poll_handles

OPEN = "open"
ANSWERED = "answered"
FAILED = "failed"


@dataclass(frozen=True)
class PollRecord:
    """One switch's share of a poll.

    Attributes:
        kind: what was submitted (an exchange kind: ``slac-request``, ``slac-return``, ``usage-report``).
        answer: what Cisco answered for this switch (JSON text), once answered or failed.
    """

    kind: str
    host: str
    poll_id: str
    submitted_at: dt.datetime
    deadline: dt.datetime
    state: str
    answer: str | None = None


class PollHandles:
    """The store's ``poll_handles`` table."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record(
        self,
        kind: str,
        hosts: Iterable[str],
        poll_id: str,
        *,
        submitted_at: dt.datetime,
        deadline: dt.datetime,
    ) -> None:
        """Commit an open handle for every switch of ``hosts`` in one transaction, before the first poll."""
        rows = [
            {
                "kind": kind,
                "host": host,
                "poll_id": poll_id,
                "submitted_at": submitted_at.isoformat(),
                "deadline": deadline.isoformat(),
                "state": OPEN,
            }
            for host in dict.fromkeys(hosts)
        ]
        with self.store.write() as connection:
            connection.execute(insert(poll_handles), rows)

    def finish(self, poll_id: str, answers: dict[str, object], *, failed: Iterable[str] = ()) -> None:
        """Mark the poll's rows answered (or ``failed`` for those hosts), with each host's answer, committed
        before the next step."""
        failed_hosts = set(failed)
        with self.store.write() as connection:
            for row in connection.execute(
                select(poll_handles.c.id, poll_handles.c.host).where(
                    poll_handles.c.poll_id == poll_id, poll_handles.c.state == OPEN
                )
            ):
                connection.execute(
                    update(poll_handles)
                    .where(poll_handles.c.id == row.id)
                    .values(
                        state=FAILED if row.host in failed_hosts else ANSWERED,
                        answer=json.dumps(answers.get(row.host), sort_keys=True),
                    )
                )

    def open(self, kind: str | None = None) -> list[PollRecord]:
        """The handles not answered yet (of ``kind``), oldest first."""
        query = select(poll_handles).where(poll_handles.c.state == OPEN).order_by(poll_handles.c.id)
        if kind is not None:
            query = query.where(poll_handles.c.kind == kind)
        return [
            PollRecord(
                kind=row.kind,
                host=row.host,
                poll_id=row.poll_id,
                submitted_at=dt.datetime.fromisoformat(row.submitted_at),
                deadline=dt.datetime.fromisoformat(row.deadline),
                state=row.state,
                answer=row.answer,
            )
            for row in self.store.rows(query)
        ]
