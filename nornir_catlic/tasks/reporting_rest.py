"""Usage reporting through the switch's own REST API (``/smartlic-service``) instead of SSH.

``catlic_report_usage_rest``
    ``POST close-reports``, ``GET list`` (which reports Cisco has not acknowledged), ``GET all-reports``:
    those reports become one usage file in Cisco's shape for the portal (file drop, the lab's SSM, Cisco's
    API); SSM's ACK goes back with ``POST import`` and ``GET list`` shows every report sent as ``ACK``.
    The same journal, result type and resumption as the SSH report: a run that waits for the operator's ACK
    resumes from the journaled submission and only imports. Returning a SLAC stays on SSH (the API has
    no return).
"""

from __future__ import annotations

from nornir.core.task import Result, Task
from pydantic import ValidationError

from nornir_catlic.device_rest import DeviceRestClient, RestEndpoint, usage_file
from nornir_catlic.device_rest.models import ACKNOWLEDGED, RumPayload
from nornir_catlic.errors import WorkflowFailed
from nornir_catlic.journal import Journal
from nornir_catlic.portal import ExchangeKind, Submission
from nornir_catlic.tasks.declarations import honours_dry_run
from nornir_catlic.tasks.exchange import PortalArgument, PortalLink, host_folder
from nornir_catlic.tasks.exclusive import writes_to_switch
from nornir_catlic.tasks.preconditions import predicts_failures
from nornir_catlic.tasks.reporting import (
    STEP_SUBMITTED,
    WORKFLOW,
    UsageReport,
    usage_ack,
    usage_file_name,
)
from nornir_catlic.tasks.slac_common import Mode
from nornir_catlic.tasks.workflow_journal import WorkflowJournal, workflow_journal
from nornir_catlic.workplace import write_private_text

STEP_ACK_IMPORTED = "usage-ack-imported"
STEP_ACKNOWLEDGED = "usage-acknowledged"
PLANNED_COLLECT = (
    "POST /smartlic-service/close-reports",
    "GET /smartlic-service/list",
    "GET /smartlic-service/all-reports",
)
PLANNED_IMPORT = ("POST /smartlic-service/import", "GET /smartlic-service/list")


@honours_dry_run
@writes_to_switch
@predicts_failures
def catlic_report_usage_rest(
    task: Task,
    portal: PortalArgument = None,
    journal: Journal | None = None,
    dry_run: bool | None = None,
) -> Result:
    """Nornir task: the usage (RUM) report over the switch's REST API; ``Result.result`` is a UsageReport.

    The host's inventory data gives the API (``rest_api: {port, verify}``, see
    :mod:`nornir_catlic.device_rest.endpoint`); its username and password authenticate. A dry run only
    reads (``GET list``: the credentials and certificate are proven) and lists the calls the run makes.

    Args:
        portal: a FileDropPortal or a SmartSoftwareManager object, as for the offline SSH report.
        journal: the durable journal; a report waiting for its ACK resumes from it.

    Raises:
        PrerequisiteError: the inventory gives no REST API for the host.
        WorkflowFailed: the API refused (401: credentials) or failed, SSM refused, or the ACK did not show.
        WaitingForPortal: the report waits for SSM's ACK; run again when it arrives.
    """
    endpoint = RestEndpoint.of(task.host)
    with workflow_journal(journal, task.host.name, WORKFLOW) as record:
        link = PortalLink.resolve(portal, record.journal, needed_for="a usage report over REST")
        with DeviceRestClient(endpoint) as client:
            return _report(task, record, link, client, dry_run)


def _report(
    task: Task, record: WorkflowJournal, link: PortalLink, client: DeviceRestClient, dry_run: bool | None
) -> Result:
    host = task.host.name
    outcome = UsageReport(host=host, mode=Mode.OFFLINE, transport="rest")
    submission = link.journaled_submission(record.journal, host, WORKFLOW, STEP_SUBMITTED)
    if task.is_dry_run(dry_run):
        client.usage_list()  # reads only: a refused password or certificate shows now, as it would
        if submission is not None:
            link.predict_answers(submission, record.answer_history(submission))
        outcome.commands = [*([] if submission else PLANNED_COLLECT), *PLANNED_IMPORT]
        return Result(host=task.host, result=outcome, changed=True, diff="\n".join(outcome.commands))
    if submission is None:
        submission = _collect_and_submit(client, link, record, outcome)
        if submission is None:
            outcome.nothing_to_report = True
            outcome.commands = client.calls
            return Result(host=task.host, result=outcome, changed=False)
    outcome.submission = submission.id
    ack = usage_ack(link, record, submission)
    write_private_text(
        host_folder(record.journal, host) / f"{submission.id}-{ack.answer.name}", ack.answer.text
    )
    reply = client.import_file(ack.answer.text)
    record.step(STEP_ACK_IMPORTED, submission=submission.id, answer_fingerprint=ack.file.fingerprint)
    link.complete(submission)
    sent = _sent_reports(record, submission)
    waiting = [
        entry.report_id
        for entry in client.usage_list()
        if entry.report_id in sent and entry.state != ACKNOWLEDGED
    ]
    outcome.commands = client.calls
    if waiting:
        raise WorkflowFailed(
            host,
            f"after the ACK's import the REST API lists reports {', '.join(map(str, waiting))} "
            "as not acknowledged",
            device_words=reply.message,
            remedy="check that SSM's ACK answers this report (the portal's inbox)",
        )
    outcome.reported = True
    record.step(STEP_ACKNOWLEDGED, submission=submission.id, reports=sorted(sent))
    return Result(host=task.host, result=outcome, changed=True, diff="\n".join(outcome.commands))


def _collect_and_submit(
    client: DeviceRestClient, link: PortalLink, record: WorkflowJournal, outcome: UsageReport
) -> Submission | None:
    """Close, list and fetch the reports Cisco has not acknowledged; hand them to the portal. ``None``:
    nothing to report."""
    host = outcome.host
    client.close_reports()
    pending = {entry.report_id for entry in client.usage_list() if entry.unacknowledged}
    if not pending:
        return None
    reports = [report for report in client.all_reports() if _report_id(report.payload) in pending]
    if not reports:
        return None
    text = usage_file(reports)
    name = usage_file_name(record.run_id)
    write_private_text(host_folder(record.journal, host) / name, text)
    submission = link.drop.submit(host, ExchangeKind.USAGE_REPORT, text, filename=name)
    ids = sorted(pending & {_report_id(report.payload) for report in reports})
    record.step(STEP_SUBMITTED, submission=submission.id, usage_file=name, reports=ids)
    return submission


def _sent_reports(record: WorkflowJournal, submission: Submission) -> set[int]:
    step = record.journal.last(record.host, WORKFLOW, STEP_SUBMITTED)
    reports = (
        step.data.get("reports")
        if step is not None and step.data.get("submission") == submission.id
        else None
    )
    listed = reports if isinstance(reports, list) else []
    return {report for report in listed if isinstance(report, int)}


def _report_id(payload: str) -> int | None:
    """The report id inside a RUM payload (JSON, as the switch signed it); ``None`` when it has none."""
    try:
        return RumPayload.model_validate_json(payload).id
    except ValidationError:
        return None
