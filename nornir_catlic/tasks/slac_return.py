"""``catlic_return_slac``: the guide's "Returning a SLAC", online or offline, with every code kept.

The key must be NOT IN USE (``show license summary``); with ``force_release`` the platform's forced release
runs first. Each return code goes to the journal the moment the device shows it (printed, or ``Last return
code`` in ``show license authorization``), before any other command. Online, ``license smart sync all``
makes sure SSM got it; offline, the codes go to the portal and SSM's ACK is imported. A run that finds an
unfinished return in the journal first recovers the codes the device printed, then finishes the exchange.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping

from nornir.core.task import Result, Task
from pydantic import BaseModel, Field

from nornir_catlic import interrupts
from nornir_catlic.errors import (
    DeviceCommandError,
    PrerequisiteError,
    SessionLostError,
    WorkflowFailed,
)
from nornir_catlic.journal import Journal, StepStatus
from nornir_catlic.models.actions import AuthorizationReturnReply
from nornir_catlic.models.state import LicenseState
from nornir_catlic.portal import ExchangeKind
from nornir_catlic.rules.commands import (
    SlacScope,
    license_import_command,
    license_sync_command,
    slac_return_command,
)
from nornir_catlic.rules.returns import check_return_ready
from nornir_catlic.tasks.authorization import (
    confirmation_codes,
    read_authorization,
    return_codes,
    sync_with_ssm,
)
from nornir_catlic.tasks.declarations import checks_arguments, honours_dry_run
from nornir_catlic.tasks.exchange import PortalArgument, PortalLink, host_folder, import_ack
from nornir_catlic.tasks.exclusive import writes_to_switch
from nornir_catlic.tasks.preconditions import predicts_failures, require_hseck9
from nornir_catlic.tasks.release import check_release_gate, release_hsec, release_plan
from nornir_catlic.tasks.slac_common import (
    STEP_RETURN_STARTED,
    STEP_RETURN_SUBMITTED,
    STEP_RETURN_VERIFIED,
    WORKFLOW_RETURN,
    Mode,
    check_choices,
    device_failure,
    facts_for,
    offline_link,
    parse_mode,
    parse_scope,
)
from nornir_catlic.tasks.state import read_license_state
from nornir_catlic.tasks.transfer import bootflash_path
from nornir_catlic.tasks.workflow_journal import WorkflowJournal, workflow_journal
from nornir_catlic.transport import Plan, parse_output, run_exec


def return_ack_file_name(run_id: str) -> str:
    """The bootflash name of SSM's return ACK as a run puts it there (the run's identity in it)."""
    return f"catlic-return-ack-{run_id}.txt"


class SlacReturn(BaseModel):
    """What ``catlic_return_slac`` did (or would do) on one device.

    Attributes:
        return_codes: UDI -> return code, journaled the moment the device showed it.
        acknowledged: the UDIs whose return SSM acknowledged (online, or the imported ACK).
        released: the HSECK9 key was released forcibly first.
    """

    host: str
    mode: Mode
    scope: SlacScope
    return_codes: dict[str, str] = Field(default_factory=dict)
    acknowledged: list[str] = Field(default_factory=list)
    released: bool = False
    commands: list[str] = Field(default_factory=list)
    submission: str | None = None
    resumed: bool = False


def plan_return_ack(script: Plan, run_id: str) -> None:
    script.exec(
        license_import_command(bootflash_path(return_ack_file_name(run_id))),
        reason="hand the return code to the portal for Cisco SSM, put SSM's ACK on bootflash: over SCP and "
        "import it",
    )


def slac_holders(state: LicenseState, scope: SlacScope) -> dict[str, str]:
    """UDI -> confirmation code of the SLACs a return of ``scope`` gives back."""
    members = list(state.members.values())
    if scope is SlacScope.LOCAL:
        members = [state.active] if state.active is not None else []
    return {
        str(member.udi): member.confirmation_code or ""
        for member in members
        if member is not None and member.slac_installed
    }


@honours_dry_run
@checks_arguments(check_choices)
@writes_to_switch
@predicts_failures
def catlic_return_slac(
    task: Task,
    mode: str = "online",
    scope: str = "all",
    force_release: bool = False,
    portal: PortalArgument = None,
    journal: Journal | None = None,
    supervisor_pids: Iterable[str] | None = None,
    dry_run: bool | None = None,
) -> Result:
    """Nornir task: return the SLACs of ``scope`` to Cisco SSM; ``Result.result`` is a SlacReturn.

    Args:
        mode: ``online`` (the switch sends the code itself) or ``offline`` (the code goes through ``portal``
            and SSM's ACK is imported).
        scope: ``all`` or ``local`` (the active only).
        force_release: when the key is IN USE with its feature disabled, send the platform's forced release
            (``platform [wanmacsec] hsec-license-release``) first instead of refusing.
        portal: a FileDropPortal or a SmartSoftwareManager object (offline).
        journal: the durable journal: every return code is on disk before the next device command.

    A dry run checks what the real run checks first (key IN USE, the forced release's gate) and fails with
    ``would fail`` where the real run would.

    Raises:
        NotApplicable: nothing to return on a platform or set-up without HSECK9 support.
        PrerequisiteError: the key is IN USE and ``force_release`` is False.
        WorkflowFailed: the device or SSM refused (the device's words and the guide's remedy); with
            ``force_release``, the cryptographic feature still configured (before anything is sent).
        WaitingForPortal: the offline return waits for SSM's ACK; run again when it arrives.
        AnswersRefused: a file in the inbox is not SSM's ACK of this return (each named, with why).
    """
    chosen_mode, chosen_scope = parse_mode(mode), parse_scope(scope)
    with workflow_journal(journal, task.host.name, WORKFLOW_RETURN) as record:
        link = offline_link(chosen_mode, portal, record.journal, needed_for="an offline return")
        return _return(task, record, chosen_mode, chosen_scope, force_release, link, supervisor_pids, dry_run)


def _return(
    task: Task,
    record: WorkflowJournal,
    chosen_mode: Mode,
    chosen_scope: SlacScope,
    force_release: bool,
    link: PortalLink | None,
    supervisor_pids: Iterable[str] | None,
    dry_run: bool | None,
) -> Result:
    host = task.host.name
    outcome = SlacReturn(host=host, mode=chosen_mode, scope=chosen_scope)
    state = read_license_state(task)
    holders = slac_holders(state, chosen_scope)
    unfinished = record.unfinished(STEP_RETURN_STARTED, STEP_RETURN_VERIFIED)
    if unfinished:
        # The last return never finished: the device may have printed codes nobody saw. Keep them first.
        outcome.resumed = True
        for member in state.members.values():
            if not member.slac_installed and member.last_return_code:
                record.return_code(str(member.udi), member.last_return_code, recovered=True)
    pending = record.unacknowledged_returns()
    if not holders and not pending and not unfinished:
        require_hseck9(facts_for(task, state, supervisor_pids))
        outcome.return_codes = {
            str(m.udi): m.last_return_code for m in state.members.values() if m.last_return_code
        }
        return Result(host=task.host, result=outcome, changed=False)

    release = Plan()
    release_command: str | None = None
    if holders and state.hsec_in_use:
        if not force_release:
            finding = check_return_ready(facts_for(task, state, supervisor_pids))[0]
            raise PrerequisiteError(f"{host}: {finding.message}; {finding.remedy} (or force_release=True)")
        release_command = check_release_gate(task, state, supervisor_pids)
        release = release_plan(release_command)
    script = Plan(list(release.steps))
    if holders:
        script.exec(
            slac_return_command(chosen_scope, online=chosen_mode is Mode.ONLINE),
            reason=f"return the SLAC of {', '.join(holders)} (guide: Returning a SLAC, step 2)",
        )
    if not holders and not pending:
        pass  # SSM acknowledged every code already: only the check on the switch is left
    elif chosen_mode is Mode.ONLINE:
        script.exec(license_sync_command(SlacScope.ALL), reason="send anything the switch still holds")
    elif link is None or not link.drop.returns_confirmed_without_file:  # Cisco's API sends no file
        plan_return_ack(script, record.run_id)
    if task.is_dry_run(dry_run):
        awaited = record.open_submission(STEP_RETURN_SUBMITTED, link) if link is not None else None
        if link is not None and awaited is not None and not holders:
            link.predict_answers(awaited, record.answer_history(awaited))  # as the real run judges
        outcome.commands = script.commands()
        return Result(host=task.host, result=outcome, changed=bool(script), diff=script.render())

    if release_command is not None:
        released = release_hsec(task, state, supervisor_pids=supervisor_pids, command=release_command)
        outcome.released = released.released
        outcome.commands.extend(release.commands())
    # The code is given up on the switch with the return: the run goes on until SSM has it, even when stopped.
    first = script.steps[len(release.steps)].typed_lines()[0] if script.steps[len(release.steps) :] else None
    with interrupts.one_step(host, first) if first is not None else contextlib.nullcontext():
        if holders:
            return_now(task, chosen_scope, chosen_mode, list(holders), link, record, outcome.commands)
        else:
            _acknowledge(task, chosen_mode, link, record, outcome.commands)
        after = read_authorization(task)
        outcome.return_codes = return_codes(after)
        wrong = {
            udi: outcome.return_codes.get(udi)
            for udi, code in record.return_codes().items()
            if udi in outcome.return_codes and outcome.return_codes[udi] != code
        }
        still = [udi for udi in confirmation_codes(after) if udi in holders]
        if wrong or still:
            raise WorkflowFailed(
                host,
                "show license authorization does not show the return",
                device_words=return_not_shown(wrong, still),
                remedy="run the return again: the journal keeps every code already printed",
            )
        outcome.acknowledged = [
            udi for udi in outcome.return_codes if udi not in record.unacknowledged_returns()
        ]
        record.step(STEP_RETURN_VERIFIED, codes=outcome.return_codes)
        changed = bool(outcome.commands)  # nothing typed: an earlier run's return, verified now
        return Result(host=task.host, result=outcome, changed=changed, diff="\n".join(outcome.commands))


def return_not_shown(wrong: Mapping[str, str | None], still_installed: Iterable[str]) -> str:
    """What ``show license authorization`` shows instead of the return, one UDI after the other."""
    shown = [f"{udi}: Last return code {code}" for udi, code in wrong.items()]
    shown += [f"{udi}: SMART AUTHORIZATION INSTALLED" for udi in still_installed]
    return ", ".join(shown)


def return_now(
    task: Task,
    scope: SlacScope,
    mode: Mode,
    holders: list[str],
    link: PortalLink | None,
    record: WorkflowJournal,
    commands: list[str],
) -> dict[str, str]:
    """Type the return of ``holders``' SLACs, journal every code before anything else, then get SSM's
    acknowledgement; returns UDI -> return code."""
    host = task.host.name
    command = slac_return_command(scope, online=mode is Mode.ONLINE)
    record.step(STEP_RETURN_STARTED, StepStatus.STARTED, command=command, udis=holders)
    commands.append(command)
    try:
        output = run_exec(task, command)
    except SessionLostError:
        raise
    except DeviceCommandError as error:
        record.step(STEP_RETURN_VERIFIED, StepStatus.FAILED, reply=error.reply)
        raise device_failure(
            host,
            f"{command!r} was refused",
            error,
            remedy="disable the cryptographic feature (or release the key forcibly, force_release=True); "
            "the key must be NOT IN USE",
        ) from None
    printed: dict[str, str] = {}
    if output.strip():
        reply = parse_output(task, command, output)
        if isinstance(reply, AuthorizationReturnReply):
            for entry in reply.codes:
                udi = str(entry.udi) if entry.udi else ""
                printed[udi] = entry.return_code
                record.return_code(udi, entry.return_code, printed=True)
    shown = return_codes(read_authorization(task))
    returned = {udi: code for udi, code in shown.items() if udi in holders or udi in printed}
    for udi, code in returned.items():
        record.return_code(udi, code)
    _acknowledge(task, mode, link, record, commands)
    return returned


def _acknowledge(
    task: Task, mode: Mode, link: PortalLink | None, record: WorkflowJournal, commands: list[str]
) -> None:
    """Get SSM's acknowledgement of every return code the journal holds unacknowledged."""
    pending = record.unacknowledged_returns()
    if not pending:
        return
    if mode is Mode.ONLINE:
        sync_with_ssm(
            task,
            commands,
            failure="the switch could not reach Cisco SSM to return the code",
            remedy="the return codes are in the journal; once SSM is reachable run again, or return "
            "offline (mode='offline')",
        )
        for udi in pending:
            record.return_acknowledged(udi, online=True)
        return
    assert link is not None
    _acknowledge_offline(task, pending, link, record, commands)


def _return_file_text(pending: dict[str, str]) -> str:
    lines = ["Enter this return code in Cisco Smart Software Manager portal:"]
    for udi, code in sorted(pending.items()):
        if udi:
            lines.append(f"UDI: {udi}")
        lines.append(f"Return code: {code}")
    return "\n".join(lines) + "\n"


def _acknowledge_offline(
    task: Task, pending: dict[str, str], link: PortalLink, record: WorkflowJournal, commands: list[str]
) -> None:
    host = task.host.name
    submission = record.open_submission(STEP_RETURN_SUBMITTED, link)
    if submission is None:
        submission = link.drop.submit(
            host, ExchangeKind.SLAC_RETURN, _return_file_text(pending), udis=sorted(pending)
        )
        record.step(STEP_RETURN_SUBMITTED, submission=submission.id, udis=sorted(pending))
    answers = record.ssm_answers(
        link,
        submission,
        refused="Cisco SSM refused the return code",
        remedy="check the code against the journal and the Smart Account; SSM accepts each code once",
    )
    ack = answers[0]
    local = host_folder(record.journal, host) / f"{submission.id}-{ack.answer.name}"
    remote = return_ack_file_name(record.run_id)
    import_ack(task, ack, local, remote, commands)
    for udi in pending:
        if udi in submission.udis:  # a code returned after the submission was never handed to SSM
            record.return_acknowledged(
                udi, submission=submission.id, remote=remote, answer_fingerprint=ack.file.fingerprint
            )
    link.complete(submission)
    rest = record.unacknowledged_returns()
    if rest:
        _acknowledge_offline(task, rest, link, record, commands)
