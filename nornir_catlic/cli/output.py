"""Everything ``catlic`` prints: the JSON document, the recap, per-host error lines and result tables.

JSON schema (``--json``), version 1. One document on stdout, nothing else on stdout::

    {
      "schema": "catlic/<command>/v1",        # catlic/state/v1, catlic/slac-install/v1 (spaces become -)
      "command": "<command>",
      "dry_run": false,
      "hosts": {
        "<host>": {
          "status": "ok",                     # ok | changed | failed | skipped | waiting (for SSM's files)
                                              # | interrupted | not started (the run was stopped)
          "ok": true,                         # the workflow succeeded on this host
          "changed": false,                   # it changed the device (in dry-run: it would have)
          "result": {...} | null,             # the model, as model_dump(mode="json"); null if failed
          "error": null | "<one line>",       # when not ok: the workflow's message (what failed, the file,
                                              # the remedy), else the device's words or the library's reason
          "device_error": null | "<one line>",  # the device's words beneath it: the deepest failed command
          "diff": null | "<text>"             # the plan (dry-run) or what was changed
        }
      },
      "recap": {"hosts": 3, "ok": 2, "changed": 1, "failed": 1, "skipped": 0, "waiting": 0,
                "interrupted": 0, "not_started": 0, "failed_hosts": ["<host>"]}
    }

Commands may add top-level keys (the audit adds ``"summary"``); existing keys never change meaning
within a version, and a breaking change gets a new version. ``catlic run`` wraps one such document per
step in ``catlic/run/v1`` (``"steps": [...]`` and one ``"recap"``). Secrets never appear: only task
results are serialised, never the inventory.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.pretty import Pretty
from rich.rule import Rule
from rich.text import Text

from nornir_catlic.cli.outcome import HostOutcome, Recap, WorkflowRun
from nornir_catlic.cli.tables import WholeWordsTable

SCHEMA_VERSION = "v1"

RunView = Callable[[WorkflowRun], RenderableType | None]  # None: nothing to show (every host failed)


def stdout_console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


def schema_name(command: str) -> str:
    return f"catlic/{command}/{SCHEMA_VERSION}"


def to_jsonable(value: Any) -> Any:
    """Turn a task result (pydantic model, dataclass-free containers, enums, dates) into JSON types."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(item) for item in value]
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def host_document(outcome: HostOutcome) -> dict[str, Any]:
    return {
        "status": outcome.status,
        "ok": outcome.ok,
        "changed": outcome.changed,
        "result": to_jsonable(outcome.result) if outcome.ok else None,
        "error": outcome.error,
        "device_error": outcome.device_error,
        "diff": outcome.diff,
    }


def recap_document(runs: Iterable[WorkflowRun]) -> dict[str, Any]:
    runs = list(runs)
    total = sum((run.recap() for run in runs), Recap())
    hosts: list[str] = []
    failed: list[str] = []
    for run in runs:
        hosts.extend(host for host in run.outcomes if host not in hosts)
        failed.extend(host for host in run.failed_hosts if host not in failed)
    return {
        "hosts": len(hosts),
        "ok": total.ok,
        "changed": total.changed,
        "failed": total.failed,
        "skipped": total.skipped,
        "waiting": total.waiting,
        "interrupted": total.interrupted,
        "not_started": total.not_started,
        "failed_hosts": failed,
    }


def run_document(run: WorkflowRun, **extra: Any) -> dict[str, Any]:
    """The ``--json`` document of one workflow run; ``extra`` adds command-specific top-level keys."""
    document: dict[str, Any] = {
        "schema": schema_name(run.command),
        "command": run.command,
        "dry_run": run.dry_run,
        "hosts": {host: host_document(outcome) for host, outcome in run.outcomes.items()},
        "recap": recap_document([run]),
    }
    document.update({key: to_jsonable(value) for key, value in extra.items()})
    return document


def print_json(console: Console, document: Mapping[str, Any]) -> None:
    # Plain text, not rich's highlighter: the bytes must be JSON whatever the terminal.
    console.file.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    console.file.flush()


def _recap_per_host(runs: Iterable[WorkflowRun]) -> dict[str, Recap]:
    per_host: dict[str, Recap] = {}
    for run in runs:
        for host in run.outcomes:
            per_host[host] = per_host.get(host, Recap()) + run.recap_of(host)
    return per_host


def recap_lines(runs: Iterable[WorkflowRun]) -> list[str]:
    """Ansible-style recap: ``host : ok=1 changed=0 failed=0`` per host, then a totals line."""
    return _recap_lines(_recap_per_host(runs))


def _recap_lines(per_host: Mapping[str, Recap]) -> list[str]:
    if not per_host:
        return []
    total = sum(per_host.values(), Recap())
    label = f"{len(per_host)} host" + ("s" if len(per_host) != 1 else "")
    width = max(len(name) for name in [*per_host, label])
    lines = [f"{host:<{width}} : {_counts(recap, total)}" for host, recap in per_host.items()]
    lines.append(f"{label:<{width}} : {_counts(total, total)}")
    return lines


