"""Platforms, releases, boot levels and output generations of the virtual switches, against the guide."""

from __future__ import annotations

from pathlib import Path

import pytest

from .rig import Rig, Terminal, dual_sup_spec, guide_time, squash, stack_spec, svl_spec, syslog_messages

SVL_UDI = """UDI: PID:C9407R,SN:FXS221500CT

HA UDI List:
  Active:PID:C9407R,SN:FXS221500CT
  Standby:PID:C9407R,SN:FXS221500BN"""

DUAL_SUP_UDI = """UDI: PID:C9606R,SN:FXS241201WP

HA UDI List:
  Active:PID:C9606R,SN:FXS241201WP
  Standby:PID:C9606R,SN:FXS241201WP"""

DUAL_SUP_AUTHORIZATION = """
Overall status:
  Active: PID:C9606R,SN:FXS241201WP
    Status: SMART AUTHORIZATION INSTALLED on Dec 13 05:18:07 2021 UTC
    Last Confirmation code: 7cf1f54a
  Standby: PID:C9606R,SN:FXS241201WP
    Status: SMART AUTHORIZATION INSTALLED on Dec 13 05:18:07 2021 UTC
    Last Confirmation code: 7cf1f54a

Authorizations:
  C9K HSEC (Cat9K HSEC):
    Description: HSEC Key for Export Compliance on Cat9K Series Switches
    Total available count: 1
    Enforcement type: EXPORT RESTRICTED
    Term information:
      Active: PID:C9606R,SN:FXS241201WP
        Authorization type: SMART AUTHORIZATION INSTALLED
        License type: PERPETUAL
        Term Count: 1
      Standby: PID:C9606R,SN:FXS241201WP
        Authorization type: SMART AUTHORIZATION INSTALLED
        License type: PERPETUAL
        Term Count: 1

Purchased Licenses:
  No Purchase Information Available
"""


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path, guide_time(2021, 9, 6, 16, 58, 25))


def test_svl_with_too_few_keys_installs_on_the_active_only(tmp_path: Path) -> None:
    rig = Rig(tmp_path, guide_time(2022, 9, 6, 16, 58, 25), pools=1)
    device = rig.device(svl_spec())
    term = Terminal(device)
    assert term.run("show license udi") == SVL_UDI
    assert term.run("license smart authorization request add hseck9 all") == ""
    assert syslog_messages(device, "%SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS") == [
        "A new licensing authorization code was successfully installed on PID:C9407R,SN:FXS221500CT"
    ]
    assert syslog_messages(device, "%SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED") == [
        "The install of a new licensing authorization code has failed on PID:C9407R,SN:FXS221500BN: "
        "ERROR_ALL_COUNTS_IN_USE."
    ]
    authorization = term.run("show license authorization")
    assert "  Standby: PID:C9407R,SN:FXS221500BN\n    Status: NOT INSTALLED" in authorization
    assert squash(term.run("show license summary"))[-3:] == [
        "network-advantage (C9400 Network Advantage) 2 IN USE",
        "dna-advantage (C9400 DNA Advantage) 1 IN USE",
        "C9K HSEC (Cat9K HSEC) 0 NOT IN USE",
    ]
    term.configure("interface Tunnel1", "tunnel mode ipsec ipv4")
    assert squash(term.run("show license summary"))[-1] == "C9K HSEC (Cat9K HSEC) 1 IN USE"
    assert [(p.total, p.in_use) for p in rig.ssm.pools()] == [(1, 1)]


def test_svl_does_not_support_replace(rig: Rig) -> None:
    term = Terminal(rig.device(svl_spec(slacs="active")))
    refusal = term.run("license smart authorization request replace hseck9 all")
    assert refusal.startswith("% Error: 'replace' is not supported in a StackWise Virtual setup")


