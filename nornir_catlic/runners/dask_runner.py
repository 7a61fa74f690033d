"""A Nornir runner on a Dask cluster: the hosts cut into slices, each slice a Nornir of its own on a worker.

Dask's distributed scheduler places the slices on worker processes (one machine or many) and runs a slice
again on another worker when its worker is lost; the workflows' journal and host locks, in a store shared by
every worker (PostgreSQL across machines), make that second run resume rather than repeat. A slice can be
pinned to workers by a data key of its hosts (``site``, ``region``): such a slice asks for the Dask worker
resource ``KEY:VALUE`` (``dask worker ... --resources "region:emea=100"``), so a regional worker only talks
to its region's switches.
"""

from __future__ import annotations

import math
import pickle
import queue
import secrets
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError
from contextlib import contextmanager, suppress
from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Result, Task

from nornir_catlic import interrupts
from nornir_catlic.errors import ClusterError
from nornir_catlic.runners.inventory_slices import inventory_data
from nornir_catlic.runners.transfer import PortableResults, rebuilt
from nornir_catlic.runners.worker import LockSettings, SliceJob, run_slice, task_path

POLL_INTERVAL = 0.5
"""Seconds between two looks at this process's stop request while slices run."""

_LOST = (CancelledError, OSError, TimeoutError)  # the scheduler gone: futures cancelled, comms closed


class DaskRunner:
    """Nornir's runner protocol (``run(task, hosts)``) on a ``distributed.Client``.

    Args:
        client: a connected ``distributed.Client`` (the caller keeps it open for the runner's life).
        pin_by: a data key of the hosts (inherited from groups too); each slice then needs the worker
            resource ``KEY:VALUE`` of its hosts' value. ``None``: any worker takes any slice.
        threads: hosts a slice works on at once (Nornir's threads, inside the worker).
        slice_size: hosts per slice; by default the hosts spread as two slices per Dask worker thread.
        lock_settings: carry this process's host-lock settings to the workers (catlic's CLI does).
    """

    def __init__(
        self,
        client: Any,
        *,
        pin_by: str | None = None,
        threads: int = 20,
        slice_size: int | None = None,
        lock_settings: bool = True,
    ) -> None:
        self.client = client
        self.pin_by = pin_by
        self.threads = threads
        self.slice_size = slice_size
        self.lock_settings = lock_settings

    def run(self, task: Task, hosts: list[Host]) -> AggregatedResult:
        aggregated = AggregatedResult(task.name)
        if not hosts:
            return aggregated
        by_name = {host.name: host for host in hosts}
        slices = self._slices(hosts)
        self.check_placement(hosts)
        function = task_path(task.task) or task.task
        settings = LockSettings.of_this_process() if self.lock_settings else None
        inventory = hosts[0].defaults, _groups_of(hosts)
        futures: dict[Any, SliceJob] = {}
        run_token = secrets.token_hex(8)
        stop_event = f"catlic-stop-{run_token}"
        progress = HostsDone(self.client, f"catlic-progress-{run_token}")
        for resource, members in slices:
            job = SliceJob(
                task=function,
                name=task.name,
                params=dict(task.params),
                inventory=inventory_data(members, inventory[1], inventory[0]),
                dry_run=task.global_dry_run,
                severity_level=task.severity_level,
                threads=min(self.threads, len(members)),
                lock_settings=settings,
                hosts=tuple(host.name for host in members),
                stop_event=stop_event,
                progress_topic=progress.topic,
            )
            for host in members:
                task.processors.task_instance_started(task, host)
            future = self.client.submit(
                run_slice,
                job,
                pure=False,
                resources={resource: 1} if resource is not None else None,
                key=f"catlic-slice-{task.name}-{len(futures)}-{id(job):x}",
            )
            futures[future] = job
        with progress:
            self._gather(task, futures, by_name, aggregated, stop_event, progress)
        return aggregated

    def _gather(
        self,
        task: Task,
        futures: dict[Any, SliceJob],
        by_name: dict[str, Host],
        aggregated: AggregatedResult,
        stop_event: str,
        progress: HostsDone,
    ) -> None:
        reported: set[str] = set()

        def report(name: str) -> None:
            if name not in reported:
                reported.add(name)
                task.processors.task_instance_completed(task, by_name[name], aggregated[name])

        def report_done_hosts() -> None:
            for name, results in progress.drain():
                if name in by_name and name not in reported:
                    aggregated[name] = rebuilt(results, by_name[name])
                    report(name)

        try:
            for future in self._as_completed(list(futures), stop_event, report_done_hosts):
                job = futures[future]
                try:
                    returned: dict[str, PortableResults] = future.result()
                except _LOST:
                    raise
                except Exception as error:  # the slice itself failed (a worker lost too often): its hosts
                    returned = {}
                    for name in job.hosts:
                        aggregated[name] = _failed(task.name, by_name[name], error)
                for name, results in returned.items():
                    aggregated[name] = rebuilt(results, by_name[name])  # the slice's own word is final
                for name in job.hosts:
                    report(name)
        except _LOST as error:
            for future in futures:
                future.release()
            missing = len(by_name) - len(aggregated)
            raise ClusterError(
                f"lost the Dask scheduler {self.client.scheduler.address} with {missing} host(s) not "
                f"reported ({type(error).__name__}: {error}); every step journaled so far is in the store: "
                "run the command again to resume"
            ) from None

    def _as_completed(
        self, futures: list[Any], stop_event: str, meanwhile: Callable[[], None]
    ) -> Iterator[Any]:
        """The futures as they finish, calling ``meanwhile`` between looks; a stop request of this process
        (SIGINT) is passed on to the workers."""
        from distributed import Event, wait

        pending, told = set(futures), False
        while pending:
            meanwhile()
            if not told and interrupts.stop_requested():
                Event(stop_event, client=self.client).set()
                told = True
            try:
                done, pending = wait(pending, timeout=POLL_INTERVAL, return_when="FIRST_COMPLETED")
            except TimeoutError:  # none finished meanwhile
                continue
            yield from done

    def _slices(self, hosts: Sequence[Host]) -> list[tuple[str | None, list[Host]]]:
        groups: dict[str | None, list[Host]] = {}
        for host in hosts:
            resource = None if self.pin_by is None else f"{self.pin_by}:{host.get(self.pin_by)}"
            groups.setdefault(resource, []).append(host)
        size = self.slice_size or max(1, math.ceil(len(hosts) / (2 * max(1, self._dask_threads()))))
        return [
            (resource, members[start : start + size])
            for resource, members in groups.items()
            for start in range(0, len(members), size)
        ]

    def _dask_threads(self) -> int:
        workers = self.client.scheduler_info().get("workers", {})
        return sum(int(info.get("nthreads", 1)) for info in workers.values()) or 1

    def check_placement(self, hosts: Sequence[Host]) -> None:
        """Raise :class:`ClusterError` when a pinned host's ``KEY:VALUE`` resource has no worker."""
        if self.pin_by is None:
            return
        needed = {f"{self.pin_by}:{host.get(self.pin_by)}" for host in hosts}
        workers = self.client.scheduler_info().get("workers", {})
        offered = {name for info in workers.values() for name in (info.get("resources") or {})}
        missing = sorted(needed - offered)
        if missing:
            raise ClusterError(
                f"no worker of the Dask scheduler offers {', '.join(missing)}: start one with "
                f'dask worker SCHEDULER --resources "{missing[0]}=100"'
            )


