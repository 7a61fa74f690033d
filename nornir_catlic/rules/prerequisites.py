"""Prerequisites for using an HSECK9 key: a supported set-up, DNA Advantage, enough keys, the SLAC before
the cryptographic feature (guide: Prerequisites, Restrictions for Installing SLAC)."""

from __future__ import annotations

from nornir_catlic.domain import AddOn, ConnectionMode, DeviceFacts, ProductFamily, Redundancy, hseck9_support
from nornir_catlic.domain import product_family as family_of
from nornir_catlic.errors import PrerequisiteError
from nornir_catlic.rules.catalog import finding
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.findings import Finding
from nornir_catlic.rules.keys import keys_required, unsupported_setup_reason


def check_setup(facts: DeviceFacts) -> list[Finding]:
    """Mixed stacks, 9500X in HA, SVL beyond the C9400, and Catalyst Center as the path to SSM."""
    findings: list[Finding] = []
    family = facts.family
    topology = facts.topology
    member_families = {family_of(m.pid) for m in facts.members}
    if topology is Redundancy.STACK and ProductFamily.C9300X in member_families and len(member_families) > 1:
        findings += [
            finding(FindingCode.MIXED_STACK, member.serial, role=member.role.printed, pid=member.pid)
            for member in facts.members
            if family_of(member.pid) is not ProductFamily.C9300X
        ]
    if family is not None and hseck9_support(family).supported and not findings:
        reason = unsupported_setup_reason(family, topology)
        if reason:
            variant = "standalone-only" if family is ProductFamily.C9500X else ""
            findings.append(
                finding(FindingCode.HSEC_SETUP_UNSUPPORTED, facts.host, variant=variant, reason=reason)
            )
    if facts.connection is ConnectionMode.CONTROLLER:
        findings.append(finding(FindingCode.HSEC_VIA_CONTROLLER, facts.host))
    return findings


def check_dna_advantage(facts: DeviceFacts) -> list[Finding]:
    """The HSECK9 key cannot be used without DNA Advantage configured (guide: prerequisites)."""
    if facts.boot_level is None:
        return [finding(FindingCode.BOOT_LEVEL_UNKNOWN, facts.host)]
    if facts.boot_level.addon is AddOn.DNA_ADVANTAGE:
        return []
    upcoming = facts.boot_level_next_reload
    if upcoming is not None and upcoming.addon is AddOn.DNA_ADVANTAGE:
        return [
            finding(FindingCode.DNA_ADVANTAGE_AFTER_RELOAD, facts.host, now=facts.boot_level, after=upcoming)
        ]
    return [finding(FindingCode.DNA_ADVANTAGE_MISSING, facts.host, level=facts.boot_level)]


def check_keys(facts: DeviceFacts) -> list[Finding]:
    """How many HSECK9 keys the set-up needs, and how many UDIs hold a SLAC (an info finding)."""
    try:
        plan = keys_required(facts.family, facts.topology, facts.members)
    except PrerequisiteError:
        return []  # the platform and set-up checks say why
    holding = sum(1 for udi in plan.request_all if facts.slac_installed_on(udi))
    return [
        finding(
            FindingCode.HSEC_KEYS_REQUIRED,
            facts.host,
            reason=plan.reason,
            minimum=len(plan.minimum),
            recommended=len(plan.recommended),
            every=len(plan.request_all),
            holding=holding,
        )
    ]


def check_order(facts: DeviceFacts) -> list[Finding]:
    """First install SLAC, only then configure the cryptographic feature (guide: the right sequence)."""
    active = facts.active
    if facts.crypto_configured and active is not None and not active.slac_installed:
        return [finding(FindingCode.CRYPTO_BEFORE_SLAC, facts.host)]
    return []
