"""``catlic journal export`` / ``import``: the journal's records as the JSON lines an operator reads or
archives (the shape of the old ``catlic-journal.jsonl``), and such lines back into a journal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

import click

from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.options import JournalLocation, journal_option, settings_of, shown_location
from nornir_catlic.errors import CatlicError
from nornir_catlic.journal import Journal, journal_exists


@click.group("journal")
def journal_group() -> None:
    """The workflow journal (a database beside your work; see --journal)."""


@journal_group.command("export")
@click.option("--host", "hosts", multiple=True, metavar="NAME", help="Only this host's records; repeatable.")
@click.argument("target", metavar="[FILE|-]", default="-", type=click.Path(dir_okay=False, allow_dash=True))
@journal_option
@click.pass_context
def export_command(ctx: click.Context, hosts: tuple[str, ...], target: str) -> int:
    """Write the journal's records as JSON lines, oldest first, to FILE (0600) or stdout (-, the default)."""
    path = settings_of(ctx).journal_path()
    if not journal_exists(path):
        raise CliError(f"no journal at {shown_location(path)}")
    try:
        with Journal(path) as journal:
            if target == "-":
                count = _export(journal, hosts, sys.stdout)
            else:
                with open(_private_file(Path(target)), "w", encoding="utf-8", newline="") as out:
                    count = _export(journal, hosts, out)
    except (CatlicError, OSError) as error:
        raise CliError(f"{shown_location(path)}: {error}") from None
    click.echo(f"{count} record(s) exported from {_shown(journal, path)}", err=True)
    return 0


@journal_group.command("import")
@click.argument("source", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@journal_option
@click.pass_context
def import_command(ctx: click.Context, source: Path) -> int:
    """Add the JSON lines of FILE (an export, an old journal) to the journal; a file imported before is not
    imported again. Unreadable lines are named on stderr."""
    path = settings_of(ctx).journal_path()
    try:
        with Journal(path) as journal:
            added = journal.import_jsonl(source)
            problems = journal.problems
    except CatlicError as error:
        raise CliError(f"{shown_location(path)}: {error}") from None
    for problem in problems:
        click.echo(f"{source}:{problem.line_number}: skipped: {problem.reason}", err=True)
    click.echo(f"{added} record(s) imported into {_shown(journal, path)}", err=True)
    return 0


def _export(journal: Journal, hosts: tuple[str, ...], out: IO[str]) -> int:
    if not hosts:
        return journal.export(out)
    return sum(journal.export(out, host) for host in hosts)


def _private_file(path: Path) -> Path:
    path.touch(mode=0o600)
    path.chmod(0o600)
    return path


def _shown(journal: Journal, location: JournalLocation) -> str:
    """The journal's database file (``X.db`` for an old ``X.jsonl``), or its server without the password."""
    return str(journal.path) if isinstance(location, Path) else shown_location(location)
