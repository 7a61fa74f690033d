"""A workflow's view of the journal: its own steps, and the facts a resumed run needs.

Given the caller's durable journal, every step lands there. Without one, the run keeps a scratch journal in
a temporary folder, made on the first write: the workflow reads the same either way, but a later run cannot
resume from it.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterable
from pathlib import Path

from nornir_catlic.journal import STEP_SLAC_INSTALLED, Journal, StepStatus
from nornir_catlic.portal import Submission
from nornir_catlic.tasks.exchange import PortalLink


class WorkflowJournal:
    """One host's records of one workflow, with the queries a resumed run asks.

    Attributes:
        journal: the caller's journal, or this run's scratch journal.
        durable: the caller gave a journal (a later run can resume from it).
    """

    def __init__(self, journal: Journal | None, host: str, workflow: str):
        self.durable = journal is not None
        if journal is None:
            # A journal creates its folder on the first append only: a run that writes nothing leaves nothing.
            journal = Journal(
                Path(tempfile.gettempdir()) / f"catlic-run-{secrets.token_hex(8)}" / "journal.jsonl"
            )
        self.journal = journal
        self.host = host
        self.workflow = workflow

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
