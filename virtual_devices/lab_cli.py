"""``catlic-lab`` / ``python -m virtual_devices``: start, stop and steer a lab of virtual switches (click).

catlic-lab up [topology.yaml] [--state-dir DIR] [--background] [--fleet N] [--fresh]
catlic-lab status|down --state-dir DIR
catlic-lab devices|clock|faults|plug|merge|reload ... --state-dir DIR
catlic-lab ssm ...                                  (the SSM operator: see ssm_cli.py)

``catlic lab`` adds the steering commands (``CONTROL_COMMANDS``) to its own group; a front-end that knows
another default state folder sets it with :func:`set_default_state_dir`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import click

from virtual_devices.entry import run_click
from virtual_devices.entry import state_dir_option as lab_state_dir_option
from virtual_devices.lab_control import send_control
from virtual_devices.lab_process import (
    Verdict,
    check_lab_process,
    forget_process,
    record_this_process,
    still_running,
)
from virtual_devices.lab_state import (
    CONTROL_SOCKET,
    NORNIR_CONFIG,
    PID_FILE,
    READY_MARKER,
    LabStateConflict,
    TopologySource,
    check_state_folder,
    new_state_folder,
    private_file,
    wipe_lab_state,
    write_private,
)
from virtual_devices.ssm_cli import ssm_operator
from virtual_devices.topology import TopologyError, expand_fleet, load_topology

START_TIMEOUT = 120.0
STOP_TIMEOUT = 30.0
LAB_LOG = "lab.log"
EXIT_FAILED = 1
EXIT_USAGE = 2  # a bad option or topology: nothing started
EXIT_STATE_CONFLICT = 3  # nothing started: the state folder holds another topology's lab
EXIT_NOT_RUNNING = 3  # `status`: no lab runs from the folder
_DEFAULT_STATE_DIR = "virtual_devices.default_state_dir"


def default_topology() -> Path:
    return Path(str(resources.files("virtual_devices") / "topologies" / "default.yaml"))


def set_default_state_dir(ctx: click.Context, folder: Path) -> None:
    """The state folder the commands use without ``--state-dir`` (else the topology's, or ./lab-state)."""
    ctx.meta[_DEFAULT_STATE_DIR] = folder


def state_dir_of(given: Path | None, topology: dict[str, Any] | None = None) -> Path:
    if given is not None:
        return given.resolve()
    ctx = click.get_current_context(silent=True)
    default = ctx.meta.get(_DEFAULT_STATE_DIR) if ctx is not None else None
    configured = ((topology or {}).get("lab") or {}).get("state_dir")
    return Path(default or configured or "lab-state").resolve()


state_dir_option = lab_state_dir_option("The lab's state folder (default: the topology's, or ./lab-state).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def lab_cli() -> None:
    """A lab of virtual Catalyst 9000 switches."""


# --- up -------------------------------------------------------------------------------------------


@lab_cli.command("up")
@click.argument("topology_path", metavar="[TOPOLOGY]", required=False, type=click.Path(path_type=Path))
@state_dir_option
@click.option("--background", is_flag=True, help="Detach; return once every listener is up.")
@click.option("--fleet", type=int, default=None, help="Override fleet.count (generated devices for scale).")
@click.option(
    "--fresh",
    is_flag=True,
    help="Wipe the state folder's lab state (switches, keys, SSM pool) and start from the topology.",
)
def up_command(
    topology_path: Path | None, state_dir: Path | None, background: bool, fleet: int | None, fresh: bool
) -> int:
    """Start the lab (foreground unless --background) from TOPOLOGY (default: the bundled default.yaml)."""
    topology_path = topology_path or default_topology()
    topology = load_topology(topology_path)
    if fleet is not None:
        topology["fleet"] = {**(topology.get("fleet") or {}), "count": fleet}
    folder = new_state_folder(state_dir_of(state_dir, topology))
    running = check_lab_process(folder)
    if running.is_lab:
        click.echo(f"a lab is already running from {folder} (pid {running.pid})", err=True)
        return EXIT_FAILED
    source = TopologySource.of(topology, topology_path, len(expand_fleet(topology)))
    if fresh:
        wipe_lab_state(folder)
    resumed = check_state_folder(folder, source)  # here, not in the child: the caller must read why
    if background:
        return _start_background(topology_path, folder, fleet, resumed=resumed)
    return _run_foreground(topology, topology_path, folder)


def _resumption(state_dir: Path, resumed: bool) -> str:
    if resumed:
        return f"resumed the switches, keys and SSM pool saved in {state_dir} (--fresh starts over)"
    return f"new state in {state_dir}"


def _run_foreground(topology: dict[str, Any], topology_path: Path, state_dir: Path) -> int:
    from virtual_devices.lab import Lab, raise_fd_limit  # the SSH side: only the lab's own process needs it

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    os.umask(0o077)  # everything this lab process writes (device state, bootflash, SLAC files) is private
    raise_fd_limit()
    (state_dir / READY_MARKER).unlink(missing_ok=True)
    record_this_process(state_dir)
    started = time.monotonic()
    try:
        lab = Lab.from_dict(topology, state_dir, source=topology_path)
        asyncio.run(_serve(lab, started))
    finally:
        (state_dir / READY_MARKER).unlink(missing_ok=True)
        forget_process(state_dir)
    return 0


async def _serve(lab: Any, started: float) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, lambda: lab.handle_request({"op": "stop"}))
    await lab.serve()
    elapsed = time.monotonic() - started
    # `up --background` polls for the marker and reads it at once: it must appear whole (write, then rename).
    ready = {"devices": len(lab.devices), "seconds": elapsed, "resumed": lab.resumed}
    write_private(lab.state_dir / READY_MARKER, json.dumps(ready))
    click.echo(f"{len(lab.devices)} devices up in {elapsed:.2f} s on 127.0.0.1")
    resumption = _resumption(lab.state_dir, lab.resumed)
    click.echo(resumption[0].upper() + resumption[1:])
    click.echo(f"Nornir config: {lab.nornir_config}")
    await lab.wait()
    await lab.shutdown()


def _start_background(topology_path: Path, state_dir: Path, fleet: int | None, *, resumed: bool) -> int:
    command = [
        sys.executable,
        "-m",
        "virtual_devices",
        "up",
        str(topology_path),
        "--state-dir",
        str(state_dir),
    ]
    if fleet is not None:
        command += ["--fleet", str(fleet)]
    (state_dir / READY_MARKER).unlink(missing_ok=True)
    with open(private_file(state_dir / LAB_LOG), "ab") as output:
        child = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if (state_dir / READY_MARKER).exists():
            ready = json.loads((state_dir / READY_MARKER).read_text())
            click.echo(
                f"lab up: {ready['devices']} devices in {ready['seconds']:.2f} s (pid {child.pid}); "
                + _resumption(state_dir, resumed)
            )
            click.echo(f"Nornir config: {state_dir / NORNIR_CONFIG}")
            return 0
        if child.poll() is not None:
            click.echo(f"the lab exited with {child.returncode}; see {state_dir / LAB_LOG}", err=True)
            return EXIT_FAILED
        time.sleep(0.05)
    child.terminate()
    click.echo(f"the lab did not come up within {START_TIMEOUT:.0f} s; see {state_dir / LAB_LOG}", err=True)
    return EXIT_FAILED


# --- down / status --------------------------------------------------------------------------------


def _clear_leftovers(state_dir: Path) -> None:
    """The files of a lab that is gone (killed, or its PID now someone else's)."""
    forget_process(state_dir)
    try:
        send_control(state_dir, {"op": "status"}, timeout=5)
        return  # a lab without a pid file answers there (one run in-process): its files are not leftovers
    except (OSError, ValueError):
        pass
    (state_dir / READY_MARKER).unlink(missing_ok=True)
    (state_dir / CONTROL_SOCKET).unlink(missing_ok=True)


@lab_cli.command("down")
@state_dir_option
def down_command(state_dir: Path | None) -> int:
    """Stop a background lab."""
    folder = state_dir_of(state_dir)
    check = check_lab_process(folder)
    if check.verdict is Verdict.OTHER:
        assert check.running is not None
        _clear_leftovers(folder)
        click.echo(
            f"no lab running from {folder}: {PID_FILE} named pid {check.pid}, which is now another "
            f"process ({check.running.describe()}); left it alone and removed the stale {PID_FILE}"
        )
        return 0
    if not check.is_lab:
        _clear_leftovers(folder)
        click.echo(f"no lab running from {folder}")
        return 0
    lab = check.running
    assert lab is not None
    os.kill(lab.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and still_running(lab):
        time.sleep(0.05)
    if still_running(lab):
        click.echo(f"the lab (pid {lab.pid}) did not stop within {STOP_TIMEOUT:.0f} s", err=True)
        return EXIT_FAILED
    click.echo(f"lab stopped (pid {lab.pid})")
    return 0


@lab_cli.command("status")
@state_dir_option
def status_command(state_dir: Path | None) -> int:
    """Is a lab running, how many devices are available, and from which topology (exit 3: none runs)."""
    folder = state_dir_of(state_dir)
    check = check_lab_process(folder)
    if not check.is_lab or not (folder / READY_MARKER).exists():
        click.echo(f"no lab running from {folder}")
        return EXIT_NOT_RUNNING
    reply = send_control(folder, {"op": "status"})
    click.echo(
        f"lab running (pid {check.pid}): {reply.get('available')}/{reply.get('devices')} devices available"
    )
    topology = reply.get("topology")
    if isinstance(topology, dict):
        click.echo(f"topology: {TopologySource.from_dict(topology).describe()}")
    return 0


# --- steering a running lab -----------------------------------------------------------------------


def _control(state_dir: Path | None, request: dict[str, Any]) -> int:
    try:
        reply = send_control(state_dir_of(state_dir), request)
    except OSError as error:
        click.echo(f"cannot reach the lab's control socket: {error}", err=True)
        return EXIT_FAILED
    click.echo(json.dumps(reply, indent=2, default=str))
    return 0 if reply.get("ok") else EXIT_FAILED


def _fault_settings(ctx: click.Context, param: click.Parameter, texts: tuple[str, ...]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for text in texts:
        key, _, raw = text.partition("=")
        if not raw:
            raise click.BadParameter(f"expected NAME=VALUE, got {text!r}", ctx, param)
        try:
            settings[key] = json.loads(raw)
        except ValueError:
            settings[key] = raw
    return settings


@click.command("devices")
@state_dir_option
def devices_command(state_dir: Path | None) -> int:
    """List the devices with their ports and spare switches."""
    return _control(state_dir, {"op": "devices"})


@click.command("clock")
@click.option("--days", type=float, default=0, help="Days to move the lab clock on.")
@click.option("--seconds", type=float, default=0, help="Seconds to move the lab clock on.")
@state_dir_option
def clock_command(days: float, seconds: float, state_dir: Path | None) -> int:
    """Advance the lab clock."""
    return _control(state_dir, {"op": "clock", "days": days, "seconds": seconds})


@click.command("faults")
@click.argument("device")
@click.argument("settings", nargs=-1, metavar="[NAME=VALUE]...", callback=_fault_settings)
@click.option("--clear", is_flag=True, help="Clear every fault of the device.")
@state_dir_option
def faults_command(device: str, settings: dict[str, Any], clear: bool, state_dir: Path | None) -> int:
    """Set or clear a device's faults, e.g. latency=0.5 drop_after_commands=3."""
    if clear:
        return _control(state_dir, {"op": "faults", "device": device, "clear": True})
    return _control(state_dir, {"op": "faults", "device": device, "set": settings})


@click.command("plug")
@click.argument("device")
@click.argument("serial")
@state_dir_option
def plug_command(device: str, serial: str, state_dir: Path | None) -> int:
    """Power on / cable a spare switch into a stack."""
    return _control(state_dir, {"op": "plug", "device": device, "serial": serial})


@click.command("merge")
@click.argument("device")
@click.argument("into")
@state_dir_option
def merge_command(device: str, into: str, state_dir: Path | None) -> int:
    """Cable the standalone DEVICE into the stack INTO (it reloads and joins)."""
    return _control(state_dir, {"op": "merge", "device": device, "into": into})


@click.command("reload")
@click.argument("device")
@state_dir_option
def reload_command(device: str, state_dir: Path | None) -> int:
    """Power-cycle a device."""
    return _control(state_dir, {"op": "reload", "device": device})


CONTROL_COMMANDS = (
    devices_command,
    clock_command,
    faults_command,
    plug_command,
    merge_command,
    reload_command,
)
"""The commands that steer a running lab through its control socket."""

for _command in CONTROL_COMMANDS:
    lab_cli.add_command(_command)
lab_cli.add_command(ssm_operator)


def main(argv: Sequence[str] | None = None) -> int:
    """``catlic-lab`` / ``python -m virtual_devices``: exit 2 for a bad option or topology, 3 for a state
    folder holding another topology's lab (nothing started), 1 for a failure."""
    try:
        return run_click(lab_cli, argv, "catlic-lab")
    except TopologyError as error:
        click.echo(f"topology error: {error}", err=True)
        return EXIT_USAGE
    except LabStateConflict as conflict:
        click.echo(str(conflict), err=True)
        return EXIT_STATE_CONFLICT
