"""Nornir tasks the runner tests send to cluster workers by their import path (not ours: any task runs)."""

from __future__ import annotations

import os

from nornir.core.task import Result, Task

from nornir_catlic.errors import HostLocked


def where_am_i(task: Task) -> Result:
    """The worker process and the host's region: which worker a host was pinned to."""
    return Result(host=task.host, result={"pid": os.getpid(), "region": task.host.get("region")})


def refuse_with_a_lock(task: Task) -> Result:
    """Fails with one of our exceptions whose ``__init__`` takes two arguments (pickling must cope)."""
    raise HostLocked(task.host.name, "catlic slac install, PID 1 on elsewhere")
