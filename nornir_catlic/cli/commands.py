"""The workflow subcommands: each calls one Nornir task of :mod:`nornir_catlic.tasks` over the inventory.

A subcommand is registered here only once its task exists and works; the same :class:`Workflow` entries
serve ``catlic run`` runbooks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from nornir_catlic import rules
from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.lab import lab_join
from nornir_catlic.cli.options import (
    csv_option,
    inventory_options,
    journal_option,
    output_options,
    settings_of,
)
from nornir_catlic.cli.outcome import WorkflowRun
from nornir_catlic.cli.output import to_jsonable
from nornir_catlic.cli.ssm import open_lab_ssm
from nornir_catlic.cli.views import (
    any_critical,
    audit_csv,
    audit_view,
    boot_level_view,
    check_view,
    hsec_release_view,
    slac_install_view,
    slac_return_view,
    stack_add_view,
    state_view,
    usage_report_view,
)
from nornir_catlic.cli.workflow import execute
from nornir_catlic.cli.workflows import Workflow, register
from nornir_catlic.errors import PrerequisiteError
from nornir_catlic.rules import AddOn, BaseLicense, ConnectionMode, Permission

F = TypeVar("F", bound=Callable[..., Any])

EPILOG = (
    "Exit codes: 0 success; 1 a host failed; 2 a critical finding; 3 nothing ran; 4 waiting for SSM's files. "
    "See `catlic --help`."
)


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


COMMANDS: list[click.Command] = [state_command, audit_command, check_hseck9_command, boot_level_command]


# ---------------------------------------------------------------------------------------------- SLACs

SLAC_INSTALL = register(
    Workflow(
        "slac-install",
        "nornir_catlic.tasks.slac:catlic_install_slac",
        "Install the HSECK9 SLACs.",
        view=slac_install_view,
        journal="write",
    )
)
SLAC_RETURN = register(
    Workflow(
        "slac-return",
        "nornir_catlic.tasks.slac:catlic_return_slac",
        "Return the HSECK9 SLACs.",
        view=slac_return_view,
        journal="write",
    )
)
HSEC_RELEASE = register(
    Workflow(
        "hsec-release",
        "nornir_catlic.tasks.release:catlic_release_hsec",
        "Release the HSECK9 key forcibly.",
        view=hsec_release_view,
    )
)

DEFAULT_PORTAL = "catlic-portal"


def _portal_options(function: F) -> F:
    function = click.option(
        "--lab-ssm",
        is_flag=True,
        help="Offline: let the running lab's simulated SSM answer at once (a rehearsal of the air gap).",
    )(function)
    return click.option(
        "--portal",
        "portal_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=f"Offline: the file-drop folder shared with the operator (default ./{DEFAULT_PORTAL}).",
    )(function)


def _portal(online: bool, portal_dir: Path | None, lab_ssm: bool) -> Any:
    """The ``portal`` argument of an offline workflow: the lab's SSM, or a file-drop folder."""
    if online:
        if portal_dir is not None or lab_ssm:
            raise click.UsageError("--portal and --lab-ssm are for --offline")
        return None
    if lab_ssm:
        if portal_dir is not None:
            raise click.UsageError("give --portal or --lab-ssm, not both")
        return open_lab_ssm()
    from nornir_catlic.portal import FileDropPortal

    return FileDropPortal(portal_dir if portal_dir is not None else Path(DEFAULT_PORTAL))


@click.group("slac")
def slac_group() -> None:
    """Install or return the HSECK9 key's SLACs (Smart Licensing Authorization Codes)."""


_SCOPE = click.option(
    "--scope",
    type=click.Choice(["all", "local"]),
    default="all",
    show_default=True,
    help="all: every UDI of the stack or HA set-up (the guide's advice); local: the active only.",
)


@slac_group.command("install", epilog=EPILOG)
@click.option(
    "--online/--offline", default=True, help="The switch reaches SSM itself, or files cross an air gap."
)
@_SCOPE
@click.option(
    "--action",
    type=click.Choice(["add", "replace"]),
    default=None,
    help="Override the guide's choice of add or replace.",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=1),
    default=120.0,
    show_default=True,
    help="Online: seconds to wait for the install.",
)
@_portal_options
@journal_option
@inventory_options
@output_options
@click.pass_context
def slac_install_command(
    ctx: click.Context,
    online: bool,
    scope: str,
    action: str | None,
    wait: float,
    portal_dir: Path | None,
    lab_ssm: bool,
) -> int:
    """Bring a SLAC onto every wanted UDI: request, (offline: carry the files), install, verify each code.

    Idempotent: UDIs that hold a SLAC are left alone. Every step is journaled (--journal) and an interrupted
    run resumes without asking SSM twice. Offline without --lab-ssm, the request waits in the portal's
    outbox for the operator; run the command again once SSM's SLAC files are in the inbox.
    """
    params = {
        "mode": "online" if online else "offline",
        "scope": scope,
        "action": action,
        "wait": wait,
        "portal": _portal(online, portal_dir, lab_ssm),
    }
    return execute(ctx, SLAC_INSTALL, params)


