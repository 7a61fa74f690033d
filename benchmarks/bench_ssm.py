"""Simulated SSM benchmark: SLAC exchanges per second, alone and contended, and that a pool never overdraws.

    .venv/bin/python benchmarks/bench_ssm.py                 # 400 UDIs, 1 and 8 threads, 2 processes
    .venv/bin/python benchmarks/bench_ssm.py --udis 1000

Each exchange is one ``BEGIN IMMEDIATE`` transaction on its own sqlite connection (WAL), as a switch's online
request or an operator's "Multiple Devices" upload would be.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from virtual_devices.ssm import SimulatedSSM, SSMError

WORKER = """
import sys
from virtual_devices.ssm import SimulatedSSM, SSMError
portal = SimulatedSSM(sys.argv[1])
won = 0
for i in range(int(sys.argv[3])):
    try:
        portal.generate_slacs([("C9300X-24HX", f"{sys.argv[2]}{i:05d}")])
        won += 1
    except SSMError:
        pass
print(won)
"""


def _exchange(portal: SimulatedSSM, serial: str) -> bool:
    try:
        portal.generate_slacs([("C9300X-24HX", serial)])
        return True
    except SSMError:
        return False


def run(udis: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for threads in (1, 8):
            db = Path(folder) / f"ssm-{threads}.sqlite"
            portal = SimulatedSSM(db)
            portal.add_account("Bench-SA", "Bench-VA", {"C9K HSEC": udis // 2})
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=threads) as pool:
                serials = [f"B{i:05d}" for i in range(udis)]
                won = sum(pool.map(_exchange, [portal] * udis, serials))
            elapsed = time.perf_counter() - started
            in_use = portal.pools()[0].in_use
            print(
                f"{threads} thread(s): {udis} requests in {elapsed:.2f} s ({udis / elapsed:.0f}/s); "
                f"{won} granted, pool of {udis // 2} holds {in_use} reservations"
            )

        db = Path(folder) / "ssm-processes.sqlite"
        SimulatedSSM(db).add_account("Bench-SA", "Bench-VA", {"C9K HSEC": udis // 2})
        started = time.perf_counter()
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, str(db), tag, str(udis // 2)], stdout=subprocess.PIPE
            )
            for tag in "PQ"
        ]
        won = sum(int(proc.communicate()[0]) for proc in workers)
        elapsed = time.perf_counter() - started
        in_use = SimulatedSSM(db).pools()[0].in_use
        print(
            f"2 processes: {udis} requests in {elapsed:.2f} s (start-up included); "
            f"{won} granted, pool of {udis // 2} holds {in_use} reservations"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--udis", type=int, default=400)
    args, _ = parser.parse_known_args()
    run(args.udis)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
