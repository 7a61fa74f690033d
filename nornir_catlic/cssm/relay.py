"""The operator's part of an air-gapped exchange, done through Cisco's API for a whole fleet at once.

The workflows run with a :class:`~nornir_catlic.portal.FileDropPortal` as they would for an operator: each
switch saves its request, return or usage file, the library carries it over SCP into the outbox, and the
workflow waits. :meth:`CssmRelay.relay` then does what the operator would do at the web portal: every
awaited file goes to Cisco's API, many switches per request, all requests before the first poll. Each poll
handle is committed in the store (:class:`~nornir_catlic.store.polls.PollHandles`, and a journal record
naming it for the operator) before it is polled, and each answer is written (atomically, fsynced) into the
inbox and committed before the next poll; the workflows import the answers when they run again. A run
killed while polling finds its open handles in the store and resumes the same polls: Cisco rejects a
duplicate usage report, and a second SLAC request spends a key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from nornir_catlic import locks
from nornir_catlic.cssm.errors import CssmError, CssmPollTimeout, CssmUdiFailed
from nornir_catlic.cssm.models import PollAction, PollHandle
from nornir_catlic.cssm.portal import CssmPortal, return_items, slac_request_items, usage_item
from nornir_catlic.errors import ParseError
from nornir_catlic.journal import Journal
from nornir_catlic.parsers.cssm_files import read_slac_request, read_usage
from nornir_catlic.portal import (
    RETURN_ACK_NAME,
    USAGE_ACK_NAME,
    ExchangeKind,
    FileDropPortal,
    Submission,
    drop_ack,
    drop_slacs,
    slac_file_name,
)
from nornir_catlic.store.polls import PollHandles, PollRecord
from nornir_catlic.tasks.slac_common import WORKFLOW_RETURN

JOURNAL_HOST = "(cisco-api)"
"""The journal's host name for the relay's own records (parentheses: no inventory host is named so)."""
WORKFLOW = "cssm-relay"
STEP_SUBMITTED = "poll-submitted"
STEP_ANSWERED = "poll-answered"

_ACTION: dict[ExchangeKind, PollAction] = {
    ExchangeKind.SLAC_REQUEST: "authorizations",
    ExchangeKind.SLAC_RETURN: "authorizations",
    ExchangeKind.USAGE_REPORT: "acknowledgements",
}
_WHAT = {
    ExchangeKind.SLAC_REQUEST: "SLAC request",
    ExchangeKind.SLAC_RETURN: "return",
    ExchangeKind.USAGE_REPORT: "usage report",
}


@dataclass
class RelayOutcome:
    """What one relay did.

    Attributes:
        answered: submissions whose every answer is now in the inbox.
        failed: host -> why Cisco failed its exchange (Cisco's words, and the API host).
        waiting: host -> why its answer is not there yet (a poll past its deadline: run again later).
        submissions: requests submitted to Cisco by this relay (resumed polls are not counted).
    """

    answered: list[Submission] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    waiting: dict[str, str] = field(default_factory=dict)
    submissions: int = 0


@dataclass
class _Batch:
    """Items of one request to Cisco: which submission each UDI belongs to."""

    kind: ExchangeKind
    items: list[dict[str, Any]] = field(default_factory=list)
    udis: list[str] = field(default_factory=list)
    owners: dict[str, Submission] = field(default_factory=dict)


class CssmRelay:
    """Relays a file-drop portal's awaited files through Cisco's API, journaling every poll handle."""

    def __init__(self, portal: CssmPortal, drop: FileDropPortal, journal: Journal) -> None:
        self.portal = portal
        self.drop = drop
        self.journal = journal
        self.polls = PollHandles(journal.store)
        journal.forbid(portal.client.settings.client_secret.get_secret_value())

    @property
    def api_host(self) -> str:
        return self.portal.client.settings.base_url

    def relay(self, hosts: set[str] | None = None) -> RelayOutcome:
        """Answer every awaited exchange (of ``hosts``, default all) through Cisco's API.

        One relay of a file drop at a time, across processes (a lock in the store, like a switch's): a second
        relay running beside the first would send the same request files again and spend keys twice. It
        waits for the first, then finds its exchanges answered or its polls open.
        """
        with locks.host_lock(
            f"cssm-relay {self.drop.root.resolve()}",
            workflow="catlic cssm relay",
            wait=self.portal.client.settings.poll_deadline,
        ):
            return self._relay(hosts)

    def _relay(self, hosts: set[str] | None) -> RelayOutcome:
        outcome = RelayOutcome()
        awaited = {s.id: s for s in self.drop.awaited() if s.kind in _ACTION}
        # An open poll is finished for every switch it covers, chosen or not: its answer comes only once.
        polls = list(self._open_polls(awaited))
        resumed = {submission.id for _, batch in polls for submission in batch.owners.values()}
        fresh = [
            s
            for s in awaited.values()
            if s.id not in resumed and (hosts is None or s.host in hosts) and not self._answered(s)
        ]
        for batch in self._batches(fresh, outcome):
            try:
                handle = self.portal.client.submit(_ACTION[batch.kind], batch.items, batch.udis)
            except CssmError as error:
                self._fail(outcome, batch.owners.values(), f"Cisco's API at {self.api_host}: {error}")
                continue
            outcome.submissions += 1
            self.polls.record(
                batch.kind.value,
                (s.host for s in batch.owners.values()),
                str(handle.poll_id),
                submitted_at=handle.submitted_at,
                deadline=handle.deadline,
            )
            self.journal.append(
                JOURNAL_HOST,
                WORKFLOW,
                STEP_SUBMITTED,
                data={
                    "handle": handle.model_dump_json(),
                    "kind": batch.kind.value,
                    "owners": {udi: f"{s.host}/{s.id}" for udi, s in batch.owners.items()},
                },
            )
            polls.append((handle, batch))
        for handle, batch in polls:
            self._collect(handle, batch, outcome)
        return outcome

    # ------------------------------------------------------------ polls
    def _collect(self, handle: PollHandle, batch: _Batch, outcome: RelayOutcome) -> None:
        failures: dict[str, str] = {}
        try:
            answers = self.portal.collect(handle, _WHAT[batch.kind])
        except CssmUdiFailed as partial:
            answers, failures = partial.answers, partial.failures
        except CssmPollTimeout as late:
            for submission in batch.owners.values():
                outcome.waiting[submission.host] = f"Cisco's API at {self.api_host}: {late}"
            return  # the handle stays open in the journal: the next run polls it again
        except CssmError as error:
            failures = dict.fromkeys(batch.udis, str(error))
            answers = {}
        by_submission: dict[str, tuple[Submission, dict[str, str]]] = {}
        for udi, text in answers.items():
            owner = batch.owners.get(udi)
            if owner is not None:
                by_submission.setdefault(owner.id, (owner, {}))[1][udi] = text
        for submission, files in by_submission.values():
            if any(files.values()):
                self._drop(submission, files)  # a return's ACK too (the lab's web UI sends one): kept
            if submission.kind is ExchangeKind.SLAC_RETURN:
                self._confirm_return(submission, handle, files)
        by_host: dict[str, dict[str, list[str]]] = {}
        for udi, owner in batch.owners.items():
            fate = "failed" if udi in failures else "answered" if udi in answers else "unanswered"
            by_host.setdefault(owner.host, {}).setdefault(fate, []).append(udi)
        self.polls.finish(
            str(handle.poll_id),
            dict(by_host),
            failed=[host for host, fates in by_host.items() if "failed" in fates],
        )
        self.journal.append(
            JOURNAL_HOST,
            WORKFLOW,
            STEP_ANSWERED,
            data={"poll_id": str(handle.poll_id), "answered": sorted(answers), "failed": failures},
        )
        for udi, why in failures.items():
            owner = batch.owners.get(udi)
            if owner is not None:
                said = outcome.failed.get(owner.host)
                words = f"Cisco's API at {self.api_host} failed {udi}: {why}"
                outcome.failed[owner.host] = f"{said}; {words}" if said else words
        for submission in {s.id: s for s in batch.owners.values()}.values():
            if submission.host not in outcome.failed:
                outcome.answered.append(submission)

    def _confirm_return(self, submission: Submission, handle: PollHandle, files: dict[str, str]) -> None:
        """Cisco confirmed a return (with no file; any file it sent is kept, not imported): the return is
        acknowledged (journaled before the switch is asked again) and the exchange is done."""
        pending = self.journal.unacknowledged_returns(submission.host)
        for udi in files:
            if udi in pending and udi in submission.udis:
                self.journal.record_return_acknowledged(
                    submission.host,
                    WORKFLOW_RETURN,
                    udi,
                    submission=submission.id,
                    confirmed_by=f"Cisco's API at {self.api_host}",
                    poll_id=str(handle.poll_id),
                )
        self.drop.complete(submission)

    def _drop(self, submission: Submission, files: dict[str, str]) -> None:
        folder = self.drop.answer_folder(submission)
        if submission.kind is ExchangeKind.SLAC_REQUEST:
            drop_slacs(folder, files)
        elif submission.kind is ExchangeKind.SLAC_RETURN:
            ack = next((text for text in files.values() if text), "")
            drop_ack(folder, RETURN_ACK_NAME, ack)
        else:
            drop_ack(folder, USAGE_ACK_NAME, next(iter(files.values())))

    def _open_polls(self, awaited: dict[str, Submission]) -> Iterator[tuple[PollHandle, _Batch]]:
        """Handles an earlier run committed in the store and never answered, for the submissions of their
        switches still awaited; a handle no switch awaits any more is closed."""
        by_poll: dict[str, list[PollRecord]] = {}
        for row in self.polls.open():
            by_poll.setdefault(row.poll_id, []).append(row)
        for poll_id, rows in by_poll.items():
            kind = ExchangeKind(rows[0].kind)
            hosts = {row.host for row in rows}
            owners = {
                udi: submission
                for submission in awaited.values()
                if submission.kind is kind and submission.host in hosts
                for udi in self._udis(submission)
            }
            if not owners:
                self.polls.finish(poll_id, dict.fromkeys(hosts, "no switch awaits it any more"))
                continue
            handle = PollHandle(
                action=_ACTION[kind],
                poll_id=int(poll_id),
                submitted_at=rows[0].submitted_at,
                deadline=rows[0].deadline,
                poll_interval=0.0,  # Cisco's OK_POLL answers say how long to wait
                udis=tuple(owners),
            )
            yield self.portal.client.resume(handle), _Batch(kind, udis=list(owners), owners=owners)

    # ------------------------------------------------------------ new requests
    def _batches(self, submissions: list[Submission], outcome: RelayOutcome) -> Iterator[_Batch]:
        """Requests of at most ``batch_size`` UDIs, one kind each, several switches per request."""
        size = self.portal.client.settings.batch_size
        for kind in _ACTION:
            batch = _Batch(kind)
            for submission in (s for s in submissions if s.kind is kind):
                try:
                    entries = self._entries(submission)
                except (CssmError, ParseError, OSError) as error:
                    self._fail(outcome, [submission], f"{submission.file}: {error}")
                    continue
                for udi, item in entries:
                    if len(batch.items) >= size:
                        yield batch
                        batch = _Batch(kind)
                    batch.items.append(item)
                    batch.udis.append(udi)
                    batch.owners[udi] = submission
            if batch.items:
                yield batch

    def _answered(self, submission: Submission) -> bool:
        """Cisco's answers are already in the inbox, waiting for the switch to import them: sending the file
        again would be refused (a usage report) or spend a key (a SLAC request)."""
        return len(self.drop.answers(submission, claim=False)) >= submission.expected_answers

    def _entries(self, submission: Submission) -> list[tuple[str, dict[str, Any]]]:
        """(UDI, API item) for each UDI of ``submission`` still without an answer."""
        text = self.drop.outbox_path(submission).read_text(encoding="utf-8")
        if submission.kind is ExchangeKind.USAGE_REPORT:
            report = read_usage(text, source=submission.file)
            return [(str(report.udi), usage_item(report))]
        if submission.kind is ExchangeKind.SLAC_RETURN:
            items, udis = return_items(text)
            return list(zip(udis, items, strict=True))
        request = read_slac_request(text, source=submission.file)
        have = {answer.name for answer in self.drop.answers(submission, claim=False)}
        return [
            (str(item.udi), license_)
            for item, license_ in zip(request.items, slac_request_items(request), strict=True)
            if slac_file_name(str(item.udi)) not in have  # answered before: asking again spends a key
        ]

    def _udis(self, submission: Submission) -> list[str]:
        """The UDIs of ``submission`` a poll answers (none when its file cannot be read any more)."""
        try:
            return [udi for udi, _ in self._entries(submission)]
        except (CssmError, ParseError, OSError):
            return []

    def _fail(self, outcome: RelayOutcome, submissions: Any, why: str) -> None:
        for submission in submissions:
            outcome.failed[submission.host] = why
