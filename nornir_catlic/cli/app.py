"""The ``catlic`` command group, its generic ``task`` runner, and ``main`` (errors and exit codes).

Exit codes: 0 success; 1 a host failed or an operation was refused; 2 an audit found something critical
(every host ran); 3 nothing ran (bad option, bad inventory file, unknown host filter, lab not running);
4 an air-gapped exchange waits for Cisco SSM's answer files (nothing failed; run the command again later).
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click
import yaml
from nornir.core import Nornir
from rich.console import Console
from rich.markup import escape

from nornir_catlic import __version__, interrupts
from nornir_catlic.cli.arguments import check_arguments, describe_options, dry_run_refusal
from nornir_catlic.cli.budget import apply_key_budget, budget_source
from nornir_catlic.cli.errors import CliError, ExitCode, in_cli_words
from nornir_catlic.cli.options import Settings, inventory_options, journal_option, output_options, settings_of
from nornir_catlic.cli.output import (
    print_host_errors,
    print_json,
    print_recap,
    print_waiting_hint,
    stderr_console,
    stdout_console,
)
from nornir_catlic.cli.runbook import load_runbook, print_runbook, run_runbook, runbook_document
from nornir_catlic.cli.workflow import claim_switches_as, execute, exit_code_of, nornir_for
from nornir_catlic.cli.workflows import WORKFLOWS, Workflow, import_task
from nornir_catlic.errors import CatlicError
from nornir_catlic.interrupts import EXIT_INTERRUPTED

EPILOG = (
    "Exit codes: 0 success; 1 a host failed or an operation was refused; 2 an audit found something "
    "critical; 3 nothing ran (bad option, bad inventory file or runbook, unknown host filter, key budget "
    "exceeded, lab not running); 4 an air-gapped exchange waits for Cisco SSM's files (run the command again "
    "once they are back); 130 interrupted (Ctrl-C, SIGTERM), after the report. "
    "Credentials come from the inventory, else CATLIC_USERNAME / CATLIC_PASSWORD / CATLIC_SECRET, "
    "else a prompt."
)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110}, epilog=EPILOG
)
@click.version_option(__version__, prog_name="catlic")
@inventory_options
@output_options
def cli() -> None:
    """Licensing of Cisco Catalyst 9000 fleets with Nornir, and a lab of virtual switches to rehearse on."""


@cli.command("task", epilog=EPILOG)
@click.argument("target", metavar="MODULE:FUNCTION")
@click.option(
    "-a",
    "--arg",
    "arguments",
    multiple=True,
    metavar="KEY=VALUE",
    help="Argument for the task; VALUE is read as YAML (3 is a number, true a boolean). Repeatable.",
)
@inventory_options
@output_options
@click.pass_context
def task_command(ctx: click.Context, target: str, arguments: tuple[str, ...]) -> int:
    """Run any Nornir task function over the inventory, with catlic's progress, output and recap.

    For example: catlic task nornir_netmiko.tasks:netmiko_send_command -a command_string="show version"

    The arguments are checked against the task's signature before any device is touched. With --dry-run,
    the task must declare that it honours dry run (nornir_catlic.tasks.honours_dry_run, or a dry_run
    parameter): netmiko_send_command does not, and is refused rather than sent. The task may change the
    switch: it holds each switch's lock while it works on it, as catlic's write workflows do (a dry run holds
    none).
    """
    task = import_task(target)
    params, as_written = parse_arguments(arguments)
    if settings_of(ctx).dry_run and (refusal := dry_run_refusal(target, task)) is not None:
        raise CliError(refusal)  # before the arguments: the task would not run whatever they are
    params, problems = check_arguments(task, params, as_written=as_written, dry_run=settings_of(ctx).dry_run)
    if problems:
        raise CliError(describe_options(problems, as_written))
    return execute(ctx, Workflow(name="task", target=target, lock_hosts=True), params)


@cli.command("run", epilog=EPILOG)
@click.argument("book", metavar="BOOK.yaml", type=click.Path(dir_okay=False, path_type=Path))
@journal_option
@inventory_options
@output_options
@click.pass_context
def run_command(ctx: click.Context, book: Path) -> int:
    """Run a runbook: workflows in order, each with its arguments and host filter (see examples/runbooks).

    The book is checked whole before any device is touched (exit 3, each problem as file:line: step: key):
    arguments against each task's signature, the guide's combinations, filters, and in a dry run that
    every step honours it. A host that fails a step is skipped by the later steps. The JSON document has
    schema catlic/run/v1.
    """
    settings = settings_of(ctx)
    claim_switches_as(ctx, settings)
    runbook = load_runbook(book, dry_run=settings.dry_run)
    nornir = nornir_for(settings, dry_run=runbook.dry_run)
    errors = stderr_console()
    show_progress = settings.progress and errors.is_terminal

    def key_budget(selected: Nornir, arguments: Mapping[str, Any]) -> tuple[Nornir, dict[str, str]]:
        return apply_key_budget(
            selected,
            source=budget_source(settings, arguments.get("portal")),
            free_keys=None,
            allow_partial=False,
            errors=errors,
            show_progress=show_progress,
            portal=arguments.get("portal"),
            journal=arguments.get("journal"),
            **{key: _word(arguments[key]) for key in ("mode", "scope", "action") if key in arguments},
        )

    runs = run_runbook(
        runbook,
        nornir,
        journal_path=settings.journal_path(),
        progress_console=errors,
        show_progress=show_progress,
        key_budget=key_budget,
    )
    out = stdout_console()
    if settings.json:
        print_json(out, runbook_document(runbook, runs))
        for _, workflow_run in runs:
            print_host_errors(errors, workflow_run, debug=settings.debug)
    else:
        print_runbook(out, errors, runs, debug=settings.debug)
        print_recap(out, [workflow_run for _, workflow_run in runs])
    print_waiting_hint(errors, [workflow_run for _, workflow_run in runs])
    codes = [exit_code_of(workflow_run, critical=step.workflow.critical) for step, workflow_run in runs]
    for code in (ExitCode.FAILED, ExitCode.CRITICAL_FINDING, ExitCode.WAITING):
        if code in codes:
            return int(code)
    return int(ExitCode.OK)


def parse_arguments(arguments: Sequence[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """``-a KEY=VALUE`` pairs: each VALUE read as YAML, and the text it was read from."""
    parsed: dict[str, Any] = {}
    written: dict[str, str] = {}
    for argument in arguments:
        key, sep, text = argument.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{argument!r}: expected KEY=VALUE", param_hint="-a/--arg")
        written[key.strip()] = text
        try:
            parsed[key.strip()] = yaml.safe_load(text) if text.strip() else ""
        except yaml.YAMLError:
            parsed[key.strip()] = text
    return parsed, written


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``catlic``: run the command line, turn every error into one line and an exit code."""
    sys.exit(run(argv))


