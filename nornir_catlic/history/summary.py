"""One run of the fleet at a glance: the point a compliance trend is drawn from."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel

from nornir_catlic.history.snapshot import HostSnapshot, RunKind
from nornir_catlic.rules.findings import Severity


class RunSummary(BaseModel):
    """A recorded run, counted.

    Attributes:
        run_id: the run's id in the history (0 for a run not recorded).
        hosts_read: hosts whose state was read.
        hosts_compliant: audited hosts without an error or critical finding (0 on a state run).
        by_severity: findings per severity, every severity present.
    """

    run_id: int
    kind: RunKind
    started_at: dt.datetime
    hosts_total: int
    hosts_read: int
    hosts_compliant: int
    by_severity: dict[Severity, int]

    @property
    def compliance(self) -> float | None:
        """The share of read hosts that are compliant; ``None`` on a state run or when none was read."""
        if self.kind is not RunKind.AUDIT or not self.hosts_read:
            return None
        return self.hosts_compliant / self.hosts_read


def summarize(
    run_id: int, kind: RunKind, started_at: dt.datetime, snapshots: Iterable[HostSnapshot]
) -> RunSummary:
    """Count one run's snapshots."""
    total = read = compliant = 0
    severities: Counter[Severity] = Counter()
    for snapshot in snapshots:
        total += 1
        if not snapshot.reachable:
            continue
        read += 1
        if snapshot.findings is None:
            continue
        severities.update(finding.severity for finding in snapshot.findings)
        if not any(finding.blocking for finding in snapshot.findings):
            compliant += 1
    return RunSummary(
        run_id=run_id,
        kind=kind,
        started_at=started_at,
        hosts_total=total,
        hosts_read=read,
        hosts_compliant=compliant if kind is RunKind.AUDIT else 0,
        by_severity={severity: severities[severity] for severity in Severity},
    )
