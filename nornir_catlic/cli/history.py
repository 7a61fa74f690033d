"""``catlic history [HOST]``, ``catlic history prune`` and ``catlic diff``: the fleet's recorded runs.

They read the store every catlic run shares (``$CATLIC_STORE``, else ``$CATLIC_HOME/catlic.db``), never a
device. JSON schemas: catlic/history/v1 (``runs`` or a host's ``timeline``), catlic/diff/v1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Group, RenderableType
from rich.text import Text

from nornir_catlic import locks
from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.options import json_requested
from nornir_catlic.cli.output import print_json, schema_name, stdout_console, to_jsonable
from nornir_catlic.cli.tables import print_view, titled_table
from nornir_catlic.errors import CatlicError
from nornir_catlic.history import (
    KEEP_ENV,
    Change,
    RecordedRun,
    TimelineStep,
    diff_runs,
    newest_run,
    parse_duration,
    parse_when,
    prune,
    run,
    run_as_of,
    runs,
    timeline,
    timeline_changes,
)
from nornir_catlic.rules.findings import Severity

F = TypeVar("F", bound=Callable[..., Any])


def _when(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return parse_when(value, dt.datetime.now(dt.timezone.utc))
    except ValueError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None


def _keep(ctx: click.Context, param: click.Parameter, value: str) -> dt.timedelta:
    try:
        return parse_duration(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None


def _since_option(help_text: str) -> Callable[[F], F]:
    return click.option("--since", "since", metavar="WHEN", callback=_when, default=None, help=help_text)


_JSON = click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
_SINCE_HELP = "Only runs started since WHEN: 7d, 12h, 90m ago, or an ISO date (2026-12-01, 2026-12-01T08:00)."


class _HistoryGroup(click.Group):
    """``history prune`` is a subcommand; any other first word is the HOST whose timeline is shown."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands:
            return "host", host_timeline_command, args
        return super().resolve_command(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[--since WHEN] [--json] [HOST] | prune --keep DURATION")


@click.group("history", cls=_HistoryGroup, invoke_without_command=True)
@_since_option(_SINCE_HELP)
@_JSON
@click.pass_context
def history_group(ctx: click.Context, since: dt.datetime | None, as_json: bool) -> int:
    """The recorded runs of `catlic state` and `catlic audit`: one line per run, with its counts; with
    HOST, that switch's timeline, each change in the run that first saw it.

    Every state and audit run records itself in the store ($CATLIC_STORE, else $CATLIC_HOME/catlic.db);
    a dry run does not. Set CATLIC_HISTORY_KEEP (e.g. 400d) to drop older runs as each run is recorded,
    or run `catlic history prune --keep 400d`.
    """
    if ctx.invoked_subcommand is not None:
        return 0
    recorded = runs(locks.lock_store(), since=since)
    if json_requested(as_json):
        print_json(
            stdout_console(), {"schema": schema_name("history"), "runs": [_run_json(r) for r in recorded]}
        )
        return 0
    if not recorded:
        click.echo("no run recorded" + (" since then" if since else ""), err=True)
        return 0
    print_view(stdout_console(), _runs_table(recorded))
    return 0


@click.command("host", hidden=True)
@click.argument("host")
@_since_option("Only the changes since WHEN (7d, 12h, or an ISO date); the snapshot then is the baseline.")
@_JSON
def host_timeline_command(host: str, since: dt.datetime | None, as_json: bool) -> int:
    """HOST's timeline: each distinct snapshot, and what changed from the one before."""
    steps = timeline_changes(timeline(locks.lock_store(), host, since=since))
    if json_requested(as_json):
        print_json(
            stdout_console(),
            {
                "schema": schema_name("history"),
                "host": host,
                "timeline": [_step_json(step) for step in steps],
            },
        )
        return 0
    if not steps:
        raise CliError(f"no recorded run saw {host}" + (" since then" if since else ""))
    print_view(stdout_console(), _timeline_table(host, steps))
    return 0


@history_group.command("prune")
@click.option(
    "--keep",
    required=True,
    metavar="DURATION",
    callback=_keep,
    help=f"Keep the runs of the last DURATION (400d, 12h); the same setting as ${KEEP_ENV}.",
)
def prune_command(keep: dt.timedelta) -> int:
    """Drop the runs older than --keep, and the snapshots only they held."""
    store = locks.lock_store()
    try:
        pruned = prune(store, older_than=dt.datetime.now(dt.timezone.utc) - keep)
    except CatlicError as error:
        raise CliError(str(error)) from None
    click.echo(
        f"{pruned.runs} run(s), {pruned.spans} span(s) and {pruned.snapshots} snapshot(s) dropped "
        f"from {store}",
        err=True,
    )
    return 0


@click.command("diff")
@_since_option(
    "Compare with the fleet as of WHEN (the newest run of the same kind started then or before): 7d, 12h, "
    "or an ISO date."
)
@click.option("--run", "run_id", type=click.IntRange(min=1), metavar="ID", help="Compare with run ID.")
@_JSON
def diff_command(since: dt.datetime | None, run_id: int | None, as_json: bool) -> int:
    """What changed per host between a recorded run and the newest: licenses in use, counts, boot level now
    and after reload, members and their SLACs, ACKs and deadlines, findings, reachability, hosts.

    By default the run compared is the previous run of the newest's kind (audit or state). Reads the
    history only (see `catlic history`). JSON schema catlic/diff/v1.
    """
    if since is not None and run_id is not None:
        raise click.UsageError("choose --since or --run, not both")
    store = locks.lock_store()
    newest = newest_run(store)
    if newest is None:
        raise CliError(f"no run recorded in {store}: run `catlic audit` or `catlic state` first")
    if run_id is not None:
        base = run(store, run_id)
        if base is None:
            raise click.BadParameter(
                f"no run {run_id} in the history (see `catlic history`)", param_hint="--run"
            )
    elif since is not None:
        base = run_as_of(store, since, kind=newest.kind)
    else:
        base = newest_run(store, kind=newest.kind, before=newest.id)
        if base is None:
            raise CliError(
                f"only one {newest.kind.value} run recorded (run {newest.id}): nothing to compare yet"
            )
    assert base is not None
    found = diff_runs(store, base.id, newest.id) if base.id != newest.id else {}
    if json_requested(as_json):
        print_json(
            stdout_console(),
            {
                "schema": schema_name("diff"),
                "from": _run_json(base),
                "to": _run_json(newest),
                "hosts": {
                    host: [to_jsonable(change) for change in host_changes]
                    for host, host_changes in found.items()
                },
            },
        )
        return 0
    print_view(stdout_console(), _diff_view(base, newest, found))
    return 0


# --- views


def _moment(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _runs_table(recorded: list[RecordedRun]) -> RenderableType:
    table = titled_table(
        "Recorded runs",
        (
            "Run",
            "Kind",
            "Started",
            "Hosts",
            "Read",
            "Compliant",
            "Changed",
            *[s.value.title() for s in _SEVERITIES],
            "Command",
        ),
    )
    for item in recorded:
        summary = item.summary
        compliant = str(summary.hosts_compliant) if item.kind.value == "audit" else ""
        table.add_row(
            str(item.id),
            item.kind.value,
            _moment(item.started_at),
            str(summary.hosts_total),
            str(summary.hosts_read),
            compliant,
            str(item.hosts_changed),
            *[
                str(summary.by_severity[severity]) if item.kind.value == "audit" else ""
                for severity in _SEVERITIES
            ],
            item.command,
        )
    return table


_SEVERITIES = (Severity.CRITICAL, Severity.ERROR, Severity.WARNING, Severity.INFO)


def _timeline_table(host: str, steps: list[TimelineStep]) -> RenderableType:
    table = titled_table(f"Timeline of {host}", ("Run", "Started", "Kind", "Seen until run", "Change"))
    for step in steps:
        first = step.entry.first_run
        if step.changes is None:
            words = (
                "first recorded"
                if not step.entry.snapshot.error
                else f"first recorded, not read: {step.entry.snapshot.error}"
            )
        else:
            words = "\n".join(change.text for change in step.changes) or "(no change)"
        table.add_row(
            str(first.id), _moment(first.started_at), first.kind.value, str(step.entry.last_run_id), words
        )
    return table


def _diff_view(base: RecordedRun, newest: RecordedRun, found: dict[str, list[Change]]) -> RenderableType:
    heading = Text(
        f"Changes from run {base.id} ({base.kind.value}, {_moment(base.started_at)}) to run {newest.id} "
        f"({newest.kind.value}, {_moment(newest.started_at)}): {len(found)} host(s) changed"
    )
    if not found:
        return heading
    table = titled_table("Changes", ("Host", "Change", "Subject"))
    for host, host_changes in found.items():
        for change in host_changes:
            table.add_row(host, change.text, change.subject)
    return Group(heading, table)


def _run_json(item: RecordedRun) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind.value,
        "started_at": item.started_at.isoformat(),
        "finished_at": item.finished_at.isoformat(),
        "command": item.command,
        "hosts_changed": item.hosts_changed,
        "summary": item.summary.model_dump(mode="json"),
    }


def _step_json(step: TimelineStep) -> dict[str, Any]:
    return {
        "run": _run_json(step.entry.first_run),
        "last_run_id": step.entry.last_run_id,
        "reachable": step.entry.snapshot.reachable,
        "error": step.entry.snapshot.error,
        "changes": None if step.changes is None else [to_jsonable(change) for change in step.changes],
    }
