"""Subcommands that change a device outside the SLACs: ``boot-level``, ``hsec release``, ``report``."""

from __future__ import annotations

from pathlib import Path

import click

from nornir_catlic.cli.arguments import FiniteFloatRange
from nornir_catlic.cli.errors import CliError, in_cli_words
from nornir_catlic.cli.options import (
    COMMAND_EPILOG,
    inventory_options,
    journal_option,
    output_options,
)
from nornir_catlic.cli.portal_options import portal_argument, portal_options
from nornir_catlic.cli.views import (
    boot_level_view,
    hsec_release_view,
    usage_report_view,
)
from nornir_catlic.cli.workflow import execute
from nornir_catlic.cli.workflows import Workflow, register
from nornir_catlic.domain import AddOn, BaseLicense
from nornir_catlic.errors import PrerequisiteError
from nornir_catlic.rules import commands as rules_commands

BOOT_LEVEL = register(
    Workflow(
        "boot-level",
        "nornir_catlic.tasks.boot_level:catlic_set_boot_level",
        "Set the license boot level.",
        view=boot_level_view,
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

REPORT = register(
    Workflow(
        "report",
        "nornir_catlic.tasks.reporting:catlic_report_usage",
        "Report license usage to Cisco SSM.",
        view=usage_report_view,
        journal="write",
    )
)

REPORT_REST = register(
    Workflow(
        "report-rest",
        "nornir_catlic.tasks.reporting_rest:catlic_report_usage_rest",
        "Report license usage to Cisco SSM through the switches' REST API.",
        view=usage_report_view,
        journal="write",
    )
)


@click.command("boot-level", epilog=COMMAND_EPILOG)
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
    try:
        rules_commands.boot_level_command(level, extra, renewal=renewal)
    except PrerequisiteError as error:  # the guide's reason, checked before any device is touched
        raise CliError(in_cli_words(str(error))) from None
    return execute(ctx, BOOT_LEVEL, {"base": base, "addon": addon, "renewal": renewal, "reload": reload_now})


@click.group("hsec")
def hsec_group() -> None:
    """The HSECK9 key itself."""


@hsec_group.command("release", epilog=COMMAND_EPILOG)
@inventory_options
@output_options
@click.pass_context
def hsec_release_command(ctx: click.Context) -> int:
    """Release the HSECK9 key forcibly where it is IN USE (the platform's hsec-license-release command)."""
    return execute(ctx, HSEC_RELEASE, {})


@click.command("report", epilog=COMMAND_EPILOG)
@click.option(
    "--online/--offline", default=True, help="Sync with SSM, or carry the usage file across the air gap."
)
@click.option(
    "--if-due-within-days",
    type=FiniteFloatRange(min=0),
    default=None,
    help="Report only where no ACK was received yet or the Next ACK deadline is this close.",
)
@click.option(
    "--rest",
    is_flag=True,
    help="Offline: collect the reports and import the ACK through each switch's REST API "
    "(/smartlic-service, inventory data rest_api: {port, verify}) instead of SSH.",
)
@portal_options
@journal_option
@inventory_options
@output_options
@click.pass_context
def report_command(
    ctx: click.Context,
    online: bool,
    if_due_within_days: float | None,
    rest: bool,
    portal_dir: Path | None,
    lab_ssm: bool,
) -> int:
    """Send the usage (RUM) report to Cisco SSM and install its ACK (Smart Licensing Using Policy).

    Offline: `license smart save usage`, the file goes to SSM through the portal, the ACK is imported.
    --rest: the same through the switch's REST API, no SSH session.
    """
    if rest:
        if online:
            raise click.UsageError("--rest carries the usage across the air gap: give --offline too")
        if if_due_within_days is not None:
            raise click.UsageError(
                "--if-due-within-days reads `show license status` over SSH: not with --rest"
            )
        return execute(ctx, REPORT_REST, {"portal": portal_argument(False, portal_dir, lab_ssm)})
    params = {
        "mode": "online" if online else "offline",
        "if_due_within_days": if_due_within_days,
        "portal": portal_argument(online, portal_dir, lab_ssm),
    }
    return execute(ctx, REPORT, params)


COMMANDS: list[click.Command] = [boot_level_command, hsec_group, report_command]
