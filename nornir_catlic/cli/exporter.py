"""``catlic exporter``: serve the fleet's licensing state as Prometheus metrics, read again every interval."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import FrameType

import click
from rich.console import Console

from nornir_catlic import history, interrupts, locks
from nornir_catlic.cli.commands_inspect import AUDIT, WARN_DAYS
from nornir_catlic.cli.errors import CliError, in_cli_words
from nornir_catlic.cli.exporter_options import describe_duration, duration_option, listen_option
from nornir_catlic.cli.history_recording import record_snapshots
from nornir_catlic.cli.options import inventory_options, journal_option, settings_of
from nornir_catlic.cli.output import stderr_console
from nornir_catlic.cli.workflow import nornir_for
from nornir_catlic.cli.workflows import with_journal
from nornir_catlic.errors import CatlicError
from nornir_catlic.history.snapshot import HostSnapshot, RunKind
from nornir_catlic.interrupts import EXIT_INTERRUPTED
from nornir_catlic.metrics import DEFAULT_PORT, ListenAddress, MetricsExporter, RefreshHook, audit_snapshots

EPILOG = (
    "Exit codes: 0 stopped by SIGINT or SIGTERM; 3 nothing ran (bad option, bad inventory, address in use). "
    "Metrics: see examples/prometheus and examples/grafana."
)


@click.command("exporter", epilog=EPILOG)
@click.option(
    "--listen",
    callback=listen_option,
    default=f"127.0.0.1:{DEFAULT_PORT}",
    show_default=True,
    metavar="ADDR:PORT",
    help="Where to serve /metrics ([::1]:PORT for IPv6, port 0 for any free one). Loopback by default: "
    "the metrics tell anyone who reaches them the fleet's licensing state.",
)
@click.option(
    "--interval",
    callback=duration_option,
    default="15m",
    show_default=True,
    metavar="DURATION",
    help="Time from the start of one refresh to the next (30s, 15m, 1h, 1h30m, 1d).",
)
@WARN_DAYS
@journal_option
@inventory_options
@click.pass_context
def exporter_command(ctx: click.Context, listen: ListenAddress, interval: float, warn_days: int) -> int:
    """Serve Prometheus metrics of the fleet, refreshed by running the audit (read only) every interval.

    Per switch: Next ACK deadline, next report push and last ACK as Unix times, licenses per entitlement
    and status, SLAC installed per UDI, HSECK9 in use, findings per severity and code, compliance and
    reachability; and the exporter's own refresh health. One refresh at a time; a scrape never waits for
    one; a failed refresh keeps the last good data. Runs until SIGINT or SIGTERM.
    """
    settings = settings_of(ctx)
    nornir = nornir_for(settings)  # inventory, filters and credentials checked before anything listens
    journal = with_journal(AUDIT, {}, settings.journal_path())["journal"]
    errors = stderr_console()
    # Served until the first refresh ends: the newest audit the history holds of each host.
    initial: Mapping[str, HostSnapshot] = _recorded_fleet(set(nornir.inventory.hosts), errors)
    # Called with (started_at, finished_at, snapshots) after each good refresh: the history records it.
    hooks: list[RefreshHook] = [_log_refresh(errors), _record_refresh]

    exporter = MetricsExporter(
        lambda: audit_snapshots(nornir, warn_days=warn_days, journal=journal),
        interval=interval,
        initial=initial,
        on_refresh=hooks,
        on_failure=lambda what, error: _say(errors, f"{what} failed: {in_cli_words(str(error))}", "red"),
    )
    try:
        bound = exporter.listen(listen)
    except OSError as error:
        raise CliError(f"--listen {listen}: cannot listen there: {error.strerror or error}") from None
    hosts = len(nornir.inventory.hosts)
    _say(
        errors,
        f"serving {bound.url} for {hosts} host{'s' if hosts != 1 else ''}, "
        f"refreshing every {describe_duration(interval)}",
    )
    if not bound.loopback:
        _say(
            errors, f"{bound.host} is not a loopback address: whoever reaches it reads the metrics", "yellow"
        )
    with _stop_on_signals() as stop:
        exporter.start_refreshing()
        while not stop.wait(1.0):
            pass
        _say(errors, "stopping: the refresh under way ends first")
        exporter.stop()
    interrupts.reset()  # the stop was asked for: the exporter ends well, not as an interrupted run
    return 0


def _say(console: Console, text: str, style: str | None = None) -> None:
    console.print(f"catlic exporter: {text}", style=style, soft_wrap=True, markup=False, highlight=False)


def _log_refresh(console: Console) -> RefreshHook:
    def log_refresh(
        started: dt.datetime, finished: dt.datetime, snapshots: Mapping[str, HostSnapshot]
    ) -> None:
        down = sum(1 for snapshot in snapshots.values() if not snapshot.reachable)
        seconds = (finished - started).total_seconds()
        _say(console, f"refreshed {len(snapshots)} hosts ({down} down) in {seconds:.1f} s")

    return log_refresh


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """SIGINT and SIGTERM set the event and stop a refresh before its next device command; a second one
    ends the process at once."""
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)
        stop.set()
        interrupts.request_stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _recorded_fleet(hosts: set[str], errors: Console) -> dict[str, HostSnapshot]:
    """The history's newest audited snapshot of each inventory host (none when it cannot be read)."""
    try:
        recorded = history.latest(locks.lock_store(), kind=RunKind.AUDIT)
    except CatlicError as error:
        _say(
            errors,
            f"the history could not be read, serving nothing until the first refresh: {error}",
            "yellow",
        )
        return {}
    return {host: snapshot for host, snapshot in recorded.items() if host in hosts}


def _record_refresh(
    started_at: dt.datetime, finished_at: dt.datetime, snapshots: Mapping[str, HostSnapshot]
) -> None:
    record_snapshots(
        RunKind.AUDIT, snapshots, started_at=started_at, finished_at=finished_at, command="catlic exporter"
    )
