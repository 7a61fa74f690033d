"""The lab runner: topology -> devices, inventory, the control channel, and `catlic-lab up/down` in the
background. One background lab process serves the module's readers; the test that changes a lab (faults,
clock, a plugged member) starts one of its own."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import netmiko
import pytest
import yaml

from virtual_devices.lab import Lab, TopologyError, expand_fleet, send_control

TOPOLOGY = {
    "lab": {
        "credentials": {"username": "admin", "password": "lab-pass-1", "secret": "lab-enable-1"},
        "reload_delay": 0.5,
        "ssm": {
            "accounts": [{"smart_account": "Eg-SA", "virtual_account": "Eg-VA", "pools": {"C9K HSEC": 4}}]
        },
    },
    "devices": [
        {
            "name": "stack-a",
            "platform": "C9300X",
            "release": "17.6.2",
            "members": [{"number": 1, "pid": "C9300X-24HX", "serial": "FOC2519L8R7", "priority": 15}],
            "spares": [{"number": 2, "pid": "C9300X-24HX", "serial": "FOC2524L39P"}],
        }
    ],
    "fleet": {"count": 2, "platform": "C9200", "name_prefix": "edge-"},
}


def catlic_lab(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "virtual_devices", *arguments], capture_output=True, text=True, timeout=120
    )


def lab_in_the_background(folder: Path) -> Iterator[Path]:
    """``catlic-lab up --background`` from the topology; ``down`` (which must succeed) afterwards."""
    topology = folder / "topology.yaml"
    topology.write_text(yaml.safe_dump(TOPOLOGY))
    state = folder / "state"
    started = catlic_lab("up", str(topology), "--state-dir", str(state), "--background")
    assert started.returncode == 0, started.stderr
    try:
        yield state
    finally:
        stopped = catlic_lab("down", "--state-dir", str(state))
        assert stopped.returncode == 0, stopped.stderr


@pytest.fixture(scope="module")
def background_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from lab_in_the_background(tmp_path_factory.mktemp("bg"))


@pytest.fixture
def lab_to_change(tmp_path: Path) -> Iterator[Path]:
    yield from lab_in_the_background(tmp_path)


def test_fleet_expands_to_named_generated_devices() -> None:
    specs = expand_fleet(TOPOLOGY)
    assert [s["name"] for s in specs] == ["stack-a", "edge-0001", "edge-0002"]
    assert specs[1]["platform"] == "C9200"


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(TopologyError, match="duplicate device names: edge-0001"):
        expand_fleet({"devices": [{"name": "edge-0001"}], "fleet": {"count": 1, "name_prefix": "edge-"}})


def test_background_up_writes_a_nornir_inventory_that_reaches_every_device(background_lab: Path) -> None:
    from nornir import InitNornir

    assert (background_lab / "lab.ready").exists() and (background_lab / "lab.pid").exists()
    nornir = InitNornir(config_file=str(background_lab / "nornir.yaml"))
    assert sorted(nornir.inventory.hosts) == ["edge-0001", "edge-0002", "stack-a"]
    host = nornir.inventory.hosts["stack-a"]
    params = host.get_connection_parameters("netmiko")
    conn = netmiko.ConnectHandler(
        device_type=params.platform,
        host=params.hostname,
        port=params.port,
        username=params.username,
        password=params.password,
        **params.extras,
    )
    try:
        conn.enable()
        assert conn.find_prompt() == "stack-a#"
        assert "C9300X-24HX" in conn.send_command("show version")
    finally:
        conn.disconnect()


def test_status_and_device_listing(background_lab: Path) -> None:
    status = catlic_lab("status", "--state-dir", str(background_lab))
    assert status.returncode == 0 and "3/3 devices available" in status.stdout
    listing = json.loads(catlic_lab("devices", "--state-dir", str(background_lab)).stdout)
    names = {d["name"]: d for d in listing["devices"]}
    assert names["stack-a"]["spares"] == ["FOC2524L39P"]
    ports = yaml.safe_load((background_lab / "inventory" / "hosts.yaml").read_text())
    assert names["edge-0001"]["port"] == ports["edge-0001"]["port"]


def test_control_channel_sets_faults_advances_the_clock_and_plugs_a_member(lab_to_change: Path) -> None:
    background_lab = lab_to_change
    faults = catlic_lab(
        "faults", "edge-0001", "latency=0.2", "drop_on_command=^reload", "--state-dir", str(background_lab)
    )
    assert json.loads(faults.stdout)["faults"]["latency"] == 0.2
    bad = send_control(background_lab, {"op": "faults", "device": "edge-0001", "set": {"no_such_fault": 1}})
    assert not bad["ok"] and "unknown fault(s) no_such_fault" in bad["error"]
    assert (
        send_control(background_lab, {"op": "faults", "device": "edge-0001", "clear": True})["faults"][
            "latency"
        ]
        == 0
    )
    before = send_control(background_lab, {"op": "clock"})["now"]
    after = send_control(background_lab, {"op": "clock", "days": 30})["now"]
    assert after[:10] > before[:10]
    plugged = send_control(background_lab, {"op": "plug", "device": "stack-a", "serial": "FOC2524L39P"})
    assert plugged == {"ok": True, "joined": True, "message": ""}
    assert not send_control(background_lab, {"op": "bogus"})["ok"]


def test_a_misspelt_setting_is_refused(tmp_path: Path) -> None:
    topology = tmp_path / "typo.yaml"
    topology.write_text("lab:\n  reload_dealy: 1\ndevices: []\n")
    result = catlic_lab("up", str(topology), "--state-dir", str(tmp_path / "state"))
    assert result.returncode == 2
    assert f"{topology}:2: lab: unknown key 'reload_dealy' (did you mean 'reload_delay'?" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "devices:\n  - name: sw1\n    platfrom: C9300X\n",
            "typo.yaml:3: device 'sw1': unknown key 'platfrom' (did you mean 'platform'?",
        ),
        (
            "devices:\n  - name: sw1\n    members:\n      - {number: one}\n",
            "typo.yaml:4: device 'sw1': members[0].number: Input should be a valid integer, not 'one'",
        ),
        (
            "devices:\n  - name: sw1\n    faults: {latncy: 1}\n",
            "typo.yaml:3: device 'sw1' faults: unknown key 'latncy' (did you mean 'latency'?",
        ),
        (
            "devices:\n  - name: sw1\n  - name: sw1\n",
            "typo.yaml:3: duplicate device names: sw1 (first on line 2)",
        ),
        (
            "fleet: {count: 2, slacs: some}\n",
            "typo.yaml:1: fleet.slacs: Input should be 'none', 'active' or",
        ),
        ("lab:\n  clock: {start: soon}\n", "typo.yaml:2: lab.clock.start: Input should be a valid datetime"),
        ("devices:\n  - platform: C9300X\n", "typo.yaml:2: device 1: missing key 'name'"),
        (
            "devices:\n  - {name: sw1, platform: C9300X}\n  - {name: sw2, platform: C9999}\n",
            "typo.yaml:3: device 'sw2': platform: unknown platform 'C9999'; known: C9200",
        ),
        ("devices: [sw1\n", "typo.yaml:1: not valid YAML"),
        (  # a value only the device model judges: the entry's line
            "devices:\n  - name: sw1\n  - name: sw2\n    transport: carrier-pigeon\n",
            "typo.yaml:3: device sw2: transport 'carrier-pigeon': one of smart",
        ),
        ("fleet:\n  count: 2\n  generation: agent9\n", "typo.yaml:1: device fleet-0001: generation 'agent9'"),
    ],
)
def test_a_topology_problem_names_its_line_and_key(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "typo.yaml").write_text(text)
    with pytest.raises(TopologyError) as refused:
        Lab.from_topology(tmp_path / "typo.yaml", tmp_path / "state")
    assert expected in str(refused.value)
    assert not (tmp_path / "state" / "devices").exists()


def test_a_topology_given_in_code_names_the_path() -> None:
    with pytest.raises(TopologyError, match=r"topology: device 'sw1': unknown key 'relase' \(did you mean"):
        expand_fleet({"devices": [{"name": "sw1", "relase": "17.9.4"}]})