def test_dual_supervisor_shares_one_chassis_udi_and_one_slac(tmp_path: Path) -> None:
    rig = Rig(tmp_path, guide_time(2021, 12, 13, 5, 18, 7))
    device = rig.device(dual_sup_spec())
    term = Terminal(device)
    assert term.run("show license udi") == DUAL_SUP_UDI
    assert term.run("license smart authorization request add hseck9 all") == ""
    assert len(syslog_messages(device, "%SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS")) == 1
    authorization = term.run("show license authorization")
    assert squash(authorization) == squash(DUAL_SUP_AUTHORIZATION)
    codes = {line.split(": ")[1] for line in authorization.splitlines() if "Last Confirmation code" in line}
    assert len(codes) == 1
    assert [(p.total, p.in_use) for p in rig.ssm.pools()] == [(10, 1)]

    assert "% Invalid input detected" in term.configure("interface Tunnel1", "tunnel mode ipsec ipv4")[2]
    term.configure("interface HundredGigE1/0/1", "macsec network-link")
    assert squash(term.run("show license summary"))[-3:] == [
        "network-advantage (C9600-NW-A) 2 IN USE",
        "dna-advantage (C9600-DNA-A) 1 IN USE",
        "C9K HSEC (Cat9K HSEC) 1 IN USE",
    ]
    assert device.switchover() == ""  # same chassis, same UDI: uninterrupted
    assert not syslog_messages(device, "%PLATFORM_IPSEC_HSEC-3-UNAUTHORIZED_HSEC")
    assert squash(Terminal(device).run("show license summary"))[-1] == "C9K HSEC (Cat9K HSEC) 1 IN USE"


def test_c9500x_uses_wan_macsec_and_its_own_release_command(rig: Rig) -> None:
    device = rig.device({"name": "c9500x", "platform": "C9500X", "release": "17.8.1", "slacs": "active"})
    term = Terminal(device)
    assert "UDI: PID:C9500X-28C8D" in term.run("show license udi")
    assert "HA UDI List" not in term.run("show license udi")
    term.configure("interface HundredGigE1/0/5", "macsec network-link")
    assert squash(term.run("show license summary"))[-3:] == [
        "network-advantage (C9500X_NW_A) 1 IN USE",
        "dna-advantage (C9500X_DNA_A) 1 IN USE",
        "C9K HSEC (Cat9K HSEC) 1 IN USE",
    ]
    outputs = term.configure("platform hsec-license-release", "platform wanmacsec hsec-license-release")
    assert "% Invalid input detected" in outputs[1]
    assert outputs[2] == ""  # the feature still runs: nothing to release


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ({"platform": "C9300X", "release": "17.6.1"}, "C9300X before 17.6.2"),
        ({"platform": "C9300", "release": "17.9.4"}, "C9300 has no HSECK9"),
        ({"platform": "C9200", "release": "17.9.4"}, "C9200 has no HSECK9"),
        ({"platform": "C9500X", "release": "17.7.1"}, "C9500X before 17.8.1"),
        ({"platform": "C9600", "release": "17.7.1"}, "C9600X-SUP-2 before 17.8.1"),
        ({"platform": "C9400", "release": "17.10.1"}, "C9400X-SUP-2 before 17.11.1"),
        (
            {"platform": "C9400", "release": "17.12.1", "supervisors": [{"pid": "C9400-SUP-1"}]},
            "older supervisor",
        ),
    ],
)
def test_hseck9_is_gated_by_platform_and_release(rig: Rig, spec: dict[str, str], why: str) -> None:
    term = Terminal(rig.device({"name": "sw", **spec}))
    reply = term.run("license smart authorization request add hseck9 local")
    assert reply == "% Error: Feature hseck9 is not supported on this platform or release", why


def test_supported_releases_accept_the_request(rig: Rig) -> None:
    for release, platform in (("17.6.2", "C9300X"), ("17.8.1", "C9500X"), ("17.11.1", "C9400")):
        device = rig.device({"name": f"sw-{platform}", "platform": platform, "release": release})
        assert Terminal(device).run("license smart authorization request add hseck9 local") == ""
        assert syslog_messages(device, "%SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS")


def test_crypto_is_refused_without_a_slac_and_on_platforms_without_it(rig: Rig) -> None:
    device = rig.device(stack_spec())
    term = Terminal(device)
    term.configure("interface Tunnel10", "tunnel mode ipsec ipv4")
    assert syslog_messages(device, "%PLATFORM_IPSEC_HSEC-3-INVALID_HSEC") == [
        "Switch 1 R0/0: cpp_ha_top_level_server: HSEC license not present: "
        "IPSec mode configuration is rejected"
    ]
    assert "tunnel mode ipsec" not in term.run("show running-config")
    c9300 = Terminal(rig.device({"name": "c9300", "platform": "C9300", "release": "17.9.4"}))
    assert "% Invalid input detected" in c9300.configure("interface Tunnel10", "tunnel mode ipsec ipv4")[2]


