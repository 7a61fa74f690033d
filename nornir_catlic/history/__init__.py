"""Fleet history: what each state and audit run learnt of each switch, kept in the store, and what changed."""

from nornir_catlic.history.snapshot import HostSnapshot, RunKind, snapshots_of_audit
from nornir_catlic.history.summary import RunSummary, summarize

__all__ = ["HostSnapshot", "RunKind", "RunSummary", "snapshots_of_audit", "summarize"]
