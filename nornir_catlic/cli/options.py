"""Options every workflow subcommand shares, accepted before or after the subcommand name.

``catlic --json audit`` and ``catlic audit --json`` mean the same; a value given after the subcommand wins.
Each option's callback records only values the user typed into the one :class:`Settings` of the run.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from nornir_catlic.cli.cluster import check_cluster
from nornir_catlic.cli.inventory import InventoryChoice
from nornir_catlic.store.database import is_url

JournalLocation = Path | str
"""A journal's database: a file, or a SQLAlchemy URL (``postgresql+psycopg://...``) kept as a string."""

F = TypeVar("F", bound=Callable[..., Any])

COMMAND_EPILOG = (
    "Exit codes: 0 success; 1 a host failed; 2 a critical finding; 3 nothing ran; 4 waiting for SSM's files. "
    "See `catlic --help`."
)

JOURNAL_ENV = "CATLIC_JOURNAL"
DEFAULT_JOURNAL = "catlic-journal.db"


@dataclass
class Settings:
    config_file: Path | None = None
    inventory: Path | None = None
    filters: list[str] = field(default_factory=list)
    workers: int | None = None
    cluster: str | None = None  # --cluster: local:N or a scheduler's address
    pin_by: str | None = None  # --pin-by: the data key whose value names the workers a host runs on
    dry_run: bool = False
    json: bool = False
    csv: bool = False
    progress: bool = True
    debug: bool = False
    journal: JournalLocation | None = None
    lock_wait: float | None = None  # seconds to wait for a switch another run holds; None: refuse it

    def journal_path(self) -> JournalLocation:
        """``--journal``, else ``$CATLIC_JOURNAL``, else ``./catlic-journal.db`` (which imports an old
        ``./catlic-journal.jsonl`` once): a file, or a database server's URL (kept a string)."""
        if self.journal is not None:
            return self.journal
        return journal_location(os.environ.get(JOURNAL_ENV) or DEFAULT_JOURNAL)

    def inventory_choice(self, lab_config: Callable[[], Path]) -> InventoryChoice:
        """The inventory the user chose; with none, the running lab's config file from ``lab_config``."""
        if self.config_file is not None and self.inventory is not None:
            raise click.UsageError("give either -c/--config or -i/--inventory, not both")
        if self.config_file is not None:
            return InventoryChoice(config_file=self.config_file)
        if self.inventory is not None:
            return InventoryChoice(folder=self.inventory)
        return InventoryChoice(config_file=lab_config())


def settings_of(ctx: click.Context) -> Settings:
    return ctx.ensure_object(Settings)


def json_requested(as_json: bool) -> bool:
    """A command's own ``--json``, or the global one given before the subcommand (``catlic --json ...``)."""
    settings = click.get_current_context().find_object(Settings)
    return as_json or bool(settings is not None and settings.json)


def _record(
    attribute: str, check: Callable[[click.Context, click.Parameter, Any], Any] | None = None
) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if check is not None:
            value = check(ctx, param, value)
        source = ctx.get_parameter_source(param.name or attribute)
        if source in (None, ParameterSource.DEFAULT):
            return value
        settings = settings_of(ctx)
        if attribute == "filters":
            settings.filters.extend(value)
        else:
            setattr(settings, attribute, value)
        return value

    return callback


def _option(
    *decls: str,
    attribute: str,
    callback_check: Callable[[click.Context, click.Parameter, Any], Any] | None = None,
    **kwargs: Any,
) -> Callable[[F], F]:
    return click.option(*decls, callback=_record(attribute, callback_check), expose_value=False, **kwargs)


_PATH_FILE = click.Path(dir_okay=False, path_type=Path)
_PATH_DIR = click.Path(file_okay=False, path_type=Path)


