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


UP = "catlic_up"
READ_AT = "catlic_host_read_timestamp_seconds"
DEADLINE = "catlic_next_ack_deadline_timestamp_seconds"
NEXT_PUSH = "catlic_next_report_push_timestamp_seconds"
LAST_ACK = "catlic_last_ack_received_timestamp_seconds"
ACK_REQUIRED = "catlic_reporting_ack_required"
LICENSES = "catlic_license_count"
SLAC = "catlic_slac_installed"
HSECK9_IN_USE = "catlic_hseck9_in_use"
FINDINGS = "catlic_findings"
COMPLIANT = "catlic_host_compliant"

_SERIES: dict[str, tuple[str, tuple[str, ...]]] = {
    UP: ("1 when the last refresh read the switch, 0 when it could not.", ()),
    READ_AT: ("When the state shown was read (Unix time); older than the last refresh while down.", ()),
    DEADLINE: ("The switch's Next ACK deadline (Unix time); absent when none or its zone is unknown.", ()),
    NEXT_PUSH: ("When the switch pushes its next usage report (Unix time); absent when it does not.", ()),
    LAST_ACK: ("When the switch last received an ACK of its usage report (Unix time); absent if never.", ()),
    ACK_REQUIRED: ("1 when the switch's policy requires ACKs of its usage reports, 0 when not.", ()),
    LICENSES: (
        "Licenses of one entitlement the switch counts, by the status it prints (IN USE, NOT IN USE...).",
        ("license", "entitlement", "status"),
    ),
    SLAC: ("1 when the member (UDI) holds a SLAC for the HSECK9 key, 0 when not.", ("udi", "role")),
    HSECK9_IN_USE: ("1 when a cryptographic feature uses the HSECK9 key, 0 when not.", ()),
    FINDINGS: (
        "Findings of the last audit by severity and code (only the codes found).",
        ("severity", "code"),
    ),
    COMPLIANT: ("1 when the switch's last audit found nothing of severity error or critical, else 0.", ()),
}
"""Each per-switch family: its help, and its labels after ``host``."""


def host_families(snapshots: Mapping[str, HostSnapshot]) -> list[Metric]:
    """The per-switch metric families of ``snapshots`` (the newest snapshot per host)."""
    family = {
        name: GaugeMetricFamily(name, documentation, labels=[HOST, *labels])
        for name, (documentation, labels) in _SERIES.items()
    }
    for host, snapshot in snapshots.items():
        family[UP].add_metric([host], 1.0 if snapshot.reachable else 0.0)
        state = snapshot.state
        if state is None:
            continue
        family[READ_AT].add_metric([host], snapshot.taken_at.timestamp())
        _add_moment(family[DEADLINE], host, state.next_ack_deadline)
        _add_moment(family[NEXT_PUSH], host, state.reporting.next_report_push if state.reporting else None)
        _add_moment(family[LAST_ACK], host, state.last_ack_received)
        if state.policy is not None and state.policy.reporting_ack_required is not None:
            family[ACK_REQUIRED].add_metric([host], float(state.policy.reporting_ack_required))
        for labels, count in _license_counts(state):
            family[LICENSES].add_metric([host, *labels], count)
        for member in state.members.values():
            role = member.role.value if member.role is not None else ""
            family[SLAC].add_metric([host, str(member.udi), role], 1.0 if member.slac_installed else 0.0)
        if state.hsec.usage_status is not None:
            family[HSECK9_IN_USE].add_metric([host], 1.0 if state.hsec.in_use else 0.0)
        if snapshot.findings is not None:
            _add_findings(family[FINDINGS], host, snapshot)
            breach = any(finding.blocking for finding in snapshot.findings)
            family[COMPLIANT].add_metric([host], 0.0 if breach else 1.0)
    return list(family.values())


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
