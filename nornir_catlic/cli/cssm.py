"""``--cssm``: Cisco's licensing API plays the operator of an air-gapped run; ``catlic cssm budget``.

Where the API settings come from (the first that applies):

1. ``--cssm-config FILE`` (YAML: client_id, client_secret, smart_account, virtual_account, and optionally
   base_url, path_prefix, token_url, ca_bundle, proxy, batch_size...);
2. with no ``CATLIC_CSSM_CLIENT_ID`` in the environment, the running lab's ``cssm.yaml`` (``catlic lab up``
   writes it into the lab's state folder);
3. the ``CATLIC_CSSM_*`` environment variables alone.

``CATLIC_CSSM_*`` variables override a file's key of the same name (``CATLIC_CSSM_CLIENT_SECRET``).

A run goes in three moves, as with an operator but in one command: the switches save their files and the
library carries them into a file-drop portal beside the journal (``catlic-files/cssm``); the relay sends
every waiting file to Cisco's API in batches, journaling each poll handle before polling it; the switches
that got their answer import it. A dry run makes the first move's plan only: no HTTP write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from nornir_catlic.cli.errors import CliError, ExitCode
from nornir_catlic.cli.lab import lab_state_dir
from nornir_catlic.cli.options import JournalLocation, json_requested
from nornir_catlic.cli.outcome import HostOutcome, WorkflowRun
from nornir_catlic.cli.output import print_json, stdout_console
from nornir_catlic.cli.tables import print_view, titled_table
from nornir_catlic.cssm.config import ENV_PREFIX
from nornir_catlic.journal import Journal
from nornir_catlic.portal import FileDropPortal
from nornir_catlic.workplace import catlic_home

F = TypeVar("F", bound=Callable[..., Any])

LAB_SETTINGS = "cssm.yaml"
RELAY_FOLDER = "cssm"
_META = "catlic.cssm"

SETTINGS_HELP = (
    "Cisco API settings (YAML). Default: the running lab's cssm.yaml when no CATLIC_CSSM_CLIENT_ID is set, "
    "else the CATLIC_CSSM_* variables alone; CATLIC_CSSM_* always override the file's keys."
)


def cssm_options(function: F) -> F:
    """``--cssm`` and ``--cssm-config FILE``, kept aside for :func:`cssm_exchange` (no new parameters)."""

    def keep(name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
        def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
            ctx.meta.setdefault(_META, {})[name] = value
            return value

        return callback

    function = click.option(
        "--cssm-config",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        expose_value=False,
        callback=keep("config"),
        help=SETTINGS_HELP,
    )(function)
    return click.option(
        "--cssm",
        is_flag=True,
        expose_value=False,
        callback=keep("enabled"),
        help="Offline: Cisco's licensing API answers at once (no operator): files go in batches, each poll "
        "is journaled and resumed if the run is killed.",
    )(function)


def cssm_requested() -> bool:
    ctx = click.get_current_context(silent=True)
    chosen = ctx.meta.get(_META, {}) if ctx is not None else {}
    return bool(chosen.get("enabled") or chosen.get("config"))


def settings_file(given: Path | None, environ: dict[str, str] | None = None) -> Path | None:
    """The settings file by the rule of this module's documentation; ``None``: the environment alone."""
    environ = dict(os.environ) if environ is None else environ
    if given is not None:
        return given
    if f"{ENV_PREFIX}CLIENT_ID" not in environ:
        lab = lab_state_dir() / LAB_SETTINGS
        if lab.is_file():
            return lab
    return None


def open_portal(config: Path | None) -> Any:
    """A :class:`~nornir_catlic.cssm.CssmPortal` on the chosen settings; bad settings exit 3, named."""
    from nornir_catlic.cssm import CssmClient, CssmConfigError, CssmPortal, load_settings

    path = settings_file(config)
    try:
        settings = load_settings(path)
    except CssmConfigError as error:
        where = path or f"the {ENV_PREFIX}* variables"
        raise CliError(f"--cssm: {error} (settings from {where}; see --help)") from None
    try:
        return CssmPortal(CssmClient(settings))
    except CssmConfigError as error:
        raise CliError(f"--cssm: {error}") from None


