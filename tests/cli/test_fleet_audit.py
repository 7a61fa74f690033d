"""The issue's fleet check: `catlic audit --json` over 200 generated switches, progress bar on a terminal."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from catlic_process import catlic_lab, json_of, run_catlic_on_terminal

FLEET = 200
TOPOLOGY = """\
lab:
  credentials: {username: admin, password: lab-pass-1, secret: lab-enable-1}
  ssm:
    accounts:
      - {smart_account: Eg-SA, virtual_account: Eg-VA, pools: {"C9K HSEC": 10}}
devices: []
fleet: {count: 0, platform: C9300X, release: 17.9.4, transport: smart}
"""


@pytest.fixture(scope="module")
def fleet_lab(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, subprocess.CompletedProcess[str]]]:
    work = tmp_path_factory.mktemp("fleet")
    (work / "topology.yaml").write_text(TOPOLOGY)
    state_dir = work / "state"
    topology = str(work / "topology.yaml")
    with catlic_lab(
        work, "--topology", topology, "--fleet", str(FLEET), state_dir=state_dir, timeout=300, in_process=True
    ) as up:
        yield state_dir, up


def test_lab_up_with_a_fleet_lists_the_first_devices_and_counts_the_rest(
    fleet_lab: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    _, up = fleet_lab

    assert "fleet-0001" in up.stdout
    assert f"... and {FLEET - 30} more" in up.stdout


def test_audit_json_over_200_switches_shows_progress_and_prints_valid_json(
    fleet_lab: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    state_dir, _ = fleet_lab

    done, terminal = run_catlic_on_terminal(
        "audit", "--json", "--workers", "50", cwd=tmp_path, env={"CATLIC_LAB_STATE": str(state_dir)}
    )

    assert done.returncode in (0, 2), terminal
    document = json_of(done)
    assert document["schema"] == "catlic/audit/v1"
    assert len(document["hosts"]) == FLEET
    assert document["recap"]["ok"] == FLEET
    assert document["summary"]["hosts_total"] == FLEET
    assert f"{FLEET}/{FLEET} hosts" in terminal
