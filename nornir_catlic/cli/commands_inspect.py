"""Subcommands that only read: ``state``, ``audit``, ``check-hseck9``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from nornir_catlic.cli.options import (
    COMMAND_EPILOG,
    csv_option,
    inventory_options,
    journal_option,
    output_options,
    settings_of,
)
from nornir_catlic.cli.outcome import WorkflowRun
from nornir_catlic.cli.output import to_jsonable
from nornir_catlic.cli.views import (
    any_critical,
    audit_csv,
    audit_view,
    check_view,
    state_view,
)
from nornir_catlic.cli.workflow import execute
from nornir_catlic.cli.workflows import Workflow, register
from nornir_catlic.rules import ConnectionMode


def _audit_summary(run: WorkflowRun) -> Mapping[str, Any]:
    from nornir_catlic.tasks.audit import summarize_audit

    if run.aggregated is None:
        return {}
    summary = summarize_audit(run.aggregated)
    return {"summary": to_jsonable(summary.model_dump(mode="json", exclude={"devices"}))}


STATE = register(
    Workflow(
        "state",
        "nornir_catlic.tasks.state:catlic_get_license_state",
        "Read each device's licensing state.",
        view=state_view,
    )
)
AUDIT = register(
    Workflow(
        "audit",
        "nornir_catlic.tasks.audit:catlic_audit",
        "Audit licensing health.",
        view=audit_view,
        critical=any_critical,
        extra=_audit_summary,
        journal="read",
    )
)
CHECK_HSECK9 = register(
    Workflow(
        "check-hseck9",
        "nornir_catlic.tasks.check:catlic_check_hseck9",
        "Check the HSECK9 prerequisites.",
        view=check_view,
        critical=any_critical,
        journal="read",
    )
)
_CONNECTION = click.option(
    "--connection",
    type=click.Choice([mode.value for mode in ConnectionMode]),
    default=None,
    help="How the devices reach Cisco SSM when their transport cannot tell (e.g. controller, cslu-pull).",
)


def _connection(value: str | None) -> ConnectionMode | None:
    return ConnectionMode(value) if value is not None else None


@click.command("state", epilog=COMMAND_EPILOG)
@click.option(
    "--stack-detail/--no-stack-detail",
    default=None,
    help="Also read `show switch detail` (default: on stacks only).",
)
@click.option(
    "--udi-csv",
    is_flag=True,
    help="Print the CSV for SSM's Multiple Devices SLAC generation: UDIs of HSECK9 platforms without a SLAC.",
)
@inventory_options
@output_options
@click.pass_context
def state_command(ctx: click.Context, stack_detail: bool | None, udi_csv: bool) -> int:
    """Each device's licensing state: boot level, transport, HSECK9, and every member's SLAC and codes.

    Reads only. JSON schema catlic/state/v1; each host's result is a LicenseState. --udi-csv prints the
    Multiple Devices CSV instead (for sites where CSLU or SSM On-Prem pulls the codes onto the switches).
    """
    if udi_csv:
        settings_of(ctx).csv = True
    return execute(ctx, STATE, {"stack_detail": stack_detail}, csv=_udi_csv if udi_csv else None)


def _udi_csv(run: WorkflowRun) -> str:
    from nornir_catlic.tasks.reporting import export_udis_csv

    return export_udis_csv(run.aggregated) if run.aggregated is not None else ""


@click.command("audit", epilog=COMMAND_EPILOG)
@click.option(
    "--warn-days",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="A reporting deadline this close is a warning.",
)
@_CONNECTION
@journal_option
@inventory_options
@output_options
@csv_option
@click.pass_context
def audit_command(ctx: click.Context, warn_days: int, connection: str | None) -> int:
    """Audit the fleet: deadlines, reporting, HSECK9 without SLAC, standby not authorized, pending reloads.

    Reads only. Exit code 2 when a finding is critical (and no host failed). --csv prints one row per
    finding (host,severity,code,subject,message,remedy,reference); --json (catlic/audit/v1) adds a fleet
    "summary".
    """
    return execute(ctx, AUDIT, {"warn_days": warn_days, "connection": _connection(connection)}, csv=audit_csv)


@click.command("check-hseck9", epilog=COMMAND_EPILOG)
@_CONNECTION
@journal_option
@inventory_options
@output_options
@click.pass_context
def check_hseck9_command(ctx: click.Context, connection: str | None) -> int:
    """The guide's HSECK9 prerequisites per device: readiness, keys needed per UDI, findings with remedies.

    Reads only. Exit code 2 when a finding is critical (and no host failed).
    """
    return execute(ctx, CHECK_HSECK9, {"connection": _connection(connection)})


COMMANDS: list[click.Command] = [state_command, audit_command, check_hseck9_command]
