"""What the device's HSEC log lines say beyond the configuration: a refused cryptographic configuration
still to redo, a switchover that reached an active without a key (guide: Prerequisites, Stacking)."""

from __future__ import annotations

from nornir_catlic.models.crypto import CryptoEvidence
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.catalog import finding
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.commands import SlacAction, SlacScope, slac_request_command
from nornir_catlic.rules.findings import Finding


def crypto_log_findings(host: str, state: LicenseState, evidence: CryptoEvidence) -> list[Finding]:
    """What the HSEC log says beyond the rules: a refused configuration still to redo, a lost switchover."""
    findings: list[Finding] = []
    active = state.active
    if evidence.rejected and not evidence.in_running_config and active is not None and active.slac_installed:
        findings.append(finding(FindingCode.CRYPTO_TO_RECONFIGURE, host, event=evidence.rejected[-1].text))
    if evidence.unauthorized_switchovers:
        findings.append(
            finding(
                FindingCode.SWITCHOVER_WITHOUT_HSEC,
                host,
                event=evidence.unauthorized_switchovers[-1].text,
                add_all=slac_request_command(SlacAction.ADD, SlacScope.ALL),
            )
        )
    return findings
