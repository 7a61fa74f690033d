"""Changes between recorded runs, and along a host's timeline: the store's queries fed to :mod:`changes`.

Two runs are compared by digest first: only the hosts whose snapshot differs are decoded, so a diff of
two runs of 10,000 mostly unchanged switches decodes a few hundred snapshots, not 20,000.
"""

from __future__ import annotations

from dataclasses import dataclass

from nornir_catlic.history.changes import Change, changes, fleet_changes
from nornir_catlic.history.queries import TimelineEntry, fleet_at, fleet_digests
from nornir_catlic.store import Store


def diff_runs(store: Store, before_run_id: int, after_run_id: int) -> dict[str, list[Change]]:
    """host -> what changed from run ``before_run_id`` to run ``after_run_id``, hosts that changed only.

    A host in only one of the runs appeared or is gone; findings compare when both runs are audits.
    """
    before_digests = fleet_digests(store, before_run_id)
    after_digests = fleet_digests(store, after_run_id)
    differing = {
        host
        for host in set(before_digests) | set(after_digests)
        if before_digests.get(host) != after_digests.get(host)
    }
    if not differing:
        return {}
    return fleet_changes(fleet_at(store, before_run_id, differing), fleet_at(store, after_run_id, differing))


@dataclass(frozen=True)
class TimelineStep:
    """A snapshot of a host's timeline and what changed since the snapshot before it (``None``: the first
    snapshot shown, the baseline)."""

    entry: TimelineEntry
    changes: list[Change] | None


def timeline_changes(entries: list[TimelineEntry]) -> list[TimelineStep]:
    """Each snapshot of a host's timeline with its changes. State and audit runs interleave: the state is
    compared with the previous snapshot of either kind, findings with the previous audit's."""
    steps: list[TimelineStep] = []
    previous = None
    last_findings = None
    for entry in entries:
        snapshot = entry.snapshot
        if previous is None:
            steps.append(TimelineStep(entry, None))
        else:
            before = previous.model_copy(update={"findings": last_findings})
            steps.append(TimelineStep(entry, changes(before, snapshot)))
        previous = snapshot
        if snapshot.findings is not None:
            last_findings = snapshot.findings
        elif snapshot.error is not None:
            last_findings = None  # not read: its findings are unknown until the next audit reads it
    return steps
