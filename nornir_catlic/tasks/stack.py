"""``catlic_add_stack_member``: the guide's two ways of adding a switch to a C9300X stack using HSECK9 keys.

``replace-all`` ("Adding a Member to a Stack Where HSECK9 Keys are in Use")
    The new switch joins without a SLAC; the task verifies it joined (``show license udi``, ``show switch
    detail``: Ready), then requests ``license smart authorization request replace hseck9 all``: every key of
    the existing SLACs goes back and each member, the new one included, gets its own.
``standalone-first`` ("Requesting SLAC on a Standalone and Then Adding it to a Stack")
    The switch got its SLAC and its cryptographic configuration while standalone (``catlic_install_slac`` on
    that host); the task checks both before the join, and afterwards that the stack shows the member's SLAC
    with the confirmation code it had as a standalone (retained through the merge).

Joining is physical (cable, power): pass ``join`` (a callable that does it, e.g. the lab's ``plug`` or
``merge``) or let the task wait for the member to show up. Only C9300X switches may join (no mixed stacking).
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import Result, Task
from pydantic import BaseModel, NonNegativeFloat

from nornir_catlic.domain import DeviceFacts
from nornir_catlic.errors import CatlicError, NotApplicable, PrerequisiteError, WorkflowFailed
from nornir_catlic.journal import Journal
from nornir_catlic.models.platform import MemberState
from nornir_catlic.models.state import LicensedMember, LicenseState
from nornir_catlic.rules.commands import SlacAction, SlacScope, license_sync_command, slac_request_command
from nornir_catlic.rules.stacking import (
    check_stack_addition,
    stack_addition_not_applicable,
    standalone_first_refusal,
)
from nornir_catlic.tasks.authorization import LogWatch, wait_until
from nornir_catlic.tasks.budget import with_joining_member
from nornir_catlic.tasks.check import read_crypto_configured
from nornir_catlic.tasks.declarations import checks_arguments, honours_dry_run
from nornir_catlic.tasks.exchange import PortalArgument
from nornir_catlic.tasks.exclusive import writes_to_switch
from nornir_catlic.tasks.preconditions import predicts_failures
from nornir_catlic.tasks.slac import (
    DEFAULT_WAIT,
    SlacInstall,
    catlic_install_slac,
    check_request_gate,
    install_plan,
)
from nornir_catlic.tasks.slac_common import (
    check_choices,
    check_transport,
    facts_for,
    parse_choice,
    parse_mode,
)
from nornir_catlic.tasks.state import read_license_state
from nornir_catlic.transport import Plan, run_subtask

WORKFLOW = "add-stack-member"
JOIN_REFUSALS = frozenset({"SWITCH_ADDED_INCOMPATIBLE", "SWITCH_ADDED_VM", "SWITCH_ADDED_SDM", "STACK_FULL"})
"""Stack manager messages for a switch that did not join (version or SDM mismatch, incompatible, full)."""
DEFAULT_JOIN_TIMEOUT = 300.0


class AddMethod(str, enum.Enum):
    REPLACE_ALL = "replace-all"
    """Add the member, then request SLAC for the entire stack again."""
    STANDALONE_FIRST = "standalone-first"
    """SLAC and crypto on the standalone first, then join; its SLAC is retained."""


class StackAddition(BaseModel):
    """What ``catlic_add_stack_member`` did on one stack.

    Attributes:
        member_udi: the new member's UDI as the stack prints it.
        joined: the member shows in ``show license udi`` (and Ready in ``show switch detail``).
        confirmation_code: the member's SLAC confirmation code after the workflow.
        install: the ``replace all`` install (replace-all method).
        retained: standalone-first: the member kept the SLAC (same confirmation code) it had standalone.
    """

    host: str
    method: AddMethod
    member_serial: str
    member_udi: str | None = None
    joined: bool = False
    confirmation_code: str | None = None
    install: SlacInstall | None = None
    retained: bool | None = None


def _member(state: LicenseState, serial: str) -> LicensedMember | None:
    return state.members.get(serial)


def _joined(member: LicensedMember | None) -> bool:
    return member is not None and member.stack_state in (None, MemberState.READY)


def _refuse_mixed(host: str, pid: str | None) -> None:
    """PrerequisiteError with the guide's words when ``pid`` (if known) may not join a C9300X stack."""
    refusal = check_stack_addition_for(host, pid) if pid is not None else ""
    if refusal:
        raise PrerequisiteError(f"{host}: {refusal}")


def check_stack_addition_for(host: str, pid: str) -> str:
    """The guide's refusal for a non-C9300X switch joining a C9300X stack ('' when it may join)."""
    findings = check_stack_addition(DeviceFacts(host=host, members=()), pid)
    return "; ".join(f"{f.message} ({f.remedy})" for f in findings)


