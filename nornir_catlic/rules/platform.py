"""Product support: which platforms and releases can use an HSECK9 key (guide: Table 1 and the
prerequisites), and why the HSECK9 workflows skip a device they do not apply to."""

from __future__ import annotations

from nornir_catlic.domain import DeviceFacts, ProductFamily, hseck9_support, lead_member, release_or_none
from nornir_catlic.rules.catalog import finding
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.findings import Finding
from nornir_catlic.rules.keys import unsupported_setup_reason


def check_platform(facts: DeviceFacts) -> list[Finding]:
    """Platform and release support for the HSECK9 key (guide: Table 1 and the prerequisites)."""
    lead = lead_member(facts.members)
    if lead is None:
        return [finding(FindingCode.NO_UDI, facts.host)]
    family = facts.family
    if family in (ProductFamily.C9400, ProductFamily.C9600) and not facts.supervisor_pids:
        return [finding(FindingCode.SUPERVISOR_UNKNOWN, facts.host, pid=lead.pid)]
    support = hseck9_support(family)
    name = family.value if family else lead.pid
    if not support.supported or support.min_release is None:
        return [finding(FindingCode.HSEC_PLATFORM_UNSUPPORTED, facts.host, name=name, pid=lead.pid)]
    running = release_or_none(facts.release)
    if running is None:
        return [
            finding(
                FindingCode.RELEASE_UNKNOWN,
                facts.host,
                variant="" if facts.release is None else "not-numbered",
                release=facts.release,
                name=name,
                release_name=support.release_name,
            )
        ]
    if running < support.min_release:
        return [
            finding(
                FindingCode.HSEC_RELEASE_TOO_OLD,
                facts.host,
                release=facts.release,
                min_release=support.min_release,
                name=name,
                release_name=support.release_name,
            )
        ]
    return []


_NOT_APPLICABLE = frozenset(
    {
        FindingCode.NO_UDI,
        FindingCode.SUPERVISOR_UNKNOWN,
        FindingCode.HSEC_PLATFORM_UNSUPPORTED,
        FindingCode.HSEC_RELEASE_TOO_OLD,
    }
)


def hseck9_not_applicable(facts: DeviceFacts) -> str | None:
    """Why the HSECK9 workflows do not apply to this device (platform, release or set-up), else ``None``.

    The same reasons :func:`check_platform` and :func:`unsupported_setup_reason` give; a workflow skips such a
    device instead of failing it (a mixed fleet is not an error).
    """
    for found in check_platform(facts):
        if found.code in _NOT_APPLICABLE:
            return f"{found.message} ({found.remedy})"
    family = facts.family
    if family is not None:
        return unsupported_setup_reason(family, facts.topology)
    return None
