"""Install and return SLACs for the HSECK9 key: the guide's "Install SLAC" and "Returning a SLAC" as tasks.

``catlic_install_slac``
    Reads the device, lets :func:`nornir_catlic.rules.installation.plan_slac_request` choose ``add`` or
    ``replace`` and ``all`` or ``local`` (a stack member without a SLAC: ``replace all``; StackWise Virtual
    with the active only: return the active's SLAC, then ``add all``), and does nothing when every wanted
    UDI holds a SLAC.
    Online: request, ``license smart sync all``, wait for the install, verify each UDI's confirmation code.
    Air-gapped: request and ``license smart authorization request save bootflash:`` (17.7.1 and later; before
    that, SSM's "Multiple Devices" CSV of UDIs), fetch the file over SCP, hand it to the portal, put each
    per-UDI SLAC file back over SCP and ``license smart import`` it, one at a time.
``catlic_return_slac``
    Checks the key is NOT IN USE (or releases it forcibly first), returns online or offline, writes each
    return code to the journal before anything else, hands offline codes to the portal, imports the ACK and
    verifies ``Last return code`` (implemented in :mod:`nornir_catlic.tasks.slac_return`).

Both journal every step (``journal=``): a session dropped or a process killed at any step resumes from the
device's state and the journal, without requesting a key twice or losing a return code. Failures raise
:class:`~nornir_catlic.errors.WorkflowFailed` with the device's words and the guide's remedy.
"""

from __future__ import annotations

from collections.abc import Iterable

from nornir.core.task import Result, Task
from pydantic import BaseModel, Field, NonNegativeFloat

from nornir_catlic import interrupts
from nornir_catlic.domain import ConnectionMode, DeviceFacts, release_or_none
from nornir_catlic.errors import (
    DeviceCommandError,
    SessionLostError,
    WorkflowFailed,
)
from nornir_catlic.journal import (
    Journal,
    StepStatus,
)
from nornir_catlic.models.actions import LicenseImportReply
from nornir_catlic.models.state import LicenseState
from nornir_catlic.models.syslog import SyslogEvent
from nornir_catlic.portal import ExchangeKind, Submission, udis_to_ssm_csv
from nornir_catlic.rules.commands import (
    SlacAction,
    SlacScope,
    license_import_command,
    license_sync_command,
    slac_request_command,
    slac_request_save_command,
    slac_return_command,
)
from nornir_catlic.rules.installation import (
    SLAC_REQUEST_FILE_RELEASE,
    SlacMethod,
    SlacPlan,
    SlacStep,
    SlacStepKind,
    plan_slac_request,
    remedy_for_ssm_failure,
    request_refusal,
    slac_method,
)
from nornir_catlic.rules.returns import check_return_ready
from nornir_catlic.tasks.authorization import (
    LogWatch,
    communication_failures,
    confirmation_codes,
    install_failures,
    read_authorization,
    wait_until,
)
from nornir_catlic.tasks.declarations import checks_arguments, honours_dry_run
from nornir_catlic.tasks.exchange import PortalArgument, PortalLink, host_folder, import_file
from nornir_catlic.tasks.exclusive import writes_to_switch
from nornir_catlic.tasks.preconditions import predicts_failures, require_hseck9
from nornir_catlic.tasks.slac_common import (
    STEP_INSTALL_FAILED,
    STEP_INSTALL_VERIFIED,
    STEP_PLANNED,
    STEP_REQUEST_SUBMITTED,
    WORKFLOW_INSTALL,
    WORKFLOW_RETURN,
    Mode,
    check_choices,
    check_transport,
    device_failure,
    facts_for,
    offline_link,
    parse_choice,
    parse_mode,
    parse_scope,
)
from nornir_catlic.tasks.slac_return import (
    SlacReturn,
    catlic_return_slac,
    plan_return_ack,
    return_now,
    slac_holders,
)
from nornir_catlic.tasks.state import read_license_state
from nornir_catlic.tasks.transfer import bootflash_path, fetch_file
from nornir_catlic.tasks.workflow_journal import WorkflowJournal, workflow_journal
from nornir_catlic.transport import Plan, run_exec
from nornir_catlic.workplace import write_private_text

DEFAULT_WAIT = 120.0


def request_file_name(run_id: str) -> str:
    """The bootflash name of the SLAC request a run saves (the run's identity in it: no two runs share it)."""
    return f"catlic-slac-request-{run_id}.txt"


