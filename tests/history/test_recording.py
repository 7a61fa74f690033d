"""What a `catlic state` or `audit` run records: read hosts, failed hosts with their error, never a dry run;
``CATLIC_HISTORY_KEEP`` prunes as it records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from history.guide_states import MORNING, guide_stack
from nornir_catlic import locks
from nornir_catlic.cli.history_recording import record_in_history
from nornir_catlic.cli.outcome import HostOutcome, WorkflowRun
from nornir_catlic.history import KEEP_ENV, fleet_at, runs


def _state_run(*, dry_run: bool = False) -> WorkflowRun:
    return WorkflowRun(
        "state",
        dry_run=dry_run,
        outcomes={
            "sw-1": HostOutcome("sw-1", ok=True, changed=False, result=guide_stack("sw-1")),
            "sw-2": HostOutcome("sw-2", ok=False, changed=False, error="TCP connection to device failed"),
            "sw-3": HostOutcome("sw-3", ok=False, changed=False, error="not started", not_started=True),
        },
    )


@pytest.fixture
def store_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "catlic.db"
    monkeypatch.setenv(locks.STORE_ENV, str(path))
    monkeypatch.delenv(KEEP_ENV, raising=False)
    return path


def test_a_state_run_records_read_and_failed_hosts_but_not_hosts_never_started(store_file: Path) -> None:
    run_id = record_in_history(
        _state_run(), started_at=MORNING, finished_at=MORNING + dt.timedelta(minutes=1)
    )

    store = locks.lock_store()
    assert run_id == 1
    fleet = fleet_at(store, 1)
    assert list(fleet) == ["sw-1", "sw-2"]
    assert fleet["sw-1"].state is not None and fleet["sw-1"].findings is None
    assert fleet["sw-2"].error == "TCP connection to device failed"
    assert runs(store)[0].command == "catlic"  # no click command around: the program's name alone


def test_a_dry_run_or_another_workflow_records_nothing(store_file: Path) -> None:
    assert record_in_history(_state_run(dry_run=True), started_at=MORNING, finished_at=MORNING) is None
    other = WorkflowRun("slac-install", dry_run=False, outcomes=_state_run().outcomes)
    assert record_in_history(other, started_at=MORNING, finished_at=MORNING) is None
    assert not store_file.exists()


def test_the_keep_setting_prunes_older_runs_as_each_run_is_recorded(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEEP_ENV, "10d")
    for day in (0, 5, 20):
        moment = MORNING + dt.timedelta(days=day)
        record_in_history(_state_run(), started_at=moment, finished_at=moment)

    assert [recorded.started_at for recorded in runs(locks.lock_store())] == [MORNING + dt.timedelta(days=20)]


def test_a_bad_keep_setting_is_said_and_the_run_stands(
    store_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(KEEP_ENV, "a year")

    assert record_in_history(_state_run(), started_at=MORNING, finished_at=MORNING) is None
    assert (
        "not recorded in the history: CATLIC_HISTORY_KEEP: 'a year' is not a duration"
        in capsys.readouterr().err
    )