@dataclass
class CssmExchange:
    """The ``portal`` of an offline command with ``--cssm``: the file drop its workflow sees, and the API."""

    portal: Any  # CssmPortal
    drop: FileDropPortal
    started: dt.datetime = dataclasses.field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    def free_licenses(self, entitlement: str, /) -> int | None:
        """The key budget, from Cisco's licence summary (a read)."""
        free: int | None = self.portal.free_licenses(entitlement)
        return free

    def complete(
        self, run: WorkflowRun, journal: Journal, rerun: Callable[[list[str]], WorkflowRun]
    ) -> WorkflowRun:
        """Relay the run's waiting files through Cisco's API, then run the answered hosts again to import.

        Hosts Cisco failed are reported failed with Cisco's words; hosts whose poll passed its deadline
        keep waiting (the journaled poll resumes on the next run).
        """
        from nornir_catlic.cssm.relay import CssmRelay

        waiting = set(run.waiting_hosts)
        if not waiting:
            return run
        outcome = CssmRelay(self.portal, self.drop, journal).relay(waiting)
        for host, why in outcome.failed.items():
            if host in waiting:
                run.outcomes[host] = HostOutcome(host=host, ok=False, changed=False, error=why)
        for host, why in outcome.waiting.items():
            if host in waiting:
                run.outcomes[host] = HostOutcome(host=host, ok=True, changed=False, error=why, waiting=True)
        ready = [host for host in run.waiting_hosts if host not in outcome.waiting]
        earlier = {s.host for s in outcome.answered if s.submitted_at < self.started}  # a killed run's
        if ready:
            for host, again in rerun(ready).outcomes.items():
                run.outcomes[host] = _one_run(run.outcomes[host], again, resumed=host in earlier)
        return run

    def predict(self, run: WorkflowRun, journal: Journal | None) -> WorkflowRun:
        """A dry run's hosts that wait on a poll an earlier run left open: the real run polls it and goes
        on with the answer, so they are predicted so, not waiting. The dry run itself does not poll: a
        poll changes nothing at Cisco, but an answer it brought would have to be kept, and a dry run
        writes nothing."""
        from nornir_catlic.store.polls import PollHandles

        waiting = set(run.waiting_hosts)
        if not waiting or journal is None:
            return run
        for handle in PollHandles(journal.store).open():
            if handle.host in waiting:
                note = (
                    f"! would poll Cisco's open answer {handle.poll_id} (submitted "
                    f"{handle.submitted_at:%Y-%m-%d %H:%M} UTC) and import what it brings"
                )
                before = run.outcomes[handle.host]
                run.outcomes[handle.host] = dataclasses.replace(
                    before, ok=True, changed=True, waiting=False, error=None, device_error=None, diff=note
                )
                waiting.discard(handle.host)
        return run


def _one_run(first: HostOutcome, again: HostOutcome, *, resumed: bool) -> HostOutcome:
    """A host's two passes, shown as the one command they are: every command typed in either pass (as its
    dry run lists them), changed when either changed; resumed when the exchange was an earlier run's (the
    second pass always resumes this command's own)."""
    changed = first.changed or again.changed
    result = again.result
    if isinstance(getattr(result, "commands", None), list) and hasattr(result, "model_copy"):
        update: dict[str, Any] = {"commands": [*first.typed, *result.commands]}
        if isinstance(getattr(result, "resumed", None), bool):
            update["resumed"] = resumed
        result = result.model_copy(update=update)
    diff = "\n".join(part for part in (*first.typed, again.diff or "") if part) or None
    return dataclasses.replace(again, result=result, changed=changed, diff=diff)


def cssm_exchange(journal_path: JournalLocation) -> CssmExchange:
    """The exchange of ``--cssm``: the API, and the file drop beside the journal that its files go through."""
    from nornir_catlic.errors import PortalError
    from nornir_catlic.tasks.exchange import STAGING_FOLDER
    from nornir_catlic.workplace import private_folder

    ctx = click.get_current_context()
    portal = open_portal(ctx.meta.get(_META, {}).get("config"))
    try:
        beside = (
            journal_path.resolve().parent if isinstance(journal_path, Path) else catlic_home()
        )  # a server's
        drop = FileDropPortal(private_folder(beside / STAGING_FOLDER / RELAY_FOLDER))
        drop.check_writable()
        drop.returns_confirmed_without_file = True
    except (OSError, PortalError) as error:
        raise CliError(f"--cssm: {error}") from None
    return CssmExchange(portal, drop)


# ----------------------------------------------------------------------------------------------------
# catlic cssm budget


@click.group("cssm")
def cssm_group() -> None:
    """Cisco's licensing API (Smart Software Manager): what the virtual account holds."""


@cssm_group.command("budget")
@click.option(
    "--cssm-config",
    "config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help=SETTINGS_HELP,
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (schema catlic/cssm-budget/v1) on stdout.")
def budget_command(config: Path | None, as_json: bool) -> int:
    """Keys entitled, in use and free per entitlement in the virtual account (a read: nothing is spent).

    `slac install --offline --cssm` checks its key budget against the free HSECK9 keys shown here.
    """
    from nornir_catlic.cssm import CssmError

    as_json = json_requested(as_json)
    portal = open_portal(config)
    settings = portal.client.settings
    try:
        with portal.client:
            entries = portal.client.license_summary()
    except CssmError as error:
        raise CliError(f"Cisco's API at {settings.base_url}: {error}", ExitCode.FAILED) from None
    rows = [
        {
            "tag": entry.tag,
            "name": entry.display_name,
            "entitled": entry.prepaid_entitled if entry.prepaid_entitled is not None else entry.entitled,
            "in_use": entry.prepaid_inuse if entry.prepaid_inuse is not None else entry.inuse,
            "free": entry.free,
        }
        for entry in entries
    ]
    out = stdout_console()
    account = {"smart_account": settings.smart_account, "virtual_account": settings.virtual_account}
    if as_json:
        print_json(out, {"schema": "catlic/cssm-budget/v1", **account, "entitlements": rows})
        return int(ExitCode.OK)
    table = titled_table(
        f"Keys in {settings.smart_account}/{settings.virtual_account}",
        ("Entitlement", "Entitled", "In use", "Free"),
    )
    for row in rows:
        style = "red" if row["free"] == 0 else "green"
        table.add_row(
            str(row["name"] or row["tag"]),
            str(row["entitled"]),
            str(row["in_use"]),
            f"[{style}]{row['free']}[/{style}]",
        )
    print_view(out, table)
    return int(ExitCode.OK)
