"""``catlic_audit``: the recurring licensing health check, per device and for the fleet.

Per device (read only): reporting deadlines passed or near, reporting required and never acknowledged, the
HSECK9 key in use without a SLAC on some member, a standby or member not authorized (switchover risk), a boot
level waiting for a reload, combinations Figure 1 does not permit, and lines no template understood. On
platforms that support the HSECK9 key the crypto configuration and the HSEC log lines are read too: crypto
configured before the SLAC (refused by the device), a refused configuration still to redo, a switchover that
reloaded for want of a key; and where the key matters (a SLAC installed, the key in use or crypto wanted)
every prerequisite of :func:`~nornir_catlic.tasks.check.catlic_check_hseck9`. With a journal: return codes
SSM has not acknowledged yet, and SLACs lost with a replaced supervisor.

:func:`summarize_audit` turns Nornir's AggregatedResult into a :class:`FleetAudit`: counts per severity
and per code, and the hosts that could not be audited with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from nornir.core.task import AggregatedResult, MultiResult, Result, Task
from pydantic import BaseModel, Field, NonNegativeInt

from nornir_catlic.journal import Journal
from nornir_catlic.models.license import AuthorizationStatus, RegistrationStatus, UsageStatus
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules import (
    SEC_RETURN,
    ConnectionMode,
    DeviceFacts,
    Finding,
    Severity,
    audit,
    check_hseck9,
    hseck9_support,
    worst_severity,
)
from nornir_catlic.tasks.check import (
    CryptoEvidence,
    crypto_log_findings,
    device_facts,
    log_level,
    read_crypto_evidence,
)
from nornir_catlic.tasks.declarations import honours_dry_run
from nornir_catlic.tasks.state import read_license_state


class DeviceAudit(BaseModel):
    """The audit of one device: its findings (most severe first) and the state they were drawn from."""

    host: str
    audited_at: dt.datetime
    worst: Severity | None = None
    findings: list[Finding] = Field(default_factory=list)
    state: LicenseState

    def codes(self) -> list[str]:
        return [finding.code for finding in self.findings]


class FleetAudit(BaseModel):
    """The fleet's audit at a glance.

    Attributes:
        hosts_failed: host -> why it could not be audited (unreachable, refused, unreadable output).
        by_severity: number of findings per severity, every severity present (zero included).
        by_code: number of findings per code.
        hosts_by_worst: for each severity, the hosts whose worst finding has it.
    """

    hosts_total: int
    hosts_audited: list[str] = Field(default_factory=list)
    hosts_failed: dict[str, str] = Field(default_factory=dict)
    by_severity: dict[Severity, int] = Field(default_factory=dict)
    by_code: dict[str, int] = Field(default_factory=dict)
    hosts_by_worst: dict[Severity, list[str]] = Field(default_factory=dict)
    devices: dict[str, DeviceAudit] = Field(default_factory=dict)

    @property
    def clean_hosts(self) -> list[str]:
        """Audited hosts without a single finding."""
        return [host for host, device in self.devices.items() if not device.findings]


@honours_dry_run
def catlic_audit(
    task: Task,
    warn_days: NonNegativeInt = 30,
    now: dt.datetime | None = None,
    journal: Journal | None = None,
    connection: ConnectionMode | None = None,
) -> Result:
    """Nornir task: audit one device; ``Result.result`` is a :class:`DeviceAudit`. Reads only.

    Args:
        warn_days: a reporting deadline this close is a warning; passed, an error.
        now: the moment deadlines are judged against (default: the current UTC time).
        journal: the workflow journal, for unacknowledged return codes and lost SLACs.
        connection: how the device reaches SSM when its transport cannot tell.
    """
    moment = now or dt.datetime.now(dt.timezone.utc)
    state = read_license_state(task)
    crypto = read_crypto_evidence(task) if hseck9_support(state.family).supported else None
    wanted = crypto.wanted if crypto is not None else None
    facts = device_facts(task, state, crypto_configured=wanted, connection=connection, journal=journal)
    findings = audit_findings(facts, state, moment, warn_within=dt.timedelta(days=warn_days), crypto=crypto)
    if journal is not None:
        findings += _unacknowledged_returns(task.host.name, journal)
    findings.sort(key=lambda finding: -finding.severity.rank)
    result = DeviceAudit(
        host=task.host.name, audited_at=moment, worst=worst_severity(findings), findings=findings, state=state
    )
    return Result(host=task.host, result=result, changed=False, severity_level=log_level(result.worst))


def audit_findings(
    facts: DeviceFacts,
    state: LicenseState,
    now: dt.datetime,
    *,
    warn_within: dt.timedelta,
    crypto: CryptoEvidence | None,
) -> list[Finding]:
    """The rules' audit, plus the HSECK9 prerequisites where the key matters, without duplicates."""
    findings = audit(facts, now, warn_within=warn_within)
    findings += license_health_findings(state)
    if crypto is not None:
        findings += crypto_log_findings(facts.host, state, crypto)
    if _hsec_matters(state, crypto):
        findings += check_hseck9(facts)
    for command, lines in state.unparsed.items():
        findings.append(
            Finding(
                code="OUTPUT_NOT_UNDERSTOOD",
                severity=Severity.INFO,
                subject=facts.host,
                message=f"{len(lines)} line(s) of `{command}` not understood, first: {lines[0].strip()!r}",
                remedy="the facts above may be incomplete; report the output so the template can learn it",
            )
        )
    unique: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        unique.setdefault((finding.code, finding.subject), finding)
    return list(unique.values())