def slac_file_name(run_id: str, index: int) -> str:
    """The bootflash name of the ``index``-th (1-based) SLAC file SSM sent back, as a run puts it there."""
    return f"catlic-slac-{run_id}-{index}.txt"


class SlacInstall(BaseModel):
    """What ``catlic_install_slac`` did (or would do) on one device.

    Attributes:
        requested: UDIs SSM was asked to authorize in this run.
        returned: UDI -> return code of SLACs returned first (StackWise Virtual: the active's).
        codes: UDI -> confirmation code of every wanted UDI, as verified on the device.
        commands: the device commands typed (dry run: that would be typed), in order.
        submission: the portal submission of an air-gapped request.
        resumed: the journal showed an unfinished run of this workflow, and this run finished it.
    """

    host: str
    mode: Mode
    scope: SlacScope
    action: SlacAction | None = None
    requested: list[str] = Field(default_factory=list)
    returned: dict[str, str] = Field(default_factory=dict)
    codes: dict[str, str] = Field(default_factory=dict)
    commands: list[str] = Field(default_factory=list)
    submission: str | None = None
    resumed: bool = False


# ----------------------------------------------------------------------------------------------------
# install


def install_plan(facts: DeviceFacts, scope: SlacScope, action: SlacAction | None, mode: Mode) -> SlacPlan:
    """The guide's plan for ``scope`` (``action`` overrides add or replace): what the install types and what
    the key budget counts."""
    plan = plan_slac_request(facts, scope, online=mode is Mode.ONLINE)
    if action is None or not plan.needed:
        return plan
    steps = tuple(
        step.model_copy(update={"command": slac_request_command(action, scope)})
        if step.kind is SlacStepKind.REQUEST
        else step
        for step in plan.steps
    )
    return plan.model_copy(update={"steps": steps})


def offline_method(state: LicenseState) -> SlacMethod:
    """The guide's air-gapped procedure for the device's release: a saved request file (17.7.1 and later),
    else SSM's Multiple Devices CSV. No release read, or an engineering build name: nothing to compare, so
    the save is tried and the device decides."""
    return slac_method(ConnectionMode.AIR_GAPPED, release_or_none(state.release))


def _install_script(plan: SlacPlan, mode: Mode, state: LicenseState, run_id: str) -> Plan:
    """The commands a run types, for ``diff`` (SCP and portal steps are named in the comments)."""
    script = Plan()
    for step in plan.steps:
        if step.kind is SlacStepKind.RETURN:
            script.exec(step.command, reason=step.reason)
            if mode is Mode.OFFLINE:
                plan_return_ack(script, run_id)
            continue
        if mode is Mode.ONLINE:
            script.exec(step.command, reason=step.reason)
            script.exec(
                license_sync_command(SlacScope.ALL),
                reason="synchronize with Cisco SSM now, then wait for the install (guide: step 3)",
            )
            continue
        udis = plan.authorized_after
        if offline_method(state) is SlacMethod.FILE_EXCHANGE:
            script.exec(step.command, reason=step.reason)
            script.exec(
                slac_request_save_command(bootflash_path(request_file_name(run_id))),
                reason="save the request, fetch it over SCP and hand it to the portal for Cisco SSM",
            )
        else:
            csv_reason = (
                f"release {state.release} cannot save a request ({SLAC_REQUEST_FILE_RELEASE} and later): "
                f"hand SSM's 'Multiple Devices' CSV of {len(udis)} UDI(s) to the portal instead"
            )
            script.exec(
                license_import_command(bootflash_path(slac_file_name(run_id, 1))),
                reason=csv_reason + "; then put each SLAC file on bootflash: over SCP and import it",
            )
            for index in range(2, len(udis) + 1):
                script.exec(license_import_command(bootflash_path(slac_file_name(run_id, index))))
            continue
        for index in range(1, len(udis) + 1):
            script.exec(
                license_import_command(bootflash_path(slac_file_name(run_id, index))),
                reason="put SSM's SLAC file on bootflash: over SCP and import it (one per UDI, one at a time)"
                if index == 1
                else "",
            )
    return script


def check_install_arguments(
    mode: str | Mode = Mode.ONLINE,
    scope: str | SlacScope = SlacScope.ALL,
    action: str | None = None,
    **_: object,
) -> None:
    """The words ``catlic_install_slac`` accepts, judged before any device."""
    check_choices(mode, scope)
    parse_action(action)


