"""What the HTML report shows, computed from a fleet audit and the recorded runs: typed, nothing rendered.

Every string here may come from a switch (host names, license names, serials, messages quoting device
text): the renderer escapes them all; nothing here is markup.
"""

from __future__ import annotations

import datetime as dt
import string
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import cache

from pydantic import BaseModel

from nornir_catlic.domain import hseck9_support
from nornir_catlic.history.summary import RunSummary
from nornir_catlic.models.license import UsageStatus
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.catalog import CATALOG, DEFAULT
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.findings import Finding, Severity
from nornir_catlic.tasks.audit import DeviceAudit, FleetAudit

SEVERITIES_WORST_FIRST = sorted(Severity, key=lambda severity: -severity.rank)


class FleetSummary(BaseModel):
    """The fleet at a glance.

    Attributes:
        hosts_compliant: audited hosts without an error or critical finding.
        hosts_by_worst: per severity (worst first), the number of hosts whose worst finding has it.
    """

    hosts_total: int
    hosts_audited: int
    hosts_failed: int
    hosts_clean: int
    hosts_compliant: int
    findings_by_severity: dict[Severity, int]
    hosts_by_worst: dict[Severity, int]

    @property
    def compliance(self) -> float | None:
        return self.hosts_compliant / self.hosts_audited if self.hosts_audited else None


class FailedHost(BaseModel):
    host: str
    reason: str


class CodeRow(BaseModel):
    """One finding code at one severity across the fleet, with the guide's remedy in general words."""

    code: FindingCode
    severity: Severity
    hosts: int
    findings: int
    remedy: str
    section: str


class FindingRow(BaseModel):
    host: str
    severity: Severity
    code: FindingCode
    subject: str
    message: str
    remedy: str
    reference: str


class DeadlineRow(BaseModel):
    """A host's reporting dates; a date the device printed without a known offset is kept as its text.

    Attributes:
        days_left: whole days from the report's moment to the Next ACK deadline (negative: passed).
    """

    host: str
    platform: str
    next_ack_deadline: dt.datetime | None
    deadline_text: str | None
    days_left: int | None
    last_ack_received: dt.datetime | None
    next_report_push: dt.datetime | None
    push_interval_days: int | None


class LicenseUse(BaseModel):
    """A license in use on one platform: how many switches use it, and the count they report."""

    entitlement: str
    tag: str
    platform: str
    hosts: int
    count: int


class MemberCoverage(BaseModel):
    """A UDI holder of a switch whose platform supports the HSECK9 key, and whether it holds a SLAC."""

    host: str
    switch_number: int | None
    role: str
    udi: str
    slac_installed: bool
    slac_installed_on: str | None


class ReportData(BaseModel):
    """Everything the page shows, in the order it shows it.

    Attributes:
        generated_at: when the report was built (UTC); deadlines are counted from it.
        trend: the recorded runs, oldest first: the compliance trend.
    """

    generated_at: dt.datetime
    summary: FleetSummary
    failed: list[FailedHost]
    codes: list[CodeRow]
    findings: list[FindingRow]
    deadlines: list[DeadlineRow]
    licenses: list[LicenseUse]
    coverage: list[MemberCoverage]
    trend: list[RunSummary]


def report_data(
    fleet: FleetAudit, trend: Sequence[RunSummary], *, generated_at: dt.datetime | None = None
) -> ReportData:
    """The page's data for ``fleet``, with ``trend`` (any order) as the compliance trend."""
    moment = generated_at or dt.datetime.now(dt.timezone.utc)
    devices = [fleet.devices[host] for host in sorted(fleet.devices)]
    return ReportData(
        generated_at=moment,
        summary=_summary(fleet, devices),
        failed=[FailedHost(host=host, reason=reason) for host, reason in sorted(fleet.hosts_failed.items())],
        codes=_codes(devices),
        findings=[
            FindingRow(host=device.host, **finding.model_dump(include=_FINDING_FIELDS))
            for device in devices
            for finding in device.findings
        ],
        deadlines=[_deadline(device.state, moment) for device in devices],
        licenses=_licenses(devices),
        coverage=[row for device in devices for row in _coverage(device.state)],
        trend=sorted(trend, key=lambda run: (run.started_at, run.run_id)),
    )


_FINDING_FIELDS = {"severity", "code", "subject", "message", "remedy", "reference"}


def _summary(fleet: FleetAudit, devices: list[DeviceAudit]) -> FleetSummary:
    findings: Counter[Severity] = Counter()
    worst: Counter[Severity] = Counter()
    compliant = clean = 0
    for device in devices:
        findings.update(finding.severity for finding in device.findings)
        if device.worst is not None:
            worst[device.worst] += 1
        clean += not device.findings
        compliant += not any(finding.blocking for finding in device.findings)
    return FleetSummary(
        hosts_total=fleet.hosts_total,
        hosts_audited=len(devices),
        hosts_failed=len(fleet.hosts_failed),
        hosts_clean=clean,
        hosts_compliant=compliant,
        findings_by_severity={severity: findings[severity] for severity in SEVERITIES_WORST_FIRST},
        hosts_by_worst={severity: worst[severity] for severity in SEVERITIES_WORST_FIRST},
    )


