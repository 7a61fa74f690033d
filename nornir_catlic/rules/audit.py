"""The checks composed: every HSECK9 prerequisite (``catlic check``) and the recurring health check
(``catlic audit``)."""

from __future__ import annotations

import datetime as dt

from nornir_catlic.domain import DeviceFacts
from nornir_catlic.models.crypto import CryptoEvidence
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.boot_levels import check_boot_level
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.crypto import crypto_log_findings
from nornir_catlic.rules.findings import Finding
from nornir_catlic.rules.licensing_health import license_health_findings, unparsed_output_findings
from nornir_catlic.rules.platform import check_platform
from nornir_catlic.rules.prerequisites import check_dna_advantage, check_keys, check_order, check_setup
from nornir_catlic.rules.reporting import DEFAULT_WARN_WITHIN, check_reporting
from nornir_catlic.rules.stacking import check_slac_coverage

_PLATFORM_STOPS = frozenset({FindingCode.HSEC_PLATFORM_UNSUPPORTED, FindingCode.NO_UDI})


def check_hseck9(facts: DeviceFacts) -> list[Finding]:
    """Every prerequisite of the guide for using an HSECK9 key on this device."""
    findings = check_platform(facts)
    if any(found.code in _PLATFORM_STOPS for found in findings):
        return findings
    findings += check_setup(facts)
    findings += check_dna_advantage(facts)
    findings += check_boot_level(facts)
    findings += check_order(facts)
    findings += check_slac_coverage(facts)
    findings += check_keys(facts)
    return findings


def audit(
    facts: DeviceFacts, now: dt.datetime, *, warn_within: dt.timedelta = DEFAULT_WARN_WITHIN
) -> list[Finding]:
    """The recurring health check: reporting deadlines, SLAC coverage, pending reloads, combinations."""
    findings = check_reporting(facts, now, warn_within=warn_within)
    findings += check_boot_level(facts)
    findings += check_slac_coverage(facts)
    findings += check_order(facts)
    return findings


def audit_findings(
    facts: DeviceFacts,
    state: LicenseState,
    now: dt.datetime,
    *,
    warn_within: dt.timedelta,
    crypto: CryptoEvidence | None,
) -> list[Finding]:
    """:func:`audit`, what the device says of its licenses and its HSEC log, and the HSECK9 prerequisites
    where the key matters; one finding per code and subject."""
    findings = audit(facts, now, warn_within=warn_within)
    findings += license_health_findings(state)
    if crypto is not None:
        findings += crypto_log_findings(facts.host, state, crypto)
    if _hsec_matters(state, crypto):
        findings += check_hseck9(facts)
    findings += unparsed_output_findings(state)
    unique: dict[tuple[FindingCode, str], Finding] = {}
    for found in findings:
        unique.setdefault((found.code, found.subject), found)
    return list(unique.values())


def _hsec_matters(state: LicenseState, crypto: CryptoEvidence | None) -> bool:
    """A SLAC installed, the key in use or authorized, or crypto wanted: the prerequisites apply."""
    installed = any(member.slac_installed for member in state.members.values())
    wanted = crypto is not None and crypto.wanted
    return bool(installed or state.hsec.authorized_count or state.hsec_in_use or wanted)