@honours_dry_run
@checks_arguments(check_install_arguments)
@writes_to_switch
@predicts_failures
def catlic_install_slac(
    task: Task,
    mode: str = "online",
    scope: str = "all",
    action: str | None = None,
    portal: PortalArgument = None,
    journal: Journal | None = None,
    wait: NonNegativeFloat = DEFAULT_WAIT,
    supervisor_pids: Iterable[str] | None = None,
    dry_run: bool | None = None,
) -> Result:
    """Nornir task: bring the HSECK9 key's SLAC onto every wanted UDI; ``Result.result`` is a SlacInstall.

    Args:
        mode: ``online`` (the switch reaches SSM) or ``offline`` (air-gapped, through ``portal``).
        scope: ``all`` (every UDI of the stack or HA set-up, the guide's recommendation) or ``local`` (the
            active only).
        action: ``add`` or ``replace`` to override the guide's choice; ``None`` lets the rules choose.
        portal: a FileDropPortal (air-gapped site) or a SmartSoftwareManager object; offline only.
        journal: the durable journal; with it, an interrupted run resumes without asking SSM twice.
        wait: seconds to wait for an online install before giving up (the journal keeps the request).
        supervisor_pids: supervisors of a C9400/C9600 chassis (default: host data ``supervisor_pids``).

    Raises:
        WorkflowFailed: the device or SSM refused (the device's words and the guide's remedy).
        WaitingForPortal: the air-gapped request waits for SSM's SLAC files; run again when they arrive.
        NotApplicable: a platform, release or set-up without HSECK9 support (the CLI skips the host).
        PrerequisiteError: the wrong mode for the transport.

    A dry run reads what the real run reads and checks the same preconditions (:func:`check_request_gate`,
    the transport); where the real run would fail it raises WouldFail instead of planning.
    """
    chosen_mode, chosen_scope = parse_mode(mode), parse_scope(scope)
    chosen_action = parse_action(action)
    with workflow_journal(journal, task.host.name, WORKFLOW_INSTALL) as record:
        link = offline_link(chosen_mode, portal, record.journal, needed_for="an air-gapped install")
        return _install(
            task, record, chosen_mode, chosen_scope, chosen_action, link, wait, supervisor_pids, dry_run
        )


def _install(
    task: Task,
    record: WorkflowJournal,
    chosen_mode: Mode,
    chosen_scope: SlacScope,
    chosen_action: SlacAction | None,
    link: PortalLink | None,
    wait: float,
    supervisor_pids: Iterable[str] | None,
    dry_run: bool | None,
) -> Result:
    host = task.host.name
    outcome = SlacInstall(host=host, mode=chosen_mode, scope=chosen_scope, action=chosen_action)
    state = read_license_state(task)
    require_hseck9(facts_for(task, state, supervisor_pids))
    awaited = _awaited_request(link, record, task.is_dry_run(dry_run)) if link is not None else None
    if link is not None and awaited is not None:
        with interrupts.one_step(host, "the import of SSM's SLAC files"):
            return _finish_offline_install(task, state, outcome, link, record, awaited, dry_run)

    if chosen_mode is Mode.ONLINE and record.outstanding_requests() and not task.is_dry_run(dry_run):
        # A request whose fate is unknown (dropped session, killed process): let the switch send whatever
        # it still holds before deciding anything, so that SSM is never asked twice for a key.
        with interrupts.one_step(host, license_sync_command(SlacScope.ALL)):
            outcome.resumed = True
            outcome.commands.append(license_sync_command(SlacScope.ALL))
            run_exec(task, license_sync_command(SlacScope.ALL))
            state = read_license_state(task)

    facts = facts_for(task, state, supervisor_pids)
    plan = install_plan(facts, chosen_scope, chosen_action, chosen_mode)
    if not plan.needed:
        outcome.codes = _wanted_codes(state, facts, chosen_scope)
        if not task.is_dry_run(dry_run):  # a dry run writes nothing, not even to the journal
            for udi, code in outcome.codes.items():
                record.slac_installed(udi, code, verified=True)
        return Result(host=task.host, result=outcome, changed=False)

    check_transport(host, state, chosen_mode)
    check_request_gate(host, state, facts, plan, chosen_mode)
    script = _install_script(plan, chosen_mode, state, record.run_id)
    if task.is_dry_run(dry_run):
        outcome.requested = list(plan.authorized_after)
        outcome.commands = script.commands()
        return Result(host=task.host, result=outcome, changed=True, diff=script.render())

    # From the first request on, the keys are being spent: the run goes on to verify them, even when stopped.
    with interrupts.one_step(host, plan.steps[0].command):
        record.step(STEP_PLANNED, StepStatus.STARTED, mode=chosen_mode, commands=list(plan.commands))
        for step in plan.steps:
            if step.kind is SlacStepKind.RETURN:
                _return_before_request(task, step, state, chosen_mode, link, record, outcome)
            elif chosen_mode is Mode.ONLINE:
                _request_online(task, step, plan, state, facts, record, outcome, wait)
            else:
                assert link is not None
                submission = _request_offline(task, step, plan, state, link, record, outcome)
                return _finish_offline_install(task, state, outcome, link, record, submission, dry_run)
    return Result(host=task.host, result=outcome, changed=True, diff="\n".join(outcome.commands))


