"""What each switch's newest snapshot says, as Prometheus metric families.

Every label comes from a bounded set: the inventory's host name, a member's UDI and role, a license's name
and entitlement tag as the device prints them (Cisco's catalogue), and the enums of usage status, severity
and finding code. Free text (messages, errors, account names, URLs) never becomes a label.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

from prometheus_client.core import GaugeMetricFamily, Metric

from nornir_catlic.history.snapshot import HostSnapshot
from nornir_catlic.models.state import LicenseState

HOST = "host"


def host_families(snapshots: Mapping[str, HostSnapshot]) -> list[Metric]:
    """The per-switch metric families of ``snapshots`` (the newest snapshot per host)."""
    up = GaugeMetricFamily(
        "catlic_up", "1 when the last refresh read the switch, 0 when it could not.", labels=[HOST]
    )
    read_at = GaugeMetricFamily(
        "catlic_host_read_timestamp_seconds",
        "When the state shown for the switch was read (Unix time); older than the last refresh while down.",
        labels=[HOST],
    )
    deadline = GaugeMetricFamily(
        "catlic_next_ack_deadline_timestamp_seconds",
        "The switch's Next ACK deadline (Unix time); absent when it prints none or its zone is unknown.",
        labels=[HOST],
    )
    next_push = GaugeMetricFamily(
        "catlic_next_report_push_timestamp_seconds",
        "When the switch pushes its next usage report (Unix time); absent when it does not push.",
        labels=[HOST],
    )
    last_ack = GaugeMetricFamily(
        "catlic_last_ack_received_timestamp_seconds",
        "When the switch last received an ACK of its usage report (Unix time); absent when never.",
        labels=[HOST],
    )
    ack_required = GaugeMetricFamily(
        "catlic_reporting_ack_required",
        "1 when the switch's policy requires an ACK of its usage reports, 0 when not.",
        labels=[HOST],
    )
    licenses = GaugeMetricFamily(
        "catlic_license_count",
        "Licenses of one entitlement the switch counts, by the status it prints (IN USE, NOT IN USE...).",
        labels=[HOST, "license", "entitlement", "status"],
    )
    slac = GaugeMetricFamily(
        "catlic_slac_installed",
        "1 when the member (UDI) holds a SLAC for the HSECK9 key, 0 when not.",
        labels=[HOST, "udi", "role"],
    )
    hseck9_in_use = GaugeMetricFamily(
        "catlic_hseck9_in_use",
        "1 when a cryptographic feature uses the HSECK9 key, 0 when not.",
        labels=[HOST],
    )
    findings = GaugeMetricFamily(
        "catlic_findings",
        "Findings of the switch's last audit, by severity and code (only the codes found).",
        labels=[HOST, "severity", "code"],
    )
    compliant = GaugeMetricFamily(
        "catlic_host_compliant",
        "1 when the switch's last audit found nothing of severity error or critical, 0 when it did.",
        labels=[HOST],
    )
    for host, snapshot in snapshots.items():
        up.add_metric([host], 1.0 if snapshot.reachable else 0.0)
        state = snapshot.state
        if state is None:
            continue
        read_at.add_metric([host], snapshot.taken_at.timestamp())
        _add_moment(deadline, host, state.next_ack_deadline)
        reporting = state.reporting
        if reporting is not None:
            _add_moment(next_push, host, reporting.next_report_push)
        _add_moment(last_ack, host, state.last_ack_received)
        if state.policy is not None and state.policy.reporting_ack_required is not None:
            ack_required.add_metric([host], float(state.policy.reporting_ack_required))
        for labels, count in _license_counts(state):
            licenses.add_metric([host, *labels], count)
        for member in state.members.values():
            role = member.role.value if member.role is not None else ""
            slac.add_metric([host, str(member.udi), role], 1.0 if member.slac_installed else 0.0)
        if state.hsec.usage_status is not None:
            hseck9_in_use.add_metric([host], 1.0 if state.hsec.in_use else 0.0)
        if snapshot.findings is not None:
            _add_findings(findings, host, snapshot)
            compliant.add_metric([host], 0.0 if any(f.blocking for f in snapshot.findings) else 1.0)
    return [
        up,
        read_at,
        deadline,
        next_push,
        last_ack,
        ack_required,
        licenses,
        slac,
        hseck9_in_use,
        findings,
        compliant,
    ]


def _add_moment(family: GaugeMetricFamily, host: str, value: object) -> None:
    """A device time as Unix seconds; a time without a known offset (or text) is left out, not guessed."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        family.add_metric([host], value.timestamp())


def _license_counts(state: LicenseState) -> Iterable[tuple[tuple[str, str, str], float]]:
    """(license, entitlement, status) -> count; entries the device prints twice are added up."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for entry in state.usage:
        status = entry.status.value if entry.status is not None else ""
        counts[(entry.name, entry.entitlement_tag or "", status)] += entry.count or 0
    return sorted((labels, float(count)) for labels, count in counts.items())


def _add_findings(family: GaugeMetricFamily, host: str, snapshot: HostSnapshot) -> None:
    counts = Counter((finding.severity.value, finding.code.value) for finding in snapshot.findings or ())
    for (severity, code), count in sorted(counts.items()):
        family.add_metric([host, severity, code], float(count))
