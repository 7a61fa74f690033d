"""``catlic-lab down`` signals the lab it started and no other process, whatever ``lab.pid`` holds; ``up``
on a folder built from another topology refuses (exit 3) unless ``--fresh``. As processes, as users run them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from virtual_devices.lab import Lab, send_control
from virtual_devices.lab_process import (
    Verdict,
    check_lab_process,
    identity_of,
    recorded_process,
    still_running,
)

LAB = {"lab": {"reload_delay": 0.3}, "devices": [{"name": "sw1", "platform": "C9300X"}]}
OTHER_LAB = {"lab": {"reload_delay": 0.3}, "devices": [{"name": "sw2", "platform": "C9200"}]}


def catlic_lab(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "virtual_devices", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def bystander() -> Iterator[subprocess.Popen[bytes]]:
    """An unrelated live process, as the kernel may hand a dead lab's PID to."""
    process = subprocess.Popen(["sleep", "60"])
    try:
        yield process
    finally:
        process.kill()
        process.wait()


def write_pid_file(state: Path, pid: int) -> None:
    state.mkdir(parents=True, exist_ok=True)
    (state / "lab.pid").write_text(f"{pid}\n")


def test_down_leaves_an_unrelated_process_named_by_the_pid_file_alone(
    tmp_path: Path, bystander: subprocess.Popen[bytes]
) -> None:
    state = tmp_path / "state"
    write_pid_file(state, bystander.pid)

    down = catlic_lab("down", "--state-dir", str(state), cwd=tmp_path)

    assert down.returncode == 0, down.stderr
    assert bystander.poll() is None  # still running: not signalled
    assert f"lab.pid named pid {bystander.pid}, which is now another process (`sleep 60`)" in down.stdout
    assert "left it alone and removed the stale lab.pid" in down.stdout
    assert not (state / "lab.pid").exists()


def test_a_recorded_lab_whose_pid_was_reused_is_not_signalled(
    tmp_path: Path, bystander: subprocess.Popen[bytes]
) -> None:
    """The record says pid N was a lab started at another time: the process now under N is someone else."""
    state = tmp_path / "state"
    write_pid_file(state, bystander.pid)
    record = {
        "pid": bystander.pid,
        "started": "an-earlier-boot/12345",
        "command": [sys.executable, "-m", "virtual_devices", "up", "--state-dir", str(state)],
    }
    (state / "lab.process.json").write_text(json.dumps(record))

    check = check_lab_process(state)
    down = catlic_lab("down", "--state-dir", str(state), cwd=tmp_path)

    assert check.verdict is Verdict.OTHER
    assert down.returncode == 0, down.stderr
    assert bystander.poll() is None
    assert "which is now another process" in down.stdout
    assert not (state / "lab.pid").exists() and not (state / "lab.process.json").exists()


def test_a_pid_file_of_a_lab_that_died_is_cleared(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    state = tmp_path / "state"
    write_pid_file(state, dead.pid)
    (state / "lab.ready").write_text("{}")

    down = catlic_lab("down", "--state-dir", str(state), cwd=tmp_path)

    assert down.returncode == 0
    assert down.stdout.strip() == f"no lab running from {state}"
    assert not (state / "lab.pid").exists() and not (state / "lab.ready").exists()


def test_down_stops_the_lab_it_started_and_up_ignores_a_stale_pid_file(
    tmp_path: Path, bystander: subprocess.Popen[bytes]
) -> None:
    topology = tmp_path / "lab.yaml"
    topology.write_text(yaml.safe_dump(LAB))
    state = tmp_path / "state"
    write_pid_file(state, bystander.pid)  # a stale pid file does not make a lab "already running"

    up = catlic_lab("up", str(topology), "--state-dir", str(state), "--background", cwd=tmp_path)
    assert up.returncode == 0, up.stderr
    lab = recorded_process(state)
    try:
        assert lab is not None and identity_of(lab.pid) == lab
        assert check_lab_process(state).is_lab
        status = catlic_lab("status", "--state-dir", str(state), cwd=tmp_path)
        down = catlic_lab("down", "--state-dir", str(state), cwd=tmp_path)
    finally:
        if lab is not None and still_running(lab):
            os.kill(lab.pid, 9)

    assert status.returncode == 0
    assert f"topology: {topology} (1 device, sha256 " in status.stdout
    assert down.returncode == 0, down.stderr
    assert down.stdout.strip() == f"lab stopped (pid {lab.pid})"
    assert not still_running(lab)
    assert bystander.poll() is None
    assert not (state / "lab.pid").exists()


def test_up_refuses_a_folder_built_from_another_topology_unless_fresh(tmp_path: Path) -> None:
    first, other = tmp_path / "first.yaml", tmp_path / "other.yaml"
    first.write_text(yaml.safe_dump(LAB))
    other.write_text(yaml.safe_dump(OTHER_LAB))
    state = tmp_path / "state"
    built = catlic_lab("up", str(first), "--state-dir", str(state), "--background", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert f"new state in {state}" in built.stdout
    assert catlic_lab("down", "--state-dir", str(state), cwd=tmp_path).returncode == 0

    refused = catlic_lab("up", str(other), "--state-dir", str(state), "--background", cwd=tmp_path)
    resumed = catlic_lab("up", str(first), "--state-dir", str(state), "--background", cwd=tmp_path)
    catlic_lab("down", "--state-dir", str(state), cwd=tmp_path)
    fresh = catlic_lab("up", str(other), "--state-dir", str(state), "--background", "--fresh", cwd=tmp_path)
    catlic_lab("down", "--state-dir", str(state), cwd=tmp_path)

    assert refused.returncode == 3
    assert f"the state folder {state} holds the lab of another topology" in refused.stderr
    assert f"built from {first} (1 device" in refused.stderr and f"not {other} (1 device" in refused.stderr
    assert resumed.returncode == 0, resumed.stderr
    assert f"resumed the switches, keys and SSM pool saved in {state}" in resumed.stdout
    assert fresh.returncode == 0, fresh.stderr
    assert f"new state in {state}" in fresh.stdout
    assert json.loads((state / "topology.json").read_text())["path"] == str(other)
    assert sorted(path.name for path in (state / "inventory").iterdir()) == [
        "defaults.yaml",
        "groups.yaml",
        "hosts.yaml",
    ]
    assert list(yaml.safe_load((state / "inventory" / "hosts.yaml").read_text())) == ["sw2"]


def test_down_with_no_pid_file_keeps_the_files_of_a_lab_that_answers(tmp_path: Path) -> None:
    """A lab run in-process (a test's, a script's) has no pid file: down must not cut its control socket."""
    with Lab.from_dict(LAB, tmp_path):
        down = catlic_lab("down", "--state-dir", str(tmp_path), cwd=tmp_path)

        assert down.stdout.strip() == f"no lab running from {tmp_path}"
        assert send_control(tmp_path, {"op": "status"})["devices"] == 1
