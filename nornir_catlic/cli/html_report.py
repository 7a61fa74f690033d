"""``--html FILE``: an audit run written as the HTML report, by ``catlic audit`` and a runbook audit step."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from nornir_catlic import history, locks
from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.outcome import WorkflowRun
from nornir_catlic.cli.output import stderr_console
from nornir_catlic.cli.paths import nearest_existing
from nornir_catlic.errors import CatlicError
from nornir_catlic.history import RunKind, RunSummary, snapshots_of_audit, summarize
from nornir_catlic.report import report_data, write_report
from nornir_catlic.tasks.audit import FleetAudit, summarize_audit

F = TypeVar("F", bound=Callable[..., Any])

TREND_DAYS = 400
"""How far back the report's compliance trend reaches."""

REPORT_WORKFLOWS = frozenset({"audit"})
"""The workflows whose run the report shows."""


def html_option(function: F) -> F:
    return click.option(
        "--html",
        "html",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        metavar="FILE",
        help="Also write the report as one self-contained HTML page (works offline; tables sort and filter).",
    )(function)


def unwritable_report(path: Path) -> str | None:
    """Why the page cannot be written at ``path``: known before any switch is read."""
    if path.is_dir():
        return f"{path} is a folder: name the HTML file to write"
    existing = nearest_existing(path.parent)
    if not existing.is_dir():
        return f"{existing} is not a folder: the HTML report cannot be written beneath it"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable: the HTML report cannot be written there"
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} is not writable"
    return None


def check_report_path(path: Path | None) -> None:
    """:class:`CliError` (exit 3, nothing ran) when ``--html`` names a file that cannot be written."""
    problem = unwritable_report(path) if path is not None else None
    if problem is not None:
        raise CliError(f"--html {path}: {problem}")


def write_audit_report(run: WorkflowRun, path: Path, *, warn_days: int = 30) -> None:
    """Write the page of an audit's ``run`` to ``path`` and say so on stderr (stdout stays the table/JSON)."""
    if run.aggregated is None:
        raise CliError(f"{path}: the audit returned no result to report")
    fleet = summarize_audit(run.aggregated)
    taken_at = dt.datetime.now(dt.timezone.utc)
    data = report_data(fleet, compliance_trend(run, fleet, taken_at), generated_at=taken_at)
    try:
        write_report(data, path, warn_days=warn_days)
    except OSError as error:
        raise CliError(f"{path}: the HTML report could not be written: {error.strerror or error}") from None
    stderr_console().print(f"HTML report written to {path}", markup=False, highlight=False)


def compliance_trend(run: WorkflowRun, fleet: FleetAudit, taken_at: dt.datetime) -> list[RunSummary]:
    """The audits recorded in the fleet history over the last :data:`TREND_DAYS`, this one included; a run
    the history does not hold (a dry run, a history that could not be written) is added at its end."""
    try:
        recorded = history.trend(
            locks.lock_store(), since=taken_at - dt.timedelta(days=TREND_DAYS), kind=RunKind.AUDIT
        )
    except CatlicError as error:
        stderr_console().print(
            f"catlic: the report shows no trend: the history could not be read: {error}",
            style="yellow",
            markup=False,
            soft_wrap=True,
        )
        recorded = []
    if run.history_run is None or all(summary.run_id != run.history_run for summary in recorded):
        recorded.append(summarize(0, RunKind.AUDIT, taken_at, snapshots_of_audit(fleet, taken_at).values()))
    return recorded