class HostsDone:
    """The hosts the workers said are done, received on a Dask event topic while the slices run."""

    def __init__(self, client: Any, topic: str) -> None:
        self.client = client
        self.topic = topic
        self._received: queue.SimpleQueue[tuple[str, PortableResults]] = queue.SimpleQueue()

    def __enter__(self) -> HostsDone:
        self.client.subscribe_topic(self.topic, self._receive)
        return self

    def __exit__(self, *exc: object) -> None:
        with suppress(*_LOST):
            self.client.unsubscribe_topic(self.topic)

    def _receive(self, event: tuple[float, Any]) -> None:  # on the client's event loop
        message = event[1]
        self._received.put((str(message["host"]), pickle.loads(message["results"])))

    def drain(self) -> Iterator[tuple[str, PortableResults]]:
        while True:
            try:
                yield self._received.get_nowait()
            except queue.Empty:
                return


def _groups_of(hosts: Sequence[Host]) -> dict[str, Any]:
    """Every group the hosts belong to, directly or through other groups."""
    found: dict[str, Any] = {}
    for host in hosts:
        for group in host.extended_groups():
            found[group.name] = group
    return found


def _failed(name: str, host: Host, error: BaseException) -> MultiResult:
    multi = MultiResult(name)
    multi.append(Result(host, exception=error, failed=True, result=f"{type(error).__name__}: {error}"))
    multi[0].name = name  # type: ignore[assignment]  # Nornir types it None, sets it to the task's name
    return multi


@contextmanager
def local_cluster(workers: int, *, threads_per_worker: int = 1) -> Iterator[Any]:
    """A ``distributed.Client`` on a new LocalCluster of ``workers`` processes, closed afterwards.

    One slice at a time per process by default: a slice already works on its hosts with threads, and more
    threads than about 50 in one process cost more in GIL contention than they overlap.

    Workers never spill to disk (a task's parameters and results stay in memory: no credential on disk)
    and serve no dashboard.
    """
    import dask
    from distributed import Client, LocalCluster

    no_spill = {
        "distributed.worker.memory.target": False,
        "distributed.worker.memory.spill": False,
    }
    with (
        dask.config.set(no_spill),
        LocalCluster(
            n_workers=workers,
            threads_per_worker=threads_per_worker,
            processes=True,
            dashboard_address="127.0.0.1:0",  # no fixed port: other clusters may run
            silence_logs=50,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@contextmanager
def scheduler_client(address: str) -> Iterator[Any]:
    """A ``distributed.Client`` connected to the running scheduler at ``address``."""
    from distributed import Client

    try:
        client = Client(address, timeout=15)
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler {address}: {error}") from None
    try:
        yield client
    finally:
        client.close()
