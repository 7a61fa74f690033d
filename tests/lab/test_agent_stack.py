"""The guide's C9300X stack storyline, replayed against the device model through the CLI engine.

Both ways of adding a member to a stack where HSECK9 keys are in use, with the guide's outputs compared
line by line (blank runs collapsed: the guide is a PDF extraction) and the guide's own timestamps.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from virtual_devices import licfiles

from .rig import Rig, Terminal, guide_time, squash, stack_spec, standalone_spec, syslog_messages

SWITCH_DETAIL_TWO_MEMBERS = """
Switch/Stack Mac Address : b08b.d02b.5b80 - Local Mac Address
Mac persistency wait time: Indefinite
H/W Current
Switch# Role Mac Address Priority Version State
-------------------------------------------------------------------------------------
*1 Active b08b.d02b.5b80 15 P2B Ready
2 Standby b08b.d08d.bb00 14 P2B Ready
3 Member 0000.0000.0000 0 PP Removed
Stack Port Status Neighbors
Switch# Port 1 Port 2 Port 1 Port 2
--------------------------------------------------------
1 DOWN OK None 2
2 OK DOWN 1 None
"""

AUTHORIZATION_TWO_MEMBERS = """
Overall status:
  Active: PID:C9300X-24HX,SN:FOC2519L8R7
    Status: SMART AUTHORIZATION INSTALLED on Dec 03 18:34:03 2021 UTC
    Last Confirmation code: 72ad37d5
  Standby: PID:C9300X-48HXN,SN:FOC2524L39P
    Status: SMART AUTHORIZATION INSTALLED on Dec 03 18:34:03 2021 UTC
    Last Confirmation code: 842584db

Authorizations:
  C9K HSEC (Cat9K HSEC):
    Description: HSEC Key for Export Compliance on Cat9K Series Switches
    Total available count: 2
    Enforcement type: EXPORT RESTRICTED
    Term information:
      Active: PID:C9300X-24HX,SN:FOC2519L8R7
        Authorization type: SMART AUTHORIZATION INSTALLED
        License type: PERPETUAL
        Term Count: 1
      Standby: PID:C9300X-48HXN,SN:FOC2524L39P
        Authorization type: SMART AUTHORIZATION INSTALLED
        License type: PERPETUAL
        Term Count: 1

Purchased Licenses:
  No Purchase Information Available
"""

SUMMARY_TWO_MEMBERS = """
Account Information:
Smart Account: Eg-SA As of Dec 03 18:34:03 2021 UTC
Virtual Account: Eg-VA
License Usage:
License Entitlement Tag Count Status
-----------------------------------------------------------------------------
network-advantage (C9300-24 Network Advan...) 1 IN USE
dna-advantage (C9300-24 DNA Advantage) 1 IN USE
network-advantage (C9300-48 Network Advan...) 1 IN USE
dna-advantage (C9300-48 DNA Advantage) 1 IN USE
C9K HSEC (Cat9K HSEC) 1 IN USE
"""

TRANSPORT = """
Transport:
Type: Smart
URL: https://smartreceiver-stage.cisco.com/licservice/license
Proxy:
Not Configured
VRF:
Not Configured
"""

STACK_PORTS_THREE = """
Switch# Port1 Port2
----------------------------
1 OK OK
2 OK OK
3 OK OK
"""

SWITCH_DETAIL_THREE = """
*1 Active b08b.d02b.5b80 15 P2B Ready
2 Standby b08b.d08d.bb00 14 P2B Ready
3 Member f87a.414b.5580 1 PP Ready
Stack Port Status Neighbors
Switch# Port 1 Port 2 Port 1 Port 2
--------------------------------------------------------
1 OK OK 3 2
2 OK OK 1 3
3 OK OK 2 1
"""

UDI_THREE = """UDI: PID:C9300X-24HX,SN:FOC2519L8R7