def _codes(devices: list[DeviceAudit]) -> list[CodeRow]:
    """One row per catalog entry found (a code's variants have their own wording and remedy)."""
    findings: Counter[tuple[FindingCode, str]] = Counter()
    hosts: dict[tuple[FindingCode, str], set[str]] = defaultdict(set)
    for device in devices:
        for finding in device.findings:
            key = (finding.code, catalog_variant(finding))
            findings[key] += 1
            hosts[key].add(device.host)
    rows = []
    for key, count in findings.items():
        entry = CATALOG[key]
        rows.append(
            CodeRow(
                code=key[0],
                severity=entry.severity,
                hosts=len(hosts[key]),
                findings=count,
                remedy=_general(entry.remedy),
                section=entry.section.value if entry.section else "",
            )
        )
    return sorted(rows, key=lambda row: (-row.severity.rank, -row.hosts, row.code))


def catalog_variant(finding: Finding) -> str:
    """The variant of its code's catalog entry ``finding`` was written from: of its severity, the most
    specific one whose texts, values aside, are the finding's (any of its severity if none fits)."""
    variants = _variants(finding.code, finding.severity)
    fitting = (
        variant
        for variant, message, remedy in variants
        if _fits(message, finding.message) and _fits(remedy, finding.remedy)
    )
    return next(fitting, variants[0][0] if variants else DEFAULT)


@cache
def _variants(code: FindingCode, severity: Severity) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The code's variants at ``severity``, each with the literal parts of its message and remedy, the
    most specific (most literal text) first."""
    found = [
        (variant, _literals(entry.message), _literals(entry.remedy))
        for (entry_code, variant), entry in CATALOG.items()
        if entry_code is code and entry.severity is severity
    ]
    return sorted(found, key=lambda item: -sum(map(len, item[1] + item[2])))


def _literals(template: str) -> tuple[str, ...]:
    return tuple(literal for literal, _, _, _ in string.Formatter().parse(template) if literal)


def _fits(literals: tuple[str, ...], text: str) -> bool:
    """Whether ``text`` is a template with these literal parts, filled: they appear in ``text`` in order."""
    position = 0
    for literal in literals:
        found = text.find(literal, position)
        if found < 0:
            return False
        position = found + len(literal)
    return True


def _general(template: str) -> str:
    """A catalog text with each value it is filled with shown as ``<name>``."""
    return "".join(
        literal + (f"<{field}>" if field is not None else "")
        for literal, field, _, _ in string.Formatter().parse(template)
    )


def _deadline(state: LicenseState, moment: dt.datetime) -> DeadlineRow:
    deadline = state.next_ack_deadline
    unzoned = state.next_ack_deadline_unzoned
    reporting = state.reporting
    push = reporting.next_report_push if reporting else None
    return DeadlineRow(
        host=state.host,
        platform=_platform(state),
        next_ack_deadline=deadline,
        deadline_text=f"{unzoned[0]:%Y-%m-%d %H:%M} {unzoned[1]}" if unzoned else None,
        days_left=(deadline - moment).days if deadline is not None else None,
        last_ack_received=state.last_ack_received,
        next_report_push=push if isinstance(push, dt.datetime) else None,
        push_interval_days=reporting.reporting_push_interval_days if reporting else None,
    )


def _platform(state: LicenseState) -> str:
    family = state.family
    return family.value if family is not None else (state.chassis_pid or "unknown")


def _licenses(devices: list[DeviceAudit]) -> list[LicenseUse]:
    hosts: Counter[tuple[str, str, str]] = Counter()
    counts: Counter[tuple[str, str, str]] = Counter()
    for device in devices:
        platform = _platform(device.state)
        seen: set[tuple[str, str, str]] = set()
        for entry in device.state.usage:
            if entry.status is not UsageStatus.IN_USE:
                continue
            key = (entry.name, entry.entitlement_tag or "", platform)
            counts[key] += entry.count if entry.count is not None else 1
            seen.add(key)
        hosts.update(seen)
    return [
        LicenseUse(entitlement=name, tag=tag, platform=platform, hosts=hosts[key], count=counts[key])
        for key in sorted(hosts, key=lambda key: (-hosts[key], key))
        for name, tag, platform in [key]
    ]


def _coverage(state: LicenseState) -> list[MemberCoverage]:
    keyed = any(member.slac_installed for member in state.members.values())
    if not hseck9_support(state.family).supported and not keyed:
        return []
    return [
        MemberCoverage(
            host=state.host,
            switch_number=member.switch_number,
            role=", ".join(role.value for role in member.roles) or "member",
            udi=str(member.udi),
            slac_installed=member.slac_installed,
            slac_installed_on=str(member.slac_installed_on) if member.slac_installed_on else None,
        )
        for member in sorted(state.members.values(), key=lambda member: member.switch_number or 0)
    ]
