"""Waiting on what another thread or process changes: the lab's listeners, a session the lab drops."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

POLL_SECONDS = 0.05


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    """True as soon as ``condition()`` holds, False if it still does not after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(POLL_SECONDS)
    return False


def port_open(port: int) -> bool:
    """Does something accept TCP connections on 127.0.0.1:``port``?"""
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0