def test_boot_levels_follow_the_permitted_combinations(rig: Rig) -> None:
    term = Terminal(rig.device(stack_spec()))
    outputs = term.configure(
        "license boot level network-essentials addon dna-advantage",
        "license boot level network-advantage add-on dna-advantage",
        "license boot level network-advantage addon dna-essentials",
        "license boot level network-essentials addon dna-essentials",
    )
    for refused, word in zip(outputs[1:4], ("dna-advantage", "add-on", "dna-essentials"), strict=True):
        caret_line, message = refused.splitlines()[-2:]
        assert message == "% Invalid input detected at '^' marker."
        assert caret_line.index("^") == len("stack(config)#") + outputs_line_index(refused, word)
    assert outputs[4] == "% use 'write' command to make license boot config take effect on next boot"
    renewal = Terminal(rig.device(stack_spec(name="renewed", dna_renewal=True)))
    assert renewal.configure("license boot level network-advantage addon dna-ess")[1] == (
        "% use 'write' command to make license boot config take effect on next boot"
    )


def outputs_line_index(refused: str, word: str) -> int:
    """Where ``word`` sits in the command line the caret points into."""
    line = {
        "dna-advantage": "license boot level network-essentials addon dna-advantage",
        "add-on": "license boot level network-advantage add-on dna-advantage",
        "dna-essentials": "license boot level network-advantage addon dna-essentials",
    }[word]
    return line.index(word)


def test_boot_level_shows_in_next_reboot_only_once_saved_and_applies_at_reload(rig: Rig) -> None:
    device = rig.device(stack_spec(boot_level="network-advantage"))
    term = Terminal(device)
    table = _license_table(term.run("show version"))
    assert table == [
        "network-advantage Smart License network-advantage",
        "None Subscription Smart License None",
    ]
    term.configure("license boot level network-advantage addon dna-advantage")
    assert _license_table(term.run("show version"))[1] == "None Subscription Smart License None"
    term.run("copy running-config startup-config\r")
    assert _license_table(term.run("show version")) == [
        "network-advantage Smart License network-advantage",
        "None Subscription Smart License dna-advantage",
    ]
    device.reload()
    term = Terminal(device)
    assert _license_table(term.run("show version")) == [
        "network-advantage Smart License network-advantage",
        "dna-advantage Subscription Smart License dna-advantage",
    ]
    assert "Smart Licensing Status: Smart Licensing Using Policy" in term.run("show version")


def _license_table(version: str) -> list[str]:
    lines = squash(version)
    start = lines.index("Current Type Next reboot") + 2
    return lines[start : start + 2]


def test_sl16_prints_registration_and_eval_mode(rig: Rig) -> None:
    registered = Terminal(
        rig.device({"name": "old", "platform": "C9300", "release": "16.12.4", "transport": "smart"})
    )
    status = registered.run("show license status")
    assert "Registration:\n  Status: REGISTERED\n  Smart Account: Eg-SA" in status
    assert "  Export-Controlled Functionality: ALLOWED" in status
    assert "Smart Licensing Status: REGISTERED/AUTHORIZED" in registered.run("show version")
    assert "Smart Licensing Using Policy" not in status
    offline = Terminal(
        rig.device({"name": "eval", "platform": "C9300", "release": "16.9.5", "transport": "off"})
    )
    status = offline.run("show license status")
    assert "  Status: EVAL MODE" in status and "Export-Controlled Functionality: NOT ALLOWED" in status
    assert "EVAL MODE" in offline.run("show license summary")


def test_agent6_prints_the_one_line_trust_block(rig: Rig) -> None:
    term = Terminal(rig.device(stack_spec(release="17.15.1")))
    status = term.run("show license status")
    assert (
        "Trust Code Installed:    Trust Code Type: CSSM\n  Active: PID:C9300X-24HX,SN:FOC2519L8R7" in status
    )
    assert "    INSTALLED on Sep 06 16:58:25 2021 UTC    Valid on Sep 06 16:58:25 2021 UTC" in status
    assert "  IP Mode: Not Configured" in status
    assert term.run("show license usage").startswith("License Authorization: \n  Status: Not Applicable")
    assert "Smart Agent for Licensing: 6." in term.run("show license all")