def check_request_gate(
    host: str, state: LicenseState, facts: DeviceFacts, plan: SlacPlan, mode: Mode
) -> None:
    """What the switch would refuse in ``plan`` (:func:`~nornir_catlic.rules.installation.request_refusal`),
    checked before anything is sent (real run and dry run).

    Raises:
        WorkflowFailed: with the guide's remedy.
    """
    refusal = request_refusal(state, facts, plan, offline=mode is Mode.OFFLINE)
    if refusal is not None:
        raise WorkflowFailed(host, refusal.reason, device_words=refusal.device_words, remedy=refusal.remedy)


def parse_action(action: str | None) -> SlacAction | None:
    """``add``, ``replace`` or None (the guide's rules choose)."""
    return None if action is None else parse_choice(SlacAction, action, "action")


def installed_codes(state: LicenseState) -> dict[str, str]:
    """UDI -> confirmation code of every SLAC the state shows installed."""
    return {
        str(member.udi): member.confirmation_code
        for member in state.members.values()
        if member.slac_installed and member.confirmation_code
    }


def _wanted_codes(state: LicenseState, facts: DeviceFacts, scope: SlacScope) -> dict[str, str]:
    wanted = set(facts.udis()) if scope is SlacScope.ALL else {facts.active.udi} if facts.active else set()
    return {udi: code for udi, code in installed_codes(state).items() if udi in wanted}


def _request_online(
    task: Task,
    step: SlacStep,
    plan: SlacPlan,
    state: LicenseState,
    facts: DeviceFacts,
    record: WorkflowJournal,
    outcome: SlacInstall,
    wait: float,
) -> None:
    host = task.host.name
    wanted = list(plan.authorized_after)
    before = installed_codes(state)
    watch = LogWatch.start(task)
    record.slac_requested(wanted, command=step.command, mode="online")
    outcome.requested = wanted
    outcome.commands.append(step.command)
    try:
        run_exec(task, step.command)
        outcome.commands.append(license_sync_command(SlacScope.ALL))
        run_exec(task, license_sync_command(SlacScope.ALL))
    except SessionLostError:
        raise
    except DeviceCommandError as error:
        record.step(STEP_INSTALL_FAILED, StepStatus.FAILED, command=error.command, reply=error.reply)
        raise device_failure(
            host, f"{error.command!r} was refused", error, remedy=_refusal_remedy(facts)
        ) from None

    installed: dict[str, str] = {}
    failures: dict[str, SyslogEvent] = {}
    comm_failures: list[str] = []

    def settled() -> bool:
        codes = confirmation_codes(read_authorization(task))
        for udi in wanted:
            code = codes.get(udi)
            if code and code != before.get(udi) and udi not in installed:
                installed[udi] = code
                record.slac_installed(udi, code, command=step.command)
        if len(installed) == len(wanted):
            return True
        events = watch.new_events(task)
        failures.update(install_failures(events, wanted))
        comm_failures.extend(str(event) for event in communication_failures(events))
        return bool(comm_failures) or set(installed) | set(failures) >= set(wanted)

    wait_until(settled, timeout=wait)
    outcome.codes = installed
    if failures:
        messages = {udi: str(event) for udi, event in failures.items()}
        codes = sorted({event.error_code for event in failures.values() if event.error_code})
        message_code = codes[0] if codes else None
        record.step(STEP_INSTALL_FAILED, StepStatus.FAILED, failures=messages, installed=installed)
        raise WorkflowFailed(
            host,
            f"no SLAC was installed on {', '.join(failures)}"
            + (f" (installed on {', '.join(installed)})" if installed else ""),
            device_words="\n".join(messages.values()),
            remedy=remedy_for_ssm_failure(message_code, facts),
            message_code=message_code,
        )
    if comm_failures or len(installed) < len(wanted):
        missing = [udi for udi in wanted if udi not in installed]
        record.step(STEP_INSTALL_FAILED, StepStatus.FAILED, missing=missing, reason="not installed")
        raise WorkflowFailed(
            host,
            f"no SLAC installed on {', '.join(missing)} within {wait:g}s",
            device_words="\n".join(comm_failures) or "(no install message)",
            remedy="the request is kept by the switch and the journal: check the transport and that Cisco "
            "SSM, CSLU or SSM On-Prem is reachable, then run again (it synchronizes instead of asking "
            "twice), or install offline (mode='offline')",
        )
    # settled() read every code from show license authorization: the install is verified.
    record.step(STEP_INSTALL_VERIFIED, codes=installed)