HA UDI List:
  Active:PID:C9300X-24HX,SN:FOC2519L8R7
  Standby:PID:C9300X-48HXN,SN:FOC2524L39P
  Member:PID:C9300X-48HX,SN:FOC2516LC92"""

STANDALONE_DETAIL = """
Switch/Stack Mac Address : f87a.414b.5580 - Local Mac Address
Mac persistency wait time: Indefinite
H/W Current
Switch# Role Mac Address Priority Version State
-------------------------------------------------------------------------------------
1 Member 0000.0000.0000 0 Provisioned
2 Member 0000.0000.0000 0 Provisioned
*3 Active f87a.414b.5580 1 PP Ready
Stack Port Status Neighbors
Switch# Port 1 Port 2 Port 1 Port 2
--------------------------------------------------------
3 DOWN DOWN None None
"""


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path, guide_time(2021, 12, 3, 18, 34, 3))


def stack_with_keys_in_use(rig: Rig) -> tuple[Terminal, object]:
    device = rig.device(stack_spec(slacs="all", crypto=True))
    return Terminal(device), device


def test_existing_stack_matches_the_guide(rig: Rig) -> None:
    term, _ = stack_with_keys_in_use(rig)
    assert squash(term.run("show switch detail")) == squash(SWITCH_DETAIL_TWO_MEMBERS)
    assert squash(term.run("show license authorization")) == squash(AUTHORIZATION_TWO_MEMBERS)
    assert squash(term.run("show license summary")) == squash(SUMMARY_TWO_MEMBERS)
    everything = term.run("show license all")
    assert "Smart Licensing is ENABLED" in everything
    assert "\n".join(squash(TRANSPORT)) in "\n".join(squash(everything))
    assert "Custom Id: <empty>" in everything


def test_adding_a_member_then_replacing_all_slacs(rig: Rig) -> None:
    """Method 1: add the member (it joins with its trust code, no SLAC), then `replace ... all`."""
    term, device = stack_with_keys_in_use(rig)
    before = term.run("show license authorization")

    rig.at(2021, 12, 3, 18, 43, 29)
    assert device.plug_member("FOC2516LC92") == ""  # type: ignore[attr-defined]
    assert syslog_messages(device, "%STACKMGR-6-STACK_LINK_CHANGE") == [  # type: ignore[arg-type]
        "Switch 2 R0/0: stack_mgr: Stack port 2 on Switch 2 is up",
        "Switch 1 R0/0: stack_mgr: Stack port 1 on Switch 1 is up",
        "Switch 3 R0/0: stack_mgr: Stack port 1 on Switch 3 is up",
        "Switch 3 R0/0: stack_mgr: Stack port 2 on Switch 3 is up",
    ]
    assert syslog_messages(device, "%STACKMGR-4-SWITCH_ADDED") == [  # type: ignore[arg-type]
        f"Switch {n} R0/0: stack_mgr: Switch 3 has been added to the stack." for n in (1, 2, 3)
    ]
    assert syslog_messages(device, "%SMART_LIC-6-TRUST_INSTALL_SUCCESS") == [  # type: ignore[arg-type]
        "A new licensing trust code was successfully installed on P:C9300X-48HX,S:FOC2516LC92."
    ]
    assert squash(term.run("show switch stack-ports")) == squash(STACK_PORTS_THREE)
    assert squash(term.run("show switch detail"))[-9:] == squash(SWITCH_DETAIL_THREE)
    assert term.run("show license udi") == UDI_THREE
    after_join = term.run("show license authorization")
    assert "  Member: PID:C9300X-48HX,SN:FOC2516LC92\n    Status: NOT INSTALLED" in after_join
    assert after_join.split("  Member:")[0] == before.split("\nAuthorizations:")[0].rstrip("\n") + "\n"
    assert "Total available count: 2" in after_join
    assert "INSTALLED on Dec 03 18:43:29 2021 UTC" in term.run("show license all")

    rig.at(2021, 12, 3, 18, 45, 33)
    old_codes = _codes(after_join)
    assert term.run("license smart authorization request replace hseck9 all") == ""
    assert syslog_messages(device, "%SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS") == [  # type: ignore[arg-type]
        "A new licensing authorization code was successfully installed on PID:C9300X-24HX,SN:FOC2519L8R7",
        "A new licensing authorization code was successfully installed on PID:C9300X-48HXN,SN:FOC2524L39P",
        "A new licensing authorization code was successfully installed on PID:C9300X-48HX,SN:FOC2516LC92",
    ]
    replaced = term.run("show license authorization")
    assert replaced.count("Status: SMART AUTHORIZATION INSTALLED on Dec 03 18:45:33 2021 UTC") == 3
    assert "Total available count: 3" in replaced
    new_codes = _codes(replaced)
    assert len(new_codes) == 3 and not set(new_codes) & set(old_codes)
    assert "C9K HSEC                (Cat9K HSEC)                      1 IN USE" in term.run(
        "show license summary"
    )
    assert [(p.total, p.in_use) for p in rig.ssm.pools()] == [(10, 3)]  # the two replaced keys went back


def test_standalone_gets_its_slac_offline_then_merges_into_the_stack(rig: Rig) -> None:
    """Method 2: SLAC on the standalone (air-gapped), crypto configured, then the merge keeps the SLAC."""
    stack_term, stack = stack_with_keys_in_use(rig)
    standalone = rig.device(standalone_spec())
    term = Terminal(standalone)
    assert squash(term.run("show switch detail")) == squash(STANDALONE_DETAIL)

    term.configure("license smart transport off")
    assert "[OK]" in term.run("copy running-config startup-config\r")
    assert squash(term.run("show license authorization")) == squash(
        """Overall status:
        Active: PID:C9300X-48HX,SN:FOC2516LC92
        Status: NOT INSTALLED
        Purchased Licenses:
        No Purchase Information Available"""
    )

    # The request file goes to the SSM web UI; the SLAC file comes back through a TFTP server.
    assert term.run("license smart authorization request add hseck9 local") == ""
    assert term.run("license smart authorization request save bootflash:slac-request.txt") == ""
    request = (standalone.bootflash / "slac-request.txt").read_text()
    slacs = rig.ssm.process_slac_request(request)
    assert list(slacs) == ["PID:C9300X-48HX,SN:FOC2516LC92"]
    (rig.tftp / "user-01").mkdir(parents=True)
    (rig.tftp / "user-01" / "SLAC-standalone.txt").write_text(slacs["PID:C9300X-48HX,SN:FOC2516LC92"])

    rig.at(2021, 12, 3, 18, 58, 39)
    imported = term.run("license smart import tftp://10.8.0.6/user-01/SLAC-standalone.txt")
    lines = imported.splitlines()
    assert lines[:2] == [
        "Import Data Successful",
        "Last Confirmation code UDI: PID:C9300X-48HX,SN:FOC2516LC92",
    ]
    code = lines[2].removeprefix("Confirmation code: ")
    assert len(code) == 8 and int(code, 16) >= 0
    assert syslog_messages(standalone, "%SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS") == [
        "A new licensing authorization code was successfully installed on PID:C9300X-48HX,SN:FOC2516LC92"
    ]
    authorization = term.run("show license authorization")
    assert "Status: SMART AUTHORIZATION INSTALLED on Dec 03 18:58:39 2021 UTC" in authorization
    assert f"Last Confirmation code: {code}" in authorization
    assert "(Cat9K HSEC)                      0 NOT IN USE" in term.run("show license summary")

    rig.at(2021, 12, 3, 18, 59, 29)
    term.configure("interface tu10", "tunnel mode ipsec ipv4")
    assert syslog_messages(standalone, "%SMART_LIC-6-EXPORT_CONTROLLED")[-1] == (
        "Usage of export controlled features is allowed for feature hseck9"
    )
    assert "(Cat9K HSEC)                      1 IN USE" in term.run("show license summary")

    rig.at(2021, 12, 3, 19, 0, 59)
    assert stack.merge_standalone(standalone) == ""  # type: ignore[attr-defined]
    assert not standalone.available()
    assert stack.spares == []  # type: ignore[attr-defined]
    assert "Chassis 3 reloading, reason - stack merge" in "\n".join(standalone.logging_lines())
    assert syslog_messages(standalone, "%STACKMGR-1-RELOAD") == [
        "Switch 3 R0/0: stack_mgr: Reloading due to reason stack merge"
    ]
    assert squash(stack_term.run("show switch detail"))[-9:] == squash(SWITCH_DETAIL_THREE)
    everything = stack_term.run("show license all")
    assert (
        "  Member: PID:C9300X-48HX,SN:FOC2516LC92\n"
        "      Status: SMART AUTHORIZATION INSTALLED on Dec 03 18:58:39 2021 UTC\n"
        f"      Last Confirmation code: {code}"
    ) in everything
    assert "Total available count: 3" in everything
    summary = squash(stack_term.run("show license summary"))
    assert summary[-5:] == [
        "network-advantage (C9300-24 Network Advan...) 1 IN USE",
        "dna-advantage (C9300-24 DNA Advantage) 1 IN USE",
        "network-advantage (C9300-48 Network Advan...) 2 IN USE",
        "dna-advantage (C9300-48 DNA Advantage) 2 IN USE",
        "C9K HSEC (Cat9K HSEC) 1 IN USE",
    ]


def test_a_mixed_stack_is_refused_with_the_stack_managers_message(rig: Rig) -> None:
    spec = stack_spec()
    spec["spares"] = [{"number": 3, "pid": "C9300-48P", "serial": "FOC2233X0AB", "priority": 1}]
    device = rig.device(spec)
    refusal = device.plug_member("FOC2233X0AB")
    assert "mixed stacking is not supported" in refusal
    assert syslog_messages(device, "%STACKMGR-4-SWITCH_ADDED_INCOMPATIBLE")
    assert [u.serial for u in device.present_units()] == ["FOC2519L8R7", "FOC2524L39P"]


def test_a_ninth_switch_does_not_join(rig: Rig) -> None:
    members = [
        {"number": n, "pid": "C9300X-24HX", "serial": f"FOC25190{n:03d}", "priority": 15 - n}
        for n in range(1, 9)
    ]
    device = rig.device(
        stack_spec(members=members, spares=[{"number": 9, "pid": "C9300X-24HX", "serial": "FOC9"}])
    )
    assert "already has 8 members" in device.plug_member("FOC9")


def test_the_return_code_is_the_guides_shape_and_derived_from_the_key() -> None:
    code = licfiles.return_code("key-material", "PID:C9300X-24HX,SN:FOC2519L8R7")
    assert licfiles.RETURN_CODE_PATTERN.fullmatch(code)
    assert code == licfiles.return_code("key-material", "PID:C9300X-24HX,SN:FOC2519L8R7")
    assert code != licfiles.return_code("other-key", "PID:C9300X-24HX,SN:FOC2519L8R7")
    assert licfiles.RETURN_CODE_PATTERN.fullmatch(
        "Cr9JHx-L1x5Rj-ftwzgl-h9QZAU-LE5DT1-babWeL-FABPt9-Wr1Dn7-Rp7"
    )


def _codes(text: str) -> list[str]:
    return [line.split(": ")[1] for line in text.splitlines() if "Last Confirmation code:" in line]


GUIDE_OUTPUTS = Path(__file__).parent / "guide_outputs"
_DATE = re.compile(r"[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \d{4} UTC")


def _masked(text: str) -> list[str]:
    text = _DATE.sub("<date>", re.sub(r"code: [0-9a-f]{8}", "code: <code>", text))
    lines = [
        " ".join(line.split()) if "push interval" in line else line.rstrip() for line in text.splitlines()
    ]
    return [line for line in lines if line]


def test_show_license_all_after_the_merge_is_the_guides(rig: Rig) -> None:
    """The guide's full `show license all` (three members, all with SLACs, IPsec running), line by line and
    indentation included, with dates and codes masked. Two lines differ by design and are checked apart: the
    lab's SSM acknowledges at once (no pending `Next ACK push check`), and its report counters are its own."""
    stack = rig.device(stack_spec(slacs="all", crypto=True))
    standalone = rig.device(standalone_spec(slacs="active"))
    Terminal(standalone).configure("interface tu10", "tunnel mode ipsec ipv4")
    assert stack.merge_standalone(standalone) == ""
    mine = _masked(Terminal(stack).run("show license all"))
    guide = _masked((GUIDE_OUTPUTS / "show_license_all.stack_three_members.txt").read_text())
    differ = ("Next ACK push check:", "Total:", "Total Acknowledged Received:", "Available to Report:")
    assert [line for line in mine if not line.lstrip().startswith(differ)] == [
        line for line in guide if not line.lstrip().startswith(differ)
    ]
    assert "  Next ACK push check: <none>" in mine
    assert mine[-3].startswith("Total: ") and mine[-3].endswith(",  Purged: 0")
