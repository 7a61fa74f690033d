"""Run FakeNOS until stdin closes: ``python fakenos_server.py INVENTORY.json``.

Started by the tests as a process of its own, so FakeNOS's threads and logs stay out of the test process.
Prints one JSON line ``{"ready": {host: "address:port"}}`` once every host's listener accepts connections,
then serves until its standard input reaches end of file (the test closed it, or died), and stops every host.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fakenos import FakeNOS

READY_TIMEOUT = 30.0


def listening(net: FakeNOS) -> bool:
    """Every host's socket is listening. ``start()`` binds the socket and returns while a thread of its own
    has yet to call ``listen()``: a client connecting before that is refused."""
    for host in net.hosts.values():
        server_socket = getattr(host.server, "_socket", None)
        if server_socket is None or not server_socket.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
            return False
    return True


def delayed(output: str, seconds: float) -> Callable[..., str]:
    """A FakeNOS command output (a callable, called in the session's shell) that answers late."""

    def answer(device: object, **context: object) -> str:
        time.sleep(seconds)  # the shell thread stands for a busy control plane: nothing else to wait on
        return output

    return answer


def with_delays(inventory: dict[str, Any]) -> dict[str, Any]:
    """Each command given ``delay_seconds`` (JSON cannot carry a callable) becomes a :func:`delayed` one."""
    for host in inventory["hosts"].values():
        commands = host.get("nos", {}).get("configuration", {}).get("commands", {})
        for spec in commands.values():
            if "delay_seconds" in spec:
                spec["output"] = delayed(spec["output"], spec.pop("delay_seconds"))
    return inventory


def main(inventory_file: str) -> int:
    net = FakeNOS(inventory=with_delays(json.loads(Path(inventory_file).read_text())))
    net.start()
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while not listening(net):
            if time.monotonic() > deadline:
                print(json.dumps({"error": f"not listening after {READY_TIMEOUT:g}s"}), flush=True)
                return 1
            time.sleep(0.01)  # FakeNOS offers no event for it
        bound = {name: host.server._socket.getsockname() for name, host in net.hosts.items()}
        print(
            json.dumps({"ready": {name: f"{address}:{port}" for name, (address, port) in bound.items()}}),
            flush=True,
        )
        sys.stdin.read()
    finally:
        net.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