@slac_group.command("return", epilog=EPILOG)
@click.option(
    "--online/--offline", default=True, help="The switch sends the code itself, or files cross an air gap."
)
@_SCOPE
@click.option(
    "--force-release",
    is_flag=True,
    help="If the key is IN USE with its feature removed, release it forcibly first.",
)
@_portal_options
@journal_option
@inventory_options
@output_options
@click.pass_context
def slac_return_command(
    ctx: click.Context, online: bool, scope: str, force_release: bool, portal_dir: Path | None, lab_ssm: bool
) -> int:
    """Return SLACs to Cisco SSM; each return code is journaled before the next device command.

    The key must be NOT IN USE (or --force-release). Offline, the code goes through the portal and SSM's
    ACK is imported on the switch.
    """
    params = {
        "mode": "online" if online else "offline",
        "scope": scope,
        "force_release": force_release,
        "portal": _portal(online, portal_dir, lab_ssm),
    }
    return execute(ctx, SLAC_RETURN, params)


@click.group("hsec")
def hsec_group() -> None:
    """The HSECK9 key itself."""


@hsec_group.command("release", epilog=EPILOG)
@inventory_options
@output_options
@click.pass_context
def hsec_release_command(ctx: click.Context) -> int:
    """Release the HSECK9 key forcibly where it is IN USE (the platform's hsec-license-release command)."""
    return execute(ctx, HSEC_RELEASE, {})


COMMANDS.extend([slac_group, hsec_group])


# ---------------------------------------------------------------------------------------------- stack, usage

STACK_ADD = register(
    Workflow(
        "stack-add",
        "nornir_catlic.tasks.stack:catlic_add_stack_member",
        "Add a member to a C9300X stack.",
        view=stack_add_view,
        journal="write",
    )
)
REPORT = register(
    Workflow(
        "report",
        "nornir_catlic.tasks.reporting:catlic_report_usage",
        "Report license usage to Cisco SSM.",
        view=usage_report_view,
        journal="write",
    )
)


@click.group("stack")
def stack_group() -> None:
    """C9300X stacks using HSECK9 keys."""


@stack_group.command("add", epilog=EPILOG)
@click.argument("member_serial", metavar="SERIAL")
@click.option(
    "--method",
    type=click.Choice(["replace-all", "standalone-first"]),
    default="replace-all",
    show_default=True,
    help="replace-all: join, then request SLAC for the whole stack again; standalone-first: the "
    "switch got its SLAC and crypto standalone and keeps them.",
)
@click.option(
    "--member-pid", default=None, help="The new switch's PID, to refuse a non-C9300X before touching."
)
@click.option(
    "--standalone",
    default=None,
    metavar="HOST",
    help="standalone-first: the inventory host of the switch while standalone (checked first).",
)
@click.option(
    "--lab-join",
    "join_in_lab",
    is_flag=True,
    help="Lab only: join the switch for you (power on the spare, or cable in --standalone).",
)
@click.option(
    "--join-timeout",
    type=click.FloatRange(min=1),
    default=300.0,
    show_default=True,
    help="Seconds to wait for the switch to join (you cable and power it meanwhile).",
)
@click.option("--online/--offline", default=True, help="How the replace-all SLAC request reaches SSM.")
@_portal_options
@journal_option
@inventory_options
@output_options
@click.pass_context
def stack_add_command(
    ctx: click.Context,
    member_serial: str,
    method: str,
    member_pid: str | None,
    standalone: str | None,
    join_in_lab: bool,
    join_timeout: float,
    online: bool,
    portal_dir: Path | None,
    lab_ssm: bool,
) -> int:
    """Add the switch SERIAL to the selected C9300X stack by one of the guide's two methods.

    Select exactly one stack (--filter). Refuses a non-C9300X member. With --dry-run, shows what would be
    requested once the member has joined.
    """
    settings = settings_of(ctx)
    if method == "standalone-first" and standalone is None:
        raise click.UsageError(
            "--method standalone-first needs --standalone HOST (the switch before the join)"
        )
    stacks = [term for term in settings.filters if "=" not in term]
    params: dict[str, Any] = {
        "member_serial": member_serial,
        "method": method,
        "member_pid": member_pid,
        "standalone": standalone,
        "join_timeout": join_timeout,
        "mode": "online" if online else "offline",
        "portal": _portal(online, portal_dir, lab_ssm),
    }
    if join_in_lab:
        if len(stacks) != 1:
            raise click.UsageError("--lab-join works on one stack: select it with --filter STACK")
        params["join"] = lab_join(stacks[0], member_serial, standalone=standalone)
    return execute(ctx, STACK_ADD, params, single_host=True)


@click.command("report", epilog=EPILOG)
@click.option(
    "--online/--offline", default=True, help="Sync with SSM, or carry the usage file across the air gap."
)
@click.option(
    "--if-due-within-days",
    type=click.FloatRange(min=0),
    default=None,
    help="Report only where no ACK was received yet or the Next ACK deadline is this close.",
)
@_portal_options
@journal_option
@inventory_options
@output_options
@click.pass_context
def report_command(
    ctx: click.Context, online: bool, if_due_within_days: float | None, portal_dir: Path | None, lab_ssm: bool
) -> int:
    """Send the usage (RUM) report to Cisco SSM and install its ACK (Smart Licensing Using Policy).

    Offline: `license smart save usage`, the file goes to SSM through the portal, the ACK is imported.
    """
    params = {
        "mode": "online" if online else "offline",
        "if_due_within_days": if_due_within_days,
        "portal": _portal(online, portal_dir, lab_ssm),
    }
    return execute(ctx, REPORT, params)


COMMANDS.extend([stack_group, report_command])
