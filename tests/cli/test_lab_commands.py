"""``catlic lab`` and ``catlic ssm`` as processes against one lab started by ``catlic lab up`` for the module.

The test of ``catlic lab down`` stops a lab of its own, so the module's lab runs for every other test.
"""

from __future__ import annotations

import json
import stat
import subprocess
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from catlic_process import catlic_lab, json_of, run_catlic

TOPOLOGY = textwrap.dedent(
    """\
    lab:
      credentials: {username: admin, password: lab-pass-1, secret: lab-enable-1}
      reload_delay: 0.5
      ssm:
        accounts:
          - {smart_account: Eg-SA, virtual_account: Eg-VA, pools: {"C9K HSEC": 10}}
    devices:
      - {name: c9300x-stack, platform: C9300X}
      - {name: c9200-access, platform: C9200}
    fleet: {count: 3, platform: C9300X, name_prefix: edge-}
    """
)


@dataclass(frozen=True)
class RunningLab:
    work: Path
    state_dir: Path
    up: subprocess.CompletedProcess[str]

    def catlic(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """``catlic`` in a folder of its own, finding the lab through CATLIC_LAB_STATE."""
        environment = {"CATLIC_LAB_STATE": str(self.state_dir), **(env or {})}
        return run_catlic(*args, cwd=self.work, env=environment, in_process=True)


def lab_from_the_topology(work: Path) -> Iterator[RunningLab]:
    topology = work / "topology.yaml"
    topology.write_text(TOPOLOGY)
    state_dir = work / "state"
    with catlic_lab(work, "--topology", str(topology), state_dir=state_dir, in_process=True) as up:
        yield RunningLab(work, state_dir, up)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    yield from lab_from_the_topology(tmp_path_factory.mktemp("lab-commands"))


@pytest.fixture
def lab_to_stop(tmp_path: Path) -> Iterator[RunningLab]:
    """A lab for one test to stop (``lab down`` after it has stopped says so and changes nothing)."""
    yield from lab_from_the_topology(tmp_path)


def test_lab_up_shows_the_devices_and_where_the_inventory_is(lab: RunningLab) -> None:
    for name in ("c9300x-stack", "c9200-access", "edge-0001", "edge-0003"):
        assert name in lab.up.stdout
    assert f"Nornir config: {lab.state_dir / 'nornir.yaml'}" in lab.up.stdout
    assert f"Inventory:     {lab.state_dir / 'inventory'}" in lab.up.stdout
    assert f"export CATLIC_LAB_STATE={lab.state_dir}" in lab.up.stdout


def test_lab_status_lists_every_device_with_its_port(lab: RunningLab) -> None:
    table = lab.catlic("lab", "status")
    document = json_of(lab.catlic("lab", "status", "--json"))

    assert table.returncode == 0, table.stderr
    assert document["schema"] == "catlic/lab-status/v1"
    assert document["running"] is True
    assert document["nornir_config"] == str(lab.state_dir / "nornir.yaml")
    assert [device["name"] for device in document["devices"]] == [
        "c9300x-stack",
        "c9200-access",
        "edge-0001",
        "edge-0002",
        "edge-0003",
    ]
    for device in document["devices"]:
        assert device["available"] is True
        assert f"127.0.0.1:{device['port']}" in table.stdout


def test_catlic_lab_steers_the_running_lab_with_the_labs_own_commands(lab: RunningLab) -> None:
    """``catlic lab devices|faults|clock`` are catlic-lab's commands, finding the lab via CATLIC_LAB_STATE."""
    devices = lab.catlic("lab", "devices")
    slowed = lab.catlic("lab", "faults", "edge-0003", "latency=0.01")
    cleared = lab.catlic("lab", "faults", "edge-0003", "--clear")
    unknown = lab.catlic("lab", "faults", "no-such-switch", "latency=1")
    malformed = lab.catlic("lab", "faults", "edge-0003", "latency")

    assert devices.returncode == 0, devices.stderr
    assert [device["name"] for device in json.loads(devices.stdout)["devices"]][:2] == [
        "c9300x-stack",
        "c9200-access",
    ]
    assert slowed.returncode == 0 and json.loads(slowed.stdout)["faults"]["latency"] == 0.01
    assert cleared.returncode == 0 and json.loads(cleared.stdout)["faults"]["latency"] == 0.0
    assert unknown.returncode == 1 and "no device 'no-such-switch'" in unknown.stdout
    assert malformed.returncode == 3 and "expected NAME=VALUE, got 'latency'" in malformed.stderr


def test_a_second_lab_in_the_same_folder_is_refused(lab: RunningLab) -> None:
    again = lab.catlic("lab", "up", "--state-dir", str(lab.state_dir))

    assert again.returncode == 3
    assert f"a lab is already running from {lab.state_dir}" in again.stderr


def test_commands_without_an_inventory_use_the_running_lab(lab: RunningLab) -> None:
    done = lab.catlic(
        "task",
        "nornir_netmiko.tasks:netmiko_send_command",
        "-a",
        "command_string=show clock",
        "--json",
        "--filter",
        "platform=cisco_xe",
    )

    assert done.returncode == 0, done.stderr
    hosts = json_of(done)["hosts"]
    assert list(hosts) == ["c9300x-stack", "c9200-access", "edge-0001", "edge-0002", "edge-0003"]
    assert all(host["ok"] and host["result"].strip() for host in hosts.values())


def test_an_unknown_host_is_refused_before_any_session(lab: RunningLab) -> None:
    done = lab.catlic(
        "task",
        "nornir_netmiko.tasks:netmiko_send_command",
        "-a",
        "command_string=show clock",
        "--filter",
        "c9300-missing",
    )

    assert done.returncode == 3
    assert "--filter 'c9300-missing': no host or group of that name" in done.stderr
    assert str(lab.state_dir / "nornir.yaml") in done.stderr


def test_ssm_pools_show_the_lab_accounts(lab: RunningLab) -> None:
    table = lab.catlic("ssm", "pools")
    document = json_of(lab.catlic("ssm", "pools", "--json"))

    assert table.returncode == 0, table.stderr
    assert "Eg-SA" in table.stdout and "C9K HSEC" in table.stdout
    eg = next(pool for pool in document["pools"] if pool["smart_account"] == "Eg-SA")
    assert eg["total"] == 10 and eg["available"] == eg["total"] - eg["in_use"]


def test_ssm_hands_out_slacs_until_the_pool_is_exhausted(lab: RunningLab, tmp_path: Path) -> None:
    sized = lab.catlic(
        "ssm", "set-pool", "C9K HSEC", "1", "--smart-account", "Lab-SA", "--virtual-account", "Tiny"
    )
    first = lab.catlic(
        "ssm",
        "generate",
        "C9300X-24HX:FOC2519L8R7",
        "--out",
        str(tmp_path / "slacs"),
        "--smart-account",
        "Lab-SA",
        "--virtual-account",
        "Tiny",
    )
    second = lab.catlic(
        "ssm",
        "generate",
        "C9300X-24HX:FOC2524L39P",
        "--out",
        str(tmp_path / "slacs"),
        "--smart-account",
        "Lab-SA",
        "--virtual-account",
        "Tiny",
    )

    assert sized.returncode == 0, sized.stderr
    assert first.returncode == 0, first.stderr
    slac = tmp_path / "slacs" / "SLAC-C9300X-24HX-FOC2519L8R7.txt"
    assert f"PID:C9300X-24HX,SN:FOC2519L8R7: {slac}" in first.stdout
    assert slac.read_text().strip()
    assert stat.S_IMODE(slac.stat().st_mode) == 0o600, "a SLAC holds an authorization code"
    assert stat.S_IMODE(slac.parent.stat().st_mode) == 0o700
    assert second.returncode == 1
    assert "ERROR_ALL_COUNTS_IN_USE" in second.stderr
    assert not (tmp_path / "slacs" / "SLAC-C9300X-24HX-FOC2524L39P.txt").exists()


def test_ssm_refuses_a_file_that_is_no_request(lab: RunningLab, tmp_path: Path) -> None:
    bogus = tmp_path / "request.txt"
    bogus.write_text("this is not a SLAC request\n")

    done = lab.catlic("ssm", "process-request", str(bogus), "--out", str(tmp_path / "out"))

    assert done.returncode == 1
    assert done.stderr.startswith("catlic: SSM refused: ERROR_INVALID_FILE")


def test_after_lab_down_nothing_finds_a_lab(lab_to_stop: RunningLab) -> None:
    lab = lab_to_stop
    down = lab.catlic("lab", "down")
    status = lab.catlic("lab", "status")
    workflow = lab.catlic(
        "task", "nornir_netmiko.tasks:netmiko_send_command", "-a", "command_string=show clock"
    )

    assert down.returncode == 0, down.stderr
    assert "lab stopped" in down.stdout
    assert status.returncode == 3
    assert "no lab running" in status.stderr
    assert workflow.returncode == 3
    assert f"no lab running in {lab.state_dir}" in workflow.stderr


def test_a_topology_the_lab_cannot_build_is_refused_in_its_words(tmp_path: Path) -> None:
    topology = tmp_path / "broken.yaml"
    topology.write_text("devices:\n  - {name: sw1, platform: C9999}\n")

    done = run_catlic(
        "lab", "up", "--topology", str(topology), "--state-dir", str(tmp_path / "state"), cwd=tmp_path
    )

    assert done.returncode == 1
    assert "the lab did not start" in done.stderr
    assert "unknown platform 'C9999'" in done.stderr
    assert "Traceback" not in done.stderr
