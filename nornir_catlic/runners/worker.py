"""What a cluster worker runs: a Nornir of its own over one slice of the hosts, threads inside.

The job names the task by its import path when it has one (any Nornir task, ours or not), carries the
slice's inventory and the task's parameters, and the few settings of the client process a task relies on
(the host locks' store, wait and command words). Results go back portable (:mod:`.transfer`).
"""

from __future__ import annotations

import importlib
import logging
import os
import pickle
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from nornir.core import Nornir
from nornir.core.inventory import Host
from nornir.core.plugins.connections import ConnectionPluginRegister
from nornir.core.state import GlobalState
from nornir.core.task import AggregatedResult, MultiResult, Task
from nornir.plugins.runners import ThreadedRunner

from nornir_catlic import interrupts, locks
from nornir_catlic.runners.inventory_slices import InventoryData, build_inventory
from nornir_catlic.runners.transfer import PortableResults, portable

TaskFunction = Callable[..., Any]


def task_path(task: TaskFunction) -> str | None:
    """``module:qualname`` when importing it gives back ``task`` itself, else ``None`` (a closure)."""
    module, name = getattr(task, "__module__", None), getattr(task, "__qualname__", "")
    if not module or "<" in name:
        return None
    try:
        return f"{module}:{name}" if import_task(f"{module}:{name}") is task else None
    except (ImportError, AttributeError):
        return None


def import_task(path: str) -> TaskFunction:
    """The task ``module:qualname`` names."""
    module, _, name = path.partition(":")
    found: Any = importlib.import_module(module)
    for part in name.split("."):
        found = getattr(found, part)
    if not callable(found):
        raise TypeError(f"{path} is not a function")
    return found  # type: ignore[no-any-return]


@dataclass(frozen=True)
class LockSettings:
    """The client's host-lock settings (:mod:`nornir_catlic.locks`), applied on the worker."""

    store_url: str
    wait: float | None
    command: str | None

    @classmethod
    def of_this_process(cls) -> LockSettings:
        return cls(
            store_url=locks.lock_store().url.render_as_string(hide_password=False),
            wait=locks.current_wait(),
            command=locks.current_command(),
        )


@dataclass(frozen=True)
class SliceJob:
    """One slice of a run, sent to a worker.

    Attributes:
        task: the task's import path, or the function itself (pickled by value) when it has none.
        threads: hosts of the slice worked on at once.
    """

    task: str | TaskFunction
    name: str
    params: dict[str, Any]
    inventory: InventoryData
    dry_run: bool
    severity_level: int
    threads: int
    lock_settings: LockSettings | None = None
    hosts: tuple[str, ...] = field(default=())
    stop_event: str | None = None
    """The Dask Event the client sets when its run is asked to stop (SIGINT, SIGTERM)."""
    progress_topic: str | None = None
    """The Dask event topic each host's results are sent on as soon as the host is done (the client's
    progress moves per host, not per slice)."""


_settings_guard = threading.Lock()
_QUIET = logging.NullHandler()


def run_slice(job: SliceJob) -> dict[str, PortableResults]:
    """Run ``job`` on this worker; every host's results, by host name."""
    if job.lock_settings is not None:
        with _settings_guard:  # a worker runs the slices of one client at a time per setting
            os.environ[locks.STORE_ENV] = job.lock_settings.store_url
            locks.set_wait(job.lock_settings.wait)
            locks.set_command(job.lock_settings.command)
    # A failed task's traceback is in its Result; Python's last-resort handler would print it on the worker.
    logging.getLogger("nornir").addHandler(_QUIET)
    ConnectionPluginRegister.auto_register()  # as InitNornir does: the installed connection plugins
    task = import_task(job.task) if isinstance(job.task, str) else job.task
    nornir = Nornir(
        inventory=build_inventory(job.inventory),
        runner=ThreadedRunner(num_workers=max(1, job.threads)),
        data=GlobalState(dry_run=job.dry_run),
    )
    if job.progress_topic is not None:
        nornir = nornir.with_processors([HostDoneReporter(job.progress_topic)])
    with _stopped_by(job.stop_event):
        aggregated = nornir.run(task=task, name=job.name, severity_level=job.severity_level, **job.params)
    return {host: portable(multi) for host, multi in aggregated.items()}


class HostDoneReporter:
    """A Nornir processor sending each host's results on a Dask event topic as soon as the host is done.

    Best effort: the slice's return value carries every host's results anyway, so a message lost (a worker
    lost mid-slice) delays that host's progress, never its result.
    """

    def __init__(self, topic: str) -> None:
        from distributed import get_worker

        self._topic = topic
        self._worker = get_worker()  # log_event is safe from Nornir's threads

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        try:
            message = {"host": host.name, "results": pickle.dumps(portable(result))}
            self._worker.log_event(self._topic, message)
        except Exception:  # progress only: never fail the host for it
            logging.getLogger(__name__).debug("no progress sent for %s", host.name, exc_info=True)

    def task_started(self, task: Task) -> None:
        pass

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        pass

    def task_instance_started(self, task: Task, host: Host) -> None:
        pass

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        pass

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        pass


_slices_running = 0


@contextmanager
def _stopped_by(event_name: str | None) -> Iterator[None]:
    """While a slice runs, the client's stop request (a Dask Event) becomes this process's
    (:func:`nornir_catlic.interrupts.request_stop`): hosts not started stay so, hosts at work stop before
    their next device command. The process's request is forgotten when no slice runs any more."""
    global _slices_running
    if event_name is None:
        yield
        return
    from distributed import Event, get_client

    event = Event(event_name, client=get_client())  # the task's thread finds the worker's client
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            try:
                if event.wait(timeout=0.5):
                    interrupts.request_stop()
                    return
            except Exception:  # the scheduler gone: the client sees it too and reports it
                return

    with _settings_guard:
        if _slices_running == 0:
            interrupts.reset()
        _slices_running += 1
    watcher = threading.Thread(target=watch, name="catlic-stop-watcher", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        with _settings_guard:
            _slices_running -= 1
