"""The SSM side of an air-gapped workflow, one way whatever the caller handed in.

A workflow gets either a :class:`~nornir_catlic.portal.FileDropPortal` (an operator carries files to SSM and
back), an object satisfying :class:`~nornir_catlic.portal.SmartSoftwareManager` (a machine that reaches SSM on
the switches' behalf, or the lab's simulated SSM), or nothing. :class:`PortalLink` turns the first two into
one durable exchange: every file goes through a file-drop outbox and inbox on disk, and an SSM object plays
the operator at once (:func:`~nornir_catlic.portal.relay_through`). So a workflow killed after SSM answered
finds the answer on disk when it resumes, and never asks SSM twice. Only files that answer this run's
submission are handed over (:mod:`nornir_catlic.answers`): anything else in the inbox stops the exchange
with each file named and why. :func:`import_ack` hands SSM's ACK back to the switch.

Every file kept here holds codes: folders are 0700 and files 0600.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nornir.core.task import Task
from pydantic import BaseModel

from nornir_catlic.answers import AnswerHistory, CheckedAnswer, check_answers
from nornir_catlic.errors import (
    AnswersRefused,
    DeviceCommandError,
    ParseError,
    PortalError,
    PrerequisiteError,
    SessionLostError,
    WorkflowFailed,
)
from nornir_catlic.journal import Journal, StepStatus
from nornir_catlic.models.actions import LicenseImportReply
from nornir_catlic.models.license_files import LicenseFile
from nornir_catlic.parsers.license_files import parse_license_file
from nornir_catlic.portal import (
    AnswerFile,
    FileDropPortal,
    SmartSoftwareManager,
    Submission,
    relay_through,
)
from nornir_catlic.rules.commands import license_import_command
from nornir_catlic.tasks.transfer import put_file
from nornir_catlic.transport import parse_output, run_exec
from nornir_catlic.workplace import private_folder, write_private_text

PortalArgument = FileDropPortal | SmartSoftwareManager | None

STAGING_FOLDER = "catlic-files"
"""Beside the journal: the relay's outbox and inbox, and copies of the files fetched from switches."""


def working_folder(journal: Journal) -> Path:
    """Where a workflow keeps files: beside its journal (the caller's, or the run's scratch journal), 0700."""
    return private_folder(journal.path.parent / STAGING_FOLDER)


def host_folder(journal: Journal, host: str) -> Path:
    """The working folder of one host (files fetched from it, files to put on it), 0700."""
    return private_folder(working_folder(journal) / "hosts" / host)


def relay_portal(journal: Journal) -> FileDropPortal:
    """The file drop an SSM object answers at once: beside the journal, its index in the journal's store."""
    return FileDropPortal(journal.path.parent / STAGING_FOLDER / "relay", store=journal.store)


