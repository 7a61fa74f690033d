"""Fleet benchmark: catlic_get_license_state and a full catlic_audit over N lab switches vs a bare SSH floor.

    .venv/bin/python benchmarks/bench_fleet.py                      # N = 100 and 1,000
    .venv/bin/python benchmarks/bench_fleet.py --fleet 100 --workers 100
    .venv/bin/python benchmarks/bench_fleet.py --fleet 200 --task state --profile
    .venv/bin/python benchmarks/bench_fleet.py --fleet 300 --task state --transport-setup  # auto_connect off

For each N the lab runs in its own process (``python -m virtual_devices up --background --fleet N``). The
Nornir tasks run over netmiko with the recommended connection options and a threaded runner. The floor is a
bare asyncssh client that, for every host, opens one session with a pty and types exactly the lines the
Nornir run typed on that host (login, enable, terminal settings, then the same show commands), reading up
to each prompt, with as many sessions in flight as the runner has workers. Both run in the same process
against the same lab, one after the other, in interleaved pairs: the figures are medians of the ratios taken
within each pair. Target (issue 9): the state's client CPU within 1.5x the floor's.

Each Nornir run also reports its client CPU per switch by phase (``client_cpu.PhaseClock``: session set-up,
reads, parsing, state assembly, Nornir); ``--profile`` adds one run under cProfile summed by package.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import logging
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncssh
from background_lab import BackgroundLab
from client_cpu import PHASES, PackageProfile, PhaseClock
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.task import AggregatedResult

from nornir_catlic.parsing import warm_up
from nornir_catlic.tasks import catlic_audit, catlic_get_license_state, summarize_audit
from nornir_catlic.transport import CONNECTION_NAME, closing_session, use_recommended_options

# Every switch of the fleet is a C9300X keyed for IPsec (SLAC on the active, crypto configured), so the state
# carries authorizations and the audit reads the running configuration too.
FLEET = {
    "platform": "C9300X",
    "release": "17.9.4",
    "transport": "smart",
    "boot_level": "network-advantage addon dna-advantage",
    "slacs": "all",
    "crypto": True,
}
CREDENTIALS = {"username": "admin", "password": "lab-pass-1", "secret": "lab-enable-1"}


def lab_settings(keys: int) -> dict[str, Any]:
    account = {"smart_account": "Bench-SA", "virtual_account": "Bench-VA", "pools": {"C9K HSEC": keys}}
    return {"credentials": CREDENTIALS, "reload_delay": 1.0, "ssm": {"accounts": [account]}}


SESSION_SETUP = ("terminal width 511", "terminal length 0")  # what netmiko types before any command


# --- the Nornir run ------------------------------------------------------------------------------------


EXTRAS_OVERRIDES: dict[str, Any] = {}
"""netmiko extras set over the recommended ones (``--transport-setup``: ``auto_connect: False``)."""


def nornir_for(lab: BackgroundLab, workers: int) -> Nornir:
    nr = InitNornir(
        config_file=str(lab.nornir_config),
        runner={"plugin": "threaded", "options": {"num_workers": workers}},
        logging={"enabled": False},
    )
    use_recommended_options(nr)
    nr.inventory.defaults.connection_options[CONNECTION_NAME].extras.update(EXTRAS_OVERRIDES)
    return nr


def nornir_run(lab: BackgroundLab, workers: int, task: Callable[..., Any]) -> AggregatedResult:
    """One Nornir run in fresh sessions, each closed when its host is done (as a fleet run should)."""
    nr = nornir_for(lab, workers)
    results = nr.run(task=closing_session(task))
    nr.close_connections()
    return results


def typed_lines(results: AggregatedResult) -> dict[str, list[str]]:
    """Per host, the commands the run sent (its sub-steps are named after them)."""
    return {
        host: [r.name for r in multi[1:] if r.name] for host, multi in results.items() if not multi.failed
    }


# --- the floor: a bare asyncssh client ----------------------------------------------------------------


async def _read_until(
    process: asyncssh.SSHClientProcess[str], pattern: re.Pattern[str], timeout: float
) -> str:
    buffer = ""
    while not pattern.search(buffer):
        chunk = await asyncio.wait_for(process.stdout.read(65536), timeout)
        if not chunk:
            raise ConnectionError(f"session closed; last output {buffer[-200:]!r}")
        buffer += chunk
    return buffer


async def _floor_host(host: str, port: int, commands: list[str], timeout: float) -> None:
    prompt = re.compile(rf"(?:^|[\r\n]){re.escape(host[:16])}[^\r\n]*[#>][ \t]*\Z")
    async with asyncssh.connect(
        "127.0.0.1",
        port,
        username=CREDENTIALS["username"],
        password=CREDENTIALS["password"],
        known_hosts=None,
        kex_algs=["curve25519-sha256@libssh.org"],
    ) as conn:
        process = await conn.create_process(term_type="vt100", term_size=(511, 1000), encoding="utf-8")
        first = await _read_until(process, prompt, timeout)
        if first.rstrip().endswith(">"):
            process.stdin.write("enable\n")
            await _read_until(process, re.compile(r"assword: ?\Z"), timeout)
            process.stdin.write(CREDENTIALS["secret"] + "\n")
            await _read_until(process, prompt, timeout)
        for line in (*SESSION_SETUP, *commands):
            process.stdin.write(line + "\n")
            await _read_until(process, prompt, timeout)
        process.stdin.write("exit\n")


async def _floor(targets: dict[str, tuple[int, list[str]]], concurrency: int, timeout: float) -> int:
    gate = asyncio.Semaphore(concurrency)
    failures = 0

    async def one(host: str, port: int, commands: list[str]) -> None:
        nonlocal failures
        async with gate:
            try:
                await _floor_host(host, port, commands, timeout)
            except (OSError, asyncssh.Error, asyncio.TimeoutError, ConnectionError) as error:
                failures += 1
                if failures <= 3:
                    print(f"    floor: {host}: {error}", file=sys.stderr)

    await asyncio.gather(*(one(host, port, commands) for host, (port, commands) in targets.items()))
    return failures


def lab_ports(lab: BackgroundLab) -> dict[str, int]:
    """Host name -> SSH port, read from the lab's inventory before the floor's timing (reading YAML is not
    typing lines: the Nornir run's inventory loading is shown as a phase of its own)."""
    return {name: int(entry["port"]) for name, entry in lab.hosts().items()}


def floor_run(ports: dict[str, int], commands: dict[str, list[str]], concurrency: int) -> int:
    """The same lines per host through bare asyncssh sessions; returns the number of failed hosts."""
    targets = {host: (ports[host], lines) for host, lines in commands.items()}
    return asyncio.run(_floor(targets, concurrency, timeout=60.0))


# --- the benchmark ---------------------------------------------------------------------------------------


class Measure:
    """Wall time, this process's CPU (every thread) and the lab's CPU over a block."""

    def __init__(self, lab: BackgroundLab) -> None:
        self.lab = lab

    def __enter__(self) -> Measure:
        self.wall, self.cpu, self.lab_cpu = time.perf_counter(), time.process_time(), self.lab.cpu_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu
        self.lab_cpu = self.lab.cpu_seconds() - self.lab_cpu


def measured(lab: BackgroundLab, run: Callable[[], Any]) -> tuple[Measure, Any]:
    with Measure(lab) as measure:
        outcome = run()
    return measure, outcome


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: list[float], unit: str = "", digits: int = 2) -> str:
    """``median (min-max)`` of a series."""
    low, high = min(values), max(values)
    return f"{median(values):.{digits}f}{unit} ({low:.{digits}f}-{high:.{digits}f})"


