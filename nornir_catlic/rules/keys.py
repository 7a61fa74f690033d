"""How many HSECK9 keys a set-up needs, and for which UDIs (guide: Prerequisites, Stacking and High
Availability considerations)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from nornir_catlic.domain import (
    DeviceFacts,
    GuideSection,
    MemberFacts,
    ProductFamily,
    Redundancy,
    Role,
    hseck9_support,
    lead_member,
)
from nornir_catlic.errors import PrerequisiteError


class KeyPlan(BaseModel):
    """UDIs that need an HSECK9 key: the guide's minimum, its recommendation, and what ``all`` requests."""

    model_config = ConfigDict(frozen=True)

    minimum: tuple[str, ...]
    recommended: tuple[str, ...]
    request_all: tuple[str, ...]
    """What ``license smart authorization request ... all`` asks SSM for (every UDI of the set-up)."""
    reason: str


def keys_required(
    family: ProductFamily | None, redundancy: Redundancy, members: Sequence[MemberFacts]
) -> KeyPlan:
    """One key per UDI where crypto is used; the set-up decides which UDIs.

    - C9300X stack: at minimum the active; the standby too for uninterrupted switchover; ``all`` covers every
      member (no single member can be chosen).
    - C9400/C9600 dual supervisor: one key for the chassis UDI, whatever the number of supervisors.
    - C9400 StackWise Virtual: minimum the chassis with the active supervisor, recommended both chassis.
    - C9500X: standalone only.

    Raises:
        PrerequisiteError: for a family without HSECK9 support or a set-up the guide does not support.
    """
    support = hseck9_support(family)
    if not support.supported or family is None:
        raise PrerequisiteError(
            f"{family.value if family else 'this platform'} does not support the HSECK9 key"
        )
    blocked = unsupported_setup_reason(family, redundancy)
    if blocked:
        raise PrerequisiteError(blocked)
    active = lead_member(members)
    if active is None:
        raise PrerequisiteError("no member to key: the device reported no UDI")
    reason = _KEY_PLAN_REASONS[redundancy]
    one_key = (active.udi,)
    if redundancy in (Redundancy.STANDALONE, Redundancy.DUAL_SUPERVISOR):
        return KeyPlan(minimum=one_key, recommended=one_key, request_all=one_key, reason=reason)
    standby = next((m for m in members if m.role is Role.STANDBY), None)
    paired = one_key if standby is None else tuple(dict.fromkeys((active.udi, standby.udi)))
    everyone = tuple(dict.fromkeys(m.udi for m in members))
    return KeyPlan(minimum=one_key, recommended=paired, request_all=everyone, reason=reason)


_KEY_PLAN_REASONS = {
    Redundancy.STANDALONE: "standalone: one HSECK9 key for its UDI",
    Redundancy.DUAL_SUPERVISOR: "dual supervisor: the key is tied to the chassis UDI, one key per chassis",
    Redundancy.STACKWISE_VIRTUAL: (
        "StackWise Virtual: minimum the active chassis, both chassis for switchover"
    ),
    Redundancy.STACK: "C9300X stack: one key per UDI; minimum the active, the standby too for switchover",
}


def unsupported_setup_reason(family: ProductFamily, redundancy: Redundancy) -> str | None:
    """Why the guide does not support HSECK9 in this set-up, or ``None`` when it does."""
    if family is ProductFamily.C9500X and redundancy is not Redundancy.STANDALONE:
        return (
            "on Cisco Catalyst 9500X Series Switches the HSECK9 key is supported only in a standalone setup "
            f"(guide, {GuideSection.PREREQUISITES})"
        )
    if redundancy is Redundancy.STACK and family is not ProductFamily.C9300X:
        return (
            f"{family.value} cannot stack with HSECK9 keys: only C9300X stacks can "
            f"(guide, {GuideSection.STACKING})"
        )
    if redundancy is Redundancy.STACKWISE_VIRTUAL and family is not ProductFamily.C9400_SUP2:
        return (
            "StackWise Virtual with HSECK9 keys is supported on Cisco Catalyst 9400 Series Switches only "
            f"(guide, {GuideSection.HIGH_AVAILABILITY})"
        )
    if redundancy is Redundancy.DUAL_SUPERVISOR and not family.is_modular:
        return f"{family.value} has no dual supervisor set-up"
    return None


def key_plan_for(facts: DeviceFacts) -> KeyPlan | None:
    """The UDIs of ``facts`` needing a key, or ``None`` when the platform or set-up cannot use one."""
    if not hseck9_support(facts.family).supported:
        return None
    try:
        return keys_required(facts.family, facts.topology, facts.members)
    except PrerequisiteError:
        return None
