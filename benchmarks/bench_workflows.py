"""Write-side workflow benchmark: SLAC install, usage report and SLAC return online over N lab switches.

    .venv/bin/python benchmarks/bench_workflows.py                    # N = 100, 50 workers
    .venv/bin/python benchmarks/bench_workflows.py --fleet 500 --workers 100

The lab runs in its own process (``python -m virtual_devices up --background --fleet N``); the tasks run over
netmiko with the recommended connection options, a threaded runner and a journal on disk. Each figure is the
wall time of one ``nr.run`` over the whole fleet; afterwards the simulated SSM's pool is checked (every key
issued once, every key back after the return).
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from background_lab import BackgroundLab
from nornir import InitNornir
from nornir.core import Nornir
from nornir.plugins.runners import ThreadedRunner

from nornir_catlic.journal import Journal
from nornir_catlic.parsing import warm_up
from nornir_catlic.tasks import catlic_install_slac, catlic_report_usage, catlic_return_slac
from nornir_catlic.transport import use_recommended_options
from virtual_devices.ssm import SimulatedSSM

FLEET = {"platform": "C9300X", "release": "17.9.4", "transport": "smart"}


def lab_settings(keys: int) -> dict[str, Any]:
    return {
        "credentials": {"username": "admin", "password": "lab-pass-1", "secret": "lab-enable-1"},
        "reload_delay": 1.0,
        "ssm": {
            "accounts": [
                {"smart_account": "Bench-SA", "virtual_account": "Bench-VA", "pools": {"C9K HSEC": keys}}
            ]
        },
    }


def timed(label: str, nr: Nornir, task: Callable[..., Any], **params: Any) -> float:
    started = time.perf_counter()
    results = nr.run(task=task, on_failed=True, **params)
    wall = time.perf_counter() - started
    failed = sorted(name for name, multi in results.items() if multi.failed)
    changed = sum(1 for multi in results.values() if multi[0].changed)
    print(
        f"  {label:<28} {wall:7.2f} s  ({wall / len(results) * 1000:6.1f} ms/host wall, "
        f"{changed} changed, {len(failed)} failed{': ' + ', '.join(failed[:5]) if failed else ''})"
    )
    return wall


def run(count: int, workers: int) -> None:
    for noisy in ("nornir", "paramiko"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    warm_up()
    with (
        tempfile.TemporaryDirectory() as folder,
        BackgroundLab(count, Path(folder), lab=lab_settings(count), fleet=FLEET) as lab,
    ):
        nr = use_recommended_options(InitNornir(config_file=str(lab.state_dir / "nornir.yaml")))
        nr = nr.with_runner(ThreadedRunner(num_workers=workers))
        journal = Journal(Path(folder) / "journal.jsonl")
        print(f"N = {count} switches, {workers} workers")
        timed("install online", nr, catlic_install_slac, journal=journal)
        timed("install again (no-op)", nr, catlic_install_slac, journal=journal)
        timed("usage report online", nr, catlic_report_usage, journal=journal)
        timed("return online", nr, catlic_return_slac, journal=journal)
        nr.close_connections()
        pool = SimulatedSSM(lab.ssm_database).pools()[0]
        print(
            f"  SSM pool after the return: {pool.in_use} of {pool.total} keys in use; "
            f"journal {len(journal)} lines"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fleet", type=int, action="append", help="switches (repeatable; default 100)")
    parser.add_argument("--workers", type=int, default=50)
    args = parser.parse_args(argv)
    for count in args.fleet or [100]:
        run(count, args.workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