def per_switch_ms(seconds: float, count: int) -> float:
    return seconds * 1000 / count


def clocked_run(
    clock: PhaseClock, lab: BackgroundLab, workers: int, task: Callable[..., Any]
) -> AggregatedResult:
    """A Nornir run under the phase clock, which waits for the sessions' transport threads to end."""
    with clock:
        return nornir_run(lab, workers, task)


def compare(
    label: str, lab: BackgroundLab, workers: int, task: Callable[..., Any], repeats: int
) -> tuple[dict[str, Any], AggregatedResult]:
    """``repeats`` interleaved pairs (Nornir run with its phase clock, then the floor typing the same lines):
    the ratios are taken within each pair, then their median printed."""
    count = lab.count
    runs: list[Measure] = []
    floors: list[Measure] = []
    phases: list[Counter[str]] = []
    results: AggregatedResult | None = None
    ports = lab_ports(lab)
    for _ in range(repeats):
        clock = PhaseClock()
        run, results = measured(lab, functools.partial(clocked_run, clock, lab, workers, task))
        lines = typed_lines(results)
        floor, floor_failed = measured(lab, functools.partial(floor_run, ports, lines, workers))
        runs.append(run)
        floors.append(floor)
        phases.append(clock.seconds)
        if floor_failed:
            print(f"    floor: {floor_failed} hosts failed", file=sys.stderr)
    assert results is not None
    failed = sum(1 for multi in results.values() if multi.failed)
    cpu_ratios = [run.cpu / floor.cpu for run, floor in zip(runs, floors, strict=True)]
    wall_ratios = [run.wall / floor.wall for run, floor in zip(runs, floors, strict=True)]
    cpu_ms = [per_switch_ms(run.cpu, count) for run in runs]
    floor_ms = [per_switch_ms(floor.cpu, count) for floor in floors]
    sample = next(iter(typed_lines(results).values()), [])
    print(f"  {label}: {', '.join(sample)} ({failed} failed)")
    print(
        f"    client CPU per switch  {spread(cpu_ms, ' ms')}   floor {spread(floor_ms, ' ms')}"
        f"   -> CPU ratio {spread(cpu_ratios, 'x')}"
    )
    print(
        f"    wall                   {spread([r.wall for r in runs], ' s')}   floor "
        f"{spread([f.wall for f in floors], ' s')}   -> wall ratio {spread(wall_ratios, 'x')}"
    )
    print(f"    lab CPU per switch     {spread([per_switch_ms(r.lab_cpu, count) for r in runs], ' ms')}")
    print("    client CPU per switch by phase (median):")
    breakdown = {}
    for phase in PHASES:
        values = [per_switch_ms(seconds[phase], count) for seconds in phases]
        share = median([seconds[phase] / max(sum(seconds.values()), 1e-9) for seconds in phases])
        breakdown[phase] = round(median(values), 2)
        print(f"      {phase:30} {median(values):6.2f} ms  {share:5.1%}")
    figures = {
        "client_cpu_ms_per_switch": round(median(cpu_ms), 2),
        "floor_cpu_ms_per_switch": round(median(floor_ms), 2),
        "cpu_ratio": round(median(cpu_ratios), 2),
        "wall_s": round(median([r.wall for r in runs]), 2),
        "floor_wall_s": round(median([f.wall for f in floors]), 2),
        "wall_ratio": round(median(wall_ratios), 2),
        "failed": failed,
        "phases_ms_per_switch": breakdown,
    }
    return figures, results


