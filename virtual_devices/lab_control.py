"""The client side of a running lab's control socket: one JSON request, one JSON reply.

Light on purpose (no SSH server, no device model): the front-ends import it to steer a lab they did not
start in their own process.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from virtual_devices.lab_state import CONTROL_SOCKET

UNIX_PATH_MAX = 100


def send_control(state_dir: Path | str, request: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
    """Send one JSON request to a running lab's control socket and return its reply."""
    with (
        short_path(Path(state_dir).resolve() / CONTROL_SOCKET) as path,
        socket.socket(socket.AF_UNIX) as sock,
    ):
        sock.settimeout(timeout)
        sock.connect(path)
        sock.sendall(json.dumps(request).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    reply = json.loads(data)
    assert isinstance(reply, dict)
    return reply


@contextlib.contextmanager
def short_path(path: Path) -> Iterator[str]:
    """A unix socket path under the kernel's 108-byte limit: via /proc/self/fd when the real one is longer."""
    if len(str(path)) < UNIX_PATH_MAX:
        yield str(path)
        return
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        yield f"/proc/self/fd/{folder}/{path.name}"
    finally:
        os.close(folder)