def _counts(recap: Recap, total: Recap) -> str:
    """``ok= changed= failed=``, then ``skipped=`` and ``waiting=`` only when the run has any."""
    counts = [f"ok={recap.ok:<4}", f"changed={recap.changed:<4}", f"failed={recap.failed:<4}"]
    if total.skipped:
        counts.append(f"skipped={recap.skipped:<4}")
    if total.waiting:
        counts.append(f"waiting={recap.waiting:<4}")
    if total.interrupted:
        counts.append(f"interrupted={recap.interrupted:<4}")
    if total.not_started:
        counts.append(f"not_started={recap.not_started:<4}")
    return " ".join(counts).rstrip()


def print_recap(console: Console, runs: Iterable[WorkflowRun]) -> None:
    per_host = _recap_per_host(runs)
    lines = _recap_lines(per_host)
    if not lines:
        return
    console.print(Rule("RECAP", align="left", style="dim"))
    for recap, line in zip(per_host.values(), lines, strict=False):  # the last line, the totals, is apart
        style = (
            "red"
            if recap.failed
            else "yellow"
            if recap.waiting or recap.changed or recap.interrupted or recap.not_started
            else "green"
        )
        console.print(Text(line, style=style))
    console.print(Text(lines[-1], style="bold"))


def print_host_errors(console: Console, run: WorkflowRun, *, debug: bool) -> None:
    """One line per failed, interrupted or skipped host on stderr: ``host: the workflow's message`` (or
    ``skipped: why``), then the device's words beneath it when the message does not already quote them; the
    hosts not started in one line; the traceback only with ``debug``."""
    not_started = [outcome.host for outcome in run.outcomes.values() if outcome.not_started]
    for outcome in run.outcomes.values():
        if outcome.ok or outcome.said_before or outcome.not_started:
            continue
        style = "dim" if outcome.skipped else "yellow" if outcome.waiting or outcome.interrupted else "red"
        console.print(Text(f"{outcome.host}: {outcome.error}", style=style), soft_wrap=True)
        if outcome.device_error and not _quoted(outcome.device_error, outcome.error or ""):
            console.print(Text(f"  device: {outcome.device_error}", style=style), soft_wrap=True)
        if debug and outcome.traceback:
            console.print(Text(outcome.traceback.rstrip(), style="dim"), soft_wrap=True)
    if not_started:
        console.print(
            Text(f"{len(not_started)} host(s) not started (interrupted): {', '.join(not_started)}", "yellow"),
            soft_wrap=True,
        )


def _quoted(device_error: str, message: str) -> bool:
    """The message already carries the device's reply (a WorkflowFailed's ``device:`` part)."""
    _, _, reply = device_error.partition(" failed: ")
    return (reply or device_error).strip() in message


def status_text(outcome: HostOutcome, *, dry_run: bool) -> Text:
    if outcome.skipped:
        return Text("skipped", style="dim")
    if outcome.waiting:
        return Text("waiting", style="yellow")
    if outcome.not_started:
        return Text("not started", style="dim")
    if outcome.interrupted:
        return Text("interrupted", style="yellow")
    if not outcome.ok:
        return Text("failed", style="red")
    if outcome.changed:
        return Text("would change" if dry_run else "changed", style="yellow")
    return Text("ok", style="green")


def generic_view(run: WorkflowRun) -> RenderableType:
    """Each host's status, then its result as readable data: for tasks the CLI has no table for."""
    parts: list[RenderableType] = []
    for outcome in run.outcomes.values():
        header = Text.assemble((outcome.host, "bold"), "  ", status_text(outcome, dry_run=run.dry_run))
        parts.append(Rule(header, align="left", style="dim"))
        if not outcome.ok:
            parts.append(Text(outcome.error or "", style="red"))
        elif isinstance(outcome.result, str):
            parts.append(Text(outcome.result.rstrip()))
        elif outcome.result is not None:
            parts.append(Pretty(to_jsonable(outcome.result), expand_all=False))
        if outcome.diff:
            parts.append(Text(outcome.diff.rstrip(), style="cyan"))
    return Group(*parts)


def diff_view(run: WorkflowRun) -> RenderableType | None:
    """The plan or change per host, when any host has one (the dry-run's answer to 'what would you do')."""
    with_diff = [outcome for outcome in run.outcomes.values() if outcome.diff]
    if not with_diff:
        return None
    table = WholeWordsTable(title="Plan" if run.dry_run else "Changes", title_justify="left", show_lines=True)
    table.add_column("host", style="bold", overflow="fold")
    table.add_column("commands / change", overflow="fold")
    for outcome in with_diff:
        table.add_row(outcome.host, escape(outcome.diff or ""))
    return table


def print_waiting_hint(console: Console, runs: Iterable[WorkflowRun]) -> None:
    waiting = sorted({host for run in runs for host in run.waiting_hosts})
    if waiting:
        console.print(
            Text(
                f"{len(waiting)} host(s) wait for Cisco SSM's answers: carry the files named above (the "
                "portal's OPERATOR.txt lists them), then run the same command again to finish.",
                style="yellow",
            ),
            soft_wrap=True,
        )
