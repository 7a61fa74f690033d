"""The SSM operator's commands (click): play the simulated SSM's web UI on a lab's database.

One set of commands for every front-end: ``catlic-lab ssm --db FILE ...``, ``python -m virtual_devices ssm
...`` and ``catlic ssm ...``. How the SSM is found and how its answers are shown is a :class:`Desk`; the
lab's is plain text, and ``catlic`` installs its own (rich tables, JSON schemas, its exit codes) with
:func:`use_desk`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from virtual_devices import licfiles
from virtual_devices.entry import run_click
from virtual_devices.entry import state_dir_option as lab_state_dir_option
from virtual_devices.lab_state import SSM_DATABASE, write_private
from virtual_devices.ssm import Pool, SimulatedSSM, SSMError, read_device_csv

EXIT_REFUSED = 1  # the SSM refused (a pool ran dry, a file it cannot read)
_DESK = "virtual_devices.ssm_desk"
_GROUP_ACCOUNT = "virtual_devices.ssm_account"
_GROUP_DATABASE = "virtual_devices.ssm_database"

F = TypeVar("F", bound=Callable[..., Any])


class SSMRefused(click.ClickException):
    """An SSM refusal, in its own words (``SSM: ERROR_ALL_COUNTS_IN_USE: ...``); exit 1."""

    exit_code = EXIT_REFUSED

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


class NoSSM(click.ClickException):
    """No SSM database where the command looked; nothing ran (exit 3, as ``status`` without a lab)."""

    exit_code = 3

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


class Desk:
    """Where the operator's commands find the SSM and how they show its answers: plain text."""

    def open(self, state_dir: Path | None) -> SimulatedSSM:
        """The SSM of the group's ``--db``, else of the lab's state folder (which must hold one)."""
        ctx = click.get_current_context()
        database = ctx.meta.get(_GROUP_DATABASE)
        if database is not None:
            return SimulatedSSM(database)
        folder = (state_dir or Path("lab-state")).resolve()
        if not (folder / SSM_DATABASE).is_file():
            raise NoSSM(f"no simulated SSM in {folder} (no {SSM_DATABASE}): give --db or --state-dir")
        return SimulatedSSM(folder / SSM_DATABASE)

    def refused(self, error: SSMError) -> Exception:
        return SSMRefused(f"SSM: {error}")

    def said(self, line: str) -> None:
        click.echo(line)

    def ack(self, text: str) -> None:
        click.echo(text, nl=not text.endswith("\n"))

    def pools(self, pools: list[Pool], as_json: bool) -> None:
        if as_json:
            click.echo(json.dumps({"pools": [pool_record(pool) for pool in pools]}, indent=2))
            return
        header = ("Smart Account", "Virtual Account", "License", "Total", "In use", "Free")
        click.echo("{:<16}{:<18}{:<12}{:>6}{:>8}{:>6}".format(*header))
        for p in pools:
            click.echo(
                f"{p.smart_account:<16}{p.virtual_account:<18}{p.license:<12}{p.total:>6}{p.in_use:>8}{p.available:>6}"
            )

    def reservations(self, rows: list[dict[str, Any]], as_json: bool) -> None:
        if as_json:
            click.echo(json.dumps({"reservations": rows}, indent=2, default=str))
            return
        for r in rows:
            click.echo(f"{r['udi']:<40}{r['license']:<12}{r['confirmation_code']}  {r['created']}")

    def events(self, rows: list[dict[str, Any]], as_json: bool) -> None:
        if as_json:
            click.echo(json.dumps({"events": rows}, indent=2, default=str))
            return
        for e in rows:
            where = f"{e['account'] or '-':<14}{e['udi'] or '-':<40}"
            click.echo(f"{e['at']}  {e['kind']:<22}{where}{json.dumps(e['detail'])}")


def pool_record(pool: Pool) -> dict[str, Any]:
    return {
        "smart_account": pool.smart_account,
        "virtual_account": pool.virtual_account,
        "license": pool.license,
        "total": pool.total,
        "in_use": pool.in_use,
        "available": pool.available,
    }


