"""Licensing configuration commands and what `show license status` makes of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from .rig import Rig, Terminal, guide_time, squash, stack_spec, syslog_messages


@pytest.fixture
def term(tmp_path: Path) -> Terminal:
    rig = Rig(tmp_path, guide_time(2021, 12, 3, 18, 34, 3))
    return Terminal(rig.device(stack_spec(slacs="active", crypto=True)))


def _block(status: str, title: str) -> list[str]:
    lines = status.split(f"\n{title}:\n", 1)[1].split("\n\n", 1)[0]
    return lines.splitlines()


def test_transport_url_proxy_and_vrf(term: Terminal) -> None:
    term.configure(
        "license smart transport cslu",
        "license smart url cslu http://10.8.0.6:8182/cslu/v1/pi",
        "license smart proxy address 173.36.224.109",
        "license smart proxy port 80",
        "license smart vrf Mgmt-vrf",
    )
    assert _block(term.run("show license status"), "Transport") == [
        "  Type: cslu",
        "  Cslu address: http://10.8.0.6:8182/cslu/v1/pi",
        "  Proxy:",
        "    Address: 173.36.224.109",
        "    Port: 80",
        "    Username: <empty>",
        "    Password: <empty>",
        "  VRF:",
        "    Mgmt-vrf",
    ]
    term.configure("license smart transport off", "no license smart proxy", "no license smart vrf")
    assert _block(term.run("show license status"), "Transport") == ["  Type: Transport Off"]
    assert "  Reporting push interval: 0 (no reporting)" in term.run("show license status")
    term.configure("license smart transport callhome")
    assert _block(term.run("show license status"), "Transport") == ["  Type: Callhome"]
    term.configure(
        "license smart transport smart", "license smart url default", "license smart usage interval 7"
    )
    status = term.run("show license status")
    assert "  URL: https://smartreceiver.cisco.com/licservice/license" in status
    assert "  Reporting push interval: 7  days" in status
    assert "license smart usage interval 7" in term.run("show running-config | include license smart")


def test_privacy_settings(term: Terminal) -> None:
    term.configure("license smart privacy hostname")
    assert _block(term.run("show license status"), "Data Privacy") == [
        "  Sending Hostname: no",
        "    Callhome hostname privacy: DISABLED",
        "    Smart Licensing hostname privacy: ENABLED",
        "  Version privacy: DISABLED",
    ]
    term.configure("license smart privacy all")
    assert "  Version privacy: ENABLED" in term.run("show license status")
    term.configure("no license smart privacy all")
    assert "  Sending Hostname: yes" in term.run("show license status")


def test_removing_the_tunnel_interface_frees_the_key(term: Terminal) -> None:
    assert squash(term.run("show license summary"))[-1] == "C9K HSEC (Cat9K HSEC) 1 IN USE"
    term.configure("no interface Tunnel10")
    assert squash(term.run("show license summary"))[-1] == "C9K HSEC (Cat9K HSEC) 0 NOT IN USE"


def test_tunnel_commands_belong_to_tunnel_interfaces(term: Terminal) -> None:
    outputs = term.configure("interface TenGigabitEthernet1/0/4", "tunnel mode ipsec ipv4")
    assert "% Invalid input detected" in outputs[2]
    outputs = term.configure(
        "interface Tunnel20",
        "tunnel source 10.1.1.1",
        "tunnel destination 10.2.2.2",
        "tunnel mode ipsec ipv4",
        "tunnel protection ipsec profile HQ",
    )
    assert outputs[2:] == ["", "", "", ""]
    section = term.run("show running-config | section Tunnel20")
    assert "tunnel mode ipsec ipv4" in section and "tunnel protection ipsec profile HQ" in section


def test_trust_codes_from_an_id_token(tmp_path: Path) -> None:
    rig = Rig(tmp_path, guide_time(2021, 12, 3, 18, 34, 3))
    device = rig.device(stack_spec(trust=False))
    term = Terminal(device)
    assert "Trust Code Installed: <none>" in term.run("show license status")
    token = "ODRlOTM5MjItOTQzMi00YmQ5LThhZjEtZGNjOGY3ODBmYjVk"
    assert term.run(f"license smart trust idtoken {token} all") == ""
    assert syslog_messages(device, "%SMART_LIC-6-TRUST_INSTALL_SUCCESS") == [
        "A new licensing trust code was successfully installed on P:C9300X-24HX,S:FOC2519L8R7.",
        "A new licensing trust code was successfully installed on P:C9300X-48HXN,S:FOC2524L39P.",
    ]
    assert (
        "  Standby: PID:C9300X-48HXN,SN:FOC2524L39P\n    INSTALLED on Dec 03 18:34:03 2021 UTC"
        in term.run("show license status")
    )
    assert term.run("license smart trust idtoken short local") == "% Error: Invalid ID token"