def _refusal_remedy(facts: DeviceFacts) -> str:
    """A refused request: with the key IN USE, the guide's remedy is to free it first (replace returns it)."""
    finding = check_return_ready(facts)
    return finding[0].remedy if finding else remedy_for_ssm_failure(None, facts)


def _verify_installed(task: Task, expected: dict[str, str], record: WorkflowJournal) -> None:
    """Every UDI shows SMART AUTHORIZATION INSTALLED with the confirmation code the workflow recorded."""
    codes = confirmation_codes(read_authorization(task))
    wrong = {udi: codes.get(udi) for udi, code in expected.items() if codes.get(udi) != code}
    if wrong:
        shown = ", ".join(f"{udi}: {code or 'NOT INSTALLED'}" for udi, code in wrong.items())
        raise WorkflowFailed(
            task.host.name,
            "show license authorization does not show the confirmation codes just installed",
            device_words=shown,
            remedy="run the install again: the journal keeps what was installed",
        )
    record.step(STEP_INSTALL_VERIFIED, codes=expected)


def _request_offline(
    task: Task,
    step: SlacStep,
    plan: SlacPlan,
    state: LicenseState,
    link: PortalLink,
    record: WorkflowJournal,
    outcome: SlacInstall,
) -> Submission:
    host = task.host.name
    wanted = list(plan.authorized_after)
    outcome.requested = wanted
    if offline_method(state) is SlacMethod.FILE_EXCHANGE:
        request_file = request_file_name(record.run_id)
        record.slac_requested(wanted, command=step.command, mode="offline", request_file=request_file)
        save = slac_request_save_command(bootflash_path(request_file))
        for command in (step.command, save):
            outcome.commands.append(command)
            try:
                run_exec(task, command)
            except SessionLostError:
                raise
            except DeviceCommandError as error:
                record.step(STEP_INSTALL_FAILED, StepStatus.FAILED, command=command, reply=error.reply)
                raise device_failure(
                    host,
                    f"{command!r} was refused",
                    error,
                    remedy=_refusal_remedy(facts_for(task, state, None)),
                ) from None
        text = fetch_file(task, request_file, host_folder(record.journal, host) / request_file)
        submission = link.drop.submit(host, ExchangeKind.SLAC_REQUEST, text, udis=wanted)
    else:
        record.slac_requested(wanted, method=SlacMethod.SSM_MULTIPLE_DEVICES.value, mode="offline")
        csv_text = udis_to_ssm_csv(wanted)
        submission = link.drop.submit(
            host, ExchangeKind.DEVICE_LIST, csv_text, udis=wanted, expected_answers=len(wanted)
        )
    record.step(
        STEP_REQUEST_SUBMITTED,
        submission=submission.id,
        file=str(link.drop.outbox_path(submission)),
        udis=wanted,
    )
    return submission


