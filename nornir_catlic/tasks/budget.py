"""The key budget of an install or a stack addition, counted before any device is touched.

``catlic_count_keys`` reads one device (no write) and counts the HSECK9 keys the install's own plan
(:func:`~nornir_catlic.tasks.slac.install_plan`) would take from the pool: one per wanted UDI without a SLAC
now (``replace`` re-issues the SLACs a UDI holds on the same reservation, so only the UDIs without one cost a
key). An air-gapped install that resumes a request already handed to SSM takes nothing more: SSM took its
keys when the operator uploaded it, and the run only imports the answer. :func:`choose_within_budget`
compares the fleet's need with the keys SSM holds free.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from nornir.core.task import Result, Task
from pydantic import BaseModel, Field

from nornir_catlic.domain import DeviceFacts, MemberFacts, Role
from nornir_catlic.journal import Journal
from nornir_catlic.models.state import LicenseState
from nornir_catlic.portal import ExchangeKind, FileDropPortal, Submission
from nornir_catlic.rules.commands import SlacScope
from nornir_catlic.tasks.exchange import PortalArgument, relay_portal
from nornir_catlic.tasks.preconditions import require_hseck9
from nornir_catlic.tasks.slac import install_plan, parse_action
from nornir_catlic.tasks.slac_common import Mode, facts_for, parse_mode, parse_scope
from nornir_catlic.tasks.state import read_license_state


class KeyNeed(BaseModel):
    """The keys one device's install would take from the pool.

    Attributes:
        udis: the UDIs that would get a new key (one each).
    """

    host: str
    udis: list[str] = Field(default_factory=list)

    @property
    def keys(self) -> int:
        return len(self.udis)


def with_joining_member(facts: DeviceFacts, serial: str, pid: str | None) -> DeviceFacts:
    """``facts`` as they will be once the switch ``serial`` has joined without a SLAC (stack addition)."""
    if any(member.serial == serial for member in facts.members):
        return facts
    lead = facts.active or (facts.members[0] if facts.members else None)
    joining = MemberFacts(
        role=Role.MEMBER, pid=pid or (lead.pid if lead is not None else "C9300X"), serial=serial
    )
    return facts.model_copy(update={"members": (*facts.members, joining)})


def keys_needed(
    facts: DeviceFacts, *, mode: str = "online", scope: str = "all", action: str | None = None
) -> list[str]:
    """The UDIs the install's plan would take a key for (the missing ones)."""
    plan = install_plan(facts, parse_scope(scope), parse_action(action), parse_mode(mode))
    return list(plan.missing)


def awaited_request(portal: PortalArgument, journal: Journal | None, host: str) -> Submission | None:
    """The air-gapped SLAC request an install of ``host`` would resume instead of requesting (as
    ``catlic_install_slac`` finds it: in the portal, or in the SSM relay beside ``journal``); reads only."""
    if isinstance(portal, FileDropPortal):
        drop = portal
    elif portal is not None and journal is not None:
        drop = relay_portal(journal)
    else:
        return None
    for kind in (ExchangeKind.SLAC_REQUEST, ExchangeKind.DEVICE_LIST):
        found = drop.find(host, kind)
        if found is not None and found.expected_answers > 0:
            return found
    return None


def catlic_count_keys(
    task: Task,
    mode: str = "online",
    scope: str = "all",
    action: str | None = None,
    member_serial: str | None = None,
    member_pid: str | None = None,
    supervisor_pids: Iterable[str] | None = None,
    portal: PortalArgument = None,
    journal: Journal | None = None,
) -> Result:
    """Nornir task (reads only): the keys an install (or, with ``member_serial``, a stack addition) would
    take; ``Result.result`` is a :class:`KeyNeed`.

    Args:
        portal, journal: the install's own (offline): a request awaiting SSM's answer there is resumed,
            and takes no key.

    Raises:
        NotApplicable: a platform, release or set-up without HSECK9 support (it needs no key).
    """
    state: LicenseState = read_license_state(task)
    facts = facts_for(task, state, supervisor_pids)
    require_hseck9(facts)
    if parse_mode(mode) is Mode.OFFLINE and awaited_request(portal, journal, task.host.name) is not None:
        return Result(host=task.host, result=KeyNeed(host=task.host.name), changed=False)
    if member_serial is not None:
        facts = with_joining_member(facts, member_serial, member_pid)
        scope = SlacScope.ALL.value
    need = KeyNeed(host=task.host.name, udis=keys_needed(facts, mode=mode, scope=scope, action=action))
    return Result(host=task.host, result=need, changed=False)


class BudgetDecision(BaseModel):
    """Which hosts an install may start with the keys SSM holds free.

    Attributes:
        needed: keys the whole plan takes.
        free: keys the account holds free (``None``: unknown, every host goes).
        chosen: hosts that go, in order.
        deferred: hosts left for when more keys are free (``allow_partial`` only).
    """

    needed: int
    free: int | None
    chosen: list[str]
    deferred: list[str] = Field(default_factory=list)

    @property
    def exceeded(self) -> bool:
        return self.free is not None and self.needed > self.free


def choose_within_budget(
    needs: Mapping[str, int], free: int | None, *, allow_partial: bool = False
) -> BudgetDecision:
    """Compare the plan's keys with the free ones.

    Within budget (or unknown): every host goes. Over budget: nobody goes, unless ``allow_partial``: then the
    hosts go in ``needs``' order (the inventory's) while their whole need still fits (a stack takes all its
    keys at once, or none); hosts needing no key always go; the rest are deferred.
    """
    needed = sum(needs.values())
    if free is None or needed <= free:
        return BudgetDecision(needed=needed, free=free, chosen=list(needs))
    if not allow_partial:
        return BudgetDecision(needed=needed, free=free, chosen=[], deferred=list(needs))
    chosen: list[str] = []
    deferred: list[str] = []
    left = free
    for host, keys in needs.items():
        if keys <= left:
            chosen.append(host)
            left -= keys
        else:
            deferred.append(host)
    return BudgetDecision(needed=needed, free=free, chosen=chosen, deferred=deferred)