@dataclass
class PortalLink:
    """A file-drop portal, and the SSM that answers it at once when the workflow was given one."""

    drop: FileDropPortal
    relay: SmartSoftwareManager | None = None

    @classmethod
    def resolve(cls, portal: PortalArgument, journal: Journal | None, *, needed_for: str) -> PortalLink:
        """The link for a workflow's ``portal`` argument, its folders made and proven writable, so that no
        switch saves a request for a portal that cannot take it.

        Args:
            journal: the run's journal: an SSM object's answers are kept beside it.

        Raises:
            PrerequisiteError: no portal was given to a workflow that needs one, or its folder cannot be
                written.
        """
        if isinstance(portal, FileDropPortal):
            link = cls(portal)
        elif portal is None:
            raise PrerequisiteError(
                f"{needed_for} needs a portal: a FileDropPortal (an operator carries the files to Cisco SSM) "
                "or a SmartSoftwareManager object"
            )
        elif journal is None:
            raise PrerequisiteError(f"{needed_for} through an SSM object needs a journal to keep its answers")
        else:
            link = cls(relay_portal(journal), portal)
        try:
            link.drop.check_writable()
        except PortalError as error:
            raise PrerequisiteError(f"{needed_for}: {error}") from None
        return link

    def open_submission(self, host: str, submission_id: str) -> Submission | None:
        """A submission still awaited, by id (a resumed workflow looks up the one it journaled)."""
        return next((s for s in self.drop.awaited(host) if s.id == submission_id), None)

    def journaled_submission(
        self, journal: Journal, host: str, workflow: str, step: str
    ) -> Submission | None:
        """The submission the journal's last ``step`` of ``workflow`` names, while it is still awaited."""
        record = journal.last(host, workflow, step, status=StepStatus.DONE)
        submission_id = record.data.get("submission") if record is not None else None
        return self.open_submission(host, submission_id) if isinstance(submission_id, str) else None

    def answers(self, submission: Submission, history: AnswerHistory | None = None) -> list[CheckedAnswer]:
        """SSM's answers to ``submission``, relayed first when an SSM object is linked; every file in its
        inbox folder is checked (:func:`~nornir_catlic.answers.check_answers`) before any is returned.

        Args:
            history: the journal's record of answers imported in earlier exchanges.

        Raises:
            AnswersRefused: a file there does not answer this submission (each named, with why).
            WaitingForPortal: the operator has not dropped every answer yet.
            SsmRequestFailed: the linked SSM refused (its message code, e.g. ``ERROR_ALL_COUNTS_IN_USE``).
        """
        if self.relay is not None and len(self.drop.answers(submission)) < submission.expected_answers:
            relay_through(self.drop, self.relay, submission.host)
        found = self.drop.answers(submission)
        accepted = self._accepted(submission, found, history)
        self.drop.collect(submission, [checked.answer for checked in accepted])
        return accepted

    def _accepted(
        self, submission: Submission, found: list[AnswerFile], history: AnswerHistory | None
    ) -> list[CheckedAnswer]:
        """The files found that answer ``submission``; raises AnswersRefused naming any that does not."""
        accepted, refused = check_answers(
            submission, found, request=self.submitted_file(submission), history=history
        )
        if refused:
            raise AnswersRefused(
                submission.host,
                {refusal.answer.name: refusal.reason for refusal in refused},
                str(self.drop.answer_folder(submission)),
            )
        return accepted

    def predict_answers(self, submission: Submission, history: AnswerHistory | None = None) -> None:
        """A dry run's :meth:`answers`: the same checks on the files in the inbox now, relaying and moving
        nothing (an SSM object's answers are yet to come: only the files there now are judged).

        Raises:
            AnswersRefused: a file there does not answer this submission.
            WaitingForPortal: the operator has not dropped every answer yet (file drop only).
        """
        found = self.drop.answers(submission, claim=False)
        accepted = self._accepted(submission, found, history)
        if self.relay is None:
            self.drop.collect(submission, [checked.answer for checked in accepted])

    def submitted_file(self, submission: Submission) -> LicenseFile | None:
        """The file handed to SSM, parsed, when it is a Smart Licensing file (its time and nonce)."""
        try:
            text = self.drop.outbox_path(submission).read_text(encoding="utf-8")
            return parse_license_file(text, source=submission.file)
        except (OSError, ParseError):
            return None

    def complete(self, submission: Submission) -> None:
        self.drop.complete(submission)


def import_file(
    task: Task, local: Path, remote_name: str, commands: list[str], *, refused: str, remedy: str
) -> BaseModel:
    """Put ``local`` on ``bootflash:<remote_name>`` and ``license smart import`` it; the parsed reply.

    Raises:
        SessionLostError: the session dropped (a resumed run finds the file imported or not).
        WorkflowFailed: the switch refused the import (its words, ``refused`` and ``remedy``).
    """
    command = license_import_command(put_file(task, local, remote_name))
    commands.append(command)
    try:
        return parse_output(task, command, run_exec(task, command))
    except SessionLostError:
        raise
    except DeviceCommandError as error:
        raise WorkflowFailed(task.host.name, refused, device_words=error.reply, remedy=remedy) from None


def import_ack(task: Task, ack: CheckedAnswer, local: Path, remote_name: str, commands: list[str]) -> None:
    """Put SSM's ACK on ``bootflash:<remote_name>`` (a copy kept at ``local``, 0600) and import it.

    Raises:
        WorkflowFailed: the switch refused the file or did not report a successful import.
    """
    write_private_text(local, ack.answer.text)
    reply = import_file(
        task,
        local,
        remote_name,
        commands,
        refused="SSM's ACK was not imported",
        remedy="drop SSM's ACK file into the inbox again",
    )
    if not isinstance(reply, LicenseImportReply) or not reply.successful:
        raise WorkflowFailed(task.host.name, "importing SSM's ACK did not succeed", device_words=str(reply))
