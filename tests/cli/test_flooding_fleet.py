"""`catlic state` as a process over a lab fleet where one switch floods: that host fails quickly with the
reason, every other host is read, and the command exits as a partial failure."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from catlic_process import catlic_lab, json_of, run_catlic

from nornir_catlic.transport import MAX_COMMAND_OUTPUT_CHARS

TOPOLOGY = """\
lab:
  credentials: {username: admin, password: lab-pass-1, secret: lab-enable-1}
devices: []
fleet: {count: 0, platform: C9300X, release: 17.9.4, transport: smart}
"""
FLEET = 4


def set_fault(state_dir: Path, device: str, setting: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "virtual_devices", "faults", device, setting, "--state-dir", str(state_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_state_fails_the_flooding_host_with_the_reason_and_reads_the_others(tmp_path: Path) -> None:
    (tmp_path / "topology.yaml").write_text(TOPOLOGY)
    state_dir = tmp_path / "state"
    topology = str(tmp_path / "topology.yaml")
    with catlic_lab(
        tmp_path, "--topology", topology, "--fleet", str(FLEET), state_dir=state_dir, in_process=True
    ):
        set_fault(state_dir, "fleet-0002", f"flood_bytes={MAX_COMMAND_OUTPUT_CHARS + 1024 * 1024}")
        start = time.monotonic()
        done = run_catlic(
            "state", "--json", cwd=tmp_path, env={"CATLIC_LAB_STATE": str(state_dir)}, in_process=True
        )
        elapsed = time.monotonic() - start

    document = json_of(done)
    assert done.returncode == 1, done.stderr
    assert document["recap"]["ok"] == FLEET - 1
    assert document["recap"]["failed"] == 1
    failed = document["hosts"]["fleet-0002"]
    assert failed["status"] == "failed"
    assert f"output of 'show version' exceeded {MAX_COMMAND_OUTPUT_CHARS:,} bytes" in failed["error"]
    assert all(document["hosts"][f"fleet-000{n}"]["status"] == "ok" for n in (1, 3, 4))
    assert elapsed < 60
