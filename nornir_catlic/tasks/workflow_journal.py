"""A workflow's view of the journal: its own steps, and the facts a resumed run needs.

Given the caller's durable journal, every step lands there. Without one, the run keeps a scratch journal in
its own private folder under :func:`~nornir_catlic.workplace.scratch_runs_folder` (the relay's and fetched
files beside it): the workflow reads the same either way. :func:`workflow_journal` closes that scratch
journal and removes its folder when the workflow ends, unless the run stopped with steps recorded there (a
return code, a request whose fate is unknown): then it stays, and the exception says where, so that the
caller can resume from it with ``journal=Journal(path)``.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from nornir_catlic.answers import AnswerHistory, CheckedAnswer
from nornir_catlic.errors import AnswersRefused, CatlicError, WaitingForPortal, WorkflowFailed
from nornir_catlic.journal import (
    STEP_RETURN_ACKNOWLEDGED,
    STEP_RETURN_CODE,
    STEP_SLAC_INSTALLED,
    Journal,
    JournalRecord,
    StepStatus,
)
from nornir_catlic.portal import SsmRequestFailed, Submission
from nornir_catlic.tasks.exchange import STAGING_FOLDER, PortalLink
from nornir_catlic.workplace import private_folder, scratch_runs_folder

log = logging.getLogger(__name__)

SCRATCH_JOURNAL = "journal.db"

STEP_WAITING = "waiting-for-portal"
STEP_ANSWERS_REFUSED = "answers-refused"


def new_run_id() -> str:
    """A run's identity in the names of the files it writes (``20261204T203501-1f2e3d4c``): two exchanges
    never share a file name, on the switch or on disk."""
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"


@contextmanager
def workflow_journal(journal: Journal | None, host: str, workflow: str) -> Iterator[WorkflowJournal]:
    """The workflow's journal for the length of a ``with`` block; a scratch journal is closed (and its
    folder removed, unless a resume needs it) when the block ends, however it ends."""
    record = WorkflowJournal(journal, host, workflow)
    try:
        yield record
    except BaseException as error:
        record.finish(error)
        raise
    record.finish(None)


class WorkflowJournal:
    """One host's records of one workflow, with the queries a resumed run asks.

    Attributes:
        journal: the caller's journal, or this run's scratch journal.
        durable: the caller gave a journal (a later run can resume from it).
        run_id: this run's identity, for the names of the files it writes.
    """

    def __init__(self, journal: Journal | None, host: str, workflow: str):
        self.durable = journal is not None
        self.run_id = new_run_id()
        if journal is None:
            label = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in host)[:64]
            folder = private_folder(scratch_runs_folder() / f"{self.run_id}-{workflow}-{label}")
            journal = Journal(folder / SCRATCH_JOURNAL)
        self.journal = journal
        self.host = host
        self.workflow = workflow

    def finish(self, error: BaseException | None) -> None:
        """Index the host's working files in a durable journal; close a scratch journal and remove its
        folder unless the run stopped with steps recorded there."""
        if self.durable:
            self._index_working_files()
            return
        kept = error is not None and bool(self.journal.records(self.host))
        self.journal.close()
        folder = self.journal.path.parent
        if kept and error is not None:
            note = (
                f"{self.host}: this run had no journal; its scratch journal is kept at {self.journal.path} "
                "(resume with journal=Journal(that path))"
            )
            error.add_note(note)
            log.warning("%s", note)
            return
        shutil.rmtree(folder, ignore_errors=True)

    def _index_working_files(self) -> None:
        folder = self.journal.path.parent / STAGING_FOLDER / "hosts" / self.host
        try:
            self.journal.index_files(self.host, folder)
        except (OSError, CatlicError) as exc:  # an index for the operator: never the workflow's failure
            log.warning("%s: the working files in %s were not indexed: %s", self.host, folder, exc)

    def step(self, step: str, status: StepStatus = StepStatus.DONE, **data: object) -> None:
        self.journal.append(self.host, self.workflow, step, status, data)

    def slac_requested(self, udis: Iterable[str], **data: object) -> None:
        self.journal.record_slac_requested(self.host, self.workflow, udis, **data)

    def slac_installed(self, udi: str, code: str, **data: object) -> None:
        if self.journal.installed_codes(self.host).get(udi) != code:
            self.journal.record_slac_installed(self.host, self.workflow, udi, code, **data)

    def return_code(self, udi: str, code: str, **data: object) -> None:
        if self.journal.return_codes(self.host).get(udi) != code:
            self.journal.record_return_code(self.host, self.workflow, udi, code, **data)

    def return_acknowledged(self, udi: str, **data: object) -> None:
        if udi in self.journal.unacknowledged_returns(self.host):
            self.journal.record_return_acknowledged(self.host, self.workflow, udi, **data)

    def installed_codes(self) -> dict[str, str]:
        return self.journal.installed_codes(self.host)

    def return_codes(self) -> dict[str, str]:
        return self.journal.return_codes(self.host)

    def outstanding_requests(self) -> set[str]:
        """UDIs requested and neither installed nor returned since (a request whose fate is unknown)."""
        return self.journal.requested_udis(self.host) - set(self.journal.installed_codes(self.host))

    def unacknowledged_returns(self) -> dict[str, str]:
        return self.journal.unacknowledged_returns(self.host)

    def open_submission(self, step: str, link: PortalLink) -> Submission | None:
        """The portal submission this workflow journaled last, while it is still awaited."""
        return link.journaled_submission(self.journal, self.host, self.workflow, step)

    def slac_imported(
        self, checked: CheckedAnswer, udi: str, code: str, submission: str, remote: str
    ) -> None:
        """A SLAC file imported: its code, and what tells the file again (fingerprint, issue time)."""
        file = checked.file
        self.journal.record_slac_installed(
            self.host,
            self.workflow,
            udi,
            code,
            submission=submission,
            file=checked.answer.name,
            remote=remote,
            answer_fingerprint=file.fingerprint,
            slac_issued=file.issued_at,
        )

    def ssm_answers(
        self,
        link: PortalLink,
        submission: Submission,
        *,
        refused: str,
        remedy: str | Callable[[str | None], str],
        failed_step: str | None = None,
    ) -> list[CheckedAnswer]:
        """SSM's answers to ``submission``, with a refused or awaited answer journaled before it is raised.

        Args:
            refused: what failed when SSM refuses (``"Cisco SSM refused the return code"``).
            remedy: the remedy, or a function of SSM's message code that gives it.
            failed_step: a step to journal as failed when SSM refuses.

        Raises:
            AnswersRefused: a file in the inbox does not answer this submission.
            WaitingForPortal: the operator has not dropped the answer yet.
            WorkflowFailed: SSM refused the submission (its words and message code).
        """
        try:
            return link.answers(submission, self.answer_history(submission))
        except AnswersRefused as refusal:
            self.step(
                STEP_ANSWERS_REFUSED, StepStatus.FAILED, submission=submission.id, refused=refusal.refused
            )
            raise
        except WaitingForPortal:
            self.step(STEP_WAITING, StepStatus.WAITING, submission=submission.id)
            raise
        except SsmRequestFailed as error:
            if failed_step is not None:
                self.step(failed_step, StepStatus.FAILED, submission=submission.id, reason=str(error))
            raise WorkflowFailed(
                self.host,
                refused,
                device_words=error.ssm_message,
                remedy=remedy if isinstance(remedy, str) else remedy(error.message_code),
                message_code=error.message_code,
            ) from None

    def answer_history(self, submission: Submission) -> AnswerHistory:
        """What this host's journal says about answers imported in other exchanges than ``submission``."""
        history = AnswerHistory()
        records = self.journal.records(self.host)
        for index, record in enumerate(records):
            data = record.data
            if data.get("submission") == submission.id:
                continue
            fingerprint = data.get("answer_fingerprint")
            if isinstance(fingerprint, str):
                history.imported[fingerprint] = _imported_note(record, records[index + 1 :])
            issued, udi = data.get("slac_issued"), data.get("udi")
            if record.step == STEP_SLAC_INSTALLED and isinstance(issued, str) and isinstance(udi, str):
                moment = dt.datetime.fromisoformat(issued)
                if udi not in history.latest_issued or history.latest_issued[udi] < moment:
                    history.latest_issued[udi] = moment
        return history

    def imported_files(self, submission_id: str) -> set[str]:
        return {
            str(record.data.get("file"))
            for record in self.journal.records(self.host, self.workflow, STEP_SLAC_INSTALLED)
            if record.data.get("submission") == submission_id
        }

    def unfinished(self, started: str, finished: str) -> bool:
        """The last ``started`` step has no ``finished`` step after it."""
        steps = [
            r.step for r in self.journal.records(self.host, self.workflow) if r.step in (started, finished)
        ]
        return bool(steps) and steps[-1] == started


def _imported_note(record: JournalRecord, later: list[JournalRecord]) -> str:
    """``imported 2026-12-04 20:31 UTC (install-slac, exchange X), returned since`` for a refusal."""
    exchange = record.data.get("submission")
    note = f"imported {record.ts:%Y-%m-%d %H:%M} UTC ({record.workflow}, exchange {exchange})"
    udi = record.data.get("udi")
    if record.step == STEP_SLAC_INSTALLED and any(
        r.step == STEP_RETURN_CODE and r.data.get("udi") == udi for r in later
    ):
        note += f", and its SLAC on {udi} was returned since: SSM no longer honours it"
    elif record.step == STEP_RETURN_ACKNOWLEDGED:
        note += ": SSM acknowledged that return already"
    return note