@honours_dry_run
@checks_arguments(check_choices)
@writes_to_switch
@predicts_failures
def catlic_add_stack_member(
    task: Task,
    member_serial: str,
    method: str = "replace-all",
    member_pid: str | None = None,
    join: Callable[[], Any] | None = None,
    standalone: str | Host | None = None,
    mode: str = "online",
    portal: PortalArgument = None,
    journal: Journal | None = None,
    join_timeout: NonNegativeFloat = DEFAULT_JOIN_TIMEOUT,
    wait: NonNegativeFloat = DEFAULT_WAIT,
    dry_run: bool | None = None,
) -> Result:
    """Nornir task on the stack: add the switch ``member_serial`` by one of the guide's two methods.

    Args:
        member_serial: the new switch's serial number (its UDI's SN).
        method: ``replace-all`` or ``standalone-first``.
        member_pid: the new switch's PID, to refuse a non-C9300X before anything is touched.
        join: called once to join the switch (cable and power it, or the lab's plug/merge); without it the
            task waits ``join_timeout`` seconds for the switch to appear.
        standalone: standalone-first: the switch while standalone (its Nornir Host, or its name in this run's
            inventory), checked for its SLAC and cryptographic configuration before the join.
        mode, portal, journal, wait: for the ``replace all`` install (see ``catlic_install_slac``).

    A dry run checks what the real run checks before the join (member PID, the standalone, the transport,
    what the switch would refuse in the ``replace all`` request) and fails with ``would fail`` where the
    real run would.

    Raises:
        NotApplicable: the host is not a C9300X stack.
        PrerequisiteError: a non-C9300X switch; standalone-first without SLAC or crypto on the standalone.
        WorkflowFailed: the switch did not join, or lost its SLAC in the merge.
    """
    host = task.host.name
    chosen = parse_choice(AddMethod, method, "method")
    outcome = StackAddition(host=host, method=chosen, member_serial=member_serial)
    _refuse_mixed(host, member_pid)
    state = read_license_state(task, stack_detail=True)
    not_applicable = stack_addition_not_applicable(state.family)
    if not_applicable is not None:
        raise NotApplicable(host, not_applicable)

    standalone_code: str | None = None
    if chosen is AddMethod.STANDALONE_FIRST:
        standalone_code = _check_standalone(task, standalone, member_serial)

    member = _member(state, member_serial)
    if chosen is AddMethod.REPLACE_ALL:
        _check_replace_gate(task, state, member_serial, member_pid, mode)
    if task.is_dry_run(dry_run):
        return _dry_run(task, outcome, member, mode=mode, portal=portal, wait=wait)

    joined_now = False
    if not _joined(member):
        if journal is not None:
            journal.append(host, WORKFLOW, "join", data={"serial": member_serial, "method": chosen.value})
        watch = LogWatch.start(task)
        if join is not None:
            join()
            joined_now = True
        state = _wait_for_member(task, member_serial, join_timeout, watch)
        member = _member(state, member_serial)
    assert member is not None
    outcome.joined = True
    outcome.member_udi = str(member.udi)
    _refuse_mixed(host, member.pid)  # the switch that joined, whatever PID the caller announced

    if chosen is AddMethod.REPLACE_ALL:
        install, _ = _run_install(task, mode=mode, portal=portal, journal=journal, wait=wait)
        outcome.install = install
        outcome.confirmation_code = install.codes.get(str(member.udi))
        changed = joined_now or bool(install.requested)
    else:
        outcome.confirmation_code = member.confirmation_code
        outcome.retained = member.slac_installed and (
            standalone_code is None or member.confirmation_code == standalone_code
        )
        if not outcome.retained:
            raise WorkflowFailed(
                host,
                f"{member.udi} joined without the SLAC it held as a standalone",
                device_words=f"Status: {member.slac_status.value if member.slac_status else 'unknown'}, "
                f"Last Confirmation code: {member.confirmation_code or '<none>'} "
                f"(standalone: {standalone_code or '<none>'})",
                remedy="request SLAC for the entire stack again: license smart authorization request replace "
                "hseck9 all (method replace-all)",
            )
        changed = joined_now
    if journal is not None:
        journal.append(
            host,
            WORKFLOW,
            "member-added",
            data={"udi": outcome.member_udi, "code": outcome.confirmation_code},
        )
    return Result(host=task.host, result=outcome, changed=changed)


