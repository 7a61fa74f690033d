"""What one workflow did on each host, reduced from Nornir's results to what the CLI reports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from nornir.core.exceptions import NornirSubTaskError
from nornir.core.task import AggregatedResult, MultiResult, Result

from nornir_catlic.errors import CatlicError, Interrupted, WaitingForPortal

# netmiko's connection errors append a paragraph of generic advice, then the address it tried.
_ADVICE_START = "Common causes of this problem are"
_DEVICE_SETTINGS = "Device settings:"


@dataclass(frozen=True)
class HostOutcome:
    """One host's outcome of one workflow.

    Attributes:
        result: the workflow task's own ``Result.result`` (a pydantic model for catlic's tasks).
        error: one line: the device's words or the library's reason, without the host name.
        traceback: the Python traceback of the failure, shown only with ``--debug``.
    """

    host: str
    ok: bool
    changed: bool
    result: Any = None
    error: str | None = None
    diff: str | None = None
    traceback: str | None = None
    skipped: bool = False  # not run: the host failed an earlier step of the same runbook
    waiting: bool = False  # parked: an air-gapped exchange waits for Cisco SSM's answer files
    interrupted: bool = False  # the run was asked to stop: this host stopped before a step (``error``)
    not_started: bool = False  # the run was asked to stop before this host started

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


def outcomes_from(aggregated: AggregatedResult, hosts: Iterable[str]) -> dict[str, HostOutcome]:
    """One :class:`HostOutcome` per host of ``hosts`` (inventory order) from Nornir's aggregated result."""
    outcomes: dict[str, HostOutcome] = {}
    for name in hosts:
        multi = aggregated.get(name)
        if multi is None or len(multi) == 0:
            outcomes[name] = HostOutcome(
                name, ok=False, changed=False, error="skipped: this host failed an earlier step", skipped=True
            )
            continue
        outcomes[name] = outcome_of(name, multi)
    return outcomes


def outcome_of(host: str, multi: MultiResult) -> HostOutcome:
    top = multi[0]
    diff = top.diff or None
    if not multi.failed:
        return HostOutcome(host, ok=True, changed=multi.changed, result=top.result, diff=diff)
    culprit = _root_failure(multi)
    if isinstance(culprit.exception, Interrupted):
        return _interrupted(host, multi, culprit.exception)
    return HostOutcome(
        host,
        ok=False,
        changed=multi.changed,
        error=_one_line(host, culprit),
        diff=diff,
        traceback=_traceback_of(culprit),
        waiting=isinstance(culprit.exception, WaitingForPortal),
    )


def _interrupted(host: str, multi: MultiResult, stop: Interrupted) -> HostOutcome:
    """A host the stop request reached: before it started, or before a step, after the commands it names."""
    if stop.step is None:
        return HostOutcome(host, ok=False, changed=False, error="not started", not_started=True)
    done = [str(result.name) for result in _flat(list(multi)[1:]) if result.changed and result.name]
    error = f"interrupted before {stop.step!r}"
    if done:
        error += f"; it had changed the device: {', '.join(done)}"
    return HostOutcome(
        host, ok=False, changed=bool(done), error=error, diff=multi[0].diff or None, interrupted=True
    )


def _flat(results: Iterable[Result | MultiResult]) -> Iterator[Result]:
    """Every sub-task's result in order; Nornir nests a sub-task's own sub-tasks as a MultiResult."""
    for result in results:
        if isinstance(result, MultiResult):
            yield from _flat(result)
        else:
            yield result


def _root_failure(multi: MultiResult) -> Result:
    """The failed result holding the real reason: the deepest, not Nornir's 'subtask failed' wrapper."""
    failed = [result for result in multi if result.failed]
    for result in reversed(failed):
        if result.exception is not None and not isinstance(result.exception, NornirSubTaskError):
            return result
    return failed[-1] if failed else multi[0]


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
