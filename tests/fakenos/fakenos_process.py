"""Start and stop the FakeNOS process serving the real captures; the Nornir inventory that reaches it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from fakenos_switches import LISTEN_ADDRESS, FakeSwitch, fakenos_inventory, nornir_inventory

SERVER = Path(__file__).resolve().parent / "fakenos_server.py"
STOP_TIMEOUT = 15.0


@dataclass(frozen=True)
class FakeFleet:
    """The running switches: their ports, and a SimpleInventory folder (``-i`` for ``catlic``)."""

    ports: dict[str, int]
    inventory: Path


def free_ports(count: int) -> list[int]:
    """``count`` distinct ports free on 127.0.0.1 now (all held open together, so none repeats)."""
    with ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for held in sockets:
            held.bind((LISTEN_ADDRESS, 0))
        return [held.getsockname()[1] for held in sockets]


def write_private(path: Path, text: str) -> None:
    """Only the owner reads it: the inventory's defaults hold the password and the enable secret."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def start_fakenos(
    switches: tuple[FakeSwitch, ...], work: Path
) -> tuple[subprocess.Popen[str], dict[str, int]]:
    """Start the FakeNOS process and wait for its ``ready`` line; its log goes to ``work/fakenos.log``."""
    ports = dict(zip((switch.name for switch in switches), free_ports(len(switches)), strict=True))
    inventory_file = work / "fakenos-inventory.json"
    write_private(inventory_file, json.dumps(fakenos_inventory(switches, ports)))
    with (work / "fakenos.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, str(SERVER), str(inventory_file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    assert process.stdout is not None
    line = process.stdout.readline()  # the process prints one line, ready or error, or dies (EOF)
    announced = json.loads(line) if line.strip() else {}
    # bound where asked: 127.0.0.1 only (FakeNOS's default too, but 0.0.0.0 under WSL2)
    if announced.get("ready") != {name: f"{LISTEN_ADDRESS}:{port}" for name, port in ports.items()}:
        stop_fakenos(process)
        raise RuntimeError(f"FakeNOS did not start: {line!r}\n{(work / 'fakenos.log').read_text()[-3000:]}")
    return process, ports


def stop_fakenos(process: subprocess.Popen[str]) -> None:
    """Close its stdin (it stops every host and exits); kill it if it does not within the timeout."""
    if process.stdin is not None:
        process.stdin.close()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


@contextmanager
def serving(switches: tuple[FakeSwitch, ...], work: Path) -> Iterator[FakeFleet]:
    """FakeNOS serving ``switches`` while the block runs, and their SimpleInventory in ``work/inventory``."""
    process, ports = start_fakenos(switches, work)
    try:
        folder = work / "inventory"
        folder.mkdir(mode=0o700)
        for name, content in nornir_inventory(switches, ports).items():
            write_private(folder / f"{name}.yaml", yaml.safe_dump(content, sort_keys=False))
        yield FakeFleet(ports=ports, inventory=folder)
    finally:
        stop_fakenos(process)