def _check_replace_gate(task: Task, state: LicenseState, serial: str, pid: str | None, mode: str) -> None:
    """Before the join, in the real run and the dry run: what the ``replace all`` install after the join
    would be refused for (the transport, an offline replace while the key is IN USE)."""
    chosen = parse_mode(mode)
    facts = with_joining_member(facts_for(task, state, None), serial, pid)
    plan = install_plan(facts, SlacScope.ALL, None, chosen)
    if plan.needed:  # the same checks, in the same order, as the install itself
        check_transport(task.host.name, state, chosen)
        check_request_gate(task.host.name, state, facts, plan, chosen)


def _wait_for_member(task: Task, serial: str, timeout: float, watch: LogWatch) -> LicenseState:
    """Poll until the member is Ready; a stack manager refusal in the log ends the wait at once."""
    seen: list[LicenseState] = []

    def present() -> bool:
        seen[:] = [read_license_state(task, stack_detail=True)]
        if _joined(_member(seen[0], serial)):
            return True
        refusals = [
            e for e in watch.new_events(task) if e.facility == "STACKMGR" and e.mnemonic in JOIN_REFUSALS
        ]
        if refusals:
            raise WorkflowFailed(
                task.host.name,
                f"the stack refused switch {serial}",
                device_words="\n".join(str(event) for event in refusals),
                remedy="only C9300X switches on the same release join a C9300X stack using HSECK9 keys "
                "(mixed stacking is not supported); a full stack takes no more members",
            )
        return False

    if not wait_until(present, timeout=timeout, first_pause=0.5, longest_pause=5.0):
        states = ", ".join(
            f"switch {row.switch}: {row.state.value if row.state else '?'}" for row in seen[0].stack_members
        )
        raise WorkflowFailed(
            task.host.name,
            f"switch {serial} did not join the stack within {timeout:g}s",
            device_words=f"show switch detail: {states}",
            remedy="check the stack cables and that the switch is a C9300X on the same release; mixed "
            "stacking is not supported",
        )
    return seen[0]


def _dry_run(
    task: Task, outcome: StackAddition, member: LicensedMember | None, **install_params: Any
) -> Result:
    """What a run would do: nothing typed before the member joins; then the install's own plan."""
    outcome.joined = _joined(member)
    if outcome.method is AddMethod.STANDALONE_FIRST:
        return Result(host=task.host, result=outcome, changed=not outcome.joined)
    if outcome.joined:
        install, diff = _run_install(task, dry_run=True, **install_params)
        outcome.install = install
        return Result(host=task.host, result=outcome, changed=bool(install.commands), diff=diff)
    plan = Plan()
    plan.exec(
        slac_request_command(SlacAction.REPLACE, SlacScope.ALL),
        reason=f"after {outcome.member_serial} joins: return every key and request SLAC for each member "
        "(guide: Adding a Member to a Stack Where HSECK9 Keys are in Use, step 3)",
    )
    plan.exec(license_sync_command(SlacScope.ALL), reason="synchronize with Cisco SSM now")
    return Result(host=task.host, result=outcome, changed=True, diff=plan.render())


def _run_install(task: Task, **params: Any) -> tuple[SlacInstall, str]:
    done = run_subtask(
        task, catlic_install_slac, "replace hseck9 all", severity_level=logging.INFO, scope="all", **params
    )
    install = done.result
    assert isinstance(install, SlacInstall)
    return install, done.diff


def _standalone_facts(task: Task) -> Result:
    state = read_license_state(task)
    return Result(host=task.host, result=(state, read_crypto_configured(task)))


def _check_standalone(task: Task, standalone: str | Host | None, serial: str) -> str | None:
    """Standalone-first: the standalone holds its SLAC and its crypto configuration; returns its code."""
    if standalone is None:
        return None
    other = standalone if isinstance(standalone, Host) else task.nornir.inventory.hosts.get(standalone)
    if other is None:
        raise PrerequisiteError(
            f"{task.host.name}: no host {standalone!r} in this run's inventory (pass the Host object when "
            "the run is filtered to the stack)"
        )
    check = Task(
        _standalone_facts,
        task.nornir,
        global_dry_run=task.global_dry_run,
        processors=task.processors,
        name=f"standalone {standalone}",
        severity_level=logging.DEBUG,
        parent_task=task,
    )
    results = check.start(other)
    if results.failed:
        error = results[0].exception
        raise error if isinstance(error, CatlicError) else WorkflowFailed(other.name, str(error))
    state, crypto = results[0].result
    assert isinstance(state, LicenseState)
    member = _member(state, serial)
    refusal = standalone_first_refusal(
        serial, slac_installed=member is not None and member.slac_installed, crypto_configured=bool(crypto)
    )
    if refusal is not None:
        raise PrerequisiteError(f"{standalone}: {refusal}")
    assert member is not None  # a member without a SLAC is refused above
    return member.confirmation_code
