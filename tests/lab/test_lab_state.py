"""A lab's state folder: resumed for the topology that built it, refused for another, wiped by ``fresh``; and
what the lab writes there (credentials, codes) readable by its owner only."""

from __future__ import annotations

import copy
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from virtual_devices.lab import Lab, TopologyError
from virtual_devices.lab_state import LabStateConflict

STACK_WITH_KEYS = {
    "name": "stack-a",
    "platform": "C9300X",
    "release": "17.6.2",
    "transport": "smart",
    "smart_account": "Eg-SA",
    "virtual_account": "Eg-VA",
    "slacs": "all",  # SSM issues a SLAC per member when the lab is built: codes in the device file
    "members": [
        {"number": 1, "pid": "C9300X-24HX", "serial": "FOC2519L8R7", "priority": 15},
        {"number": 2, "pid": "C9300X-48HXN", "serial": "FOC2524L39P", "priority": 14},
    ],
}


def topology(devices: list[dict[str, Any]], keys: int) -> dict[str, Any]:
    return {
        "lab": {
            "credentials": {"username": "admin", "password": "lab-pass-1", "secret": "lab-enable-1"},
            "reload_delay": 0.3,
            "ssm": {
                "accounts": [
                    {"smart_account": "Eg-SA", "virtual_account": "Eg-VA", "pools": {"C9K HSEC": keys}}
                ]
            },
        },
        "devices": copy.deepcopy(devices),
    }


FIRST = topology([STACK_WITH_KEYS], keys=10)
OTHER = topology([{"name": "edge-b", "platform": "C9200"}], keys=3)


def write_topology(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data))
    return path


def pools(lab: Lab) -> list[tuple[int, int]]:
    return [(pool.total, pool.in_use) for pool in lab.context.ssm.pools()]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_same_topology_resumes_the_folders_switches_keys_and_pool(tmp_path: Path) -> None:
    first = Lab.from_dict(FIRST, tmp_path)
    codes = dict(first.devices["stack-a"].agent.state.slacs)
    first.context.ssm.generate_slacs([("C9300X-24HX", "FOC0000L001")])  # an operator's key, off the lab

    again = Lab.from_dict(FIRST, tmp_path)

    assert (first.resumed, again.resumed) == (False, True)
    assert len(codes) == 2 and again.devices["stack-a"].agent.state.slacs == codes
    assert pools(again) == [(10, 3)]
    assert [r for r in again.context.ssm.reservations() if "FOC0000L001" in r["udi"]]


def test_another_topology_is_refused_naming_the_folder_and_both_topologies(tmp_path: Path) -> None:
    state = tmp_path / "state"
    first_file = write_topology(tmp_path / "first.yaml", FIRST)
    other_file = write_topology(tmp_path / "other.yaml", OTHER)
    Lab.from_topology(first_file, state)
    device_file = (state / "devices" / "stack-a.json").read_bytes()

    with pytest.raises(LabStateConflict) as refused:
        Lab.from_topology(other_file, state)

    message = str(refused.value)
    assert f"the state folder {state} holds the lab of another topology" in message
    assert f"built from {first_file} (1 device, sha256 " in message
    assert f"not {other_file} (1 device, sha256 " in message
    assert "--fresh" in message
    assert (state / "devices" / "stack-a.json").read_bytes() == device_file  # nothing was touched
    assert not (state / "devices" / "edge-b.json").exists()


def test_an_edited_topology_file_is_another_topology(tmp_path: Path) -> None:
    path = write_topology(tmp_path / "lab.yaml", FIRST)
    Lab.from_topology(path, tmp_path / "state")
    write_topology(path, topology([STACK_WITH_KEYS], keys=20))

    with pytest.raises(
        LabStateConflict, match=rf"built from {path} .* \(the file since edited, .*\), not {path} "
    ):
        Lab.from_topology(path, tmp_path / "state")


