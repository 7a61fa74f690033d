"""Leak benchmark: open files and leftover folders of one long-lived process running workflows over a fleet.

    .venv/bin/python benchmarks/bench_leaks.py                 # N = 2,000
    .venv/bin/python benchmarks/bench_leaks.py --fleet 200 --json

The lab runs in its own process (``python -m virtual_devices up --background --fleet N``, air-gapped
C9300X switches), so every descriptor this process holds is the library's, Nornir's or netmiko's. This
process, without a journal, runs an air-gapped SLAC install and then a return over every switch, the lab's
SSM answering at once (each host keeps a scratch journal and the relay's files until its workflow ends).
It counts the open files (``/proc/self/fd``), the scratch runs under ``CATLIC_HOME`` and the ``catlic-*``
folders in the temporary folder before (after a warm-up on two switches) and after. Issue 8: equal.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from background_lab import BackgroundLab
from nornir import InitNornir
from nornir.core.task import AggregatedResult

from nornir_catlic.parsing import warm_up
from nornir_catlic.tasks.slac import catlic_install_slac, catlic_return_slac
from nornir_catlic.transport import closing_session, use_recommended_options
from nornir_catlic.workplace import HOME_ENV, scratch_runs_folder
from virtual_devices.ssm import SimulatedSSM

FLEET = {"platform": "C9300X", "release": "17.9.4", "transport": "off", "name_prefix": "leak-"}
SETTLE_SECONDS = 60.0


def leak_lab_settings(keys: int) -> dict[str, Any]:
    account = {"smart_account": "Leak-SA", "virtual_account": "Leak-VA", "pools": {"C9K HSEC": keys}}
    return {"reload_delay": 0.3, "ssm": {"accounts": [account]}}


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def leftovers() -> list[str]:
    scratch = [p.name for p in scratch_runs_folder().iterdir()]
    temporary = [p.name for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith("catlic-")]
    return sorted(scratch + temporary)


def run_fleet(
    lab: BackgroundLab, workers: int, task: Callable[..., Any], hosts: list[str] | None = None, **params: Any
) -> AggregatedResult:
    """One run in a fresh Nornir, each session closed when its host is done, every connection after."""
    nr = use_recommended_options(
        InitNornir(
            config_file=str(lab.state_dir / "nornir.yaml"),
            runner={"plugin": "threaded", "options": {"num_workers": workers}},
            logging={"enabled": False},
        )
    )
    if hosts is not None:
        nr = nr.filter(filter_func=lambda host: host.name in hosts)
    try:
        return nr.run(task=closing_session(task), on_failed=True, **params)
    finally:
        nr.close_connections(on_good=True, on_failed=True)


def settle(target: int) -> int:
    """Open files once sessions closing on their own threads are done (at most SETTLE_SECONDS)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while open_files() > target and time.monotonic() < deadline:
        time.sleep(0.1)
    return open_files()


def bench(count: int, workers: int, folder: Path) -> dict[str, Any]:
    print(f"N = {count} switches, {workers} workers, no journal")
    with BackgroundLab(count, folder, lab=leak_lab_settings(count), fleet=FLEET) as lab:
        offline = {"mode": "offline", "portal": SimulatedSSM(lab.ssm_database)}
        for task in (catlic_install_slac, catlic_return_slac):  # warm-up: what stays loaded for the process
            run_fleet(lab, workers, task, ["leak-0001", "leak-0002"], **offline)
        files_before, folders_before = open_files(), leftovers()
        figures: dict[str, Any] = {"switches": count, "workers": workers, "open_files_before": files_before}
        for name, task in (("install", catlic_install_slac), ("return", catlic_return_slac)):
            started = time.perf_counter()
            results = run_fleet(lab, workers, task, **offline)
            figures[f"{name}_seconds"] = round(time.perf_counter() - started, 1)
            figures[f"{name}_failed"] = len(results.failed_hosts)
            print(f"  {name:<8} {figures[f'{name}_seconds']:7.1f} s  {len(results.failed_hosts)} failed")
        figures["open_files_after"] = settle(files_before)
        figures["leftover_folders_before"] = len(folders_before)
        figures["leftover_folders_after"] = len(leftovers())
    files = f"{figures['open_files_before']} before, {figures['open_files_after']} after"
    folders = f"{figures['leftover_folders_before']} before, {figures['leftover_folders_after']} after"
    print(f"  open files: {files}; leftover folders: {folders}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fleet", type=int, action="append", help="fleet size (repeatable; default 2000)")
    parser.add_argument("--workers", type=int, default=50, help="Nornir workers (default 50)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON at the end")
    args, _ = parser.parse_known_args()  # `python -m benchmarks` hands every script the same options
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)  # its "Socket exception" noise at close
    warm_up()
    figures = []
    with tempfile.TemporaryDirectory(prefix="bench-leaks-") as folder:
        # This run's own CATLIC_HOME and temporary folder: what is left there is the benchmark's doing.
        os.environ[HOME_ENV] = str(Path(folder) / "home")
        (Path(folder) / "tmp").mkdir()
        tempfile.tempdir = str(Path(folder) / "tmp")
        for count in args.fleet or [2000]:
            figures.append(bench(count, args.workers, Path(folder)))
    if args.json:
        print(json.dumps(figures, indent=1))
    leaked = [
        f for f in figures if f["open_files_after"] > f["open_files_before"] or f["leftover_folders_after"]
    ]
    return 1 if leaked else 0


if __name__ == "__main__":
    sys.exit(main())
