"""The configuration as state: what ``render`` prints, ``from_text`` reads back."""

from __future__ import annotations

from virtual_devices.config import Config


def test_a_rendered_configuration_reads_back_as_the_same_state() -> None:
    config = Config()
    config.set("hostname edge-1")
    config.set("license boot level network-advantage addon dna-advantage")
    config.set_in("Tunnel10", "tunnel source Loopback0")
    config.set_in("Tunnel10", "tunnel mode ipsec ipv4")
    config.interface("Loopback0")
    text = "\n".join(["Building configuration...", "", "!", "version 17.9", *config.render()])
    assert Config.from_text(text) == config


def test_abbreviated_interface_names_are_read_in_full() -> None:
    config = Config.from_text("interface tu10\n tunnel mode ipsec ipv4\n!\nend\nhostname ignored-after-end\n")
    assert config.interfaces == {"Tunnel10": ["tunnel mode ipsec ipv4"]}
    assert config.globals == []
