"""Who holds a SLAC against who should, in stacks and high-availability set-ups: switchover risks, members
without a SLAC, a SLAC lost with replaced hardware, mixed stacks (guide: Stacking Considerations, High
Availability Considerations, Hardware Removal and Replacement Considerations)."""

from __future__ import annotations

from nornir_catlic.domain import DeviceFacts, ProductFamily, Redundancy, Role, hseck9_support, product_family
from nornir_catlic.rules.catalog import finding
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.commands import SlacAction, SlacScope, slac_request_command
from nornir_catlic.rules.findings import Finding


def check_slac_coverage(facts: DeviceFacts) -> list[Finding]:
    """Who holds a SLAC against who should: switchover risk, members without one, a SLAC lost."""
    present = facts.udis()
    findings = [
        finding(FindingCode.SLAC_LOST, udi)
        for udi in sorted(facts.previously_authorized_udis)
        if udi in present and not facts.slac_installed_on(udi)
    ]
    family = facts.family
    active = facts.active
    if active is None or family is None or not hseck9_support(family).supported:
        return findings
    add_all = slac_request_command(SlacAction.ADD, SlacScope.ALL)
    if facts.hsec_in_use and not active.slac_installed:
        findings.append(
            finding(
                FindingCode.HSEC_IN_USE_WITHOUT_SLAC,
                active.udi,
                command=slac_request_command(SlacAction.ADD, SlacScope.LOCAL),
            )
        )
    crypto_wanted = bool(facts.hsec_in_use or facts.crypto_configured)
    if not (crypto_wanted or active.slac_installed):
        return findings
    topology = facts.topology
    standby = facts.standby
    if topology is Redundancy.STACKWISE_VIRTUAL and standby is not None and not standby.slac_installed:
        findings.append(
            finding(
                FindingCode.STANDBY_NOT_AUTHORIZED, standby.udi, variant="stackwise-virtual", command=add_all
            )
        )
    if topology is Redundancy.STACK:
        replace_all = slac_request_command(SlacAction.REPLACE, SlacScope.ALL)
        if standby is not None and not standby.slac_installed:
            findings.append(
                finding(
                    FindingCode.STANDBY_NOT_AUTHORIZED,
                    standby.udi,
                    variant="stack",
                    command=replace_all if active.slac_installed else add_all,
                )
            )
        findings += [
            finding(
                FindingCode.MEMBER_WITHOUT_SLAC,
                member.udi,
                variant="crypto-wanted" if crypto_wanted else "",
                command=replace_all,
            )
            for member in facts.members
            if member.role is Role.MEMBER and not member.slac_installed
        ]
    return findings


def check_stack_addition(stack: DeviceFacts, new_member_pid: str) -> list[Finding]:
    """Only a C9300X may join a C9300X stack where HSECK9 keys are used (guide: no mixed stacking)."""
    if product_family(new_member_pid) is ProductFamily.C9300X:
        return []
    return [
        finding(
            FindingCode.MIXED_STACK, new_member_pid, variant="joining", pid=new_member_pid, host=stack.host
        )
    ]


def stack_addition_not_applicable(stack_family: ProductFamily | None) -> str | None:
    """Why adding a member by the guide's HSECK9 stacking methods does not apply to this device, or None:
    only C9300X stacks use HSECK9 keys per member."""
    if stack_family is ProductFamily.C9300X:
        return None
    family = stack_family.value if stack_family else "unknown"
    return f"only C9300X stacks use HSECK9 keys per member; this is {family}"


def standalone_first_refusal(serial: str, *, slac_installed: bool, crypto_configured: bool) -> str | None:
    """Why the switch ``serial`` may not join yet by the standalone-first method, or None (guide:
    Requesting SLAC on a Standalone): it holds its SLAC, then its cryptographic feature is configured,
    before it joins."""
    if not slac_installed:
        return (
            f"no SLAC on {serial} yet: install it on the standalone first (catlic_install_slac on that "
            "host), configure the cryptographic feature, then join"
        )
    if not crypto_configured:
        return (
            "the cryptographic feature is not configured on the standalone: configure it after the SLAC and "
            "before joining (guide: Requesting SLAC on a Standalone, step 5)"
        )
    return None
