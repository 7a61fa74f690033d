"""``catlic lab``: start, stop and inspect the bundled virtual switches; find the running lab's inventory.
Steering a running lab (``devices``, ``clock``, ``faults``, ``plug``, ``merge``, ``reload``) are the lab's
own commands (:mod:`virtual_devices.lab_cli`).

The lab runs in its own background process, started through the lab's own entry point
(``python -m virtual_devices up --background``), so that ``catlic`` returns and later commands reach it
over SSH like any switch. Its state folder is ``--state-dir``, else ``$CATLIC_LAB_STATE``, else
``./lab-state``; every workflow command without ``-c``/``-i`` uses the Nornir config file found there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from nornir_catlic.cli.errors import CliError, ExitCode
from nornir_catlic.cli.options import json_requested
from nornir_catlic.cli.output import print_json, stdout_console
from nornir_catlic.errors import CatlicError
from virtual_devices.lab_cli import CONTROL_COMMANDS, set_default_state_dir

STATE_DIR_ENV = "CATLIC_LAB_STATE"
DEFAULT_STATE_DIR = Path("lab-state")
LAB_START_TIMEOUT = 180.0
LAB_LOG = "lab.log"  # where `up --background` sends the lab process's output
EXIT_STATE_CONFLICT = 3  # the lab's entry point: the state folder holds another topology's lab


def lab_state_dir(given: Path | None = None) -> Path:
    return given if given is not None else Path(os.environ.get(STATE_DIR_ENV) or DEFAULT_STATE_DIR)


def running_lab_config() -> Path:
    """The Nornir config file of the running lab; raises :class:`CliError` when no lab runs."""
    from virtual_devices.lab import NORNIR_CONFIG

    state_dir = lab_state_dir()
    if lab_devices(state_dir) is None:
        raise CliError(
            f"no inventory given and no lab running in {state_dir}: start one with `catlic lab up`, "
            "or give -c CONFIG_FILE / -i INVENTORY_FOLDER"
        )
    return state_dir / NORNIR_CONFIG


def lab_devices(state_dir: Path) -> list[dict[str, Any]] | None:
    """The running lab's devices (name, hostname, port, platform, available); ``None`` if no lab answers."""
    from virtual_devices.lab import CONTROL_SOCKET, READY_MARKER, send_control

    if not (state_dir / READY_MARKER).is_file() or not (state_dir / CONTROL_SOCKET).exists():
        return None
    try:
        reply = send_control(state_dir, {"op": "devices"}, timeout=10)
    except (OSError, ValueError):
        return None
    devices = reply.get("devices") if reply.get("ok") else None
    return list(devices) if isinstance(devices, list) else None


