"""Subcommands around the HSECK9 SLACs: ``slac install``, ``slac return``, ``stack add``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from nornir.core import Nornir

from nornir_catlic.cli.arguments import FiniteFloatRange
from nornir_catlic.cli.budget import apply_key_budget, budget_options, budget_source
from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.lab import lab_join
from nornir_catlic.cli.options import (
    COMMAND_EPILOG,
    JournalLocation,
    Settings,
    inventory_options,
    journal_option,
    output_options,
    settings_of,
)
from nornir_catlic.cli.output import stderr_console
from nornir_catlic.cli.portal_options import portal_argument, portal_options
from nornir_catlic.cli.views import (
    slac_install_view,
    slac_return_view,
    stack_add_view,
)
from nornir_catlic.cli.workflow import execute, nornir_for, selections_for
from nornir_catlic.cli.workflows import Workflow, register, with_journal

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


@slac_group.command("install", epilog=COMMAND_EPILOG)
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
    type=FiniteFloatRange(min=1),
    default=120.0,
    show_default=True,
    help="Online: seconds to wait for the install.",
)
@portal_options
@budget_options
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
    free_keys: int | None,
    allow_partial: bool,
) -> int:
    """Bring a SLAC onto every wanted UDI: request, (offline: carry the files), install, verify each code.

    Idempotent: UDIs that hold a SLAC are left alone. Every step is journaled (--journal) and an interrupted
    run resumes without asking SSM twice. Offline without --lab-ssm, the request waits in the portal's
    outbox for the operator; run the command again once SSM's SLAC files are in the inbox.

    Key budget first: before any request, the keys the plan needs are counted (reads only) and compared with
    the keys the virtual account holds free (SSM's answer, or --free-keys); over budget nothing is requested
    (exit 3) unless --allow-partial. With no SSM to ask, the budget is unknown and the install goes on.
    """
    mode = "online" if online else "offline"
    params = {
        "mode": mode,
        "scope": scope,
        "action": action,
        "wait": wait,
        "portal": portal_argument(online, portal_dir, lab_ssm),
    }
    settings = settings_of(ctx)
    nornir, skipped = _within_budget(
        settings,
        SLAC_INSTALL,
        nornir_for(settings),
        params,
        free_keys=free_keys,
        allow_partial=allow_partial,
        progress=settings.progress,
        mode=mode,
        scope=scope,
        action=action,
    )
    return execute(ctx, SLAC_INSTALL, params, nornir=nornir, skipped=skipped)


@slac_group.command("return", epilog=COMMAND_EPILOG)
@click.option(
    "--online/--offline", default=True, help="The switch sends the code itself, or files cross an air gap."
)
@_SCOPE
@click.option(
    "--force-release",
    is_flag=True,
    help="If the key is IN USE with its feature removed, release it forcibly first.",
)
@portal_options
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
        "portal": portal_argument(online, portal_dir, lab_ssm),
    }
    return execute(ctx, SLAC_RETURN, params)


STACK_ADD = register(
    Workflow(
        "stack-add",
        "nornir_catlic.tasks.stack:catlic_add_stack_member",
        "Add a member to a C9300X stack.",
        view=stack_add_view,
        journal="write",
    )
)


@click.group("stack")
def stack_group() -> None:
    """C9300X stacks using HSECK9 keys."""


@stack_group.command("add", epilog=COMMAND_EPILOG)
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
    type=FiniteFloatRange(min=1),
    default=300.0,
    show_default=True,
    help="Seconds to wait for the switch to join (you cable and power it meanwhile).",
)
@click.option("--online/--offline", default=True, help="How the replace-all SLAC request reaches SSM.")
@portal_options
@budget_options
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
    free_keys: int | None,
    allow_partial: bool,
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
        "portal": portal_argument(online, portal_dir, lab_ssm),
    }
    stack: Nornir | None = None  # execute loads it, unless the standalone needs it loaded here
    if standalone is not None:
        # The task checks the standalone before the join: hand it the host, which the stack filter leaves out.
        # One inventory reading for both, so each missing credential is asked once.
        alone, stack = selections_for(settings, [standalone], settings.filters)
        if standalone not in alone.inventory.hosts:
            raise CliError(f"--standalone {standalone!r}: a group was given, not a host")
        params["standalone"] = alone.inventory.hosts[standalone]
    if join_in_lab:
        if len(stacks) != 1:
            raise click.UsageError("--lab-join works on one stack: select it with --filter STACK")
        params["join"] = lab_join(stacks[0], member_serial, standalone=standalone)
    skipped: dict[str, str] = {}
    if stack is None:
        stack = nornir_for(settings)
    if method == "replace-all" and len(stack.inventory.hosts) == 1:  # standalone-first brings its own key
        stack, skipped = _within_budget(
            settings,
            STACK_ADD,
            stack,
            params,
            free_keys=free_keys,
            allow_partial=allow_partial,
            progress=False,
            mode=params["mode"],
            member_serial=member_serial,
            member_pid=member_pid,
        )
    return execute(ctx, STACK_ADD, params, single_host=True, nornir=stack, skipped=skipped)


def _within_budget(
    settings: Settings,
    workflow: Workflow,
    nornir: Nornir,
    params: dict[str, Any],
    *,
    free_keys: int | None,
    allow_partial: bool,
    progress: bool,
    **plan: Any,
) -> tuple[Nornir, dict[str, str]]:
    """The hosts whose plans (``plan``: the task's arguments) fit the virtual account's free keys, and the
    hosts left out with why (:func:`apply_key_budget`)."""
    errors = stderr_console()
    return apply_key_budget(
        nornir,
        source=budget_source(settings, params["portal"]),
        free_keys=free_keys,
        allow_partial=allow_partial,
        errors=errors,
        show_progress=progress and errors.is_terminal,
        **plan,
        **_resumable(workflow, params, settings.journal_path()),
    )


def _resumable(workflow: Workflow, params: dict[str, Any], journal_path: JournalLocation) -> dict[str, Any]:
    """The portal and journal the key count looks in for a request SSM already answers (it takes no key)."""
    portal = params["portal"]
    drop = getattr(portal, "drop", portal)  # --cssm: its requests wait in its file drop
    return {"portal": drop, "journal": with_journal(workflow, {}, journal_path)["journal"]}


COMMANDS: list[click.Command] = [slac_group, stack_group]
