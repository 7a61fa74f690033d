"""One read-only pass over the inventory: the audit on every switch, as a snapshot per host."""

from __future__ import annotations

import datetime as dt

from nornir.core import Nornir

from nornir_catlic.history.snapshot import HostSnapshot, snapshots_of_audit
from nornir_catlic.journal import Journal
from nornir_catlic.tasks.audit import catlic_audit, summarize_audit
from nornir_catlic.transport import closing_session


def audit_snapshots(
    nornir: Nornir, *, warn_days: int = 30, journal: Journal | None = None
) -> dict[str, HostSnapshot]:
    """Audit every host of ``nornir`` as ``catlic audit`` does (each session closed when its host is done).

    Hosts that failed an earlier pass are tried again: a switch down at one refresh is read at the next.
    """
    taken_at = dt.datetime.now(dt.timezone.utc)
    nornir.data.reset_failed_hosts()
    results = nornir.run(
        task=closing_session(catlic_audit),
        name="catlic exporter refresh",
        warn_days=warn_days,
        journal=journal,
    )
    return snapshots_of_audit(summarize_audit(results), taken_at)