def run(argv: Sequence[str] | None = None) -> int:
    # Nornir and paramiko log each failure with its traceback; catlic reports failures itself, in one line.
    logging.getLogger().addHandler(logging.NullHandler())
    settings = Settings()
    errors = Console(stderr=True, highlight=False)
    try:
        with interrupts.stop_on_signals(until_running=True):
            returned = cli.main(
                args=list(argv) if argv is not None else None,
                prog_name="catlic",
                obj=settings,
                standalone_mode=False,
            )
    except click.exceptions.Exit as done:  # --help, --version
        return int(done.exit_code)
    except click.Abort:
        errors.print("catlic: aborted")
        return EXIT_INTERRUPTED
    except click.ClickException as error:  # usage errors: click's default code 2 would read as "critical"
        error.show(file=sys.stderr)
        return int(ExitCode.CANNOT_RUN)
    except CliError as error:
        _print_error(errors, str(error), settings)
        return int(error.exit_code)
    except CatlicError as error:
        _print_error(errors, in_cli_words(str(error)), settings)
        return int(ExitCode.FAILED)
    except KeyboardInterrupt:
        errors.print("catlic: interrupted")
        return EXIT_INTERRUPTED
    except Exception as error:  # a bug: one line for the user, the traceback with --debug
        _print_error(
            errors, f"internal error: {type(error).__name__}: {error} (--debug shows where)", settings
        )
        return int(ExitCode.FAILED)
    if interrupts.stop_requested():  # every host was reported with its true state; the run did not finish
        return EXIT_INTERRUPTED
    return int(returned) if isinstance(returned, int) else int(ExitCode.OK)


def _print_error(console: Console, message: str, settings: Settings) -> None:
    if settings.debug:
        console.print(escape(traceback.format_exc().rstrip()), style="dim", soft_wrap=True)
    console.print(f"[red]catlic: {escape(message)}[/red]", soft_wrap=True)


def _register_subcommands() -> None:
    from nornir_catlic.cli.commands import COMMANDS
    from nornir_catlic.cli.cssm import cssm_group
    from nornir_catlic.cli.demo import demo_command
    from nornir_catlic.cli.exporter import exporter_command
    from nornir_catlic.cli.history import diff_command, history_group
    from nornir_catlic.cli.journal import journal_group
    from nornir_catlic.cli.lab import lab_group
    from nornir_catlic.cli.ssm import ssm_group

    for command in COMMANDS:
        cli.add_command(command)
    run_command.epilog = f"Workflows a step may name: {', '.join(sorted(WORKFLOWS))}. {EPILOG}"
    cli.add_command(demo_command)
    cli.add_command(exporter_command)
    cli.add_command(history_group)
    cli.add_command(diff_command)
    cli.add_command(journal_group)
    cli.add_command(lab_group)
    cli.add_command(ssm_group)
    cli.add_command(cssm_group)


_register_subcommands()


def _word(value: object) -> object:
    """A validated runbook argument as the key count takes it: an enum's word, anything else as is."""
    return getattr(value, "value", value)
