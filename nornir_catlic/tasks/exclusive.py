"""The common entry of every workflow that writes to a switch: one run per switch, and a clean stop.

:func:`writes_to_switch` wraps a Nornir task so that, on a real run, it holds the switch's lock
(:mod:`nornir_catlic.locks`) from its first command to its last, and does not start once the run was asked
to stop (:mod:`nornir_catlic.interrupts`). A dry run takes no lock: it changes nothing, and must never keep a
real run from its work. Python callers get the same guarantees as the ``catlic`` command.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from nornir.core.task import Result, Task

from nornir_catlic import interrupts, locks
from nornir_catlic.transport import CONNECTION_NAME

TaskT = TypeVar("TaskT", bound=Callable[..., Result])


def writes_to_switch(workflow: TaskT) -> TaskT:
    """Decorate a Nornir task that changes the switch (or spends keys): it runs holding the switch's lock.

    The lock is re-entrant on the thread, so a workflow that runs another one (stack add runs an install)
    takes it once.
    """
    signature = inspect.signature(workflow)

    @functools.wraps(workflow)
    def guarded(task: Task, *args: Any, **kwargs: Any) -> Result:
        dry_run = signature.bind_partial(task, *args, **kwargs).arguments.get("dry_run")
        with interrupts.host_working(task.host.name):
            if task.is_dry_run(dry_run):
                return workflow(task, *args, **kwargs)
            # The address netmiko connects to (connection options may override the host's own).
            address = task.host.get_connection_parameters(CONNECTION_NAME)
            with locks.host_lock(
                task.host.name,
                hostname=address.hostname,
                port=address.port,
                workflow=getattr(workflow, "__name__", "task"),
            ):
                return workflow(task, *args, **kwargs)

    return guarded  # type: ignore[return-value]