def _lab_entry_point(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-m", "virtual_devices", *args],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise CliError(f"the lab did not answer within {timeout:.0f} s", ExitCode.FAILED) from None


def _lab_failure(done: subprocess.CompletedProcess[str]) -> str:
    words = " ".join((done.stderr.strip() or done.stdout.strip()).splitlines()[-3:])
    return words or f"exit status {done.returncode}"


def lab_status_reply(state_dir: Path) -> dict[str, Any] | None:
    """The running lab's own status (devices, available, topology, pid); ``None`` if no lab answers."""
    from virtual_devices.lab import CONTROL_SOCKET, READY_MARKER, send_control

    if not (state_dir / READY_MARKER).is_file() or not (state_dir / CONTROL_SOCKET).exists():
        return None
    try:
        reply = send_control(state_dir, {"op": "status"}, timeout=10)
    except (OSError, ValueError):
        return None
    return reply if reply.get("ok") else None


def start_lab(
    folder: Path, *, topology: Path | None = None, fleet: int | None = None, fresh: bool = False
) -> tuple[list[dict[str, Any]], str]:
    """Start a lab in the background from ``folder``; its devices, and the lab's own line about the start.

    A folder holding another topology's lab is refused (exit 3) unless ``fresh`` wipes it first.
    """
    if lab_devices(folder) is not None:
        raise CliError(
            f"a lab is already running from {folder}: `catlic lab down` first, or choose --state-dir"
        )
    args = ["up", "--background", "--state-dir", str(folder)]
    if topology is not None:
        args.insert(1, str(topology.resolve()))
    if fleet is not None:
        args += ["--fleet", str(fleet)]
    if fresh:
        args.append("--fresh")
    done = _lab_entry_point(*args, timeout=LAB_START_TIMEOUT)
    if done.returncode == EXIT_STATE_CONFLICT:
        raise CliError(" ".join(done.stderr.split()) or _lab_failure(done), ExitCode.CANNOT_RUN)
    if done.returncode != 0:
        raise CliError(
            f"the lab did not start: {_lab_failure(done)}{_last_log_line(folder)}", ExitCode.FAILED
        )
    devices = lab_devices(folder)
    if devices is None:
        raise CliError(f"the lab started but its control socket in {folder} does not answer", ExitCode.FAILED)
    return devices, done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""


def _last_log_line(folder: Path) -> str:
    """The background lab's last words (a topology error...), which its starter only points at."""
    try:
        lines = [line.strip() for line in (folder / LAB_LOG).read_text(errors="replace").splitlines()]
    except OSError:
        return ""
    last = next((line for line in reversed(lines) if line), "")
    return f": {last}" if last else ""


def stop_lab(folder: Path) -> str:
    """Stop the lab running from ``folder`` (nothing to do when none runs); the lab's own words."""
    done = _lab_entry_point("down", "--state-dir", str(folder), timeout=60)
    if done.returncode != 0:
        raise CliError(f"the lab did not stop: {_lab_failure(done)}", ExitCode.FAILED)
    return done.stdout.strip() or f"lab in {folder} stopped"


def lab_join(
    stack: str, serial: str, *, standalone: str | None = None, state_dir: Path | None = None
) -> Callable[[], None]:
    """A ``join`` for the stack-add task: the running lab powers on the spare ``serial`` of ``stack``, or
    cables the ``standalone`` device into it (the lab of ``state_dir``, default the one others use)."""
    from virtual_devices.lab import send_control

    state_dir = lab_state_dir(state_dir)
    if standalone is not None:
        request = {"op": "merge", "device": standalone, "into": stack}
    else:
        request = {"op": "plug", "device": stack, "serial": serial}

    def join() -> None:
        reply = send_control(state_dir, request)
        if not reply.get("ok") or reply.get("joined") is False:
            reason = reply.get("error") or reply.get("message") or "refused"
            raise CatlicError(f"the lab could not join {serial} to {stack}: {reason}")

    return join


_STATE_DIR_OPTION = click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"The lab's state folder (default: ${STATE_DIR_ENV}, else ./lab-state).",
)


@click.group("lab")
@click.pass_context
def lab_group(ctx: click.Context) -> None:
    """The bundled virtual Catalyst 9000 switches: start, stop, status, and steer them while they run."""
    set_default_state_dir(ctx, lab_state_dir())


for _command in CONTROL_COMMANDS:  # the lab's own: devices, clock, faults, plug, merge, reload
    lab_group.add_command(_command)


