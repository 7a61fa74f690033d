"""What one workflow did on each host, reduced from Nornir's results to what the CLI reports."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from nornir.core.exceptions import NornirSubTaskError
from nornir.core.task import AggregatedResult, MultiResult, Result

from nornir_catlic.errors import CatlicError, DeviceCommandError, Interrupted, NotApplicable, WaitingForPortal

# netmiko's connection errors append a paragraph of generic advice, then the address it tried.
_ADVICE_START = "Common causes of this problem are"
_DEVICE_SETTINGS = "Device settings:"


@dataclass(frozen=True)
class HostOutcome:
    """One host's outcome of one workflow.

    Attributes:
        result: the workflow task's own ``Result.result`` (a pydantic model for catlic's tasks).
        error: one line, without the host name: the workflow's own message (what failed, the file, the
            remedy), else the device's words or the library's reason.
        device_error: the device's words beneath ``error``: the deepest failed command (a sub-task's
            :class:`~nornir_catlic.errors.DeviceCommandError`), when the workflow spoke in its own words.
        traceback: the Python traceback of the failure, shown only with ``--debug``.
    """

    host: str
    ok: bool
    changed: bool
    result: Any = None
    error: str | None = None
    device_error: str | None = None
    diff: str | None = None
    traceback: str | None = None
    skipped: bool = False  # not run or not applicable; ``error`` says why (see :func:`skipped_outcome`)
    waiting: bool = False  # parked: an air-gapped exchange waits for Cisco SSM's answer files
    said_before: bool = False  # its reason was already reported (the earlier runbook step it failed)
    interrupted: bool = False  # the run was asked to stop: this host stopped before a step (``error``)
    not_started: bool = False  # the run was asked to stop before this host started
    typed: tuple[str, ...] = ()  # waiting: the device commands it typed before it parked

    @property
    def status(self) -> str:
        """ok, changed, failed, skipped, waiting, interrupted or not started."""
        if self.skipped:
            return "skipped"
        if self.waiting:
            return "waiting"
        if self.not_started:
            return "not started"
        if self.interrupted:
            return "interrupted"
        if not self.ok:
            return "failed"
        return "changed" if self.changed else "ok"


@dataclass(frozen=True)
class Recap:
    ok: int = 0
    changed: int = 0
    failed: int = 0
    skipped: int = 0
    waiting: int = 0
    interrupted: int = 0
    not_started: int = 0

    def __add__(self, other: Recap) -> Recap:
        return Recap(
            self.ok + other.ok,
            self.changed + other.changed,
            self.failed + other.failed,
            self.skipped + other.skipped,
            self.waiting + other.waiting,
            self.interrupted + other.interrupted,
            self.not_started + other.not_started,
        )


@dataclass
class WorkflowRun:
    """Every selected host's outcome of one workflow, in inventory order."""

    command: str
    dry_run: bool
    outcomes: dict[str, HostOutcome] = field(default_factory=dict)
    aggregated: AggregatedResult | None = None  # Nornir's own result, for the library's fleet summaries
    history_run: int | None = None  # the run's id in the fleet history, once recorded

    @property
    def failed_hosts(self) -> list[str]:
        return [name for name, outcome in self.outcomes.items() if outcome.status == "failed"]

    @property
    def waiting_hosts(self) -> list[str]:
        return [name for name, outcome in self.outcomes.items() if outcome.waiting]

    def recap_of(self, host: str) -> Recap:
        outcome = self.outcomes[host]
        if outcome.skipped:
            return Recap(skipped=1)
        if outcome.waiting:
            return Recap(waiting=1)
        if outcome.not_started:
            return Recap(not_started=1)
        if outcome.interrupted:
            return Recap(interrupted=1)
        return Recap(
            ok=int(outcome.ok), changed=int(outcome.ok and outcome.changed), failed=int(not outcome.ok)
        )

    def recap(self) -> Recap:
        return sum((self.recap_of(host) for host in self.outcomes), Recap())

    def reworded(self, words: Callable[[str], str]) -> WorkflowRun:
        """The same run with each host's message put in other words (the CLI's options for arguments)."""
        outcomes = {
            host: replace(outcome, error=words(outcome.error)) if outcome.error else outcome
            for host, outcome in self.outcomes.items()
        }
        return replace(self, outcomes=outcomes)


def outcomes_from(aggregated: AggregatedResult, hosts: Iterable[str]) -> dict[str, HostOutcome]:
    """One :class:`HostOutcome` per host of ``hosts`` (inventory order) from Nornir's aggregated result."""
    outcomes: dict[str, HostOutcome] = {}
    for name in hosts:
        multi = aggregated.get(name)
        if multi is None or len(multi) == 0:
            outcomes[name] = skipped_outcome(name, "this host failed an earlier step", said_before=True)
            continue
        outcomes[name] = outcome_of(name, multi)
    return outcomes


def skipped_outcome(host: str, reason: str, *, said_before: bool = False) -> HostOutcome:
    """A host left alone, with the reason: a workflow that does not apply to it (platform, release,
    topology), a host that failed an earlier runbook step, one left out by the key budget. Not a failure."""
    return HostOutcome(
        host, ok=False, changed=False, error=f"skipped: {reason}", skipped=True, said_before=said_before
    )


