"""Lab benchmark: start-up time and memory per idle device, and netmiko sessions per second.

    .venv/bin/python benchmarks/bench_lab.py                  # N = 100 and 1,000, 300 sessions
    .venv/bin/python benchmarks/bench_lab.py --devices 100 --sessions 200 --threads 30

Every lab runs in its own process (a fresh interpreter, so RSS deltas are honest); netmiko clients run as
threads in this process. Targets (issue 3): 1,000 devices start in under 5 s, an idle device costs under
100 KiB, about 80 new netmiko sessions per second on a 2-core machine.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

FLEET_PLATFORM = "C9300X"
CREDENTIALS = {"username": "admin", "password": "lab-pass-1", "secret": "lab-enable-1"}


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _topology(count: int) -> dict[str, Any]:
    return {
        "lab": {
            "credentials": CREDENTIALS,
            "reload_delay": 1.0,
            "ssm": {"accounts": [{"smart_account": "Bench-SA", "virtual_account": "Bench-VA", "pools": {}}]},
        },
        "fleet": {"count": count, "platform": FLEET_PLATFORM},
    }


# --- child: one lab, measured from inside ---------------------------------------------------------


def child_startup(count: int, state_dir: Path) -> dict[str, Any]:
    """Build and start ``count`` devices; report wall time and the RSS they added."""
    for module in ("virtual_devices.device", "virtual_devices.ssm", "virtual_devices.server"):
        importlib.import_module(module)  # before measuring: code is not per-device memory
    from virtual_devices.cli import grammar_for
    from virtual_devices.commands.base import Mode
    from virtual_devices.lab import Lab

    grammar_for(Mode.PRIVILEGED)  # loads every command module
    gc.collect()
    before = _rss_bytes()
    started = time.perf_counter()
    lab = Lab.from_dict(_topology(count), state_dir)
    built = time.perf_counter()
    lab.start()
    ready = time.perf_counter()
    gc.collect()
    after = _rss_bytes()
    lab.stop()
    return {
        "devices": count,
        "build_seconds": built - started,
        "start_seconds": ready - started,
        "rss_delta_bytes": after - before,
        "bytes_per_device": (after - before) / count,
    }


def child_serve(count: int, state_dir: Path) -> None:
    """Serve ``count`` devices until stdin closes; print the ports as one JSON line when ready."""
    from virtual_devices.lab import Lab

    with Lab.from_dict(_topology(count), state_dir) as lab:
        print(json.dumps(lab.ports), flush=True)
        idle = _cpu_seconds()
        sys.stdin.readline()  # the parent's clients are done
        print(json.dumps({"cpu_seconds": _cpu_seconds() - idle}), flush=True)


# --- parent: drive the children -------------------------------------------------------------------


def _child(*arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, __file__, *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def measure_startup(count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-lab-") as state:
        child = _child("--child-startup", str(count), "--state-dir", state)
        output, _ = child.communicate(timeout=600)
    if child.returncode:
        raise RuntimeError(f"start-up child failed with {child.returncode}")
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def one_session(port: int) -> float:
    import netmiko

    started = time.perf_counter()
    conn = netmiko.ConnectHandler(
        device_type="cisco_xe",
        host="127.0.0.1",
        port=port,
        username=CREDENTIALS["username"],
        password=CREDENTIALS["password"],
        fast_cli=True,
    )
    conn.send_command("show version", read_timeout=30)
    conn.disconnect()
    return time.perf_counter() - started


def measure_sessions(count: int, sessions: int, threads: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-lab-") as state:
        child = _child("--child-serve", str(count), "--state-dir", state)
        assert child.stdout is not None and child.stdin is not None
        ports = list(json.loads(child.stdout.readline()).values())
        targets = [ports[i % len(ports)] for i in range(sessions)]
        failures = 0
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            futures = [pool.submit(one_session, port) for port in targets]
            durations = []
            for future in futures:
                try:
                    durations.append(future.result())
                except Exception:  # counted, not fatal: the figure says how many failed
                    failures += 1
        elapsed = time.perf_counter() - started
        child.stdin.write("done\n")
        child.stdin.flush()
        lab_cpu = json.loads(child.stdout.readline())["cpu_seconds"]
        child.stdin.close()
        child.wait(timeout=60)
    durations.sort()
    return {
        "devices": count,
        "sessions": sessions,
        "threads": threads,
        "failures": failures,
        "seconds": elapsed,
        "sessions_per_second": (sessions - failures) / elapsed,
        "median_session_seconds": durations[len(durations) // 2] if durations else None,
        "lab_cpu_ms_per_session": 1000 * lab_cpu / max(sessions - failures, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--devices", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--threads", type=int, default=40)
    parser.add_argument("--session-devices", type=int, default=100, help="lab size for the sessions figure")
    parser.add_argument("--child-startup", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--state-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child_startup:
        print(json.dumps(child_startup(args.child_startup, args.state_dir)))
        return 0
    if args.child_serve:
        child_serve(args.child_serve, args.state_dir)
        return 0

    print(f"lab benchmark on {os.cpu_count()} CPUs, fleet platform {FLEET_PLATFORM}")
    print(f"{'devices':>8} {'build s':>8} {'start s':>8} {'RSS MiB':>8} {'KiB/device':>11}")
    for count in args.devices:
        figure = measure_startup(count)
        print(
            f"{count:>8} {figure['build_seconds']:>8.2f} {figure['start_seconds']:>8.2f} "
            f"{figure['rss_delta_bytes'] / 2**20:>8.1f} {figure['bytes_per_device'] / 1024:>11.1f}",
            flush=True,
        )
    figure = measure_sessions(args.session_devices, args.sessions, args.threads)
    print(
        f"netmiko: {figure['sessions']} sessions ({figure['threads']} threads) "
        f"against {figure['devices']} devices "
        f"in {figure['seconds']:.2f} s = {figure['sessions_per_second']:.1f} sessions/s, "
        f"median session {figure['median_session_seconds']:.2f} s, {figure['failures']} failures; "
        f"lab CPU {figure['lab_cpu_ms_per_session']:.1f} ms per session"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
