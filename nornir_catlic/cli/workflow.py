"""Run a workflow the way every ``catlic`` subcommand does: inventory, progress, output, exit code."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import click
from nornir.core import Nornir

from nornir_catlic import locks
from nornir_catlic.cli.arguments import dry_run_refusal
from nornir_catlic.cli.cluster import cluster_runner
from nornir_catlic.cli.cssm import CssmExchange
from nornir_catlic.cli.errors import CliError, ExitCode, in_cli_words
from nornir_catlic.cli.inventory import load_selections
from nornir_catlic.cli.lab import running_lab_config
from nornir_catlic.cli.options import Settings, settings_of
from nornir_catlic.cli.outcome import WorkflowRun, skipped_outcome
from nornir_catlic.cli.output import (
    print_host_errors,
    print_json,
    print_recap,
    print_waiting_hint,
    run_document,
    stderr_console,
    stdout_console,
)
from nornir_catlic.cli.runner import run_workflow
from nornir_catlic.cli.tables import print_view
from nornir_catlic.cli.workflows import Workflow, with_journal
from nornir_catlic.errors import ClusterError

CsvRender = Callable[[WorkflowRun], str]


def execute(
    ctx: click.Context,
    workflow: Workflow,
    params: Mapping[str, Any] | None = None,
    *,
    csv: CsvRender | None = None,
    single_host: bool = False,
    nornir: Nornir | None = None,
    skipped: Mapping[str, str] | None = None,
    on_run: Callable[[WorkflowRun], None] | None = None,
) -> int:
    """Run ``workflow`` over the chosen hosts and report it; return the exit code (see :class:`ExitCode`).

    Args:
        csv: renders the run as CSV, for the commands that offer ``--csv``.
        single_host: the workflow acts on one device (a stack add): the selection must hold exactly one.
        nornir: the selection, already loaded by a command that needed other hosts of the inventory too
            (:func:`selections_for`); by default :func:`nornir_for` loads it.
        skipped: hosts left out of ``nornir`` on purpose (the key budget), with the reason: reported as
            skipped.
        on_run: called with the run before it is reported (``catlic audit --html`` writes its page).
    """
    settings = settings_of(ctx)
    if settings.json and settings.csv:
        raise click.UsageError("choose --json or --csv, not both")
    refusal = dry_run_refusal(workflow.target, workflow.task()) if settings.dry_run else None
    if refusal is not None:
        raise CliError(refusal)
    claim_switches_as(ctx, settings)
    exchange = (params or {}).get("portal")
    if isinstance(exchange, CssmExchange):  # the workflow sees a file drop; the API answers it after
        params = {**(params or {}), "portal": exchange.drop}
    prepared = with_journal(workflow, params or {}, settings.journal_path())
    if nornir is None:
        nornir = nornir_for(settings)
    if single_host and len(nornir.inventory.hosts) != 1:
        chosen = ", ".join(sorted(nornir.inventory.hosts)[:8])
        raise CliError(f"{workflow.name} works on one device: select it with --filter (selected: {chosen})")
    errors = stderr_console()

    def run_on(selection: Nornir) -> WorkflowRun:
        return run_workflow(
            selection,
            workflow.task(),
            command=workflow.name,
            progress_console=errors,
            show_progress=settings.progress and errors.is_terminal,
            lock_hosts=workflow.lock_hosts,
            **prepared,
        )

    run = run_on(nornir)
    if isinstance(exchange, CssmExchange) and not settings.dry_run:
        run = exchange.complete(run, prepared["journal"], lambda hosts: run_on(_again(nornir, hosts)))
    elif isinstance(exchange, CssmExchange):
        run = exchange.predict(run, prepared["journal"])
    for host, reason in (skipped or {}).items():
        run.outcomes[host] = skipped_outcome(host, reason, said_before=True)  # the caller said why
    if workflow.name != "task":  # a subcommand's user knows its options; a task's caller, the arguments
        run = run.reworded(in_cli_words)
    if on_run is not None:
        on_run(run)
    report(run, settings, workflow, csv=csv)
    return exit_code_of(run, critical=workflow.critical)


def _again(nornir: Nornir, hosts: list[str]) -> Nornir:
    """The ``hosts`` of ``nornir`` for a second pass, no longer counted failed (they were waiting)."""
    for host in hosts:
        nornir.data.recover_host(host)
    chosen = set(hosts)
    return nornir.filter(filter_func=lambda host: host.name in chosen)


def claim_switches_as(ctx: click.Context, settings: Settings) -> None:
    """What this process's switch locks say (``catlic slac install``), and how long it waits for others'."""
    locks.set_command(ctx.command_path)
    locks.set_wait(settings.lock_wait)
    errors = stderr_console()
    locks.set_notify(lambda text: errors.print(text, style="yellow", soft_wrap=True, markup=False))


def nornir_for(settings: Settings, *, dry_run: bool = False) -> Nornir:
    """The selected hosts of the chosen inventory (the running lab's by default), with credentials."""
    (nornir,) = selections_for(settings, settings.filters, dry_run=dry_run)
    return nornir


def selections_for(settings: Settings, *selections: Sequence[str], dry_run: bool = False) -> list[Nornir]:
    """One Nornir per filter list, from one reading of the chosen inventory; credentials asked once."""
    if settings.pin_by is not None and settings.cluster is None:
        raise click.UsageError("--pin-by places hosts on a cluster's workers: give --cluster too")
    chosen = load_selections(
        settings.inventory_choice(running_lab_config),
        *selections,
        workers=settings.workers,
        dry_run=settings.dry_run or dry_run,
    )
    if settings.cluster is None:
        return chosen
    runner = cluster_runner(settings.cluster, threads=settings.workers, pin_by=settings.pin_by)
    for nornir in chosen:
        try:
            runner.check_placement(list(nornir.inventory.hosts.values()))
        except ClusterError as error:
            raise CliError(str(error)) from None
    return [nornir.with_runner(runner) for nornir in chosen]


def report(run: WorkflowRun, settings: Settings, workflow: Workflow, *, csv: CsvRender | None = None) -> None:
    out, errors = stdout_console(), stderr_console()
    if settings.json:
        extra = workflow.extra(run) if workflow.extra is not None else {}
        print_json(out, run_document(run, **extra))
    elif settings.csv and csv is not None:
        out.file.write(csv(run))
        out.file.flush()
    else:
        for part in workflow.renderables(run):
            print_view(out, part)
    print_host_errors(errors, run, debug=settings.debug)
    print_waiting_hint(errors, [run])
    if not settings.json and not settings.csv:
        print_recap(out, [run])


def exit_code_of(run: WorkflowRun, *, critical: Callable[[WorkflowRun], bool] | None = None) -> int:
    if run.failed_hosts:
        return int(ExitCode.FAILED)
    if critical is not None and critical(run):
        return int(ExitCode.CRITICAL_FINDING)
    if run.waiting_hosts:
        return int(ExitCode.WAITING)
    return int(ExitCode.OK)
