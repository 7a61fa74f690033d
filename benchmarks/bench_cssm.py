"""Usage reports of an air-gapped fleet by Cisco's API (``report --offline --cssm``) beside the file drop.

    .venv/bin/python benchmarks/bench_cssm.py                  # N = 1,000 air-gapped lab switches
    .venv/bin/python benchmarks/bench_cssm.py --fleet 200 --workers 50

One lab (``catlic lab up --fleet N``, in the background) serves the switches and the lab's SSM as Cisco's
API over HTTPS. Two whole ``catlic`` processes report every switch's usage, an hour of lab time apart:

- ``--cssm``: the API answers, several switches per request (``batch_size``), every request before the first
  poll; the lab's service counts the HTTP requests, submissions and polls it served.
- ``--lab-ssm``: the file-drop flow with the lab's SSM playing the operator, one exchange per switch.

Requests must grow far slower than switches: a batch of 50 switches costs one submission and its polls.
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml
from bench_cli import TOPOLOGY as CLI_TOPOLOGY

# bench_cli's fleet, air-gapped: every exchange with SSM crosses the gap as a file
TOPOLOGY = CLI_TOPOLOGY.replace("transport: smart", 'transport: "off"')


def catlic(*args: str, cwd: Path, state: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {**os.environ, "CATLIC_LAB_STATE": str(state), "CATLIC_HOME": str(cwd / "home")}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "nornir_catlic.cli", *args], capture_output=True, text=True, cwd=cwd, env=env
    )
    return time.perf_counter() - started, done


def api_stats(state: Path) -> dict[str, Any]:
    settings = yaml.safe_load((state / "cssm.yaml").read_text())
    with httpx.Client(verify=ssl.create_default_context(cafile=settings["ca_bundle"])) as http:
        stats: dict[str, Any] = http.get(settings["base_url"] + "/lab/cssm/stats").json()
    return stats


def advance_lab_clock(state: Path, seconds: float) -> None:
    """Lab time passes, so that every switch has new usage to report."""
    from virtual_devices.lab import send_control

    send_control(state, {"op": "clock", "seconds": seconds})


def reported(done: subprocess.CompletedProcess[str]) -> int:
    hosts = json.loads(done.stdout)["hosts"].values()
    return sum(1 for host in hosts if host["status"] == "changed")


def measure(fleet: int, workers: int, work: Path) -> None:
    topology = work / "topology.yaml"
    topology.write_text(TOPOLOGY)
    state = work / f"lab-{fleet}"
    fleet_lab = {"--topology": str(topology), "--fleet": str(fleet), "--state-dir": str(state)}
    seconds, done = catlic(
        "lab", "up", *(word for pair in fleet_lab.items() for word in pair), cwd=work, state=state
    )
    if done.returncode != 0:
        raise SystemExit(f"the lab did not start: {done.stderr.strip()}")
    print(f"  lab: {fleet} air-gapped switches and Cisco's API up in {seconds:.1f} s")
    try:
        advance_lab_clock(state, 3600)
        before = api_stats(state)
        seconds, done = catlic(
            "report", "--offline", "--cssm", "--workers", str(workers), "--json", cwd=work, state=state
        )
        after = api_stats(state)
        if done.returncode != 0:
            raise SystemExit(f"report --cssm failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
        requests = after["requests"] - before["requests"]
        submissions = sum(after["submissions"].values()) - sum(before["submissions"].values())
        polls = after["polls"] - before["polls"]
        print(
            f"  report --offline --cssm:    {fleet} switches, {reported(done)} ACKs imported "
            f"in {seconds:.1f} s; "
            f"{requests} HTTP requests ({submissions} submissions, {polls} polls, "
            f"{after['tokens_issued'] - before['tokens_issued']} token), "
            f"{requests / fleet:.3f} requests per switch"
        )
        advance_lab_clock(state, 3600)
        seconds, done = catlic(
            "report", "--offline", "--lab-ssm", "--workers", str(workers), "--json", cwd=work, state=state
        )
        if done.returncode != 0:
            raise SystemExit(f"report --lab-ssm failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
        print(
            f"  report --offline --lab-ssm: {fleet} switches, {reported(done)} ACKs imported "
            f"in {seconds:.1f} s; "
            f"{fleet} exchanges with the SSM (one per switch, file drop)"
        )
    finally:
        catlic("lab", "down", "--state-dir", str(state), cwd=work, state=state)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fleet", type=int, default=1000, help="lab switches (default 1,000)")
    parser.add_argument("--workers", type=int, default=50, help="Nornir workers (default 50)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-cssm-") as folder:
        measure(args.fleet, args.workers, Path(folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
