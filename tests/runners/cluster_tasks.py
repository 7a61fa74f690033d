"""Nornir tasks the runner tests send to cluster workers by their import path (not ours: any task runs)."""

from __future__ import annotations

import os
import time

from nornir.core.task import Result, Task

from nornir_catlic.errors import HostLocked


def where_am_i(task: Task) -> Result:
    """The worker process and the host's region: which worker a host was pinned to."""
    return Result(host=task.host, result={"pid": os.getpid(), "region": task.host.get("region")})


def refuse_with_a_lock(task: Task) -> Result:
    """Fails with one of our exceptions whose ``__init__`` takes two arguments (pickling must cope)."""
    raise HostLocked(task.host.name, "catlic slac install, PID 1 on elsewhere")


def wait_for_the_clients_word(task: Task, flag: str, waiter: str) -> Result:
    """Host ``waiter`` waits for the client to create ``flag`` (up to 60 s); the others end at once."""
    if task.host.name == waiter:
        deadline = time.monotonic() + 60
        while not os.path.exists(flag):
            if time.monotonic() > deadline:
                raise TimeoutError("the client never said it saw the other hosts done")
            time.sleep(0.05)
    return Result(host=task.host, result="done")
