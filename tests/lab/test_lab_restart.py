"""A lab started again from the same state folder: the same ports (a stable inventory) and host key.
Restarting is the point here, so this module starts a lab twice, one after the other."""

from __future__ import annotations

from pathlib import Path

from virtual_devices.lab import Lab

from .test_lab_runner import TOPOLOGY


def test_a_restarted_lab_keeps_its_ports_and_host_key(tmp_path: Path) -> None:
    topology = {**TOPOLOGY, "fleet": {"count": 0}}
    with Lab.from_dict(topology, tmp_path) as first:
        ports = dict(first.ports)
    key = (tmp_path / "ssh_host_ed25519_key").read_bytes()
    with Lab.from_dict(topology, tmp_path) as second:
        assert second.ports == ports
    assert (tmp_path / "ssh_host_ed25519_key").read_bytes() == key


def test_the_lab_clock_can_start_at_the_guides_dates(tmp_path: Path) -> None:
    topology = {
        "lab": {**TOPOLOGY["lab"], "clock": {"start": "2021-12-03T18:57:27Z", "frozen": True}},
        "devices": TOPOLOGY["devices"],
    }
    lab = Lab.from_dict(topology, tmp_path)
    assert lab.devices["stack-a"].now().isoformat() == "2021-12-03T18:57:27+00:00"