def inventory_options(function: F) -> F:
    """-c/-i/--filter/--workers/--dry-run: which hosts, how many at once, and whether to touch them."""
    for decorate in reversed(
        [
            _option(
                "-c",
                "--config",
                attribute="config_file",
                type=_PATH_FILE,
                metavar="FILE",
                help="Nornir config file (default: the running lab's).",
            ),
            _option(
                "-i",
                "--inventory",
                attribute="inventory",
                type=_PATH_DIR,
                metavar="DIR",
                help="SimpleInventory folder with hosts.yaml, groups.yaml, defaults.yaml.",
            ),
            _option(
                "--filter",
                "filters",
                attribute="filters",
                multiple=True,
                metavar="TERM",
                help="Host or group name, group=NAME, platform=..., or data key=value; names and values "
                "may be shell globs ('c9300-*', 'group=site-*'); repeatable (names: any of them; key=value: "
                "all of them).",
            ),
            _option(
                "--workers",
                attribute="workers",
                type=click.IntRange(min=1),
                metavar="N",
                help="Hosts worked on at once (default: the inventory's runner setting).",
            ),
            _option(
                "--cluster",
                attribute="cluster",
                callback_check=check_cluster,
                metavar="local:N|tcp://HOST:PORT",
                help="Run the hosts on a Dask cluster: N local worker processes, or a running scheduler "
                "(the store shared by its workers: CATLIC_STORE, --journal postgresql://...).",
            ),
            _option(
                "--pin-by",
                attribute="pin_by",
                metavar="KEY",
                help="With --cluster: run each host only on workers offering the resource KEY:VALUE of its "
                "data (--pin-by region: dask worker ... --resources region:emea=100).",
            ),
            _option(
                "--dry-run",
                attribute="dry_run",
                is_flag=True,
                help="Compute and show the plan; change nothing on any device.",
            ),
            _option(
                "--wait-for-lock",
                attribute="lock_wait",
                type=click.FloatRange(min=0),
                is_flag=False,
                flag_value=math.inf,
                default=None,
                metavar="[SECONDS]",
                help="A switch another catlic run works on: wait for it (SECONDS at most, else as long as it "
                "takes) instead of refusing it.",
            ),
        ]
    ):
        function = decorate(function)
    return function


def output_options(function: F) -> F:
    """--json/--no-progress/--debug: how the outcome is shown."""
    for decorate in reversed(
        [
            _option(
                "--json",
                attribute="json",
                is_flag=True,
                help="Print one JSON document (schema catlic/<command>/v1) on stdout.",
            ),
            _option(
                "--progress/--no-progress",
                attribute="progress",
                default=True,
                help="Progress bar on stderr when it is a terminal (default: on).",
            ),
            _option("--debug", attribute="debug", is_flag=True, help="Show Python tracebacks of failures."),
        ]
    ):
        function = decorate(function)
    return function


def csv_option(function: F) -> F:
    return _option("--csv", attribute="csv", is_flag=True, help="Print the findings as CSV on stdout.")(
        function
    )


def journal_location(text: str) -> JournalLocation:
    """A URL stays a string (a Path would fold its ``//``); anything else is a file."""
    return text if is_url(text) else Path(text)


def shown_location(location: JournalLocation) -> str:
    """How a journal is named in messages: a URL without its password."""
    return (
        make_url(location).render_as_string(hide_password=True)
        if isinstance(location, str)
        else str(location)
    )


class _JournalType(click.ParamType[JournalLocation, Any]):
    name = "journal"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> JournalLocation:
        if isinstance(value, Path):
            return value
        if is_url(str(value)):
            try:
                make_url(str(value))
            except (ArgumentError, ValueError):
                self.fail("not a database URL (postgresql+psycopg://USER:PASSWORD@HOST/DB)", param, ctx)
            return str(value)
        return _PATH_FILE.convert(value, param, ctx)


def journal_option(function: F) -> F:
    return _option(
        "--journal",
        attribute="journal",
        type=_JournalType(),
        metavar="FILE|URL",
        help=f"Workflow journal: a database file (default: ${JOURNAL_ENV}, else ./{DEFAULT_JOURNAL}; an old "
        "journal's name X.jsonl means X.db beside it, the old file imported once), or a database server's "
        "URL shared by several machines (postgresql+psycopg://USER:PASSWORD@HOST/DB).",
    )(function)
