"""From the inventory options to a ready Nornir: files checked, hosts filtered, credentials set."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import click
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.inventory import ConnectionOptions, Host
from nornir.plugins.runners import ThreadedRunner

from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.inventory_files import SimpleInventoryFiles, check_config_file, check_simple_inventory
from nornir_catlic.transport import CONNECTION_NAME, use_recommended_options

USERNAME_ENV = "CATLIC_USERNAME"
PASSWORD_ENV = "CATLIC_PASSWORD"
SECRET_ENV = "CATLIC_SECRET"

_HOST_ATTRIBUTES = ("platform", "hostname", "port", "username")


@dataclass(frozen=True)
class InventoryChoice:
    """Where the hosts come from: a Nornir config file or a SimpleInventory folder."""

    config_file: Path | None = None
    folder: Path | None = None

    def describe(self) -> str:
        if self.config_file is not None:
            return str(self.config_file)
        return str(self.folder)


Prompt = Callable[[str], str]


def load_nornir(
    choice: InventoryChoice,
    *,
    filters: Sequence[str] = (),
    workers: int | None = None,
    dry_run: bool = False,
    prompt: Prompt | None = None,
) -> Nornir:
    """Initialise Nornir from ``choice``, keep the hosts ``filters`` select, and give each host credentials
    and the recommended netmiko options (:func:`~nornir_catlic.transport.use_recommended_options`).

    Raises:
        CliError: a file is missing or malformed (naming file and line), a filter selects nothing, or a
            credential is missing with no terminal to ask on.
    """
    (nornir,) = load_selections(choice, filters, workers=workers, dry_run=dry_run, prompt=prompt)
    return nornir


def load_selections(
    choice: InventoryChoice,
    *selections: Sequence[str],
    workers: int | None = None,
    dry_run: bool = False,
    prompt: Prompt | None = None,
) -> list[Nornir]:
    """Like :func:`load_nornir`, one Nornir per filter list in ``selections``, all from one reading of the
    inventory: their hosts are the same objects, and each missing credential is asked once for all of them.

    Selections are checked in order: the first that selects nothing raises.
    """
    nornir = _init(choice, dry_run=dry_run)
    if workers is not None:
        nornir = nornir.with_runner(ThreadedRunner(num_workers=workers))
    chosen = [select_hosts(nornir, filters, source=choice.describe()) for filters in selections]
    # The library's recommended netmiko options (fast key exchange, short pauses); the inventory's own win.
    use_recommended_options(nornir)
    in_any = {name for selection in chosen for name in selection.inventory.hosts}
    fill_credentials(nornir.filter(filter_func=lambda host: host.name in in_any), prompt=prompt)
    return chosen


def _init(choice: InventoryChoice, *, dry_run: bool) -> Nornir:
    if choice.config_file is not None:
        files = check_config_file(choice.config_file)
        if files is not None:
            check_simple_inventory(files)
        return _guarded(
            choice.config_file, lambda: InitNornir(config_file=str(choice.config_file), dry_run=dry_run)
        )
    if choice.folder is None:
        raise CliError(
            "no inventory: give -c CONFIG_FILE or -i INVENTORY_FOLDER, or start the lab (catlic lab up)"
        )
    if not choice.folder.is_dir():
        raise CliError(f"{choice.folder}: no such inventory folder")
    files = SimpleInventoryFiles.in_folder(choice.folder)
    check_simple_inventory(files)
    return _guarded(
        choice.folder,
        lambda: InitNornir(
            dry_run=dry_run,
            inventory={
                "plugin": "SimpleInventory",
                "options": {
                    "host_file": str(files.hosts),
                    "group_file": str(files.groups),
                    "defaults_file": str(files.defaults),
                },
            },
            # Nornir would otherwise write ./nornir.log, tracebacks included, wherever catlic runs.
            logging={"enabled": False},
        ),
    )


def _guarded(source: Path, init: Callable[[], Nornir]) -> Nornir:
    try:
        return init()
    except CliError:
        raise
    except Exception as error:  # Nornir's plugins raise anything; the user needs the file and the reason.
        reason = " ".join(str(error).split()) or type(error).__name__
        raise CliError(f"{source}: Nornir cannot load this inventory: {reason}") from None


def select_hosts(nornir: Nornir, filters: Sequence[str], *, source: str) -> Nornir:
    """Keep the hosts the ``--filter`` terms select.

    A plain word names a host or a group; ``key=value`` matches a host attribute (``platform``, ``hostname``,
    ``port``, ``username``) or a data key, inherited values included; ``group=NAME`` matches a group the host
    belongs to, directly or through another group. Names and values may be shell-style globs (``c9300-*``,
    ``group=site-*``, ``platform=cisco_*``; ``*``, ``?``, ``[...]``, case-sensitive). Names are alternatives
    (union); ``key=value`` terms all must hold (intersection). A term that matches nothing is an error, never
    an empty run.
    """
    names = [term for term in filters if "=" not in term]
    conditions = [
        (key.strip(), value.strip()) for key, value in (t.split("=", 1) for t in filters if "=" in t)
    ]
    inventory = nornir.inventory
    for name in names:
        if not any(fnmatchcase(known, name) for known in (*inventory.hosts, *inventory.groups)):
            raise CliError(f"--filter {name!r}: no host or group of that name in {source}{_known(nornir)}")

    def selected(host: Host) -> bool:
        groups = _group_names(host)
        by_name = not names or any(
            fnmatchcase(host.name, name) or any(fnmatchcase(group, name) for group in groups)
            for name in names
        )
        return by_name and all(_matches(host, groups, key, value) for key, value in conditions)

    chosen = nornir.filter(filter_func=selected)
    if not chosen.inventory.hosts:
        terms = " ".join(f"--filter {term!r}" for term in filters) or "the inventory"
        raise CliError(f"{terms}: selects no host in {source}")
    return chosen


GROUP_KEY = "group"
"""``--filter group=PATTERN``: a group the host belongs to (not a data key of that name)."""


def _group_names(host: Host) -> set[str]:
    """Every group ``host`` belongs to, through parent groups too."""
    names: set[str] = set()
    pending = list(host.groups)
    while pending:
        group = pending.pop()
        if group.name not in names:
            names.add(group.name)
            pending.extend(group.groups)
    return names


def _matches(host: Host, groups: set[str], key: str, expected: str) -> bool:
    if key == GROUP_KEY:
        return any(fnmatchcase(group, expected) for group in groups)
    value: Any = getattr(host, key) if key in _HOST_ATTRIBUTES else host.get(key)
    return value is not None and fnmatchcase(str(value), expected)


def _known(nornir: Nornir) -> str:
    hosts = sorted(nornir.inventory.hosts)
    shown = ", ".join(hosts[:8]) + (", ..." if len(hosts) > 8 else "")
    return f" (hosts: {shown})" if hosts else ""


def fill_credentials(nornir: Nornir, *, prompt: Prompt | None = None) -> None:
    """Give every host a username, password and enable secret: the inventory's, else the environment's.

    Else the value is asked on the terminal.

    Each missing value is asked once for all hosts that lack it, never echoed. Without a terminal (and no
    ``prompt``), a missing username or password is an error; a missing secret stays unset (the device may
    log in at privilege 15).
    """
    ask = prompt if prompt is not None else (_terminal_prompt if sys.stdin.isatty() else None)
    hosts = list(nornir.inventory.hosts.values())

    lacking_user = [h for h in hosts if not h.get_connection_parameters(CONNECTION_NAME).username]
    if lacking_user:
        username = _credential("username", USERNAME_ENV, lacking_user, ask, required=True)
        for host in lacking_user:
            host.username = username

    lacking_password = [h for h in hosts if not h.get_connection_parameters(CONNECTION_NAME).password]
    if lacking_password:
        password = _credential("password", PASSWORD_ENV, lacking_password, ask, required=True)
        for host in lacking_password:
            host.password = password

    lacking_secret = [
        h for h in hosts if "secret" not in (h.get_connection_parameters(CONNECTION_NAME).extras or {})
    ]
    if lacking_secret:
        secret = _credential("enable secret", SECRET_ENV, lacking_secret, ask, required=False)
        if secret:
            for host in lacking_secret:
                _set_secret(host, secret)


def _credential(label: str, env: str, hosts: list[Host], ask: Prompt | None, *, required: bool) -> str:
    from_env = os.environ.get(env)
    if from_env:
        return from_env
    if ask is not None:
        return ask(f"{label.capitalize()} for {_host_list(hosts)}")
    if required:
        raise CliError(
            f"no {label} for {_host_list(hosts)}: put it in the inventory, set {env}, "
            "or run on a terminal to be asked"
        )
    return ""


def _set_secret(host: Host, secret: str) -> None:
    own = host.connection_options.get(CONNECTION_NAME)
    inherited_extras = host.get_connection_parameters(CONNECTION_NAME).extras or {}
    extras = {**inherited_extras, "secret": secret}
    if own is None:
        host.connection_options[CONNECTION_NAME] = ConnectionOptions(extras=extras)
    else:
        own.extras = extras


def _host_list(hosts: list[Host]) -> str:
    names = [host.name for host in hosts]
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _terminal_prompt(text: str) -> str:
    value: str = click.prompt(text, hide_input=True, err=True, default="", show_default=False)
    return value
