"""The `catlic` command end to end: process start, inventory, the run, the JSON, over N lab switches.

    .venv/bin/python benchmarks/bench_cli.py                   # N = 200 and 1,000
    .venv/bin/python benchmarks/bench_cli.py --fleet 200 --workers 50

Each N gets its own lab (`catlic lab up --fleet N`, in the background). The figures are wall times of
whole `catlic` processes as a user runs them, so they include the interpreter's start and the imports
(`catlic --version` shows that fixed cost alone).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOPOLOGY = """\
lab:
  credentials: {username: admin, password: bench-pass-1, secret: bench-enable-1}
  ssm:
    accounts:
      - {smart_account: Eg-SA, virtual_account: Eg-VA, pools: {"C9K HSEC": 10}}
devices: []
fleet: {count: 0, platform: C9300X, release: 17.9.4, transport: smart}
"""


def catlic(
    *args: str, cwd: Path, env_state: Path | None = None
) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {**os.environ, "CATLIC_LAB_STATE": str(env_state)} if env_state is not None else None
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "nornir_catlic.cli", *args], capture_output=True, text=True, cwd=cwd, env=env
    )
    return time.perf_counter() - started, done


def measure(fleet: int, workers: int, work: Path) -> list[tuple[str, float, str]]:
    (work / "topology.yaml").write_text(TOPOLOGY)
    state = work / f"lab-{fleet}"
    rows: list[tuple[str, float, str]] = []
    seconds, done = catlic(
        "lab",
        "up",
        "--topology",
        str(work / "topology.yaml"),
        "--fleet",
        str(fleet),
        "--state-dir",
        str(state),
        cwd=work,
    )
    if done.returncode != 0:
        raise SystemExit(f"the lab did not start: {done.stderr.strip()}")
    rows.append((f"lab up --fleet {fleet}", seconds, ""))
    try:
        for command in (["state", "--json"], ["audit", "--json"]):
            seconds, done = catlic(
                *command, "--workers", str(workers), "--no-progress", cwd=work, env_state=state
            )
            note = f"exit {done.returncode}"
            try:
                recap = json.loads(done.stdout)["recap"]
                note += f", ok={recap['ok']} failed={recap['failed']}"
            except (ValueError, KeyError):
                note += ", no JSON"
            rows.append((f"{' '.join(command)} ({fleet} switches, {workers} workers)", seconds, note))
    finally:
        catlic("lab", "down", "--state-dir", str(state), cwd=work)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fleet", type=int, action="append", help="switches in the lab (repeatable)")
    parser.add_argument("--workers", type=int, default=100)
    args = parser.parse_args()
    fleets = args.fleet or [200, 1000]
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as folder:
        work = Path(folder)
        seconds, _ = catlic("--version", cwd=work)
        rows = [("catlic --version (start-up and imports)", seconds, "")]
        for fleet in fleets:
            rows += measure(fleet, args.workers, work)
    width = max(len(label) for label, _, _ in rows)
    for label, seconds, note in rows:
        print(f"{label:<{width}}  {seconds:7.2f} s  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
