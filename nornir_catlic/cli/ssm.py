"""``catlic ssm``: play the operator at the lab's simulated Smart Software Manager (its offline methods).

The commands are the lab's own (:mod:`virtual_devices.ssm_cli`), shown at catlic's desk. The CLI may
import the lab (the lab never imports the library). Every SSM refusal, such as ``ERROR_ALL_COUNTS_IN_USE``
when a pool runs dry, ends the command with exit code 1 and SSM's own words.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from nornir_catlic.cli.errors import CliError, ExitCode
from nornir_catlic.cli.lab import lab_state_dir
from nornir_catlic.cli.options import json_requested
from nornir_catlic.cli.output import print_json, stdout_console
from nornir_catlic.cli.tables import print_view, titled_table
from virtual_devices.ssm_cli import OPERATOR_COMMANDS, Desk, pool_record, use_desk

SSM_DATABASE = "ssm.sqlite"


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


class CatlicDesk(Desk):
    """The operator's commands in catlic's manner: the lab of ``CATLIC_LAB_STATE``, rich tables, JSON
    schemas, and an SSM refusal as ``catlic: SSM refused: ...`` with exit code 1."""

    def open(self, state_dir: Path | None) -> Any:
        return open_lab_ssm(state_dir)

    def refused(self, error: Exception) -> Exception:
        return CliError(f"SSM refused: {error}", ExitCode.FAILED)

    def said(self, line: str) -> None:
        stdout_console().print(line, soft_wrap=True)

    def ack(self, text: str) -> None:
        stdout_console().file.write(text if text.endswith("\n") else text + "\n")

    def pools(self, pools: list[Any], as_json: bool) -> None:
        out = stdout_console()
        if json_requested(as_json):
            rows = [pool_record(pool) for pool in pools]
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

    def reservations(self, rows: list[dict[str, Any]], as_json: bool) -> None:
        out = stdout_console()
        if json_requested(as_json):
            print_json(out, {"schema": "catlic/ssm-reservations/v1", "reservations": rows})
            return
        table = titled_table("SSM reservations", ("UDI", "License", "Confirmation code", "Issued"))
        for row in rows:
            table.add_row(row["udi"], row["license"], row["confirmation_code"], row["created"])
        print_view(out, table)

    def events(self, rows: list[dict[str, Any]], as_json: bool) -> None:
        out = stdout_console()
        if json_requested(as_json):
            print_json(out, {"schema": "catlic/ssm-events/v1", "events": rows})
            return
        table = titled_table("SSM events", ("At", "Event", "Account", "UDI", "Detail"))
        for row in rows:
            detail = json.dumps(row["detail"])
            table.add_row(row["at"], row["kind"], row["account"] or "-", row["udi"] or "-", detail)
        print_view(out, table)


@click.group("ssm")
@click.pass_context
def ssm_group(ctx: click.Context) -> None:
    """Play the operator at the lab's simulated Cisco Smart Software Manager."""
    use_desk(ctx, CatlicDesk())


for _command in OPERATOR_COMMANDS:
    ssm_group.add_command(_command)
