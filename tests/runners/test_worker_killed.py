"""Faults on a cluster run, the store on PostgreSQL: a worker killed mid-install, a scheduler lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import pytest
from distributed import Client, LocalCluster
from nornir.core import Nornir
from sqlalchemy import select
from workflows.labkit import c9300x_stack, device_codes, issued, nornir_for, running_lab, udi

from nornir_catlic import interrupts, locks
from nornir_catlic.errors import ClusterError, Interrupted
from nornir_catlic.journal import Journal
from nornir_catlic.runners import DaskRunner
from nornir_catlic.store import Store
from nornir_catlic.store.schema import host_locks
from nornir_catlic.tasks.slac import catlic_install_slac
from nornir_catlic.tasks.state import catlic_get_license_state
from virtual_devices.lab import Lab

SWITCHES = ["kill1", "kill2", "kill3", "kill4"]
PIDS = {1: "C9300X-24HX", 2: "C9300X-48HXN"}  # labkit's c9300x_stack, members 1 and 2


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    # Every reply 50 ms late: an install takes long enough for the kill to land in the middle of it.
    devices = [
        c9300x_stack(name, f"FOCK{n}", members=2, faults={"latency": 0.05}) for n, name in enumerate(SWITCHES)
    ]
    with running_lab(tmp_path_factory.mktemp("worker-killed"), devices) as running:
        yield running


def wait_for(condition: Any, what: str, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)  # polling the store: no event to wait on across processes
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_mid_install_loses_nothing_and_asks_ssm_once_per_udi(
    lab: Lab, postgresql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(locks.STORE_ENV, postgresql_url)  # the host locks beside the journal, on the server
    journal = Journal(postgresql_url)
    nr: Nornir = nornir_for(lab)
    udis = [udi(pid, f"FOCK{n}{m:02d}") for n in range(len(SWITCHES)) for m, pid in PIDS.items()]
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address="127.0.0.1:0", silence_logs=50
        ) as cluster,
        Client(cluster) as client,
    ):
        runner = DaskRunner(client, slice_size=1, threads=1)
        outcome: dict[str, Any] = {}
        run = threading.Thread(
            target=lambda: outcome.update(
                results=nr.with_runner(runner).run(task=catlic_install_slac, journal=journal)
            )
        )
        run.start()
        # The first switch whose SLAC request is journaled: its worker holds its lock; kill that process.
        victim = wait_for(lambda: next(iter(journal_requested(journal)), None), "a journaled SLAC request")
        lock = wait_for(lambda: locks.holder(victim, **address(nr, victim)), f"{victim}'s lock")
        assert lock.pid != os.getpid()
        os.kill(lock.pid, signal.SIGKILL)
        at_kill = [record.step for record in journal.records(victim)]
        run.join(timeout=300)
        assert not run.is_alive()
    results = outcome["results"]
    assert "slac-installed" not in at_kill, "the kill landed after the victim's install: nothing to resume"
    assert "slac-installed" in [record.step for record in journal.records(victim)], "the victim resumed"
    assert not results.failed, {h: str(m[0].exception) for h, m in results.items() if m.failed}
    for name in SWITCHES:
        codes = device_codes(lab, name)
        assert len(codes) == 2, f"{name}: {codes}"
        assert journal.installed_codes(name) == codes, f"{name}: a code the switch printed is not journaled"
    assert issued(lab, udis) == dict.fromkeys(udis, 1), "a key was requested twice"
    assert Store(postgresql_url).rows(select(host_locks)) == [], (
        "the dead worker's lock was taken over, freed"
    )


def journal_requested(journal: Journal) -> list[str]:
    return [r.host for r in journal.records() if r.step == "slac-requested"]


def address(nr: Nornir, name: str) -> dict[str, Any]:
    host = nr.inventory.hosts[name]
    return {"hostname": host.hostname, "port": host.port}


def test_a_lost_scheduler_ends_the_run_with_a_clear_error(lab: Lab, tmp_path: Path) -> None:
    port = free_port()
    scheduler = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with dask.config.set({"distributed.comm.timeouts.connect": "3s"}):
            client = Client(f"tcp://127.0.0.1:{port}", timeout=60)
            nr = nornir_for(lab)
            # No worker joins: the run waits on the scheduler, which is then lost.
            failure: list[BaseException] = []

            def run() -> None:
                try:
                    nr.with_runner(DaskRunner(client)).run(task=catlic_install_slac, dry_run=True)
                except ClusterError as error:
                    failure.append(error)

            thread = threading.Thread(target=run)
            thread.start()
            wait_for(
                lambda: client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)),
                "the slices submitted",
                timeout=30,
            )
            scheduler.kill()
            thread.join(timeout=120)
            client.close(timeout=5)
    finally:
        scheduler.kill()
        scheduler.wait()
    assert not thread.is_alive() and failure, "the run neither ended nor raised ClusterError"
    assert "lost the Dask scheduler" in str(failure[0]) and "run the command again to resume" in str(
        failure[0]
    )


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_stop_request_reaches_the_workers_and_every_host_is_reported(lab: Lab) -> None:
    """SIGINT on the client (interrupts.request_stop): slices at work stop before their next command."""
    nr = nornir_for(lab)
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, dashboard_address="127.0.0.1:0", silence_logs=50
        ) as cluster,
        Client(cluster) as client,
    ):
        outcome: dict[str, Any] = {}
        run = threading.Thread(
            target=lambda: outcome.update(
                results=nr.with_runner(DaskRunner(client, slice_size=2, threads=1)).run(
                    task=catlic_get_license_state
                )
            )
        )
        started = time.monotonic()
        run.start()
        try:
            wait_for(
                lambda: client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)), "slices"
            )
            interrupts.request_stop()
            run.join(timeout=120)
        finally:
            interrupts.reset()
    results = outcome["results"]
    assert set(results) == set(SWITCHES), "every host reported"
    stopped = [name for name, multi in results.items() if isinstance(multi[0].exception, Interrupted)]
    assert stopped, {name: multi[0].exception for name, multi in results.items()}
    assert time.monotonic() - started < 60
