"""The workflow subcommands: each calls one Nornir task of :mod:`nornir_catlic.tasks` over the inventory.

A subcommand is registered here only once its task exists and works; the same :class:`Workflow` entries
serve ``catlic run`` runbooks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from nornir_catlic import rules
from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.options import csv_option, inventory_options, journal_option, output_options
from nornir_catlic.cli.outcome import WorkflowRun
from nornir_catlic.cli.output import to_jsonable
from nornir_catlic.cli.views import (
    any_critical,
    audit_csv,
    audit_view,
    boot_level_view,
    check_view,
    state_view,
)
from nornir_catlic.cli.workflow import execute
from nornir_catlic.cli.workflows import Workflow, register
from nornir_catlic.errors import PrerequisiteError
from nornir_catlic.rules import AddOn, BaseLicense, ConnectionMode, Permission

EPILOG = "Exit codes: 0 success; 1 a host failed; 2 a critical finding; 3 nothing ran. See `catlic --help`."


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
BOOT_LEVEL = register(
    Workflow(
        "boot-level",
        "nornir_catlic.tasks.boot_level:catlic_set_boot_level",
        "Set the license boot level.",
        view=boot_level_view,
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


@click.command("state", epilog=EPILOG)
@click.option(
    "--stack-detail/--no-stack-detail",
    default=None,
    help="Also read `show switch detail` (default: on stacks only).",
)
@inventory_options
@output_options
@click.pass_context
def state_command(ctx: click.Context, stack_detail: bool | None) -> int:
    """Each device's licensing state: boot level, transport, HSECK9, and every member's SLAC and codes.

    Reads only. JSON schema catlic/state/v1; each host's result is a LicenseState.
    """
    return execute(ctx, STATE, {"stack_detail": stack_detail})


@click.command("audit", epilog=EPILOG)
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


@click.command("check-hseck9", epilog=EPILOG)
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


@click.command("boot-level", epilog=EPILOG)
@click.argument("base", type=click.Choice([level.value for level in BaseLicense]))
@click.option(
    "--addon",
    type=click.Choice([addon.value for addon in AddOn]),
    default=None,
    help="The DNA add-on to run with the base license.",
)
@click.option(
    "--renewal",
    is_flag=True,
    help="Network Advantage + DNA Essentials: confirm this is a DNA license renewal (Figure 1).",
)
@click.option(
    "--reload",
    "reload_now",
    is_flag=True,
    help="Reload the devices whose running level differs, wait for them and verify.",
)
@inventory_options
@output_options
@click.pass_context
def boot_level_command(
    ctx: click.Context, base: str, addon: str | None, renewal: bool, reload_now: bool
) -> int:
    """Configure `license boot level BASE [addon ADDON]`, save it, and optionally reload to apply it.

    Only the combinations the guide permits; a second run changes nothing. --dry-run shows the commands.
    """
    level = BaseLicense(base)
    extra = AddOn(addon) if addon is not None else None
    if not rules.is_combination_permitted(level, extra, renewal=renewal):
        try:
            rules.boot_level_command(level, extra, renewal=renewal)
        except PrerequisiteError as error:  # the guide's reason, checked before any device is touched
            hint = (
                " (catlic: add --renewal)"
                if rules.combination_permission(level, extra) is Permission.RENEWAL_ONLY
                else ""
            )
            raise CliError(f"{error}{hint}") from None
    return execute(ctx, BOOT_LEVEL, {"base": base, "addon": addon, "renewal": renewal, "reload": reload_now})


COMMANDS = [state_command, audit_command, check_hseck9_command, boot_level_command]
