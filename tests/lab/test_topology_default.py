"""The bundled default topology builds the guide's devices, in the state the guide's examples start from."""

from __future__ import annotations

from pathlib import Path

from virtual_devices.lab import Lab

from .rig import squash

DEFAULT_TOPOLOGY = Path(__file__).parents[2] / "virtual_devices" / "topologies" / "default.yaml"


def test_the_default_topology_is_the_guides_cast(tmp_path: Path) -> None:
    lab = Lab.from_topology(DEFAULT_TOPOLOGY, tmp_path)  # built, not started: no listeners needed here
    devices = lab.devices
    assert list(devices) == [
        "c9300x-stack",
        "c9300x-standalone",
        "c9407r-svl",
        "c9606r-dual-sup",
        "c9500x",
        "c9200",
    ]
    assert devices["c9300x-stack"].udis() == [
        "PID:C9300X-24HX,SN:FOC2519L8R7",
        "PID:C9300X-48HXN,SN:FOC2524L39P",
    ]
    assert [s.serial for s in devices["c9300x-stack"].spares] == ["FOC2516LC92"]
    assert devices["c9300x-standalone"].udis() == ["PID:C9300X-48HX,SN:FOC2516LC92"]
    assert devices["c9407r-svl"].udis() == ["PID:C9407R,SN:FXS221500CT", "PID:C9407R,SN:FXS221500BN"]
    assert devices["c9606r-dual-sup"].udis() == ["PID:C9606R,SN:FXS241201WP"]
    assert [u.role for u in devices["c9606r-dual-sup"].ha_units()] == ["Active", "Standby"]

    stack = devices["c9300x-stack"].agent.state
    assert sorted(stack.slacs) == devices["c9300x-stack"].udis() and stack.hsec_in_use
    assert not any(devices[name].agent.state.slacs for name in devices if name != "c9300x-stack")
    assert [
        (p.smart_account, p.virtual_account, p.license, p.total, p.in_use) for p in lab.context.ssm.pools()
    ] == [("Eg-SA", "Eg-VA", "C9K HSEC", 10, 2)]
    assert all(device.hsec_supported() for name, device in devices.items() if name != "c9200")
    assert not devices["c9200"].hsec_supported()
    rows = squash("\n".join(f"{r.license} ({r.tag}) {r.count}" for r in devices["c9200"].agent.usage_rows()))
    assert rows == [
        "network-essentials (C9200-48 Network Essentials) 1",
        "dna-essentials (C9200-48 DNA Essentials) 1",
    ]


def test_a_restarted_default_lab_keeps_the_codes_ssm_issued(tmp_path: Path) -> None:
    first = Lab.from_topology(DEFAULT_TOPOLOGY, tmp_path)
    codes = dict(first.devices["c9300x-stack"].agent.state.slacs)
    again = Lab.from_topology(DEFAULT_TOPOLOGY, tmp_path)
    assert again.devices["c9300x-stack"].agent.state.slacs == codes
    assert [p.in_use for p in again.context.ssm.pools()] == [2]