def use_desk(ctx: click.Context, desk: Desk) -> None:
    """Show the operator's commands run under ``ctx`` through ``desk``."""
    ctx.meta[_DESK] = desk


@contextmanager
def _ssm(state_dir: Path | None) -> Iterator[tuple[SimulatedSSM, Desk]]:
    """The SSM and the desk; an SSM refusal becomes the desk's error (exit 1 with SSM's own words)."""
    desk: Desk = click.get_current_context().meta.get(_DESK) or Desk()
    ssm = desk.open(state_dir)
    try:
        yield ssm, desk
    except SSMError as error:
        raise desk.refused(error) from None


def _account(smart_account: str | None, virtual_account: str | None) -> dict[str, str | None]:
    """The command's account, else the group's (``--db X --smart-account A ...`` before the command)."""
    group = click.get_current_context().meta.get(_GROUP_ACCOUNT) or {}
    smart_account = smart_account or group.get("smart_account")
    virtual_account = virtual_account or group.get("virtual_account")
    if (smart_account is None) != (virtual_account is None):
        raise click.UsageError("give both --smart-account and --virtual-account, or neither")
    return {"smart_account": smart_account, "virtual_account": virtual_account}


state_dir_option = lab_state_dir_option("The lab's state folder holding ssm.sqlite.")


def account_options(function: F) -> F:
    function = click.option("--virtual-account", default=None, help="Virtual account (default: the first).")(
        function
    )
    return click.option("--smart-account", default=None, help="Smart account (default: the first).")(function)


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")(function)


def out_folder_option(function: F) -> F:
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        required=True,
        help="Folder for the SLAC files, one per UDI.",
    )(function)


def ack_file_option(function: F) -> F:
    return click.option(
        "--out",
        "ack_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write the ACK here (default: print it).",
    )(function)


@click.group("ssm")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The SSM's sqlite file (the lab's state_dir/ssm.sqlite); else each command's --state-dir.",
)
@click.option("--smart-account", default=None, help="Smart account for the commands that take one.")
@click.option("--virtual-account", default=None, help="Virtual account for the commands that take one.")
@click.pass_context
def ssm_operator(
    ctx: click.Context, db: Path | None, smart_account: str | None, virtual_account: str | None
) -> None:
    """Play the operator at the lab's simulated Cisco Smart Software Manager."""
    if db is not None:
        ctx.meta[_GROUP_DATABASE] = db
    ctx.meta[_GROUP_ACCOUNT] = {"smart_account": smart_account, "virtual_account": virtual_account}


@click.command("pools")
@state_dir_option
@json_option
def pools_command(state_dir: Path | None, as_json: bool) -> None:
    """Key pools per virtual account, with the keys in use and free."""
    with _ssm(state_dir) as (ssm, desk):
        desk.pools(ssm.pools(), as_json)


@click.command("reservations")
@state_dir_option
@json_option
def reservations_command(state_dir: Path | None, as_json: bool) -> None:
    """Keys reserved per UDI (the SLACs SSM has issued and not had back)."""
    with _ssm(state_dir) as (ssm, desk):
        desk.reservations(ssm.reservations(), as_json)


@click.command("events")
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="The latest N events."
)
@state_dir_option
@json_option
def events_command(limit: int, state_dir: Path | None, as_json: bool) -> None:
    """The SSM's event log: requests, returns, usage reports."""
    with _ssm(state_dir) as (ssm, desk):
        desk.events(ssm.events(limit), as_json)


@click.command("set-pool")
@click.argument("license_name", metavar="LICENSE")
@click.argument("count", type=click.IntRange(min=0))
@account_options
@state_dir_option
def set_pool_command(
    license_name: str,
    count: int,
    smart_account: str | None,
    virtual_account: str | None,
    state_dir: Path | None,
) -> None:
    """Create the account if needed and set the size of one of its pools (e.g. "C9K HSEC" 10)."""
    account = _account(smart_account, virtual_account)
    if account["smart_account"] is None or account["virtual_account"] is None:
        raise click.UsageError("set-pool needs --smart-account and --virtual-account")
    with _ssm(state_dir) as (ssm, desk):
        ssm.add_account(account["smart_account"], account["virtual_account"], {license_name: count})
        desk.said(f"{account['smart_account']}/{account['virtual_account']} {license_name}: {count} keys")


