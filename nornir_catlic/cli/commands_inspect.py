"""Subcommands that only read: ``state``, ``audit``, ``check-hseck9``."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from rich.console import RenderableType

from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.html_report import check_report_path, html_option, write_audit_report
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
    verification_view,
)
from nornir_catlic.cli.workflow import execute
from nornir_catlic.cli.workflows import Workflow, register
from nornir_catlic.domain import ConnectionMode, format_udi
from nornir_catlic.errors import CatlicError
from nornir_catlic.portal import ssm_csv_to_udis
from nornir_catlic.tasks.audit import summarize_audit
from nornir_catlic.tasks.reporting import CodeVerification, export_udis_csv, verify_codes


def _audit_summary(run: WorkflowRun) -> Mapping[str, Any]:
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


WARN_DAYS = click.option(
    "--warn-days",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="A reporting deadline this close is a warning.",
)
"""How near a deadline an audit's finding turns into a warning (``catlic audit``, ``catlic exporter``)."""


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
@click.option(
    "--verify-udis",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="CSV",
    help="Check that every UDI of a Multiple Devices CSV holds a SLAC now (exit 2 when one does not).",
)
@inventory_options
@output_options
@click.pass_context
def state_command(
    ctx: click.Context, stack_detail: bool | None, udi_csv: bool, verify_udis: Path | None
) -> int:
    """Each device's licensing state: boot level, transport, HSECK9, and every member's SLAC and codes.

    Reads only. JSON schema catlic/state/v1; each host's result is a LicenseState. For sites where CSLU
    or SSM On-Prem pulls the codes onto the switches: --udi-csv prints the Multiple Devices CSV to upload
    to SSM, and --verify-udis CSV checks afterwards that each of its UDIs got its SLAC.
    """
    if udi_csv and verify_udis is not None:
        raise click.UsageError("choose --udi-csv or --verify-udis, not both")
    params = {"stack_detail": stack_detail}
    if udi_csv:
        settings_of(ctx).csv = True
        return execute(ctx, STATE, params, csv=_udi_csv)
    if verify_udis is not None:
        return execute(ctx, _verifying(STATE, _udis_of(verify_udis)), params)
    return execute(ctx, STATE, params)


def _udis_of(path: Path) -> list[str]:
    try:
        pairs = ssm_csv_to_udis(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, CatlicError) as error:
        raise CliError(f"{path}: {error}") from None
    if not pairs:
        raise CliError(f"{path}: the device list names no UDI")
    return [format_udi(pid, serial) for pid, serial in pairs]


def _verifying(workflow: Workflow, udis: list[str]) -> Workflow:
    """The state workflow, shown as a check that each of ``udis`` holds a SLAC."""

    def verification(run: WorkflowRun) -> CodeVerification:
        return verify_codes(run.aggregated if run.aggregated is not None else [], udis)

    def view(run: WorkflowRun) -> RenderableType | None:
        return verification_view(verification(run))

    return dataclasses.replace(
        workflow,
        view=view,
        extra=lambda run: {"verification": to_jsonable(verification(run))},
        critical=lambda run: not verification(run).ok,
    )


def _udi_csv(run: WorkflowRun) -> str:
    return export_udis_csv(run.aggregated) if run.aggregated is not None else ""


@click.command("audit", epilog=COMMAND_EPILOG)
@WARN_DAYS
@_CONNECTION
@html_option
@journal_option
@inventory_options
@output_options
@csv_option
@click.pass_context
def audit_command(ctx: click.Context, warn_days: int, connection: str | None, html: Path | None) -> int:
    """Audit the fleet: deadlines, reporting, HSECK9 without SLAC, standby not authorized, pending reloads.

    Reads only. Exit code 2 when a finding is critical (and no host failed). --csv prints one row per
    finding (host,severity,code,subject,message,remedy,reference); --json (catlic/audit/v1) adds a fleet
    "summary"; --html FILE also writes the report as one self-contained page.
    """
    check_report_path(html)

    def write_page(run: WorkflowRun) -> None:
        if html is not None:
            write_audit_report(run, html, warn_days=warn_days)

    params = {"warn_days": warn_days, "connection": _connection(connection)}
    return execute(ctx, AUDIT, params, csv=audit_csv, on_run=write_page)


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
