"""Snapshots made in code, shaped as the lab's switches read: a stack whose standby lacks its SLAC."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from nornir_catlic import interrupts
from nornir_catlic.history.snapshot import HostSnapshot
from nornir_catlic.models.common import Role
from nornir_catlic.models.license import Policy, SlacStatus, UsageReporting, UsageStatus
from nornir_catlic.models.state import HsecState, LicensedMember, LicenseState, LicenseUsageEntry
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.findings import Finding, Severity

TAKEN_AT = dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.timezone.utc)
DEADLINE = dt.datetime(2027, 3, 5, 2, 0, tzinfo=dt.timezone.utc)
MESSAGE = "Switch 2 holds no SLAC while the key is in use: a switchover loses IPsec"


def stack_snapshot(host: str, *, taken_at: dt.datetime = TAKEN_AT) -> HostSnapshot:
    """A two-member C9300X stack: SLAC on the active only, HSECK9 in use, two findings."""
    members = {
        f"{host.upper()}01": LicensedMember(
            serial=f"{host.upper()}01",
            pid="C9300X-24HX",
            roles=[Role.ACTIVE],
            slac_status=SlacStatus.INSTALLED,
        ),
        f"{host.upper()}02": LicensedMember(
            serial=f"{host.upper()}02",
            pid="C9300X-48HXN",
            roles=[Role.STANDBY],
            slac_status=SlacStatus.NOT_INSTALLED,
        ),
    }
    usage = [
        LicenseUsageEntry(name=name, entitlement_tag=tag, count=1, status=UsageStatus.IN_USE)
        for name, tag in (
            ("network-advantage", "C9300-24 Network Advantage"),
            ("network-advantage", "C9300-48 Network Advantage"),
            ("dna-advantage", "C9300-24 DNA Advantage"),
            ("dna-advantage", "C9300-48 DNA Advantage"),
            ("C9K HSEC", "Cat9K HSEC"),
        )
    ]
    state = LicenseState(
        host=host,
        members=members,
        usage=usage,
        policy=Policy(reporting_ack_required=True),
        reporting=UsageReporting(
            last_ack_received=TAKEN_AT - dt.timedelta(days=1),
            next_ack_deadline=DEADLINE,
            next_report_push=TAKEN_AT + dt.timedelta(days=30),
        ),
        hsec=HsecState(authorized_count=1, usage_count=1, usage_status=UsageStatus.IN_USE),
    )
    findings = [
        Finding(
            code=FindingCode.STANDBY_NOT_AUTHORIZED, severity=Severity.WARNING, subject=host, message=MESSAGE
        ),
        Finding(code=FindingCode.HSEC_KEYS_REQUIRED, severity=Severity.INFO, subject=host, message="keys"),
    ]
    return HostSnapshot(host=host, taken_at=taken_at, state=state, findings=findings)


def down_snapshot(host: str, error: str = "connection refused") -> HostSnapshot:
    return HostSnapshot.unreachable(host, TAKEN_AT, error)


class Fleet:
    """A fleet read (what :func:`~nornir_catlic.metrics.audit_snapshots` is over SSH) that returns the
    snapshots the test sets, or raises the error it sets."""

    def __init__(self, snapshots: Mapping[str, HostSnapshot]) -> None:
        self.snapshots = dict(snapshots)
        self.error: Exception | None = None
        self.stop_while_reading = False

    def __call__(self) -> Mapping[str, HostSnapshot]:
        if self.stop_while_reading:
            interrupts.request_stop()
        if self.error is not None:
            raise self.error
        return dict(self.snapshots)