@click.command("process-request")
@click.argument("request_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@out_folder_option
@account_options
@state_dir_option
def process_request_command(
    request_file: Path,
    out_dir: Path,
    smart_account: str | None,
    virtual_account: str | None,
    state_dir: Path | None,
) -> None:
    """Upload a SLAC request file; write the SLAC file SSM returns for each UDI (all or nothing)."""
    with _ssm(state_dir) as (ssm, desk):
        files = ssm.process_slac_request(request_file.read_text(), **_account(smart_account, virtual_account))
        _write_slacs(desk, files, out_dir)


@click.command("generate")
@click.argument("devices", nargs=-1, metavar="[PID:SERIAL]...")
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The Multiple Devices CSV (a PID and a Serial Number column), e.g. from `catlic state --udi-csv`.",
)
@out_folder_option
@account_options
@state_dir_option
def generate_command(
    devices: tuple[str, ...],
    csv_file: Path | None,
    out_dir: Path,
    smart_account: str | None,
    virtual_account: str | None,
    state_dir: Path | None,
) -> None:
    """SSM's "Multiple Devices" generation: one SLAC per PID:SERIAL (C9300X-24HX:FOC2519L8R7) or CSV row."""
    if not devices and csv_file is None:
        raise click.UsageError("give PID:SERIAL arguments or --csv FILE")
    pairs: list[tuple[str, str]] = []
    for device in devices:
        pid, sep, serial = device.partition(":")
        if not sep or not pid or not serial:
            raise click.BadParameter(f"{device!r}: expected PID:SERIAL", param_hint="PID:SERIAL")
        pairs.append((pid, serial))
    with _ssm(state_dir) as (ssm, desk):
        if csv_file is not None:
            pairs += read_device_csv(csv_file.read_text(encoding="utf-8"))
        files = ssm.generate_slacs(pairs, **_account(smart_account, virtual_account))
        _write_slacs(desk, files, out_dir)


def _write_slacs(desk: Desk, files: dict[str, str], out_dir: Path) -> None:
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # SLACs hold authorization codes: 0600 files
    for udi, text in files.items():
        pid, serial = licfiles.split_udi(udi)
        path = out_dir / f"SLAC-{pid}-{serial}.txt"
        write_private(path, text)
        desk.said(f"{udi}: {path}")


@click.command("process-return")
@click.argument("return_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ack_file_option
@state_dir_option
def process_return_command(return_file: Path, ack_file: Path | None, state_dir: Path | None) -> None:
    """Enter a return code (bare, as the switch printed it, or a return file); get SSM's ACK."""
    with _ssm(state_dir) as (ssm, desk):
        _deliver_ack(desk, ssm.process_return(return_file.read_text()), ack_file)


@click.command("process-usage")
@click.argument("usage_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ack_file_option
@account_options
@state_dir_option
def process_usage_command(
    usage_file: Path,
    ack_file: Path | None,
    smart_account: str | None,
    virtual_account: str | None,
    state_dir: Path | None,
) -> None:
    """Upload a usage (RUM) report file; get SSM's ACK to import on the switch."""
    with _ssm(state_dir) as (ssm, desk):
        ack = ssm.process_usage_report(usage_file.read_text(), **_account(smart_account, virtual_account))
        _deliver_ack(desk, ack, ack_file)


def _deliver_ack(desk: Desk, ack: str, ack_file: Path | None) -> None:
    if ack_file is None:
        desk.ack(ack)
        return
    ack_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_private(ack_file, ack)
    desk.said(f"ACK: {ack_file}")


OPERATOR_COMMANDS = (
    pools_command,
    reservations_command,
    events_command,
    set_pool_command,
    process_request_command,
    generate_command,
    process_return_command,
    process_usage_command,
)

for _command in OPERATOR_COMMANDS:
    ssm_operator.add_command(_command)


def main(argv: Sequence[str] | None = None) -> int:
    """``catlic-lab ssm``: the operator's commands, exit 1 when the SSM refuses."""
    return run_click(ssm_operator, argv, "catlic-lab ssm")
