"""One switch as one run saw it: the typed license state, the findings of an audit, or why it was not read.

The unit the history records, diffs, reports on and exports as metrics.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel

from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.findings import Finding
from nornir_catlic.tasks.audit import DeviceAudit, FleetAudit


class RunKind(StrEnum):
    """The read-only workflows whose runs the history records."""

    STATE = "state"
    AUDIT = "audit"


class HostSnapshot(BaseModel):
    """One switch in one run.

    Attributes:
        taken_at: when the switch was read (UTC).
        state: the license state; ``None`` when the switch could not be read.
        findings: the audit's findings, most severe first; ``None`` on a state run (not audited).
        error: why the switch could not be read (unreachable, refused, unreadable output); ``None`` when read.
    """

    host: str
    taken_at: dt.datetime
    state: LicenseState | None = None
    findings: list[Finding] | None = None
    error: str | None = None

    @property
    def reachable(self) -> bool:
        return self.error is None

    @classmethod
    def of_audit(cls, device: DeviceAudit) -> HostSnapshot:
        return cls(host=device.host, taken_at=device.audited_at, state=device.state, findings=device.findings)

    @classmethod
    def of_state(cls, state: LicenseState, taken_at: dt.datetime) -> HostSnapshot:
        return cls(host=state.host, taken_at=taken_at, state=state)

    @classmethod
    def unreachable(cls, host: str, taken_at: dt.datetime, error: str) -> HostSnapshot:
        return cls(host=host, taken_at=taken_at, error=error)


def snapshots_of_audit(fleet: FleetAudit, taken_at: dt.datetime) -> dict[str, HostSnapshot]:
    """Every host of a fleet audit, read or not, by host name."""
    snapshots = {host: HostSnapshot.of_audit(device) for host, device in fleet.devices.items()}
    for host, error in fleet.hosts_failed.items():
        snapshots[host] = HostSnapshot.unreachable(host, taken_at, error)
    return dict(sorted(snapshots.items()))