def profile_by_package(lab: BackgroundLab, workers: int, task: Callable[..., Any]) -> None:
    """One more run under cProfile (thread CPU, every thread): self time by package, per switch."""
    with PackageProfile() as profile:
        nornir_run(lab, workers, task)
    groups = profile.by_group()
    total = sum(groups.values())
    print(
        f"    under cProfile (slower, shares indicative): {per_switch_ms(total, lab.count):.1f} ms a switch"
    )
    for group, seconds in groups.most_common():
        print(f"      {group:40} {per_switch_ms(seconds, lab.count):6.2f} ms  {seconds / total:5.1%}")


TASKS = {"state": catlic_get_license_state, "audit": catlic_audit}


def bench(
    count: int, workers: int, repeats: int, tasks: list[str], profile: bool, folder: Path
) -> dict[str, Any]:
    print(f"N = {count} switches, {workers} workers, {repeats} interleaved runs (median (min-max))")
    figures: dict[str, Any] = {"switches": count, "workers": workers}
    with BackgroundLab(count, folder, lab=lab_settings(count), fleet=FLEET) as lab:
        for name in tasks:
            figures[name], results = compare(name, lab, workers, TASKS[name], repeats)
            if name == "audit":
                fleet = summarize_audit(results)
                figures["findings"] = {severity.value: n for severity, n in fleet.by_severity.items()}
            if profile:
                profile_by_package(lab, workers, TASKS[name])
    return figures


def default_workers(count: int) -> int:
    """Enough threads to overlap netmiko's fixed pauses (about 0.25 s a session); past about 50, the GIL
    contention of the worker and paramiko transport threads costs more CPU than the pauses they hide."""
    return count if count <= 100 else 50


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--fleet", type=int, action="append", help="fleet size (repeatable; default 100, 1000)"
    )
    parser.add_argument(
        "--workers", type=int, help="Nornir workers and floor concurrency (default: N up to 100, then 50)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="interleaved runs of each measurement")
    parser.add_argument(
        "--task", choices=sorted(TASKS), action="append", help="state and/or audit (default: both)"
    )
    parser.add_argument("--profile", action="store_true", help="one more run under cProfile: CPU by package")
    parser.add_argument(
        "--transport-setup",
        action="store_true",
        help="auto_connect: False: the transport sets each session up (opt-in of catlic-only inventories)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON at the end")
    args = parser.parse_args()
    if args.transport_setup:
        EXTRAS_OVERRIDES["auto_connect"] = False
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)  # its "Socket exception" noise at close
    warm_up()  # compile the templates once, outside the timings
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    figures = []
    with tempfile.TemporaryDirectory(prefix="bench-fleet-") as folder:
        for count in args.fleet or [100, 1000]:
            workers = args.workers or default_workers(count)
            tasks = args.task or ["state", "audit"]
            figures.append(bench(count, workers, args.repeats, tasks, args.profile, Path(folder)))
    if args.json:
        print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