SVL_AUTHORIZATION_PDT = """
Overall status:
  Active: PID:C9407R,SN:FXS221500CT
    Status: SMART AUTHORIZATION INSTALLED on Jul 07 10:14:04 2022 PDT
    Last Confirmation code: 40ba43d2

  Standby: PID:C9407R,SN:FXS221500BN
    Status: SMART AUTHORIZATION INSTALLED on Jul 07 10:13:45 2022 PDT
    Last Confirmation code: 649e8b1d
Authorizations:
  C9K HSEC (Cat9K HSEC):
    Description: HSEC Key for Export Compliance on Cat9K Series Switches
    Total available count: 2
    Enforcement type: EXPORT RESTRICTED
    Term information:
      Active: PID:C9407R,SN:FXS221500CT
        Authorization type: SMART AUTHORIZATION INSTALLED
        License type: PERPETUAL
        Term Count: 1
      Standby: PID:C9407R,SN:FXS221500BN
        Authorization type: SMART AUTHORIZATION INSTALLED
        License type: PERPETUAL
        Term Count: 1

Purchased Licenses:
  No Purchase Information Available
"""


def test_svl_slacs_imported_one_file_per_udi_in_pacific_time(tmp_path: Path) -> None:
    """The guide's StackWise Virtual sample: each chassis UDI has its own SLAC and confirmation code, and the
    dates print in the configured zone (`clock timezone PDT -7 0`)."""
    rig = Rig(tmp_path, guide_time(2022, 7, 7, 17, 13, 45))
    device = rig.device(svl_spec(transport="off", timezone="PDT -7"))
    term = Terminal(device)
    files = rig.ssm.generate_slacs([("C9407R", "FXS221500CT"), ("C9407R", "FXS221500BN")])
    for udi, text in files.items():
        (device.bootflash / f"{udi.split(':')[-1]}.txt").write_text(text)
    assert term.run("license smart import bootflash:FXS221500BN.txt").startswith("Import Data Successful")
    rig.at(2022, 7, 7, 17, 14, 4)
    assert term.run("license smart import bootflash:FXS221500CT.txt").startswith("Import Data Successful")
    assert squash(term.run("show license authorization")) == squash(SVL_AUTHORIZATION_PDT)
    stamps = [
        line.split(": %")[0] for line in device.logging_lines() if "AUTHORIZATION_INSTALL_SUCCESS" in line
    ]
    assert stamps == ["*Jul  7 10:13:45.000 PDT", "*Jul  7 10:14:04.000 PDT"]
    term.configure("no clock timezone")
    assert "INSTALLED on Jul 07 17:14:04 2022 UTC" in term.run("show license authorization")
    assert "% Invalid input" in term.configure("clock timezone PDT minus7")[1]


def test_a_new_single_supervisor_needs_the_slac_again_the_same_one_does_not(rig: Rig) -> None:
    spec = {"name": "c9407r", "platform": "C9400", "release": "17.11.1", "slacs": "active"}
    spec["supervisors"] = [{"slot": 3, "pid": "C9400X-SUP-2", "serial": "JAE1111AAAA"}]
    device = rig.device(spec)
    assert device.replace_supervisor(3) == ""  # the same module back in its slot
    assert "SMART AUTHORIZATION INSTALLED" in Terminal(device).run("show license authorization")
    assert device.replace_supervisor(3, "JAE2222BBBB") == ""
    assert device.last_reload_reason == "Reload Command"
    authorization = Terminal(device).run("show license authorization")
    assert "Status: NOT INSTALLED" in authorization and "SMART AUTHORIZATION INSTALLED" not in authorization
    assert "Trust Code Installed: <none>" in Terminal(device).run("show license status")


def test_dual_supervisors_replaced_one_at_a_time_keep_the_slac(rig: Rig) -> None:
    device = rig.device(dual_sup_spec(slacs="all"))
    codes = Terminal(device).run("show license authorization")
    assert device.replace_supervisor(3, "CAT9999ZZZZ") == ""  # the active: a switchover first
    assert device.active_unit().number == 4
    assert device.replace_supervisor(4, "CAT8888YYYY") == ""
    assert Terminal(device).run("show license authorization").replace("Active", "X").replace(
        "Standby", "X"
    ) == (codes.replace("Active", "X").replace("Standby", "X"))
    assert device.replace_supervisor(9) == "% No supervisor in slot 9"


