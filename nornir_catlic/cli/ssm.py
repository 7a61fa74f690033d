"""``catlic ssm``: play the operator at the lab's simulated Smart Software Manager (its offline methods).

The CLI may import the lab (the lab never imports the library). Every SSM refusal, such as
``ERROR_ALL_COUNTS_IN_USE`` when a pool runs dry, ends the command with exit code 1 and SSM's own words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from nornir_catlic.cli.errors import CliError, ExitCode
from nornir_catlic.cli.lab import lab_state_dir
from nornir_catlic.cli.options import json_requested
from nornir_catlic.cli.output import print_json, stdout_console
from nornir_catlic.cli.tables import print_view, titled_table
from nornir_catlic.workplace import make_folders, write_private_text

SSM_DATABASE = "ssm.sqlite"

F = TypeVar("F", bound=Callable[..., Any])


def _ssm_options(function: F) -> F:
    function = click.option(
        "--state-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="The lab's state folder holding ssm.sqlite (default: CATLIC_LAB_STATE or ./lab-state).",
    )(function)
    return function


def _account_options(function: F) -> F:
    function = click.option("--virtual-account", default=None, help="Virtual account (default: the first).")(
        function
    )
    function = click.option("--smart-account", default=None, help="Smart account (default: the first).")(
        function
    )
    return function


def _json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")(function)


def open_lab_ssm(state_dir: Path | None = None) -> Any:
    """The running lab's simulated SSM, to answer air-gapped workflows at once (a rehearsal)."""
    from virtual_devices.ssm import SimulatedSSM

    folder = state_dir if state_dir is not None else lab_state_dir()
    database = folder / SSM_DATABASE
    if not database.is_file():
        raise CliError(
            f"no simulated SSM in {folder} (no {SSM_DATABASE}): start the lab with `catlic lab up`"
        )
    return SimulatedSSM(database)


@contextmanager
def _simulated_ssm(state_dir: Path | None) -> Iterator[Any]:
    """Open the lab's SSM; an SSM refusal becomes a one-line CLI error with exit code 1."""
    from virtual_devices.ssm import SSMError

    ssm = open_lab_ssm(state_dir)
    try:
        yield ssm
    except SSMError as error:
        raise CliError(f"SSM refused: {error}", ExitCode.FAILED) from None


def _account(smart_account: str | None, virtual_account: str | None) -> dict[str, str | None]:
    if (smart_account is None) != (virtual_account is None):
        raise click.UsageError("give both --smart-account and --virtual-account, or neither")
    return {"smart_account": smart_account, "virtual_account": virtual_account}


@click.group("ssm")
def ssm_group() -> None:
    """Play the operator at the lab's simulated Cisco Smart Software Manager."""


@ssm_group.command("pools")
@_ssm_options
@_json_option
def pools_command(state_dir: Path | None, as_json: bool) -> None:
    """Key pools per virtual account, with the keys in use and free."""
    as_json = json_requested(as_json)
    with _simulated_ssm(state_dir) as ssm:
        pools = ssm.pools()
    out = stdout_console()
    if as_json:
        rows = [
            {
                "smart_account": pool.smart_account,
                "virtual_account": pool.virtual_account,
                "license": pool.license,
                "total": pool.total,
                "in_use": pool.in_use,
                "available": pool.available,
            }
            for pool in pools
        ]
        print_json(out, {"schema": "catlic/ssm-pools/v1", "pools": rows})
        return
    table = titled_table(
        "SSM key pools", ("Smart Account", "Virtual Account", "License", "Total", "In use", "Free")
    )
    for pool in pools:
        free_style = "red" if pool.available == 0 else "green"
        table.add_row(
            pool.smart_account,
            pool.virtual_account,
            pool.license,
            str(pool.total),
            str(pool.in_use),
            f"[{free_style}]{pool.available}[/{free_style}]",
        )
    print_view(out, table)


@ssm_group.command("reservations")
@_ssm_options
@_json_option
def reservations_command(state_dir: Path | None, as_json: bool) -> None:
    """Keys reserved per UDI (the SLACs SSM has issued and not had back)."""
    as_json = json_requested(as_json)
    with _simulated_ssm(state_dir) as ssm:
        rows = ssm.reservations()
    out = stdout_console()
    if as_json:
        print_json(out, {"schema": "catlic/ssm-reservations/v1", "reservations": rows})
        return
    table = titled_table("SSM reservations", ("UDI", "License", "Confirmation code", "Issued"))
    for row in rows:
        table.add_row(row["udi"], row["license"], row["confirmation_code"], row["created"])
    print_view(out, table)


