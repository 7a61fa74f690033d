"""The guide's licensing examples over real SSH: netmiko (cisco_xe) against the bundled default topology."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import netmiko
import pytest

from virtual_devices.lab import Lab

from .polling import port_open, wait_for

DEFAULT_TOPOLOGY = Path(__file__).parents[2] / "virtual_devices" / "topologies" / "default.yaml"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    state = tmp_path_factory.mktemp("licensing-lab")
    with Lab.from_topology(DEFAULT_TOPOLOGY, state) as running:
        yield running


def connect(lab: Lab, name: str) -> netmiko.BaseConnection:
    conn = netmiko.ConnectHandler(
        device_type="cisco_xe",
        host="127.0.0.1",
        port=lab.ports[name],
        username="admin",
        password="lab-pass-1",
        secret="lab-enable-1",
        fast_cli=True,
    )
    conn.enable()
    return conn


def test_the_stack_starts_as_the_guide_and_a_member_joins(lab: Lab) -> None:
    conn = connect(lab, "c9300x-stack")
    try:
        assert conn.send_command("show license udi") == (
            "UDI: PID:C9300X-24HX,SN:FOC2519L8R7\n\n"
            "HA UDI List:\n"
            "  Active:PID:C9300X-24HX,SN:FOC2519L8R7\n"
            "  Standby:PID:C9300X-48HXN,SN:FOC2524L39P"
        )
        assert "C9K HSEC                (Cat9K HSEC)                      1 IN USE" in conn.send_command(
            "show license summary"
        )
        stack = lab.devices["c9300x-stack"]
        assert lab.call(stack.plug_member, "FOC2516LC92") == ""
        assert "  Member:PID:C9300X-48HX,SN:FOC2516LC92" in conn.send_command("sh lic udi")
        assert conn.send_command("license smart authorization request replace hseck9 all") == ""
        installed = conn.send_command("show logging | include AUTHORIZATION_INSTALL_SUCCESS")
        assert len(installed.splitlines()) == 3
        assert "Total available count: 3" in conn.send_command("show license authorization")
    finally:
        conn.disconnect()


def test_the_standalone_gets_a_slac_offline_through_scp(lab: Lab, tmp_path: Path) -> None:
    conn = connect(lab, "c9300x-standalone")
    try:
        conn.send_config_set(["license smart transport off"])
        assert "[OK]" in conn.save_config()
        assert conn.send_command("license smart authorization request add hseck9 local") == ""
        assert conn.send_command("license smart authorization request save bootflash:slac-request.txt") == ""
        request = tmp_path / "slac-request.txt"
        got = netmiko.file_transfer(
            conn,
            source_file="slac-request.txt",
            dest_file=str(request),
            file_system="bootflash:",
            direction="get",
        )
        assert got["file_verified"] is True

        slacs = lab.context.ssm.process_slac_request(request.read_text())
        slac = tmp_path / "SLAC-standalone.txt"
        slac.write_text(slacs["PID:C9300X-48HX,SN:FOC2516LC92"])
        put = netmiko.file_transfer(
            conn, source_file=str(slac), dest_file="SLAC-standalone.txt", direction="put"
        )
        assert put["file_verified"] is True

        imported = conn.send_command("license smart import bootflash:SLAC-standalone.txt")
        assert imported.splitlines()[:2] == [
            "Import Data Successful",
            "Last Confirmation code UDI: PID:C9300X-48HX,SN:FOC2516LC92",
        ]
        conn.send_config_set(["interface tu10", "tunnel mode ipsec ipv4"])
        summary = conn.send_command("show license summary")
        assert "C9K HSEC                (Cat9K HSEC)                      1 IN USE" in summary
        assert "Usage of export controlled features is allowed for feature hseck9" in conn.send_command(
            "show logging | include EXPORT_CONTROLLED"
        )
    finally:
        conn.disconnect()


def test_a_return_prints_its_code_and_shows_it_afterwards(lab: Lab) -> None:
    conn = connect(lab, "c9606r-dual-sup")
    try:
        assert conn.send_command("license smart authorization request add hseck9 all") == ""
        printed = conn.send_command("license smart authorization return all offline")
        lines = printed.splitlines()
        assert lines[:2] == [
            "Enter this return code in Cisco Smart Software Manager portal:",
            "UDI: PID:C9606R,SN:FXS241201WP",
        ]
        code = lines[2].removeprefix("Return code: ")
        authorization = conn.send_command("show license authorization")
        assert authorization.count(f"Last return code: {code}") == 2  # active and standby share the UDI
        assert conn.send_command("license smart authorization return all offline") == (
            "No reservation authorization code installed in device"
        )
    finally:
        conn.disconnect()


def test_boot_level_refusals_come_back_as_ios_errors(lab: Lab) -> None:
    conn = connect(lab, "c9200")
    try:
        output = conn.send_config_set(["license boot level network-essentials addon dna-advantage"])
        assert "% Invalid input detected at '^' marker." in output
        output = conn.send_config_set(["license boot level network-advantage addon dna-advantage"])
        assert "% use 'write' command to make license boot config take effect on next boot" in output
        assert "Smart Licensing Status: Smart Licensing Using Policy" in conn.send_command("show version")
    finally:
        conn.disconnect()


def test_the_saved_boot_level_applies_after_a_reload(lab: Lab) -> None:
    """The guide's "Configure Base and Add-On Licenses": configure, save, show version, reload, show again."""
    device = lab.devices["c9500x"]
    conn = connect(lab, "c9500x")
    conn.send_config_set(["license boot level network-advantage"])
    assert "[OK]" in conn.save_config()
    rows = _package_rows(conn.send_command("show version"))
    assert rows == [
        ["network-advantage", "Smart", "License", "network-advantage"],
        ["dna-advantage", "Subscription", "Smart", "License", "None"],
    ]
    assert "Proceed with reload? [confirm]" in conn.send_command("reload", expect_string=r"\[confirm\]")
    conn.write_channel("\n")
    assert wait_for(lambda: not lab.call(device.available), 5)
    assert wait_for(lambda: not port_open(lab.ports["c9500x"]), 5), "a switch that reloads refuses logins"
    # Meanwhile the port stays the switch's: bound, not listening, so no other program is handed it.
    assert lab.call(lambda: lab.front.listeners["c9500x"].port_held_while_down) == lab.ports["c9500x"]
    assert wait_for(lambda: lab.call(device.available) and port_open(lab.ports["c9500x"]), 15)
    again = connect(lab, "c9500x")
    try:
        rows = _package_rows(again.send_command("show version"))
        assert rows == [
            ["network-advantage", "Smart", "License", "network-advantage"],
            ["None", "Subscription", "Smart", "License", "None"],
        ]
        assert "Last reload reason: Reload Command" in again.send_command("show version")
    finally:
        again.disconnect()


def _package_rows(version: str) -> list[list[str]]:
    lines = version.splitlines()
    start = lines.index("Current                        Type                       Next reboot  ") + 2
    return [line.split() for line in lines[start : start + 2]]