def test_wan_macsec_only_on_a_capable_line_card(rig: Rig) -> None:
    device = rig.device(dual_sup_spec(slacs="all", linecards={1: "C9600X-LC-32CD", 2: "C9600-LC-48YL"}))
    term = Terminal(device)
    assert (
        "% Invalid input detected" in term.configure("interface HundredGigE1/2/0/1", "macsec network-link")[2]
    )
    assert term.configure("interface HundredGigE1/1/0/1", "macsec network-link")[2] == ""
    assert squash(term.run("show license summary"))[-1] == "C9K HSEC (Cat9K HSEC) 1 IN USE"


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ({"platform": "C9800"}, "unknown platform"),
        ({"boot_level": "network-essentials add-on dna-essentials"}, "boot_level"),
        ({"boot_level": "network-premier"}, "boot_level"),
        ({"transport": "carrier-pigeon"}, "transport"),
        ({"generation": "agent7"}, "generation"),
        ({"platform": "C9500X", "members": [{"serial": "A"}, {"serial": "B"}]}, "standalone only"),
        ({"platform": "C9600", "svl": True}, "StackWise Virtual"),
        ({"members": [{"pid": "C9300-48P"}]}, "mixed stacking"),
    ],
)
def test_topology_mistakes_are_named(rig: Rig, entry: dict[str, object], complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        rig.device({"name": "bad", "platform": "C9300X", "release": "17.9.4", **entry})


def test_a_16x_switch_registers_with_an_id_token_and_deregisters(rig: Rig) -> None:
    device = rig.device({"name": "old", "platform": "C9300", "release": "16.12.4", "transport": "off"})
    term = Terminal(device)
    assert "  Status: UNREGISTERED" in term.run("show license status")
    term.configure("license smart transport smart")
    assert term.run("license smart register idtoken short") == "% Error: Invalid ID token"
    token = "ODRlOTM5MjItOTQzMi00YmQ5LThhZjEtZGNjOGY3ODBmYjVk"
    assert term.run(f"license smart register idtoken {token}").startswith(
        "Registration process is in progress"
    )
    assert syslog_messages(device, "%SMART_LIC-5-AGENT_REG_SUCCESS")
    status = term.run("show license status")
    assert "  Status: REGISTERED\n  Smart Account: Eg-SA\n  Virtual Account: Eg-VA" in status
    assert "  Status: AUTHORIZED on Sep 06 16:58:25 2021 UTC" in status
    assert "Smart Licensing Status: REGISTERED/AUTHORIZED" in term.run("show version")
    assert term.run("license smart deregister") == ""
    assert "  Status: UNREGISTERED" in term.run("show license status")
    modern = Terminal(rig.device(stack_spec(name="modern")))
    assert "% Invalid input detected" in modern.run(f"license smart register idtoken {token}")


def test_show_inventory_lists_switches_or_chassis_and_supervisors(rig: Rig) -> None:
    stack = Terminal(rig.device(stack_spec())).run("show inventory").splitlines()
    assert stack[:2] == [
        'NAME: "c93xx Stack", DESCR: "c93xx Stack"',
        "PID: C9300X-24HX       , VID: V01  , SN: FOC2519L8R7",
    ]
    assert 'NAME: "Switch 2", DESCR: "C9300X-48HXN"' in stack
    chassis = Terminal(rig.device(dual_sup_spec())).run("show inventory")
    assert "PID: C9606R            , VID: V01  , SN: FXS241201WP" in chassis
    assert chassis.count("PID: C9600X-SUP-2") == 2
    svl = Terminal(rig.device(svl_spec())).run("show inventory")
    assert 'NAME: "Switch 2 Chassis", DESCR: "Cisco Catalyst 9400 Series 7 Slot Chassis"' in svl


def test_wan_macsec_checks_the_line_card_of_a_standalone_chassis_port(rig: Rig) -> None:
    # A chassis that is not in StackWise Virtual names its ports slot/subslot/port: the slot comes first.
    device = rig.device(dual_sup_spec(slacs="all", linecards={1: "C9600X-LC-32CD", 2: "C9600-LC-48YL"}))
    term = Terminal(device)
    refused = term.configure("interface HundredGigE2/0/1", "macsec network-link")[2]
    assert "% Invalid input detected" in refused
    assert term.configure("interface HundredGigE1/0/1", "macsec network-link")[2] == ""
