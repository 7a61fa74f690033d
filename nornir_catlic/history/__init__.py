"""Fleet history: what each state and audit run learnt of each switch, kept in the store, and what changed.

Record a run with :func:`record_run` (``catlic state`` and ``catlic audit`` do); read it back with
:func:`runs`, :func:`fleet_at`, :func:`latest` (the newest snapshot of each host) and :func:`trend` (each
run counted); compare with :func:`changes` (two snapshots of a host), :func:`diff_runs` (two runs) and
:func:`timeline_changes` (a host's timeline); keep it bounded with :func:`prune`. The store is the one
:func:`nornir_catlic.locks.lock_store` opens (``$CATLIC_HOME/catlic.db`` or ``$CATLIC_STORE``).
"""

from nornir_catlic.durations import parse_duration
from nornir_catlic.history.changes import Change, ChangeKind, changes, fleet_changes
from nornir_catlic.history.diff import TimelineStep, diff_runs, timeline_changes
from nornir_catlic.history.queries import (
    RecordedRun,
    TimelineEntry,
    fleet_at,
    fleet_digests,
    latest,
    newest_run,
    run,
    run_as_of,
    runs,
    snapshot_at,
    timeline,
    trend,
)
from nornir_catlic.history.recorder import record_run
from nornir_catlic.history.retention import KEEP_ENV, Pruned, parse_when, prune
from nornir_catlic.history.snapshot import HostSnapshot, RunKind, snapshots_of_audit
from nornir_catlic.history.summary import RunSummary, summarize

__all__ = [
    "KEEP_ENV",
    "Change",
    "ChangeKind",
    "HostSnapshot",
    "Pruned",
    "RecordedRun",
    "RunKind",
    "RunSummary",
    "TimelineEntry",
    "TimelineStep",
    "changes",
    "diff_runs",
    "fleet_at",
    "fleet_changes",
    "fleet_digests",
    "latest",
    "newest_run",
    "parse_duration",
    "parse_when",
    "prune",
    "record_run",
    "run",
    "run_as_of",
    "runs",
    "snapshot_at",
    "snapshots_of_audit",
    "summarize",
    "timeline",
    "timeline_changes",
    "trend",
]
