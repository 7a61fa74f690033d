"""``python -m virtual_devices`` / ``catlic-lab``: start, stop and steer a lab of virtual switches.

catlic-lab up [topology.yaml] [--state-dir DIR] [--background] [--fresh]
catlic-lab status --state-dir DIR
catlic-lab down --state-dir DIR
catlic-lab devices|clock|faults|plug|merge|reload ... --state-dir DIR
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

from virtual_devices.lab import (
    CONTROL_SOCKET,
    NORNIR_CONFIG,
    PID_FILE,
    READY_MARKER,
    Lab,
    TopologyError,
    expand_fleet,
    load_topology,
    raise_fd_limit,
    send_control,
)
from virtual_devices.lab_process import (
    Verdict,
    check_lab_process,
    forget_process,
    record_this_process,
    still_running,
)
from virtual_devices.lab_state import (
    LabStateConflict,
    TopologySource,
    check_state_folder,
    new_state_folder,
    private_file,
    wipe_lab_state,
    write_private,
)

START_TIMEOUT = 120.0
STOP_TIMEOUT = 30.0
LAB_LOG = "lab.log"
EXIT_STATE_CONFLICT = 3  # nothing started: the state folder holds another topology's lab


def default_topology() -> Path:
    return Path(str(resources.files("virtual_devices") / "topologies" / "default.yaml"))


def _state_dir(args: argparse.Namespace, topology: dict[str, Any] | None = None) -> Path:
    if args.state_dir:
        return Path(args.state_dir).resolve()
    configured = ((topology or {}).get("lab") or {}).get("state_dir")
    return Path(configured or "lab-state").resolve()


# --- up -------------------------------------------------------------------------------------------


def cmd_up(args: argparse.Namespace) -> int:
    topology_path = Path(args.topology) if args.topology else default_topology()
    topology = load_topology(topology_path)
    if args.fleet is not None:
        topology["fleet"] = {**(topology.get("fleet") or {}), "count": args.fleet}
    state_dir = new_state_folder(_state_dir(args, topology))
    running = check_lab_process(state_dir)
    if running.is_lab:
        print(f"a lab is already running from {state_dir} (pid {running.pid})", file=sys.stderr)
        return 1
    source = TopologySource.of(topology, topology_path, len(expand_fleet(topology)))
    if args.fresh:
        wipe_lab_state(state_dir)
    try:
        resumed = check_state_folder(state_dir, source)  # here, not in the child: the caller must read why
    except LabStateConflict as conflict:
        print(conflict, file=sys.stderr)
        return EXIT_STATE_CONFLICT
    if args.background:
        return _start_background(args, topology_path, state_dir, resumed=resumed)
    return _run_foreground(topology, topology_path, state_dir)


def _resumption(state_dir: Path, resumed: bool) -> str:
    if resumed:
        return f"resumed the switches, keys and SSM pool saved in {state_dir} (--fresh starts over)"
    return f"new state in {state_dir}"


def _run_foreground(topology: dict[str, Any], topology_path: Path, state_dir: Path) -> int:
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


async def _serve(lab: Lab, started: float) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, lambda: lab.handle_request({"op": "stop"}))
    await lab.serve()
    elapsed = time.monotonic() - started
    # `up --background` polls for the marker and reads it at once: it must appear whole (write, then rename).
    ready = {"devices": len(lab.devices), "seconds": elapsed, "resumed": lab.resumed}
    write_private(lab.state_dir / READY_MARKER, json.dumps(ready))
    print(f"{len(lab.devices)} devices up in {elapsed:.2f} s on 127.0.0.1", flush=True)
    print(
        f"{_resumption(lab.state_dir, lab.resumed)[0].upper()}{_resumption(lab.state_dir, lab.resumed)[1:]}"
    )
    print(f"Nornir config: {lab.nornir_config}", flush=True)
    await lab.wait()
    await lab.shutdown()


def _start_background(
    args: argparse.Namespace, topology_path: Path, state_dir: Path, *, resumed: bool
) -> int:
    command = [
        sys.executable,
        "-m",
        "virtual_devices",
        "up",
        str(topology_path),
        "--state-dir",
        str(state_dir),
    ]
    if args.fleet is not None:
        command += ["--fleet", str(args.fleet)]
    (state_dir / READY_MARKER).unlink(missing_ok=True)
    with open(private_file(state_dir / LAB_LOG), "ab") as output:
        child = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if (state_dir / READY_MARKER).exists():
            ready = json.loads((state_dir / READY_MARKER).read_text())
            print(
                f"lab up: {ready['devices']} devices in {ready['seconds']:.2f} s (pid {child.pid}); "
                + _resumption(state_dir, resumed)
            )
            print(f"Nornir config: {state_dir / NORNIR_CONFIG}")
            return 0
        if child.poll() is not None:
            print(f"the lab exited with {child.returncode}; see {state_dir / LAB_LOG}", file=sys.stderr)
            return 1
        time.sleep(0.05)
    child.terminate()
    print(f"the lab did not come up within {START_TIMEOUT:.0f} s; see {state_dir / LAB_LOG}", file=sys.stderr)
    return 1


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


def cmd_down(args: argparse.Namespace) -> int:
    state_dir = _state_dir(args)
    check = check_lab_process(state_dir)
    if check.verdict is Verdict.OTHER:
        assert check.running is not None
        _clear_leftovers(state_dir)
        print(
            f"no lab running from {state_dir}: {PID_FILE} named pid {check.pid}, which is now another "
            f"process ({check.running.describe()}); left it alone and removed the stale {PID_FILE}"
        )
        return 0
    if not check.is_lab:
        _clear_leftovers(state_dir)
        print(f"no lab running from {state_dir}")
        return 0
    lab = check.running
    assert lab is not None
    os.kill(lab.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and still_running(lab):
        time.sleep(0.05)
    if still_running(lab):
        print(f"the lab (pid {lab.pid}) did not stop within {STOP_TIMEOUT:.0f} s", file=sys.stderr)
        return 1
    print(f"lab stopped (pid {lab.pid})")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    state_dir = _state_dir(args)
    check = check_lab_process(state_dir)
    if not check.is_lab or not (state_dir / READY_MARKER).exists():
        print(f"no lab running from {state_dir}")
        return 3
    reply = send_control(state_dir, {"op": "status"})
    print(f"lab running (pid {check.pid}): {reply.get('available')}/{reply.get('devices')} devices available")
    topology = reply.get("topology")
    if isinstance(topology, dict):
        print(f"topology: {TopologySource.from_dict(topology).describe()}")
    return 0


# --- control --------------------------------------------------------------------------------------


def _control(args: argparse.Namespace, request: dict[str, Any]) -> int:
    try:
        reply = send_control(_state_dir(args), request)
    except OSError as error:
        print(f"cannot reach the lab's control socket: {error}", file=sys.stderr)
        return 1
    print(json.dumps(reply, indent=2, default=str))
    return 0 if reply.get("ok") else 1


def _fault_value(text: str) -> tuple[str, Any]:
    key, _, raw = text.partition("=")
    if not raw:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return key, value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="catlic-lab", description="A lab of virtual Catalyst 9000 switches."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text)
        command.add_argument(
            "--state-dir", help="the lab's state folder (default: the topology's, or ./lab-state)"
        )
        return command

    up = add("up", "start the lab (foreground unless --background)")
    up.add_argument("topology", nargs="?", help="topology YAML (default: the bundled default.yaml)")
    up.add_argument("--background", action="store_true", help="detach; return once every listener is up")
    up.add_argument("--fleet", type=int, help="override fleet.count (generated devices for scale)")
    up.add_argument(
        "--fresh",
        action="store_true",
        help="wipe the state folder's lab state (switches, keys, SSM pool) and start from the topology",
    )
    add("down", "stop a background lab")
    add("status", "is a lab running, how many devices are available, and from which topology")
    add("devices", "list the devices with their ports")
    clock = add("clock", "advance the lab clock")
    clock.add_argument("--days", type=float, default=0)
    clock.add_argument("--seconds", type=float, default=0)
    faults = add("faults", "set or clear a device's faults")
    faults.add_argument("device")
    faults.add_argument(
        "settings", nargs="*", type=_fault_value, help="e.g. latency=0.5 drop_after_commands=3"
    )
    faults.add_argument("--clear", action="store_true")
    plug = add("plug", "power on / cable a spare switch into a stack")
    plug.add_argument("device")
    plug.add_argument("serial")
    merge = add("merge", "cable a standalone switch into a stack (it reloads and joins)")
    merge.add_argument("device", help="the standalone")
    merge.add_argument("into", help="the stack")
    reload = add("reload", "power-cycle a device")
    reload.add_argument("device")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "up":
            return cmd_up(args)
        if args.command == "down":
            return cmd_down(args)
        if args.command == "status":
            return cmd_status(args)
        if args.command == "devices":
            return _control(args, {"op": "devices"})
        if args.command == "clock":
            return _control(args, {"op": "clock", "days": args.days, "seconds": args.seconds})
        if args.command == "faults":
            if args.clear:
                return _control(args, {"op": "faults", "device": args.device, "clear": True})
            return _control(args, {"op": "faults", "device": args.device, "set": dict(args.settings)})
        if args.command == "plug":
            return _control(args, {"op": "plug", "device": args.device, "serial": args.serial})
        if args.command == "merge":
            return _control(args, {"op": "merge", "device": args.device, "into": args.into})
        if args.command == "reload":
            return _control(args, {"op": "reload", "device": args.device})
    except TopologyError as error:
        print(f"topology error: {error}", file=sys.stderr)
        return 2
    except LabStateConflict as conflict:
        print(conflict, file=sys.stderr)
        return EXIT_STATE_CONFLICT
    return 2


if __name__ == "__main__":
    sys.exit(main())
