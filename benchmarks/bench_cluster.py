"""Cluster benchmark: the state of N lab switches with the threaded runner, on a local Dask cluster, and the
bare-SSH floor, in one run; then the cost model of issue 13, checked against a run with added lab latency.

    .venv/bin/python benchmarks/bench_cluster.py                    # N = 1,000, 2 Dask workers
    .venv/bin/python benchmarks/bench_cluster.py --fleet 200 --latency 0.05

The lab runs in its own process (``bench_fleet``'s fleet: C9300X keyed for IPsec). For each run: wall time,
CPU of this process, CPU of the Dask worker processes (from /proc), and the lab's CPU. The floor is
``bench_fleet``'s bare asyncssh client typing the same lines as the threaded run.

The cost model (docs/cluster-cost-model.md) takes two measured inputs:

- ``c``, the client CPU a switch costs on the cluster (this process + workers, per switch);
- ``L``, the wall time of one switch's session when nothing else runs (login, enable, the show commands,
  the replies' latency), from a serial run over a sample of the fleet;

and gives, for S switches in T seconds with W sessions per worker process and k cores per machine:
sessions in flight ``F = S*L/T``, worker processes ``P = ceil(F/W)``, cores ``C = S*c/(u*T)`` at a target
utilisation u, machines ``M = ceil(max(C, P)/k)`` (one worker process per core). It is checked by predicting
the wall time of the cluster run over a lab whose every reply is ``--latency`` seconds late, from ``c`` and
that lab's own serial ``L``, and running it.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from background_lab import BackgroundLab
from bench_fleet import FLEET, floor_run, lab_ports, lab_settings, nornir_for, nornir_run, typed_lines
from nornir.core.task import AggregatedResult

from nornir_catlic.parsing import warm_up
from nornir_catlic.runners import DaskRunner, local_cluster
from nornir_catlic.tasks import catlic_get_license_state
from nornir_catlic.transport import closing_session

THREADS = 50
SESSIONS = (5.0, 20.0, 60.0)
"""Sessions of real switches over a WAN the model is shown for (seconds, beside the lab's measured one)."""
"""Sessions in flight per process (bench_fleet: past about 50, GIL contention costs more than it hides)."""


@dataclass
class Figures:
    wall_s: float
    client_cpu_s: float
    workers_cpu_s: float
    lab_cpu_s: float
    failed: int

    def per_switch_ms(self, count: int) -> float:
        return (self.client_cpu_s + self.workers_cpu_s) * 1000 / count


def cpu_of(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure(lab: BackgroundLab, worker_pids: list[int], run: Callable[[], Any]) -> tuple[Figures, Any]:
    wall, cpu, workers, lab_cpu = (
        time.perf_counter(),
        time.process_time(),
        cpu_of(worker_pids),
        lab.cpu_seconds(),
    )
    outcome = run()
    failed = (
        sum(1 for multi in outcome.values() if multi.failed) if isinstance(outcome, dict) else int(outcome)
    )
    return (
        Figures(
            wall_s=time.perf_counter() - wall,
            client_cpu_s=time.process_time() - cpu,
            workers_cpu_s=cpu_of(worker_pids) - workers,
            lab_cpu_s=lab.cpu_seconds() - lab_cpu,
            failed=failed,
        ),
        outcome,
    )


def cluster_run(lab: BackgroundLab, client: Any, threads: int) -> AggregatedResult:
    nr = nornir_for(lab, threads).with_runner(DaskRunner(client, threads=threads))
    return nr.run(task=closing_session(catlic_get_license_state))


def serial_session(lab: BackgroundLab, sample: int) -> tuple[float, float]:
    """One switch's state read alone: its wall seconds and its client CPU in ms (``sample`` switches one
    after the other). netmiko polls a session every 10 ms while it waits for a reply, so the CPU grows
    with the wait."""
    nr = nornir_for(lab, 1)
    chosen = set(list(nr.inventory.hosts)[:sample])
    started, cpu = time.perf_counter(), time.process_time()
    nr.filter(filter_func=lambda host: host.name in chosen).run(
        task=closing_session(catlic_get_license_state)
    )
    nr.close_connections()
    return (time.perf_counter() - started) / len(chosen), (time.process_time() - cpu) * 1000 / len(chosen)


@contextmanager
def cluster_of(workers: int) -> Iterator[tuple[Any, list[int]]]:
    with local_cluster(workers) as client:
        pids = sorted(client.run(os.getpid).values())
        # Each worker imports the library and compiles the templates once, outside the timings.
        client.run(warm_up)
        yield client, pids


@dataclass
class CostModel:
    """Machines for ``switches`` in ``seconds``: see the module documentation."""

    cpu_ms_per_switch: float
    session_s: float
    threads_per_process: int = THREADS
    utilisation: float = 0.7

    def sessions_in_flight(self, switches: int, seconds: float) -> float:
        return switches * self.session_s / seconds

    def processes(self, switches: int, seconds: float) -> int:
        return math.ceil(self.sessions_in_flight(switches, seconds) / self.threads_per_process)

    def cores(self, switches: int, seconds: float) -> float:
        return switches * self.cpu_ms_per_switch / 1000 / (self.utilisation * seconds)

    def machines(self, switches: int, seconds: float, cores_per_machine: int) -> int:
        needed = max(self.cores(switches, seconds), self.processes(switches, seconds))
        return max(1, math.ceil(needed / cores_per_machine))

    def wall_s(self, switches: int, sessions: int, cores: float, lab_cpu_ms: float) -> float:
        """Predicted wall of one run on ``cores`` shared with the lab (``lab_cpu_ms`` a switch):
        the slower of the latency bound and the CPU bound."""
        latency_bound = switches * self.session_s / sessions
        cpu_bound = switches * (self.cpu_ms_per_switch + lab_cpu_ms) / 1000 / cores
        return max(latency_bound, cpu_bound)


def bench(
    count: int, workers: int, latency: float, check_count: int, sample: int, folder: Path
) -> dict[str, Any]:
    cores = os.cpu_count() or 1
    print(
        f"N = {count} switches, {THREADS} sessions per process, a local cluster of {workers} workers, "
        f"{cores} cores"
    )
    figures: dict[str, Any] = {"switches": count, "workers": workers, "threads": THREADS, "cores": cores}
    with (
        BackgroundLab(count, folder, lab=lab_settings(count), fleet=FLEET) as lab,
        cluster_of(workers) as (
            client,
            pids,
        ),
    ):
        threaded, results = measure(lab, [], lambda: nornir_run(lab, THREADS, catlic_get_license_state))
        clustered, _ = measure(lab, pids, lambda: cluster_run(lab, client, THREADS))
        floor, _ = measure(lab, [], lambda: floor_run(lab_ports(lab), typed_lines(results), THREADS))
        session, session_cpu_ms = serial_session(lab, sample)
    for label, run in (
        ("threaded runner", threaded),
        (f"Dask, {workers} workers", clustered),
        ("bare SSH floor", floor),
    ):
        print(
            f"  {label:18} wall {run.wall_s:6.1f} s  {count / run.wall_s:6.1f} switches/s  client CPU "
            f"{run.per_switch_ms(count):5.1f} ms a switch  lab CPU {run.lab_cpu_s * 1000 / count:5.1f} ms  "
            f"({run.failed} failed)"
        )
        figures[label] = {**asdict(run), "cpu_ms_per_switch": round(run.per_switch_ms(count), 2)}
    model = CostModel(cpu_ms_per_switch=clustered.per_switch_ms(count), session_s=session)
    figures["session_cpu_ms"] = round(session_cpu_ms, 2)
    figures["session_s"] = round(session, 3)
    print(f"  one session alone (serial, {sample} switches): {session:.2f} s, {session_cpu_ms:.1f} ms CPU")
    waiting = 0.0  # ms of CPU per second a session waits (netmiko's polling), from the latency check
    if latency > 0:
        figures["check"] = check(check_count, workers, latency, sample, folder, model, session_cpu_ms)
        # netmiko polls a waiting session every 10 ms: the CPU a second of wait adds, from the cluster runs.
        slower = figures["check"]["cluster_cpu_ms_per_switch"] - model.cpu_ms_per_switch
        waiting = max(0.0, slower) / max(1e-3, figures["check"]["session_s"] - session)
        print(f"  a session's wait costs {waiting:.1f} ms of client CPU a second (the two cluster runs)")

    def at(session_s: float) -> CostModel:
        extra = waiting * max(0.0, session_s - session)
        return CostModel(cpu_ms_per_switch=model.cpu_ms_per_switch + extra, session_s=session_s)

    print("  model, 100,000 switches in an hour (8-core machines):")
    for session_s in (session, *SESSIONS):
        m = at(session_s)
        print(
            f"    one session {session_s:5.1f} s, c {m.cpu_ms_per_switch:6.1f} ms -> "
            f"{m.sessions_in_flight(100_000, 3600):5.0f} sessions in flight, {m.processes(100_000, 3600):3d} "
            f"worker processes, {m.cores(100_000, 3600):5.1f} cores -> "
            f"{m.machines(100_000, 3600, 8)} machine(s)"
        )
    figures["model"] = {
        "cpu_ms_per_switch": round(model.cpu_ms_per_switch, 2),
        "session_s": round(model.session_s, 3),
        "waiting_cpu_ms_per_s": round(waiting, 2),
        "machines_8_cores": {f"{s:g}": at(s).machines(100_000, 3600, 8) for s in (session, *SESSIONS)},
    }
    return figures


def check(
    count: int,
    workers: int,
    latency: float,
    sample: int,
    folder: Path,
    model: CostModel,
    base_session_cpu_ms: float,
) -> dict[str, Any]:
    """The model's predicted wall of a cluster run over a lab whose replies are ``latency`` s late; the
    run."""
    (folder / "slow").mkdir(exist_ok=True)
    slow_fleet = {**FLEET, "faults": {"latency": latency}}
    with (
        BackgroundLab(count, folder / "slow", lab=lab_settings(count), fleet=slow_fleet) as lab,
        cluster_of(workers) as (client, pids),
    ):
        session, session_cpu_ms = serial_session(lab, sample)
        # What the wait adds to a switch's CPU (netmiko's polling), from the two serial samples.
        waiting_cpu_ms = max(0.0, session_cpu_ms - base_session_cpu_ms)
        slow = CostModel(cpu_ms_per_switch=model.cpu_ms_per_switch + waiting_cpu_ms, session_s=session)
        measured, _ = measure(lab, pids, lambda: cluster_run(lab, client, THREADS))
        lab_cpu_ms = measured.lab_cpu_s * 1000 / count
        # One slice at a time per worker process, two slices per worker: min(THREADS, slice) sessions each.
        in_flight = workers * min(THREADS, math.ceil(count / (2 * workers)))
        predicted = slow.wall_s(count, in_flight, os.cpu_count() or 1, lab_cpu_ms)
    print(
        f"  check, every reply {latency * 1000:.0f} ms late: one session {session:.2f} s, its wait "
        f"{waiting_cpu_ms:.1f} ms more CPU; cluster run {measured.per_switch_ms(count):.1f} ms a switch; "
        f"predicted wall "
        f"{predicted:.1f} s, measured {measured.wall_s:.1f} s ({measured.wall_s / predicted:.2f}x), "
        f"{measured.failed} failed"
    )
    return {
        "latency_s": latency,
        "session_s": round(session, 3),
        "waiting_cpu_ms": round(waiting_cpu_ms, 2),
        "cluster_cpu_ms_per_switch": round(measured.per_switch_ms(count), 2),
        "predicted_wall_s": round(predicted, 2),
        "measured_wall_s": round(measured.wall_s, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fleet", type=int, default=1000, help="switches (default 1,000)")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes (default 2)")
    parser.add_argument(
        "--latency", type=float, default=0.05, help="the check's added reply latency, s (0: no check)"
    )
    parser.add_argument(
        "--check-fleet",
        type=int,
        default=200,
        help="switches of the latency check (default 200: at 1,000 delayed switches the lab stalled once)",
    )
    parser.add_argument("--sample", type=int, default=10, help="switches in the serial session timing")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON at the end")
    args = parser.parse_args()
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    logging.getLogger("distributed").setLevel(logging.ERROR)
    warm_up()
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as folder:
        figures = bench(args.fleet, args.workers, args.latency, args.check_fleet, args.sample, Path(folder))
    if args.json:
        print(json.dumps(figures, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
