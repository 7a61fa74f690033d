"""bench_fleet.py keeps measuring: its CPU phase clock hooks public entry points of Nornir, nornir_netmiko,
paramiko and the library, which refactors move; a hook that no longer finds its target must fail here, not
in the next person's benchmark run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_fleet.py"


def test_bench_fleet_reports_client_cpu_by_phase() -> None:
    completed = subprocess.run(
        [sys.executable, str(BENCH), "--fleet", "3", "--task", "state", "--repeats", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    figures = json.loads(completed.stdout[completed.stdout.index("\n[") :])
    state = figures[0]["state"]
    assert state["failed"] == 0
    assert state["client_cpu_ms_per_switch"] > 0 and state["floor_cpu_ms_per_switch"] > 0
    phases = state["phases_ms_per_switch"]
    # Each hook found its target: every phase a state read goes through was charged some CPU.
    for phase in (
        "session set-up and close (worker)",
        "session set-up (SSH transport thread)",
        "reads (worker)",
        "parsing",
        "state assembly",
        "Nornir tasks",
        "Nornir inventory",
    ):
        assert phases[phase] > 0, (phase, phases)
    # The phases account for the run's whole CPU (``rest`` is the difference, never negative).
    assert (
        abs(sum(phases.values()) - state["client_cpu_ms_per_switch"])
        < 0.05 * state["client_cpu_ms_per_switch"]
    )
