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

from nornir_catlic.domain import ConnectionMode, hseck9_support
from nornir_catlic.journal import Journal
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.audit import audit_findings
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.findings import Finding, Severity, worst_severity
from nornir_catlic.rules.returns import unacknowledged_return_findings
from nornir_catlic.tasks.check import device_facts, log_level, read_crypto_evidence
from nornir_catlic.tasks.declarations import honours_dry_run
from nornir_catlic.tasks.state import read_license_state


class DeviceAudit(BaseModel):
    """The audit of one device: its findings (most severe first) and the state they were drawn from."""

    host: str
    audited_at: dt.datetime
    worst: Severity | None = None
    findings: list[Finding] = Field(default_factory=list)
    state: LicenseState

    def codes(self) -> list[FindingCode]:
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
    by_code: dict[FindingCode, int] = Field(default_factory=dict)
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
        findings += unacknowledged_return_findings(journal.unacknowledged_returns(task.host.name))
    findings.sort(key=lambda finding: -finding.severity.rank)
    result = DeviceAudit(
        host=task.host.name, audited_at=moment, worst=worst_severity(findings), findings=findings, state=state
    )
    return Result(host=task.host, result=result, changed=False, severity_level=log_level(result.worst))


def summarize_audit(results: AggregatedResult) -> FleetAudit:
    """Fold a ``nr.run(task=catlic_audit)`` into counts per severity and code, and the failed hosts."""
    summary = FleetAudit(hosts_total=len(results))
    by_severity: Counter[Severity] = Counter()
    by_code: Counter[FindingCode] = Counter()
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