def _awaited_request(link: PortalLink, record: WorkflowJournal, dry_run: bool) -> Submission | None:
    """The SLAC request still awaited from SSM: the journaled one, else one the portal holds for this host
    (a run killed between handing the file over and journaling it); a resumed run never asks twice."""
    journaled = record.open_submission(STEP_REQUEST_SUBMITTED, link)
    if journaled is not None:
        return journaled
    for kind in (ExchangeKind.SLAC_REQUEST, ExchangeKind.DEVICE_LIST):
        found = link.drop.find(record.host, kind)
        if found is not None and found.expected_answers > 0:
            if not dry_run:
                record.step(
                    STEP_REQUEST_SUBMITTED, submission=found.id, udis=list(found.udis), recovered=True
                )
            return found
    return None


def _finish_offline_install(
    task: Task,
    state: LicenseState,
    outcome: SlacInstall,
    link: PortalLink,
    record: WorkflowJournal,
    submission: Submission,
    dry_run: bool | None,
) -> Result:
    """Collect SSM's SLAC files for ``submission``, import them one at a time, verify."""
    host = task.host.name
    outcome.submission = submission.id
    outcome.requested = list(submission.udis)
    outcome.resumed = outcome.resumed or not outcome.commands
    if task.is_dry_run(dry_run):
        link.predict_answers(submission, record.answer_history(submission))  # waiting, refusals: as real
        script = Plan()
        for index in range(1, submission.expected_answers + 1):
            script.exec(license_import_command(bootflash_path(slac_file_name(record.run_id, index))))
        outcome.commands = script.commands()
        return Result(host=task.host, result=outcome, changed=True, diff=script.render())
    answers = record.ssm_answers(
        link,
        submission,
        refused="Cisco SSM did not issue the SLACs",
        remedy=lambda code: remedy_for_ssm_failure(code, facts_for(task, state, None)),
        failed_step=STEP_INSTALL_FAILED,
    )
    imported = record.imported_files(submission.id)
    installed: dict[str, str] = {}
    folder = host_folder(record.journal, host)
    for index, checked in enumerate(answers, start=1):
        answer = checked.answer
        if answer.name in imported:
            continue
        remote = slac_file_name(record.run_id, index)
        local = write_private_text(folder / f"{submission.id}-{answer.name}", answer.text)
        reply = import_file(
            task,
            local,
            remote,
            outcome.commands,
            refused=f"the SLAC file {answer.name} was not imported",
            remedy="check that the file is SSM's SLAC for this device and undamaged; drop a fresh copy "
            f"into {link.drop.answer_folder(submission)} and run again",
        )
        if not isinstance(reply, LicenseImportReply) or reply.udi is None or not reply.confirmation_code:
            raise WorkflowFailed(
                host,
                f"importing {answer.name} printed no confirmation code",
                device_words=str(reply),
                remedy="check that the file is a SLAC (not an ACK)",
            )
        installed[str(reply.udi)] = reply.confirmation_code
        record.slac_imported(checked, str(reply.udi), reply.confirmation_code, submission.id, remote)
    journaled = record.installed_codes()
    expected = {udi: journaled.get(udi) or installed.get(udi, "") for udi in submission.udis}
    missing = [udi for udi, code in expected.items() if not code]
    if missing:
        raise WorkflowFailed(
            host,
            f"SSM's files held no SLAC for {', '.join(missing)}",
            device_words=", ".join(checked.answer.name for checked in answers),
            remedy="generate the missing SLAC in Cisco SSM (one file per UDI) and drop it into the inbox",
        )
    _verify_installed(task, expected, record)
    link.complete(submission)
    outcome.codes = expected
    return Result(host=task.host, result=outcome, changed=True, diff="\n".join(outcome.commands))


def _return_before_request(
    task: Task,
    step: SlacStep,
    state: LicenseState,
    mode: Mode,
    link: PortalLink | None,
    record: WorkflowJournal,
    outcome: SlacInstall,
) -> None:
    """StackWise Virtual: return the SLAC on the active before requesting for all (the guide's remedy)."""
    online = mode is Mode.ONLINE
    scope = next(s for s in SlacScope if slac_return_command(s, online=online) == step.command)
    holders = list(slac_holders(state, scope))
    outcome.returned.update(return_now(task, scope, mode, holders, link, record, outcome.commands))


__all__ = [
    "DEFAULT_WAIT",
    "WORKFLOW_INSTALL",
    "WORKFLOW_RETURN",
    "Mode",
    "SlacInstall",
    "SlacReturn",
    "catlic_install_slac",
    "catlic_return_slac",
    "request_file_name",
    "slac_file_name",
]