@ssm_group.command("set-pool")
@click.argument("license_name", metavar="LICENSE")
@click.argument("count", type=click.IntRange(min=0))
@click.option("--smart-account", required=True)
@click.option("--virtual-account", required=True)
@_ssm_options
def set_pool_command(
    license_name: str, count: int, smart_account: str, virtual_account: str, state_dir: Path | None
) -> None:
    """Create the account if needed and set the size of one of its pools (e.g. "C9K HSEC" 10)."""
    with _simulated_ssm(state_dir) as ssm:
        ssm.add_account(smart_account, virtual_account, {license_name: count})
    stdout_console().print(f"{smart_account}/{virtual_account} {license_name}: {count} keys")


@ssm_group.command("process-request")
@click.argument("request_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the SLAC files, one per UDI.",
)
@_account_options
@_ssm_options
def process_request_command(
    request_file: Path,
    out_dir: Path,
    smart_account: str | None,
    virtual_account: str | None,
    state_dir: Path | None,
) -> None:
    """Upload a SLAC request file; write the SLAC file SSM returns for each UDI (all or nothing)."""
    from virtual_devices.licfiles import split_udi

    with _simulated_ssm(state_dir) as ssm:
        files = ssm.process_slac_request(request_file.read_text(), **_account(smart_account, virtual_account))
    _write_slacs(files, out_dir, split_udi)


@ssm_group.command("generate")
@click.argument("devices", nargs=-1, metavar="[PID:SERIAL]...")
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The Multiple Devices CSV (a PID and a Serial Number column), e.g. from `catlic state --udi-csv`.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the SLAC files, one per UDI.",
)
@_account_options
@_ssm_options
def generate_command(
    devices: tuple[str, ...],
    csv_file: Path | None,
    out_dir: Path,
    smart_account: str | None,
    virtual_account: str | None,
    state_dir: Path | None,
) -> None:
    """SSM's "Multiple Devices" generation: one SLAC per PID:SERIAL (C9300X-24HX:FOC2519L8R7) or CSV row."""
    from virtual_devices.licfiles import split_udi
    from virtual_devices.ssm import read_device_csv

    if not devices and csv_file is None:
        raise click.UsageError("give PID:SERIAL arguments or --csv FILE")

    pairs: list[tuple[str, str]] = []
    for device in devices:
        pid, sep, serial = device.partition(":")
        if not sep or not pid or not serial:
            raise click.BadParameter(f"{device!r}: expected PID:SERIAL", param_hint="PID:SERIAL")
        pairs.append((pid, serial))
    with _simulated_ssm(state_dir) as ssm:
        if csv_file is not None:
            pairs += read_device_csv(csv_file.read_text(encoding="utf-8"))
        files = ssm.generate_slacs(pairs, **_account(smart_account, virtual_account))
    _write_slacs(files, out_dir, split_udi)


def _write_slacs(files: dict[str, str], out_dir: Path, split_udi: Callable[[str], tuple[str, str]]) -> None:
    make_folders(out_dir)  # SLACs hold authorization codes: 0600, in folders of 0700 when made here
    out = stdout_console()
    for udi, text in files.items():
        pid, serial = split_udi(udi)
        path = write_private_text(out_dir / f"SLAC-{pid}-{serial}.txt", text)
        out.print(f"{udi}: {path}")


@ssm_group.command("process-return")
@click.argument("return_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "ack_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the ACK here (default: print it).",
)
@_ssm_options
def process_return_command(return_file: Path, ack_file: Path | None, state_dir: Path | None) -> None:
    """Enter a return code (bare, as the switch printed it, or a return file); get SSM's ACK."""
    with _simulated_ssm(state_dir) as ssm:
        ack = ssm.process_return(return_file.read_text())
    _deliver_ack(ack, ack_file)


@ssm_group.command("process-usage")
@click.argument("usage_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "ack_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the ACK here (default: print it).",
)
@_account_options
@_ssm_options
def process_usage_command(
    usage_file: Path,
    ack_file: Path | None,
    smart_account: str | None,
    virtual_account: str | None,
    state_dir: Path | None,
) -> None:
    """Upload a usage (RUM) report file; get SSM's ACK to import on the switch."""
    with _simulated_ssm(state_dir) as ssm:
        ack = ssm.process_usage_report(usage_file.read_text(), **_account(smart_account, virtual_account))
    _deliver_ack(ack, ack_file)


def _deliver_ack(ack: str, ack_file: Path | None) -> None:
    out = stdout_console()
    if ack_file is None:
        out.file.write(ack if ack.endswith("\n") else ack + "\n")
        return
    make_folders(ack_file.parent)
    write_private_text(ack_file, ack)
    out.print(f"ACK: {ack_file}")
