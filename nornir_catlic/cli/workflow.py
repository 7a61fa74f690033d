"""Run a workflow task the way every ``catlic`` subcommand does: inventory, progress, output, exit code."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import click
from nornir.core import Nornir
from rich.console import RenderableType

from nornir_catlic.cli.errors import ExitCode
from nornir_catlic.cli.inventory import load_nornir
from nornir_catlic.cli.lab import running_lab_config
from nornir_catlic.cli.options import Settings, settings_of
from nornir_catlic.cli.outcome import WorkflowRun
from nornir_catlic.cli.output import (
    RunView,
    diff_view,
    generic_view,
    print_host_errors,
    print_json,
    print_recap,
    run_document,
    stderr_console,
    stdout_console,
)
from nornir_catlic.cli.runner import TaskFunction, run_workflow


def execute(
    ctx: click.Context,
    task: TaskFunction,
    *,
    command: str,
    params: Mapping[str, Any] | None = None,
    view: RunView = generic_view,
    extra: Callable[[WorkflowRun], Mapping[str, Any]] | None = None,
    critical: Callable[[WorkflowRun], bool] | None = None,
) -> int:
    """Run ``task`` over the chosen hosts and report it; return the exit code (see :class:`ExitCode`).

    Args:
        view: renders the human output of the run (tables); the recap and errors are added here.
        extra: command-specific top-level keys of the JSON document (for instance the audit's summary).
        critical: whether the run found something critical (exit code 2 when no host failed).
    """
    settings = settings_of(ctx)
    run = run_over_inventory(settings, task, command=command, params=params or {})
    report(run, settings, view=view, extra=extra(run) if extra is not None else {})
    return exit_code_of(run, critical=critical)


def run_over_inventory(
    settings: Settings, task: TaskFunction, *, command: str, params: Mapping[str, Any]
) -> WorkflowRun:
    errors = stderr_console()
    return run_workflow(
        nornir_for(settings),
        task,
        command=command,
        progress_console=errors,
        show_progress=settings.progress and errors.is_terminal,
        **params,
    )


def nornir_for(settings: Settings, *, dry_run: bool = False) -> Nornir:
    """The selected hosts of the chosen inventory (the running lab's by default), with credentials."""
    return load_nornir(
        settings.inventory_choice(running_lab_config),
        filters=settings.filters,
        workers=settings.workers,
        dry_run=settings.dry_run or dry_run,
    )


def report(run: WorkflowRun, settings: Settings, *, view: RunView, extra: Mapping[str, Any]) -> None:
    out, errors = stdout_console(), stderr_console()
    if settings.json:
        print_json(out, run_document(run, **extra))
        print_host_errors(errors, run, debug=settings.debug)
        return
    parts: list[RenderableType | None] = [view(run), diff_view(run) if view is not generic_view else None]
    for part in parts:
        if part is not None:
            out.print(part)
    print_host_errors(errors, run, debug=settings.debug)
    print_recap(out, [run])


def exit_code_of(run: WorkflowRun, *, critical: Callable[[WorkflowRun], bool] | None = None) -> int:
    if run.failed_hosts:
        return int(ExitCode.FAILED)
    if critical is not None and critical(run):
        return int(ExitCode.CRITICAL_FINDING)
    return int(ExitCode.OK)
