"""No leaks: a long-lived process running air-gapped workflows over a fleet without a journal holds as many
open files afterwards as before and leaves no scratch or temporary folder.

The lab runs in its own process (``python -m virtual_devices up --background``), so every descriptor this
process holds is the library's, Nornir's or netmiko's. ``benchmarks/bench_leaks.py`` does the same over
2,000 switches and prints the figures.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.task import AggregatedResult

from nornir_catlic.errors import WaitingForPortal
from nornir_catlic.journal import Journal
from nornir_catlic.portal import FileDropPortal, relay_through
from nornir_catlic.tasks.slac import catlic_install_slac, catlic_return_slac
from nornir_catlic.transport import closing_session, use_recommended_options
from nornir_catlic.workplace import HOME_ENV, scratch_runs_folder
from virtual_devices.ssm import SimulatedSSM

from .labkit import c9300x_stack, nornir_for, run_one, running_lab

FLEET = 200
WORKERS = 40
FLEET_SPEC = {"platform": "C9300X", "release": "17.9.4", "transport": "off", "name_prefix": "leak-"}


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    """True as soon as ``condition()`` holds, False if it still does not after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def leftovers() -> list[str]:
    """Scratch runs under CATLIC_HOME, and catlic folders in the temporary folder."""
    scratch = [p.name for p in scratch_runs_folder().iterdir()]
    temporary = [p.name for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith("catlic-")]
    return sorted(scratch + temporary)


@pytest.fixture(scope="module")
def fleet_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A background lab of FLEET air-gapped C9300X switches; its state folder."""
    folder = tmp_path_factory.mktemp("leak-lab")
    topology = folder / "fleet.yaml"
    account = {"smart_account": "Leak-SA", "virtual_account": "Leak-VA", "pools": {"C9K HSEC": FLEET}}
    lab = {"reload_delay": 0.3, "ssm": {"accounts": [account]}}
    topology.write_text(yaml.safe_dump({"lab": lab, "fleet": {**FLEET_SPEC, "count": FLEET}}))
    state = folder / "state"
    command = [sys.executable, "-m", "virtual_devices", "up", str(topology), "--background"]
    subprocess.run([*command, "--state-dir", str(state)], check=True, stdout=subprocess.DEVNULL, timeout=300)
    try:
        yield state
    finally:
        subprocess.run(
            [sys.executable, "-m", "virtual_devices", "down", "--state-dir", str(state)],
            stdout=subprocess.DEVNULL,
            timeout=120,
        )


def run_fleet(
    state: Path, task: object, hosts: list[str] | None = None, **params: object
) -> AggregatedResult:
    """One run in a fresh Nornir, each session closed when its host is done, every connection closed after."""
    nr: Nornir = use_recommended_options(
        InitNornir(
            config_file=str(state / "nornir.yaml"),
            runner={"plugin": "threaded", "options": {"num_workers": WORKERS}},
            logging={"enabled": False},
        )
    )
    if hosts is not None:
        nr = nr.filter(filter_func=lambda host: host.name in hosts)
    try:
        return nr.run(task=closing_session(task), on_failed=True, **params)  # type: ignore[arg-type]
    finally:
        nr.close_connections(on_good=True, on_failed=True)


def test_workflows_over_a_fleet_without_a_journal_leave_no_open_file_and_no_folder(
    fleet_lab: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Our own CATLIC_HOME and temporary folder: what is left there is this test's doing, nobody else's.
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    ssm = SimulatedSSM(fleet_lab / "ssm.sqlite")  # answers at once: the relay's files are the run's own
    offline = {"mode": "offline", "portal": ssm}
    warm = ["leak-0001", "leak-0002"]
    # A first round loads what stays loaded for the process (modules, template caches, netmiko's pools).
    for task in (catlic_install_slac, catlic_return_slac):
        results = run_fleet(fleet_lab, task, warm, **offline)
        assert not results.failed, {h: r.exception for h, r in results.failed_hosts.items()}
    files_before, folders_before = open_files(), leftovers()

    installed = run_fleet(fleet_lab, catlic_install_slac, **offline)
    returned = run_fleet(fleet_lab, catlic_return_slac, **offline)

    assert not installed.failed and not returned.failed, {
        host: result.exception for run in (installed, returned) for host, result in run.failed_hosts.items()
    }
    assert len(installed) == FLEET and all(r[0].changed for r in installed.values())
    assert all(r[0].changed for r in returned.values())
    assert ssm.reservations() == [], "every key went back: the runs did their work"
    # Sessions close on their own threads: wait for the count to settle, never for a fixed time.
    settled = wait_for(lambda: open_files() <= files_before, 30)
    assert settled, f"{open_files()} open files after the runs, {files_before} before"
    assert folders_before == [] and leftovers() == [], "no scratch run nor temporary folder is left behind"


def test_a_scratch_journal_a_resume_needs_is_kept_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An offline return without a journal that waits for SSM's ACK keeps its codes' scratch journal, says
    where, and a run given that journal finishes the exchange; then nothing is left."""
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    device = c9300x_stack("keep", "FOCZ0", members=1, transport="off", slacs="all")
    with running_lab(tmp_path / "lab", [device], keys=2) as lab:
        nr = nornir_for(lab)
        portal = FileDropPortal(tmp_path / "portal")
        waiting = run_one(nr, "keep", catlic_return_slac, mode="offline", portal=portal)
        assert isinstance(waiting.exception, WaitingForPortal), waiting.exception
        [kept] = scratch_runs_folder().iterdir()
        assert stat.S_IMODE(kept.stat().st_mode) == 0o700
        journal_path = kept / "journal.db"
        assert f"its scratch journal is kept at {journal_path}" in "\n".join(waiting.exception.__notes__)
        assert Journal(journal_path).unacknowledged_returns("keep") != {}, "the return codes are there"

        relay_through(portal, lab.context.ssm, "keep")
        with Journal(journal_path) as journal:
            done = run_one(nr, "keep", catlic_return_slac, mode="offline", portal=portal, journal=journal)
            assert not done.failed, done.exception
            assert journal.unacknowledged_returns("keep") == {}
        nr.close_connections()
