"""The Dask runner over the lab: the same typed results as threads, slices pinned by region, errors typed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import Client, Nanny, Scheduler, SpecCluster
from nornir.core import Nornir
from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Task
from workflows.labkit import c9300x_stack, nornir_for, running_lab

from nornir_catlic.errors import ClusterError, HostLocked
from nornir_catlic.runners import DaskRunner
from nornir_catlic.tasks.state import catlic_get_license_state
from runners.cluster_tasks import refuse_with_a_lock, wait_for_the_clients_word, where_am_i
from virtual_devices.lab import Lab

REGIONS = {"dask1": "emea", "dask2": "emea", "dask3": "amer", "dask4": "amer"}


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    devices = [c9300x_stack(name, f"FOCD{n}", members=1 + n % 2) for n, name in enumerate(REGIONS)]
    with running_lab(tmp_path_factory.mktemp("dask-runner"), devices) as running:
        yield running


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """Two worker processes, one per region (resources ``region:emea`` and ``region:amer``)."""
    workers = {
        region: {
            "cls": Nanny,
            "options": {"host": "127.0.0.1", "nthreads": 2, "resources": {f"region:{region}": 100}},
        }
        for region in ("emea", "amer")
    }
    scheduler = {"cls": Scheduler, "options": {"host": "127.0.0.1", "dashboard_address": "127.0.0.1:0"}}
    with SpecCluster(workers=workers, scheduler=scheduler, silence_logs=50) as cluster, Client(cluster) as c:
        c.wait_for_workers(2)
        yield c


@pytest.fixture
def nr(lab: Lab) -> Iterator[Nornir]:
    runner = nornir_for(lab)
    for name, region in REGIONS.items():
        runner.inventory.hosts[name].data["region"] = region
    yield runner
    runner.close_connections()


def comparable(results: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {
        host: [(r.name, r.failed, r.changed, r.result) for r in multi if r.severity_level > 10]
        for host, multi in results.items()
    }


def test_the_state_on_the_cluster_is_the_state_threads_read(nr: Nornir, client: Client) -> None:
    threaded = nr.run(task=catlic_get_license_state)
    clustered = nr.with_runner(DaskRunner(client, slice_size=1)).run(task=catlic_get_license_state)
    assert not clustered.failed and set(clustered) == set(REGIONS)
    assert comparable(clustered) == comparable(threaded)
    first = clustered["dask2"][0]
    assert first.host is nr.inventory.hosts["dask2"], "results point at the client's own hosts"
    assert type(first.result).__name__ == "LicenseState"


def test_slices_pinned_by_region_run_only_on_their_regions_worker(nr: Nornir, client: Client) -> None:
    results = nr.with_runner(DaskRunner(client, pin_by="region")).run(task=where_am_i)
    pids = {host: multi[0].result["pid"] for host, multi in results.items()}
    by_region = {region: {pids[h] for h, r in REGIONS.items() if r == region} for region in ("emea", "amer")}
    assert all(len(found) == 1 for found in by_region.values()), by_region
    assert by_region["emea"] != by_region["amer"] and os.getpid() not in pids.values()


def test_a_region_no_worker_serves_is_refused_before_any_slice_runs(nr: Nornir, client: Client) -> None:
    nr.inventory.hosts["dask4"].data["region"] = "apac"
    with pytest.raises(ClusterError, match="no worker of the Dask scheduler offers region:apac"):
        nr.with_runner(DaskRunner(client, pin_by="region")).run(task=where_am_i)


def test_a_tasks_exception_comes_back_typed_and_the_host_counted_failed(nr: Nornir, client: Client) -> None:
    results = nr.with_runner(DaskRunner(client)).run(task=refuse_with_a_lock)
    assert set(results.failed_hosts) == set(REGIONS) == nr.data.failed_hosts
    error = results["dask1"][0].exception
    assert isinstance(error, HostLocked) and "PID 1 on elsewhere" in str(error)


def test_a_closure_task_without_an_import_path_runs_too(nr: Nornir, client: Client, tmp_path: Path) -> None:
    marker = tmp_path.name

    def tagged(task: Any) -> Any:
        return f"{marker}:{task.host.name}"

    results = nr.filter(name="dask3").with_runner(DaskRunner(client)).run(task=tagged)
    assert results["dask3"][0].result == f"{marker}:dask3"


def test_no_credential_lands_in_a_workers_folder(nr: Nornir, client: Client) -> None:
    password = str(nr.inventory.hosts["dask1"].password)
    assert password and not nr.with_runner(DaskRunner(client)).run(task=catlic_get_license_state).failed
    folders = client.run(lambda dask_worker: dask_worker.local_directory)
    assert len(folders) == 2
    files = [path for folder in folders.values() for path in Path(folder).rglob("*") if path.is_file()]
    assert not [path for path in files if password.encode() in path.read_bytes()]


class _SayWhenOthersAreDone:
    """A client-side processor: once every host but the waiter is reported done, it creates the flag."""

    def __init__(self, flag: Path, waiter: str, hosts: set[str]) -> None:
        self.flag, self.waiter, self.others = flag, waiter, hosts - {waiter}
        self.completed: list[str] = []

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        self.completed.append(host.name)
        if self.others <= set(self.completed):
            self.flag.touch()

    def task_started(self, task: Task) -> None: ...
    def task_completed(self, task: Task, result: AggregatedResult) -> None: ...
    def task_instance_started(self, task: Task, host: Host) -> None: ...
    def subtask_instance_started(self, task: Task, host: Host) -> None: ...
    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None: ...


def test_progress_moves_per_host_while_the_slice_runs(nr: Nornir, client: Client, tmp_path: Path) -> None:
    """One slice of four hosts: three are reported done while the fourth waits for the client to see them."""
    flag = tmp_path / "seen"
    watcher = _SayWhenOthersAreDone(flag, "dask4", set(REGIONS))
    runner = nr.with_processors([watcher]).with_runner(DaskRunner(client, slice_size=4, threads=4))
    results = runner.run(task=wait_for_the_clients_word, flag=str(flag), waiter="dask4")
    assert not results.failed, {host: multi[0].exception for host, multi in results.items()}
    assert watcher.completed[-1] == "dask4" and sorted(watcher.completed) == sorted(REGIONS)
    assert {host: multi[0].result for host, multi in results.items()} == dict.fromkeys(REGIONS, "done")
