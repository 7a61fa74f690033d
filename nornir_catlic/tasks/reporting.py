"""Usage reporting, and the fleet-level helpers for sites where CSLU or SSM On-Prem pulls from the switches.

``catlic_report_usage``
    Online: ``license smart sync all``. Offline: ``license smart save usage unreported file bootflash:<f>``,
    fetch the file over SCP, hand it to the portal, put SSM's ACK back and ``license smart import`` it.
    Both verify ``Last ACK received`` and ``Next ACK deadline`` in ``show license status`` afterwards.
:func:`export_udis_csv`
    The fleet's UDIs as the CSV SSM's "Authorize License Enforced Features > Multiple Devices" takes (serial
    number and PID; one key per UDI).
:func:`verify_codes`
    After CSLU or SSM On-Prem applied the codes: every UDI holds a SLAC (and the expected code, if known).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Literal

from nornir.core.task import AggregatedResult, Result, Task
from pydantic import BaseModel, Field, NonNegativeFloat

from nornir_catlic.answers import CheckedAnswer
from nornir_catlic.domain import hseck9_support
from nornir_catlic.errors import WorkflowFailed
from nornir_catlic.journal import Journal
from nornir_catlic.models.actions import SaveUsageReply
from nornir_catlic.models.state import LicenseState
from nornir_catlic.portal import ExchangeKind, Submission, udis_to_ssm_csv
from nornir_catlic.rules.commands import SlacScope, license_import_command, license_sync_command
from nornir_catlic.rules.reporting import online_report_refusal
from nornir_catlic.tasks.authorization import sync_with_ssm
from nornir_catlic.tasks.declarations import checks_arguments, honours_dry_run
from nornir_catlic.tasks.exchange import PortalArgument, PortalLink, host_folder, import_ack
from nornir_catlic.tasks.exclusive import writes_to_switch
from nornir_catlic.tasks.preconditions import predicts_failures
from nornir_catlic.tasks.slac_common import Mode, check_choices, offline_link, parse_mode
from nornir_catlic.tasks.state import read_license_state
from nornir_catlic.tasks.transfer import bootflash_path, fetch_file
from nornir_catlic.tasks.workflow_journal import WorkflowJournal, workflow_journal
from nornir_catlic.transport import Plan, parse_output, run_exec

WORKFLOW = "report-usage"
STEP_SUBMITTED = "usage-submitted"
STEP_ACKNOWLEDGED = "usage-acknowledged"


def usage_file_name(run_id: str) -> str:
    """The bootflash name of the usage report a run saves (the run's identity in it)."""
    return f"catlic-usage-{run_id}.txt"


def usage_ack_file_name(run_id: str) -> str:
    """The bootflash name of SSM's usage ACK as a run puts it there."""
    return f"catlic-usage-ack-{run_id}.txt"


def save_usage_command(path: str) -> str:
    """``license smart save usage unreported file bootflash:<f>``: what SSM has not acknowledged yet."""
    return f"license smart save usage unreported file {path}"


class UsageReport(BaseModel):
    """What ``catlic_report_usage`` did on one device.

    Attributes:
        reported: a report went to SSM and its ACK is installed.
        nothing_to_report: the switch had no unreported usage (offline), or reporting was not due.
        last_ack_received: ``Last ACK received`` afterwards (before, when nothing was reported).
        next_ack_deadline: ``Next ACK deadline`` afterwards; ``None``: the policy needs no further report.
    """

    host: str
    mode: Mode
    reported: bool = False
    nothing_to_report: bool = False
    last_ack_before: dt.datetime | None = None
    last_ack_received: dt.datetime | None = None
    next_ack_deadline: dt.datetime | None = None
    commands: list[str] = Field(default_factory=list)
    submission: str | None = None
    transport: Literal["ssh", "rest"] = "ssh"


def _due(state: LicenseState, within: dt.timedelta, now: dt.datetime) -> bool:
    deadline = state.next_ack_deadline
    return state.last_ack_received is None or (deadline is not None and deadline - now <= within)


@honours_dry_run
@checks_arguments(check_choices)
@writes_to_switch
@predicts_failures
def catlic_report_usage(
    task: Task,
    mode: str = "online",
    portal: PortalArgument = None,
    journal: Journal | None = None,
    if_due_within_days: NonNegativeFloat | None = None,
    dry_run: bool | None = None,
) -> Result:
    """Nornir task: send the usage (RUM) report and install SSM's ACK; ``Result.result`` is a UsageReport.

    Args:
        mode: ``online`` (``license smart sync all``) or ``offline`` (file through ``portal``).
        portal: a FileDropPortal or a SmartSoftwareManager object (offline).
        journal: the durable journal; an offline report waiting for its ACK resumes from it.
        if_due_within_days: report only when no ACK was ever received or the ``Next ACK deadline`` is this
            close (``changed=False`` otherwise); ``None`` reports every time.

    Raises:
        WorkflowFailed: the switch could not reach SSM, SSM refused, or the ACK did not show.
        WaitingForPortal: the offline report waits for SSM's ACK; run again when it arrives.
        AnswersRefused: a file in the inbox is not SSM's ACK of this report (each named, with why).
    """
    chosen = parse_mode(mode)
    with workflow_journal(journal, task.host.name, WORKFLOW) as record:
        link = offline_link(chosen, portal, record.journal, needed_for="an offline usage report")
        return _report(task, record, chosen, link, if_due_within_days, dry_run)


def _report(
    task: Task,
    record: WorkflowJournal,
    chosen: Mode,
    link: PortalLink | None,
    if_due_within_days: float | None,
    dry_run: bool | None,
) -> Result:
    host = task.host.name
    journal = record.journal
    state = read_license_state(task)
    outcome = UsageReport(
        host=host,
        mode=chosen,
        last_ack_before=state.last_ack_received,
        last_ack_received=state.last_ack_received,
        next_ack_deadline=state.next_ack_deadline,
    )
    submission = (
        link.journaled_submission(journal, host, WORKFLOW, STEP_SUBMITTED) if link is not None else None
    )
    now = dt.datetime.now(dt.timezone.utc)
    if (
        submission is None
        and if_due_within_days is not None
        and not _due(state, dt.timedelta(days=if_due_within_days), now)
    ):
        outcome.nothing_to_report = True
        return Result(host=task.host, result=outcome, changed=False)
    refusal = online_report_refusal(state.connection_mode) if chosen is Mode.ONLINE else None
    if refusal is not None:
        raise WorkflowFailed(host, refusal.reason, remedy=refusal.remedy)

    script = Plan()
    if chosen is Mode.ONLINE:
        script.exec(license_sync_command(SlacScope.ALL), reason="send the usage report and receive the ACK")
    else:
        if submission is None:
            script.exec(
                save_usage_command(bootflash_path(usage_file_name(record.run_id))),
                reason="save the unreported usage, fetch it over SCP and hand it to the portal for Cisco SSM",
            )
        script.exec(
            license_import_command(bootflash_path(usage_ack_file_name(record.run_id))),
            reason="put SSM's ACK on bootflash: over SCP and import it",
        )
    if task.is_dry_run(dry_run):
        if link is not None and submission is not None:
            link.predict_answers(submission, record.answer_history(submission))  # as the real run judges
        outcome.commands = script.commands()
        return Result(host=task.host, result=outcome, changed=True, diff=script.render())

    if chosen is Mode.ONLINE:
        _report_online(task, outcome)
    else:
        assert link is not None
        if not _report_offline(task, outcome, link, record, submission):
            return Result(host=task.host, result=outcome, changed=False)
    after = read_license_state(task)
    outcome.last_ack_received = after.last_ack_received
    outcome.next_ack_deadline = after.next_ack_deadline
    before = outcome.last_ack_before
    if after.last_ack_received is None or (before is not None and after.last_ack_received < before):
        raise WorkflowFailed(
            host,
            "show license status shows no new ACK after the report",
            device_words=f"Last ACK received: {after.last_ack_received or '<none>'}",
            remedy="check the transport (online) or that SSM's ACK for this report was imported (offline)",
        )
    outcome.reported = True
    record.step(
        STEP_ACKNOWLEDGED,
        last_ack_received=after.last_ack_received,
        next_ack_deadline=after.next_ack_deadline,
    )
    return Result(host=task.host, result=outcome, changed=True, diff="\n".join(outcome.commands))


def _report_online(task: Task, outcome: UsageReport) -> None:
    sync_with_ssm(
        task,
        outcome.commands,
        failure="the switch could not reach Cisco SSM, CSLU or SSM On-Prem",
        remedy="check the transport URL, proxy and reachability, or report offline (mode='offline')",
    )


def _report_offline(
    task: Task,
    outcome: UsageReport,
    link: PortalLink,
    record: WorkflowJournal,
    submission: Submission | None,
) -> bool:
    """Save, fetch, submit (unless resuming), then import SSM's ACK. False: nothing to report."""
    host = task.host.name
    folder = host_folder(record.journal, host)
    if submission is None:
        usage_file = usage_file_name(record.run_id)
        command = save_usage_command(bootflash_path(usage_file))
        outcome.commands.append(command)
        output = run_exec(task, command)
        if output.strip():
            reply = parse_output(task, command, output)
            if isinstance(reply, SaveUsageReply) and reply.nothing_to_save:
                outcome.nothing_to_report = True
                return False
        text = fetch_file(task, usage_file, folder / usage_file)
        submission = link.drop.submit(host, ExchangeKind.USAGE_REPORT, text)
        record.step(STEP_SUBMITTED, submission=submission.id, usage_file=usage_file)
    outcome.submission = submission.id
    ack = usage_ack(link, record, submission)
    remote = usage_ack_file_name(record.run_id)
    import_ack(task, ack, folder / f"{submission.id}-{ack.answer.name}", remote, outcome.commands)
    record.step(
        "usage-ack-imported", submission=submission.id, remote=remote, answer_fingerprint=ack.file.fingerprint
    )
    link.complete(submission)
    return True


def usage_ack(link: PortalLink, record: WorkflowJournal, submission: Submission) -> CheckedAnswer:
    """SSM's ACK of a submitted usage report, journaled as the SSH and the REST report both do.

    Raises:
        AnswersRefused: a file in the inbox does not answer this report.
        WaitingForPortal: the operator has not dropped the ACK yet.
        WorkflowFailed: SSM refused the report (its words and message code).
    """
    answers = record.ssm_answers(
        link,
        submission,
        refused="Cisco SSM refused the usage report",
        remedy="check the Smart Account and Virtual Account the report was uploaded to",
    )
    return answers[0]


# ----------------------------------------------------------------------------------------------------
# fleet helpers


def _states(results: AggregatedResult | Iterable[LicenseState]) -> list[LicenseState]:
    """The LicenseStates in a Nornir run's results (``catlic_get_license_state``, or any result with one)."""
    if not isinstance(results, AggregatedResult):
        return list(results)
    states: list[LicenseState] = []
    for multi in results.values():
        for result in multi:
            value = result.result
            state = value if isinstance(value, LicenseState) else getattr(value, "state", None)
            if isinstance(state, LicenseState):
                states.append(state)
                break
    return states


def _may_use_hseck9(state: LicenseState) -> bool:
    """Unknown families and C9400/C9600 chassis stay in: the supervisor decides, the state cannot tell."""
    family = state.family
    return family is None or family.is_modular or hseck9_support(family).supported


def fleet_udis(results: AggregatedResult | Iterable[LicenseState], *, missing_only: bool = True) -> list[str]:
    """UDIs of HSECK9-capable devices in the results; ``missing_only``: those without a SLAC yet."""
    udis: list[str] = []
    for state in _states(results):
        if not _may_use_hseck9(state):
            continue
        for member in state.members.values():
            if missing_only and member.slac_installed:
                continue
            if str(member.udi) not in udis:
                udis.append(str(member.udi))
    return udis


def export_udis_csv(results: AggregatedResult | Iterable[LicenseState], *, missing_only: bool = True) -> str:
    """The CSV for SSM's "Multiple Devices" SLAC generation: one row (serial number, PID) per UDI.

    Args:
        results: a ``catlic_get_license_state`` (or ``catlic_check_hseck9``) run, or LicenseStates.
        missing_only: only UDIs without a SLAC (a dual-supervisor chassis counts once: one key per UDI).
    """
    return udis_to_ssm_csv(fleet_udis(results, missing_only=missing_only))


class CodeVerification(BaseModel):
    """Whether every UDI got its SLAC.

    Attributes:
        codes: UDI -> confirmation code found on the device.
        missing: UDIs expected but without a SLAC (or not seen at all).
        mismatched: UDI -> (expected, found) confirmation codes that differ.
    """

    codes: dict[str, str] = Field(default_factory=dict)
    missing: list[str] = Field(default_factory=list)
    mismatched: dict[str, tuple[str, str]] = Field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.mismatched


def verify_codes(
    results: AggregatedResult | Iterable[LicenseState],
    udis: Iterable[str] | None = None,
    *,
    expected: Mapping[str, str] | None = None,
) -> CodeVerification:
    """Check that each UDI holds a SLAC, after CSLU or SSM On-Prem applied SSM's codes.

    Args:
        results: a fresh ``catlic_get_license_state`` run (or LicenseStates).
        udis: the UDIs that should hold a SLAC (default: ``expected``'s, else every UDI in the results).
        expected: UDI -> confirmation code SSM issued, when known.
    """
    found: dict[str, str] = {}
    seen: list[str] = []
    for state in _states(results):
        for member in state.members.values():
            seen.append(str(member.udi))
            if member.slac_installed and member.confirmation_code:
                found[str(member.udi)] = member.confirmation_code
    wanted = list(udis) if udis is not None else list(expected) if expected else list(dict.fromkeys(seen))
    verification = CodeVerification(codes={udi: found[udi] for udi in wanted if udi in found})
    verification.missing = [udi for udi in wanted if udi not in found]
    for udi, code in (expected or {}).items():
        if udi in found and found[udi] != code:
            verification.mismatched[udi] = (code, found[udi])
    return verification