@lab_group.command("up")
@click.option(
    "--topology",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Topology YAML (default: the bundled one, mirroring the guide's examples).",
)
@_STATE_DIR_OPTION
@click.option(
    "--fleet",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Add N generated switches for scale.",
)
@click.option(
    "--fresh",
    is_flag=True,
    help="Wipe the state folder's lab (switches, installed keys, SSM pool) and start from the topology.",
)
def lab_up(topology: Path | None, state_dir: Path | None, fleet: int | None, fresh: bool) -> int:
    """Start the lab in the background, wait until every switch listens, show the devices and inventory.

    A state folder keeps the switches, keys and SSM pool of its last run and resumes them for the same
    topology; a folder built from another topology is refused (exit 3) unless --fresh wipes it.
    """
    folder = lab_state_dir(state_dir).resolve()
    devices, started = start_lab(folder, topology=topology, fleet=fleet, fresh=fresh)
    status = lab_status_reply(folder)
    _print_lab(folder, devices, started=started, topology=_topology_of(status), cssm=_cssm_of(status))
    return int(ExitCode.OK)


@lab_group.command("down")
@_STATE_DIR_OPTION
def lab_down(state_dir: Path | None) -> int:
    """Stop the lab running from the state folder (nothing to do when none runs).

    Only the lab that folder started is signalled: a pid file naming another process (the PID reused after
    the lab died) is left alone and removed.
    """
    click.echo(stop_lab(lab_state_dir(state_dir).resolve()))
    return int(ExitCode.OK)


@lab_group.command("status")
@_STATE_DIR_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON (schema catlic/lab-status/v1) on stdout.")
def lab_status(state_dir: Path | None, as_json: bool) -> int:
    """Whether a lab runs, its devices and ports, and where its Nornir inventory is. Exit 3 when none runs."""
    as_json = json_requested(as_json)
    from virtual_devices.lab import INVENTORY_DIR, NORNIR_CONFIG

    folder = lab_state_dir(state_dir).resolve()
    devices = lab_devices(folder)
    status = lab_status_reply(folder) if devices is not None else None
    topology = _topology_of(status)
    if as_json:
        print_json(
            stdout_console(),
            {
                "schema": "catlic/lab-status/v1",
                "running": devices is not None,
                "state_dir": str(folder),
                "nornir_config": str(folder / NORNIR_CONFIG) if devices is not None else None,
                "inventory": str(folder / INVENTORY_DIR) if devices is not None else None,
                "topology": topology,
                "cssm": _cssm_of(status),
                "devices": devices or [],
            },
        )
    elif devices is not None:
        _print_lab(folder, devices, started="", topology=topology, cssm=_cssm_of(status))
    if devices is None:
        if not as_json:
            click.echo(f"no lab running from {folder}", err=True)
        return int(ExitCode.CANNOT_RUN)
    return int(ExitCode.OK)


def _topology_of(status: dict[str, Any] | None) -> dict[str, Any] | None:
    """The topology a running lab was built from: ``{"path", "sha256", "devices"}`` (path None: in code)."""
    topology = (status or {}).get("topology")
    return dict(topology) if isinstance(topology, dict) else None


def _cssm_of(status: dict[str, Any] | None) -> dict[str, str] | None:
    """The lab's Cisco API: ``{"url", "settings"}`` (the settings file `--cssm` reads by default)."""
    cssm = (status or {}).get("cssm")
    return {str(k): str(v) for k, v in cssm.items()} if isinstance(cssm, dict) else None


def _print_lab(
    folder: Path,
    devices: list[dict[str, Any]],
    *,
    started: str,
    topology: dict[str, Any] | None,
    cssm: dict[str, str] | None = None,
) -> None:
    from virtual_devices.lab import INVENTORY_DIR, NORNIR_CONFIG
    from virtual_devices.server import LISTEN_HOST

    out = stdout_console()
    table = Table("Device", "Platform", "Address", "State", title="Virtual switches", title_justify="left")
    shown = devices if len(devices) <= 40 else devices[:30]
    for device in shown:
        state = "[green]up[/green]" if device.get("available") else "[yellow]reloading[/yellow]"
        table.add_row(
            str(device.get("name")),
            str(device.get("platform") or ""),
            f"{LISTEN_HOST}:{device.get('port')}"
            + (f" (REST https :{device['rest_port']})" if device.get("rest_port") else ""),
            state,
        )
    if len(shown) < len(devices):
        table.add_row(f"... and {len(devices) - len(shown)} more", "", "", "")
    out.print(table)
    if started:
        out.print(started, soft_wrap=True)
    if topology is not None:
        count = int(topology.get("devices") or 0)
        where = topology.get("path") or "a topology given in code"
        out.print(f"Topology:      {where} ({count} device{'' if count == 1 else 's'})", soft_wrap=True)
    out.print(f"Nornir config: {folder / NORNIR_CONFIG}")
    out.print(f"Inventory:     {folder / INVENTORY_DIR}")
    if cssm is not None:
        out.print(f"Cisco API:     {cssm['url']} (the lab's SSM, as Cisco's licensing API)", soft_wrap=True)
        out.print(
            f"API settings:  {cssm['settings']} (client id and secret, 0600; `--cssm` reads it)",
            soft_wrap=True,
        )
    if folder != lab_state_dir().resolve():
        out.print(
            f"Other catlic commands find this lab with: export {STATE_DIR_ENV}={folder}", soft_wrap=True
        )