def test_the_same_content_from_another_path_resumes(tmp_path: Path) -> None:
    Lab.from_topology(write_topology(tmp_path / "a.yaml", FIRST), tmp_path / "state")
    moved = write_topology(tmp_path / "b.yaml", FIRST)

    again = Lab.from_topology(moved, tmp_path / "state")

    assert again.resumed
    assert again.topology_source is not None and again.topology_source.path == str(moved)


def test_fresh_starts_from_the_topology_as_written(tmp_path: Path) -> None:
    with Lab.from_dict(FIRST, tmp_path) as first:
        assert pools(first) == [(10, 2)]
    host_key = (tmp_path / "ssh_host_ed25519_key").read_bytes()

    fresh = Lab.from_dict(OTHER, tmp_path, fresh=True)

    assert not fresh.resumed
    assert sorted(fresh.devices) == ["edge-b"]
    assert pools(fresh) == [(3, 0)]  # the pool as the topology says: no key of the old stack in use
    assert not (tmp_path / "devices" / "stack-a.json").exists()
    assert (tmp_path / "ssh_host_ed25519_key").read_bytes() == host_key  # clients keep trusting the lab


def test_fresh_on_the_same_topology_forgets_what_ssm_issued(tmp_path: Path) -> None:
    Lab.from_dict(FIRST, tmp_path).context.ssm.generate_slacs([("C9300X-24HX", "FOC0000L001")])

    fresh = Lab.from_dict(FIRST, tmp_path, fresh=True)

    assert pools(fresh) == [(10, 2)]  # only the new build's own two SLACs are in use
    assert not [r for r in fresh.context.ssm.reservations() if "FOC0000L001" in r["udi"]]


def test_a_folder_whose_lab_recorded_no_topology_is_refused(tmp_path: Path) -> None:
    Lab.from_dict(FIRST, tmp_path)
    (tmp_path / "topology.json").unlink()  # a lab from before topology records

    with pytest.raises(LabStateConflict, match="holds a lab whose topology it did not record"):
        Lab.from_dict(FIRST, tmp_path)
    assert Lab.from_dict(FIRST, tmp_path, fresh=True).devices["stack-a"].agent.state.slacs


def test_a_first_start_that_fails_leaves_nothing_that_blocks_the_corrected_topology(tmp_path: Path) -> None:
    broken = topology([STACK_WITH_KEYS, {"name": "odd", "platform": "C9999"}], keys=10)

    with pytest.raises(TopologyError, match="unknown platform 'C9999'"):
        Lab.from_dict(broken, tmp_path)

    assert not (tmp_path / "ssm.sqlite").exists() and not (tmp_path / "devices").exists()
    assert not Lab.from_dict(FIRST, tmp_path).resumed


def test_credentials_and_codes_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    state = tmp_path / "state"
    (state / "inventory").mkdir(parents=True)
    (state / "inventory" / "defaults.yaml").write_text("left: by an older lab\n")
    (state / "inventory" / "defaults.yaml").chmod(0o644)
    (state / "inventory").chmod(0o755)

    with Lab.from_dict(FIRST, state) as lab:
        inventory = lab.inventory_dir
        defaults = inventory / "defaults.yaml"
        assert "lab-enable-1" in defaults.read_text()  # the file that holds the secret...
        assert mode(defaults) == 0o600  # ...is its owner's only, even where an older one was 0644
        assert mode(inventory) == 0o700
        for name in ("hosts.yaml", "groups.yaml"):
            assert mode(inventory / name) == 0o600
        for name in ("nornir.yaml", "ports.json", "ssm.sqlite", "topology.json"):
            assert mode(state / name) == 0o600, name
        for folder in ("devices", "bootflash", "tftp"):
            assert mode(state / folder) == 0o700, folder
        assert "FOC2519L8R7" in (state / "devices" / "stack-a.json").read_text()  # codes live in there


def test_a_new_state_folder_is_private_and_an_existing_one_keeps_its_mode(tmp_path: Path) -> None:
    Lab.from_dict(FIRST, tmp_path / "new" / "state")
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    Lab.from_dict(FIRST, shared)

    assert mode(tmp_path / "new" / "state") == 0o700
    assert mode(shared) == 0o755
    assert mode(shared / "devices") == 0o700