_NOT_AUTHORIZED = {
    UsageStatus.NOT_AUTHORIZED,
    UsageStatus.OUT_OF_COMPLIANCE,
    UsageStatus.EVAL_EXPIRED,
    UsageStatus.AUTHORIZATION_EXPIRED,
    UsageStatus.INVALID_TAG,
}
_AUTHORIZATION_LOST = {
    AuthorizationStatus.OUT_OF_COMPLIANCE,
    AuthorizationStatus.EVAL_EXPIRED,
    AuthorizationStatus.AUTHORIZATION_EXPIRED,
}
_NOT_REGISTERED = {
    RegistrationStatus.UNREGISTERED,
    RegistrationStatus.REGISTRATION_FAILED,
    RegistrationStatus.REGISTRATION_EXPIRED,
}
_SMART_LICENSING_REMEDY = (
    "register the product instance with Cisco SSM, or move to Smart Licensing Using Policy "
    "(IOS XE 17.3 and later), where licenses in use are reported instead of authorized"
)


def license_health_findings(state: LicenseState) -> list[Finding]:
    """Licenses the device itself says are not authorized, in evaluation, or an unregistered 16.x device."""
    findings: list[Finding] = []

    def add(code: str, severity: Severity, message: str) -> None:
        # Every one of these has the same way out: Smart Licensing registration, or Using Policy.
        findings.append(
            Finding(
                code=code,
                severity=severity,
                subject=state.host,
                message=message,
                remedy=_SMART_LICENSING_REMEDY,
            )
        )

    for entry in state.usage:
        label = f"{entry.name} ({entry.entitlement_tag})" if entry.entitlement_tag else entry.name
        if entry.status in _NOT_AUTHORIZED:
            add("LICENSE_NOT_AUTHORIZED", Severity.ERROR, f"{label} is {entry.status.value}")
        elif entry.status is UsageStatus.EVAL_MODE:
            add("LICENSE_IN_EVALUATION", Severity.WARNING, f"{label} runs in evaluation mode")
    authorization = state.license_authorization
    if authorization is not None and authorization.status in _AUTHORIZATION_LOST:
        add(
            "SMART_LICENSING_NOT_AUTHORIZED",
            Severity.ERROR,
            f"License Authorization status is {authorization.status.value}",
        )
    registration = state.registration
    if registration is not None and registration.status in _NOT_REGISTERED:
        add(
            "NOT_REGISTERED",
            Severity.WARNING,
            f"Smart Licensing registration status is {registration.status.value}",
        )
    return findings


def _hsec_matters(state: LicenseState, crypto: CryptoEvidence | None) -> bool:
    installed = any(member.slac_installed for member in state.members.values())
    wanted = crypto is not None and crypto.wanted
    return bool(installed or state.hsec.authorized_count or state.hsec_in_use or wanted)


def _unacknowledged_returns(host: str, journal: Journal) -> list[Finding]:
    return [
        Finding(
            code="RETURN_NOT_ACKNOWLEDGED",
            severity=Severity.WARNING,
            subject=udi,
            message=f"return code {code} is not acknowledged by Cisco SSM: the key is not back in the pool",
            remedy="upload the return code to Cisco SSM (Reports > Usage Data Files) and import the ACK",
            reference=SEC_RETURN,
        )
        for udi, code in sorted(journal.unacknowledged_returns(host).items())
    ]


def summarize_audit(results: AggregatedResult) -> FleetAudit:
    """Fold a ``nr.run(task=catlic_audit)`` into counts per severity and code, and the failed hosts."""
    summary = FleetAudit(hosts_total=len(results))
    by_severity: Counter[Severity] = Counter()
    by_code: Counter[str] = Counter()
    hosts_by_worst: dict[Severity, list[str]] = {severity: [] for severity in Severity}
    for host, multi in sorted(results.items()):
        top: Result = multi[0]
        device = top.result
        if multi.failed or not isinstance(device, DeviceAudit):
            summary.hosts_failed[host] = _failure_reason(multi)
            continue
        summary.hosts_audited.append(host)
        summary.devices[host] = device
        by_severity.update(finding.severity for finding in device.findings)
        by_code.update(finding.code for finding in device.findings)
        if device.worst is not None:
            hosts_by_worst[device.worst].append(host)
    summary.by_severity = {severity: by_severity[severity] for severity in Severity}
    summary.by_code = dict(sorted(by_code.items()))
    summary.hosts_by_worst = hosts_by_worst
    return summary


def _failure_reason(multi: MultiResult) -> str:
    for result in multi:
        if result.exception is not None:
            text = str(result.exception).strip()
            return text.splitlines()[0] if text else type(result.exception).__name__
    return "no audit result"