def not_applicable_hosts(aggregated: AggregatedResult) -> list[str]:
    """Hosts whose task raised NotApplicable: skipped, not failed (later runbook steps still run on them)."""
    return [name for name, multi in aggregated.items() if _not_applicable(multi) is not None]


def _not_applicable(multi: MultiResult) -> NotApplicable | None:
    if not multi.failed:
        return None
    culprit = _workflow_failure(multi).exception
    return culprit if isinstance(culprit, NotApplicable) else None


def outcome_of(host: str, multi: MultiResult) -> HostOutcome:
    top = multi[0]
    diff = top.diff or None
    if not multi.failed:
        return HostOutcome(host, ok=True, changed=multi.changed, result=top.result, diff=diff)
    culprit = _workflow_failure(multi)
    if isinstance(culprit.exception, Interrupted):
        return _interrupted(host, multi, culprit.exception)
    not_applicable = _not_applicable(multi)
    if not_applicable is not None:
        return skipped_outcome(host, not_applicable.reason)
    device = _device_failure(multi, culprit)
    return HostOutcome(
        host,
        ok=False,
        changed=multi.changed,
        error=_one_line(host, culprit),
        device_error=_one_line(host, device) if device is not None else None,
        diff=diff,
        traceback=_traceback_of(culprit),
        waiting=isinstance(culprit.exception, WaitingForPortal),
        typed=tuple(c for c in _typed(multi) if not c.startswith(FILE_COPY))  # commands, not copies
        if isinstance(culprit.exception, WaitingForPortal)
        else (),
    )


def _interrupted(host: str, multi: MultiResult, stop: Interrupted) -> HostOutcome:
    """A host the stop request reached: before it started, or before a step, after the commands it names."""
    if stop.step is None:
        return HostOutcome(host, ok=False, changed=False, error="not started", not_started=True)
    done = _typed(multi)
    error = f"interrupted before {stop.step!r}"
    if done:
        error += f"; it had changed the device: {', '.join(done)}"
    return HostOutcome(
        host, ok=False, changed=bool(done), error=error, diff=multi[0].diff or None, interrupted=True
    )


FILE_COPY = "scp "
"""The name of a file copy's sub-task (:mod:`nornir_catlic.tasks.transfer`): SCP, no command typed."""


def _typed(multi: MultiResult) -> list[str]:
    """The device commands a run typed (its sub-tasks that changed the device), in order."""
    return [str(result.name) for result in _flat(list(multi)[1:]) if result.changed and result.name]


def _flat(results: Iterable[Result | MultiResult]) -> Iterator[Result]:
    """Every sub-task's result in order; Nornir nests a sub-task's own sub-tasks as a MultiResult."""
    for result in results:
        if isinstance(result, MultiResult):
            yield from _flat(result)
        else:
            yield result


def _workflow_failure(multi: MultiResult) -> Result:
    """The outermost failed result with a real reason: the workflow's own message (a WorkflowFailed naming
    the file and the remedy), not Nornir's 'subtask failed' wrapper, and not only the device's words."""
    failed = [result for result in multi if result.failed]
    for result in failed:
        if result.exception is not None and not isinstance(result.exception, NornirSubTaskError):
            return result
    return failed[-1] if failed else multi[0]


def _device_failure(multi: MultiResult, workflow: Result) -> Result | None:
    """The deepest failed device command beneath ``workflow``'s message, when it is another error."""
    for result in reversed(multi):
        error = result.exception
        if result.failed and isinstance(error, DeviceCommandError) and error is not workflow.exception:
            return result
    return None


def _one_line(host: str, result: Result) -> str:
    if result.exception is not None:
        text = str(result.exception)
        if not text.strip():
            text = type(result.exception).__name__
        elif not _is_library_error(result.exception):
            text = f"{type(result.exception).__name__}: {text}" if _is_bug(result.exception) else text
    else:
        text = str(result.result) if result.result is not None else "failed"
    flat = _without_advice(text)
    for prefix in (f"{host}: ", f"{host}:"):
        if flat.startswith(prefix):
            flat = flat[len(prefix) :]
            break
    return flat


def _without_advice(text: str) -> str:
    """One line from a message: netmiko's generic advice left out, the address it tried kept, and indented
    detail lines (a WorkflowFailed's ``device:`` and ``remedy:``) set off with ``;``."""
    kept = ""
    in_advice = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith(_ADVICE_START):
            in_advice = True
        elif line.startswith(_DEVICE_SETTINGS):
            kept += f" ({line[len(_DEVICE_SETTINGS) :].strip()})"
            in_advice = False
        elif line and not in_advice:
            separator = "; " if raw[:1].isspace() else " "
            kept += f"{separator}{line}" if kept else line
    return kept


def _is_library_error(error: BaseException) -> bool:
    return isinstance(error, CatlicError)


def _is_bug(error: BaseException) -> bool:
    """Errors not about the device or the network: their type name helps whoever reads them."""
    return isinstance(
        error, (KeyError, AttributeError, TypeError, ValueError, IndexError, AssertionError, NameError)
    )


def _traceback_of(result: Result) -> str | None:
    # Nornir stores the formatted traceback as the failed result's ``result`` when the task raised.
    if result.exception is not None and isinstance(result.result, str) and "Traceback" in result.result:
        return result.result
    return None
