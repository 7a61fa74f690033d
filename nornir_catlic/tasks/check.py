"""``catlic_check_hseck9``: the guide's prerequisites for an HSECK9 key, as findings with severity and remedy.

Platform and release support, DNA Advantage configured, keys needed for the topology (per UDI in a C9300X
stack, per chassis on C9400/C9600, C9500X standalone only), mixed stacks, Catalyst Center as the path to SSM,
SLAC before crypto, standby or members without a SLAC (switchover risk) and a SLAC lost with a replaced
supervisor. The rules themselves live in :mod:`nornir_catlic.rules`; this task gathers the facts.

A device refuses a cryptographic configuration typed before its SLAC (``%PLATFORM_IPSEC_HSEC-3-INVALID_HSEC
... configuration is rejected``), so the running configuration alone cannot show the wrong order: the
device's HSEC log lines are read too (:func:`read_crypto_evidence`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from nornir.core.task import Result, Task
from pydantic import BaseModel, Field

from nornir_catlic.domain import ConnectionMode, DeviceFacts
from nornir_catlic.journal import Journal
from nornir_catlic.models.crypto import CryptoEvidence
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.audit import check_hseck9
from nornir_catlic.rules.crypto import crypto_log_findings
from nornir_catlic.rules.findings import Finding, Severity, blocking_findings, worst_severity
from nornir_catlic.rules.keys import KeyPlan, key_plan_for
from nornir_catlic.syslog import parse_syslog
from nornir_catlic.tasks.declarations import honours_dry_run
from nornir_catlic.tasks.state import read_license_state
from nornir_catlic.transport import show_text

# The device filters its own configuration: IPsec on a tunnel (C9300X, C9400X-SUP-2) or WAN MACsec
# (C9500X, C9600X-SUP-2). Any line back means a cryptographic feature is configured.
CRYPTO_CONFIG_COMMAND = "show running-config | include tunnel mode ipsec|macsec network-link"
# The platform's HSEC messages: %PLATFORM_IPSEC_HSEC-... and %PLATFORM_WANMACSEC_HSEC-...
HSEC_LOG_COMMAND = "show logging | include _HSEC-"
REJECTED = "INVALID_HSEC"  # a cryptographic configuration refused (no SLAC, or no DNA Advantage)
UNAUTHORIZED_SWITCHOVER = "UNAUTHORIZED_HSEC"  # switchover to an active without a key: the device reloads

SUPERVISORS_HOST_KEY = "supervisor_pids"
"""Host data key overriding the supervisor PIDs ``show inventory`` reports on a C9400/C9600 chassis."""


class HseckCheck(BaseModel):
    """The outcome of the prerequisite check on one device.

    Attributes:
        ready: no finding of severity error or critical: the SLAC workflows may go on.
        key_plan: the UDIs needing an HSECK9 key (minimum, recommended, what ``all`` requests); ``None``
            when the platform or set-up cannot use the key at all.
        crypto_configured: IPsec / WAN MACsec configured, kept or refused by the device (see ``crypto``).
        crypto: the evidence read from the running configuration and the HSEC log lines.
    """

    host: str
    ready: bool
    worst: Severity | None = None
    findings: list[Finding] = Field(default_factory=list)
    key_plan: KeyPlan | None = None
    crypto_configured: bool | None = None
    crypto: CryptoEvidence | None = None
    state: LicenseState


def log_level(worst: Severity | None) -> int:
    """The Nornir result's severity: WARNING when a finding is a warning or worse, so that
    ``print_result(..., severity_level=logging.WARNING)`` shows only the devices that need attention."""
    return logging.WARNING if worst is not None and worst.rank >= Severity.WARNING.rank else logging.INFO


def read_crypto_configured(task: Task) -> bool:
    """True when the running configuration holds an IPsec tunnel or WAN MACsec line."""
    return bool(show_text(task, CRYPTO_CONFIG_COMMAND).strip())


def read_crypto_evidence(task: Task) -> CryptoEvidence:
    """The running configuration's crypto lines and the device's HSEC log messages (two filtered shows)."""
    in_running = read_crypto_configured(task)
    events = parse_syslog(show_text(task, HSEC_LOG_COMMAND)).events
    return CryptoEvidence(
        in_running_config=in_running,
        rejected=[e for e in events if e.mnemonic == REJECTED],
        unauthorized_switchovers=[e for e in events if e.mnemonic == UNAUTHORIZED_SWITCHOVER],
    )


def device_facts(
    task: Task,
    state: LicenseState,
    *,
    crypto_configured: bool | None,
    connection: ConnectionMode | None = None,
    supervisor_pids: Iterable[str] | None = None,
    journal: Journal | None = None,
) -> DeviceFacts:
    """The rules' facts for ``task.host``: the state, plus what only the inventory or journal knows."""
    supervisors = supervisor_pids if supervisor_pids is not None else task.host.get(SUPERVISORS_HOST_KEY)
    previously = journal.installed_codes(task.host.name).keys() if journal is not None else ()
    return state.to_facts(
        crypto_configured=crypto_configured,
        connection=connection,
        supervisor_pids=None if supervisors is None else tuple(supervisors),
        previously_authorized_udis=previously,
    )


@honours_dry_run
def catlic_check_hseck9(
    task: Task,
    connection: ConnectionMode | None = None,
    supervisor_pids: Iterable[str] | None = None,
    journal: Journal | None = None,
    crypto_configured: bool | None = None,
) -> Result:
    """Nornir task: check the guide's HSECK9 prerequisites; ``Result.result`` is a :class:`HseckCheck`.

    Reads only (``changed`` is False). Blocking findings do not fail the task: they are the answer.

    Args:
        connection: how the device reaches SSM when its transport cannot tell (Catalyst Center, or
            CSLU / SSM On-Prem pulling); by default read from ``show license all``'s transport.
        supervisor_pids: supervisors of a C9400/C9600 chassis (default: host data ``supervisor_pids``, else
            what ``show inventory`` lists).
        journal: the workflow journal, to notice a SLAC lost with a replaced supervisor.
        crypto_configured: skip reading the configuration and the HSEC log when already known.
    """
    state = read_license_state(task)
    evidence = (
        read_crypto_evidence(task)
        if crypto_configured is None
        else CryptoEvidence(in_running_config=crypto_configured)
    )
    facts = device_facts(
        task,
        state,
        crypto_configured=evidence.wanted,
        connection=connection,
        supervisor_pids=supervisor_pids,
        journal=journal,
    )
    findings = check_hseck9(facts) + crypto_log_findings(task.host.name, state, evidence)
    check = HseckCheck(
        host=task.host.name,
        ready=not blocking_findings(findings),
        worst=worst_severity(findings),
        findings=findings,
        key_plan=key_plan_for(facts),
        crypto_configured=evidence.wanted,
        crypto=evidence,
        state=state,
    )
    return Result(host=task.host, result=check, changed=False, severity_level=log_level(check.worst))
