"""What the device says of its own licenses: not authorized, in evaluation, a 16.x device not registered,
and output lines no template understood (facts that may be missing)."""

from __future__ import annotations

from nornir_catlic.models.license import AuthorizationStatus, RegistrationStatus, UsageStatus
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.catalog import finding
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.findings import Finding

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


def license_health_findings(state: LicenseState) -> list[Finding]:
    """Licenses the device itself says are not authorized, in evaluation, or an unregistered 16.x device."""
    findings: list[Finding] = []
    for entry in state.usage:
        label = f"{entry.name} ({entry.entitlement_tag})" if entry.entitlement_tag else entry.name
        if entry.status in _NOT_AUTHORIZED:
            findings.append(
                finding(
                    FindingCode.LICENSE_NOT_AUTHORIZED, state.host, label=label, status=entry.status.value
                )
            )
        elif entry.status is UsageStatus.EVAL_MODE:
            findings.append(finding(FindingCode.LICENSE_IN_EVALUATION, state.host, label=label))
    authorization = state.license_authorization
    if authorization is not None and authorization.status in _AUTHORIZATION_LOST:
        findings.append(
            finding(FindingCode.SMART_LICENSING_NOT_AUTHORIZED, state.host, status=authorization.status.value)
        )
    registration = state.registration
    if registration is not None and registration.status in _NOT_REGISTERED:
        findings.append(finding(FindingCode.NOT_REGISTERED, state.host, status=registration.status.value))
    return findings


def unparsed_output_findings(state: LicenseState) -> list[Finding]:
    """One info finding per command whose output held lines no template understood."""
    return [
        finding(
            FindingCode.OUTPUT_NOT_UNDERSTOOD,
            state.host,
            count=len(lines),
            command=command,
            first=lines[0].strip(),
        )
        for command, lines in state.unparsed.items()
    ]
