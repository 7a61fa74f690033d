"""show version and the show switch family: what surrounds the output, variants seen on other releases,
lines nobody expected, and the templates used directly the way netmiko users do."""

from __future__ import annotations

import pytest
from parsing_cases import CORPUS_DIR, netmiko_records

from nornir_catlic import ParseError, parse
from nornir_catlic.models.common import Role
from nornir_catlic.models.platform import (
    MacSource,
    MemberState,
    ShowSwitch,
    ShowSwitchDetail,
    ShowSwitchStackPorts,
    ShowVersion,
    StackPortStatus,
)

DETAIL = """\
Switch/Stack Mac Address : b08b.d02b.5b80 - Local Mac Address
Mac persistency wait time: Indefinite
                                             H/W   Current
Switch#   Role    Mac Address     Priority Version  State
-------------------------------------------------------------------------------------
*1       Active   b08b.d02b.5b80     15     P2B     Ready
 2       Standby  b08b.d08d.bb00     14     P2B     Ready
 3       Member   f87a.414b.5580     1      PP      Ready



         Stack Port Status             Neighbors
Switch#  Port 1     Port 2           Port 1   Port 2
--------------------------------------------------------
  1         OK         OK               3        2
  2         OK         OK               1        3
  3         OK         OK               2        1
"""

# A 17.x C9300X stack as it prints itself: policy status line, stack table, one block per member.
STACK_VERSION = """\
Cisco IOS XE Software, Version 17.09.04a
Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), \
Version 17.9.4a, RELEASE SOFTWARE (fc3)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2023 by Cisco Systems, Inc.
Compiled Fri 20-Oct-23 10:44 by mcpre

ROM: IOS-XE ROMMON
BOOTLDR: System Bootstrap, Version 17.9.1r, RELEASE SOFTWARE (P)

c9300x-stack uptime is 2 weeks, 1 day, 4 hours, 7 minutes
Uptime for this control processor is 2 weeks, 1 day, 4 hours, 10 minutes
System returned to ROM by Reload Command at 08:12:41 CET Tue Nov 7 2023
System image file is "flash:packages.conf"
Last reload reason: Reload Command

Technology Package License Information:

------------------------------------------------------------------------------
Technology-package                                     Technology-package
Current                        Type                       Next reboot
------------------------------------------------------------------------------
network-advantage       Smart License                    network-advantage
dna-advantage           Subscription Smart License       dna-advantage
AIR License Level: AIR DNA Advantage
Next reload AIR license Level: AIR DNA Advantage


Smart Licensing Status: Smart Licensing Using Policy

cisco C9300X-24HX (X86) processor with 1843200K/6147K bytes of memory.
Processor board ID FOC2519L8R7
2 Virtual Ethernet interfaces
96 Multigigabit Ethernet interfaces
4048K bytes of non-volatile configuration memory.
16777216K bytes of physical memory.

Base Ethernet MAC Address          : b0:8b:d0:2b:5b:80
Motherboard Assembly Number        : 73-20735-04
Motherboard Serial Number          : FOC25180PQH
Model Revision Number              : B0
Motherboard Revision Number        : A0
Model Number                       : C9300X-24HX
System Serial Number               : FOC2519L8R7
CLEI Code Number                   : INM1W00ARA
Top Assembly Part Number           : 068-101641-02
Top Assembly Revision Number       : A0
Version ID                         : V02


Switch Ports Model              SW Version        SW Image              Mode
------ ----- -----              ----------        ----------            ----
*    1 28    C9300X-24HX        17.09.04a         CAT9K_IOSXE           INSTALL
     2 52    C9300X-48HXN       17.09.04a         CAT9K_IOSXE           INSTALL


Switch 02
---------
Switch uptime                      : 2 weeks, 1 day, 4 hours, 9 minutes

Base Ethernet MAC Address          : b0:8b:d0:8d:bb:00
Motherboard Assembly Number        : 73-20736-04
Motherboard Serial Number          : FOC25231JKL
Model Revision Number              : B0
Motherboard Revision Number        : A0
Model Number                       : C9300X-48HXN
System Serial Number               : FOC2524L39P
CLEI Code Number                   : INM1X00ARA

Configuration register is 0x102 (will be 0x2102 at next reload)
"""


def test_echo_cli_headers_crlf_prompt_truncation_and_blank_lines_are_tolerated() -> None:
    clean = parse("show switch detail", DETAIL, strict=True)
    noisy = (
        "c9300x-stack#show switch detail\r\n"
        "Load for five secs: 1%/0%; one minute: 9%; five minutes: 5%\r\n"
        "Time source is NTP, 19:05:29.741 UTC Fri Dec 3 2021\r\n"
        "\r\n" + DETAIL.replace("\n", "\r\n").replace("*1 ", "\r\n*1 ", 1) + "<output truncated>\r\n"
        "\r\n\r\nc9300x-stack#"
    )
    result = parse("sh switch det", noisy, strict=True)
    assert result.model_dump(exclude={"command", "truncated"}) == clean.model_dump(
        exclude={"command", "truncated"}
    )
    assert result.truncated and not clean.truncated


def test_an_unexpected_line_is_reported_and_strict_names_it() -> None:
    text = DETAIL.replace(" 3       Member", "Switch 4 is being provisioned\n 3       Member")
    relaxed = parse("show switch detail", text)
    assert isinstance(relaxed, ShowSwitchDetail)
    assert relaxed.unparsed_lines == ["Switch 4 is being provisioned"]
    assert [member.switch for member in relaxed.members] == [1, 2, 3]
    with pytest.raises(ParseError, match=r"line 8: 'Switch 4 is being provisioned'"):
        parse("show switch detail", text, strict=True)


def test_output_of_another_command_is_refused() -> None:
    summary = (CORPUS_DIR / "show_license_summary" / "genie__golden_output1_output.txt").read_text()
    with pytest.raises(ParseError, match="not this command's output"):
        parse("show switch detail", summary)


def test_multi_word_hyphenated_and_unknown_states_foreign_mac() -> None:
    text = """\
Chassis/Stack Mac Address : 5254.0012.3400 - Foreign Mac Address
Mac persistency wait time: 4 mins
                                             H/W   Current
Switch#   Role    Mac Address     Priority Version  State
-------------------------------------------------------------------------------------
*1       Active   5254.0012.3400     15     V01     Ready
 2       Standby  5254.0012.5600     14             HA sync in progress
 3       Member   5254.0012.7800     1      V02     V-Mismatch
 4       Member   5254.0012.9a00     1      V02     HA sync in progress
 5       Member   5254.0012.bc00     1      V02     Booting
"""
    result = parse("show switch", text)
    assert isinstance(result, ShowSwitch)
    assert result.stack_mac_source is MacSource.FOREIGN
    assert result.mac_persistency_wait_time == "4 mins"
    assert [(m.switch, m.hw_version, m.state) for m in result.members] == [
        (1, "V01", MemberState.READY),
        (2, None, MemberState.HA_SYNC_IN_PROGRESS),
        (3, "V02", MemberState.V_MISMATCH),
        (4, "V02", MemberState.HA_SYNC_IN_PROGRESS),
        (5, "V02", None),
    ]
    # A state the model does not know is not dropped: its line is reported.
    assert result.unparsed_lines == [" 5       Member   5254.0012.bc00     1      V02     Booting".strip()]


def test_stack_mac_address_without_suffix_or_persistency_line() -> None:
    text = "Switch/Stack Mac Address : a0e0.af1d.bb80\n" + "\n".join(DETAIL.splitlines()[2:])
    result = parse("show switch detail", text, strict=True)
    assert isinstance(result, ShowSwitchDetail)
    assert result.stack_mac_source is None and result.mac_persistency_wait_time is None
    assert len(result.members) == 3


def test_c9300x_stack_show_version_17_9() -> None:
    version = parse("show version", STACK_VERSION, strict=True)
    assert isinstance(version, ShowVersion)
    assert version.uses_policy
    assert (version.version, version.release_train, version.ios_version) == (
        "17.09.04a",
        "Cupertino",
        "17.9.4a",
    )
    assert version.udi is not None and str(version.udi) == "PID:C9300X-24HX,SN:FOC2519L8R7"
    assert [(row.switch, row.model, row.is_active) for row in version.stack] == [
        (1, "C9300X-24HX", True),
        (2, "C9300X-48HXN", False),
    ]
    [member] = version.switches
    assert member.udi is not None and str(member.udi) == "PID:C9300X-48HXN,SN:FOC2524L39P"
    assert member.uptime == "2 weeks, 1 day, 4 hours, 9 minutes"
    assert version.serials == ["FOC2519L8R7", "FOC2524L39P"]
    assert (version.config_register, version.next_config_register) == ("0x102", "0x2102")
    assert version.returned_to_rom_at is not None and not isinstance(version.returned_to_rom_at, str)
    assert version.model_dump(mode="json")["uptime"] == "P15DT4H7M"


def test_show_version_without_license_table_and_with_tabs_inside_rows() -> None:
    without = STACK_VERSION.split("Technology Package")[0] + "Configuration register is 0x102\n"
    version = parse("show version", without, strict=True)
    assert isinstance(version, ShowVersion)
    assert version.technology_packages == [] and version.packages_current == []

    tabbed = STACK_VERSION.replace(
        "dna-advantage           Subscription Smart License       dna-advantage",
        "None                \tSubscription Smart License    \t dna-advantage   ",
    )
    version = parse("show version", tabbed, strict=True)
    assert isinstance(version, ShowVersion)
    addon = version.technology_packages[1]
    assert (addon.current, addon.license_type, addon.next_reboot) == (
        None,
        "Subscription Smart License",
        "dna-advantage",
    )
    assert version.reload_changes_packages
    assert version.packages_next_reboot == ["network-advantage", "dna-advantage"]


def test_a_member_block_missing_its_serial_is_reported_not_misaligned() -> None:
    text = STACK_VERSION.replace("System Serial Number               : FOC2524L39P\n", "")
    version = parse("show version", text)
    assert isinstance(version, ShowVersion)
    assert version.switches == []
    assert version.unparsed_lines == ["Switch 02"]


@pytest.mark.parametrize(
    ("command", "model"),
    [
        ("sh ver", ShowVersion),
        ("show switch", ShowSwitch),
        ("sh sw det", ShowSwitchDetail),
        ("sh switch stack-ports", ShowSwitchStackPorts),
    ],
)
def test_abbreviations_reach_the_right_model(command: str, model: type) -> None:
    outputs = {
        ShowVersion: STACK_VERSION,
        ShowSwitch: "\n".join(DETAIL.splitlines()[:8]),
        ShowSwitchDetail: DETAIL,
        ShowSwitchStackPorts: "Switch#   Port1     Port2\n-------------------\n1         OK        DOWN\n",
    }
    assert type(parse(command, outputs[model], strict=True)) is model


def test_stack_ports_lowercase_status_reads_as_the_enum() -> None:
    result = parse(
        "show switch stack-ports", "Switch#  Port1  Port2\n  ------  -----  -----\n    1     Ok    Down\n"
    )
    assert isinstance(result, ShowSwitchStackPorts)
    assert (result.ports[0].port1, result.ports[0].port2) == (StackPortStatus.OK, StackPortStatus.DOWN)


def test_an_unknown_stack_port_status_reports_the_line_the_device_printed() -> None:
    result = parse(
        "show switch stack-ports", "Switch#  Port1  Port2\n  ------  -----  -----\n    1     Ok    Flaky\n"
    )
    assert isinstance(result, ShowSwitchStackPorts)
    assert (result.ports[0].port1, result.ports[0].port2) == (StackPortStatus.OK, None)
    assert result.unparsed_lines == ["1     Ok    Flaky"]


def test_templates_work_handed_to_netmiko_directly() -> None:
    [version] = netmiko_records("cisco_xe_show_version.textfsm", STACK_VERSION)
    assert version["system_serial"] == "FOC2519L8R7"
    assert version["package_type"] == ["Smart License", "Subscription Smart License"]
    assert version["stack_active"] == ["*", ""]
    assert version["switch_system_serial"] == ["FOC2524L39P"]
    assert version["unparsed"] == []

    [detail] = netmiko_records("cisco_xe_show_switch_detail.textfsm", DETAIL)
    assert detail["member_role"] == ["Active", "Standby", "Member"]
    assert detail["port1_neighbor"] == ["3", "1", "2"]

    provisioned = (CORPUS_DIR / "show_switch" / "genie__golden_output_1_output.txt").read_text()
    [switch] = netmiko_records("cisco_xe_show_switch.textfsm", provisioned)
    assert switch["member_active"] == ["*", "", ""]
    assert switch["member_hw_version"] == ["V02", "", ""]
    assert switch["member_state"] == ["Ready", "Provisioned", "Provisioned"]

    stack_ports = (
        CORPUS_DIR / "show_switch_stack-ports" / "genie__sh_switch_stack_ports_output.txt"
    ).read_text()
    [ports] = netmiko_records("cisco_xe_show_switch_stack-ports.textfsm", stack_ports)
    assert ports["port1_status"] == ["OK", "DOWN", "OK"]


def test_models_dump_to_json_and_back() -> None:
    for command, text, model in (
        ("show version", STACK_VERSION, ShowVersion),
        ("show switch detail", DETAIL, ShowSwitchDetail),
    ):
        result = parse(command, text)
        assert model.model_validate_json(result.model_dump_json()) == result
    detail = parse("show switch detail", DETAIL)
    assert isinstance(detail, ShowSwitchDetail)
    assert detail.model_dump(mode="json")["members"][0]["role"] == Role.ACTIVE.value


def _noisy(command: str, text: str) -> str:
    """The output as a session log shows it: echo, CLI headers, CRLF, blank lines, a mark, a prompt."""
    lines = text.splitlines()
    middle = len(lines) // 2
    body = [*lines[:middle], "", "<output truncated>", *lines[middle:]]
    return "\r\n".join(
        [
            f"c9300x-stack#{command}",
            "Load for five secs: 1%/0%; one minute: 9%; five minutes: 5%",
            "Time source is NTP, 19:05:29.741 UTC Fri Dec 3 2021",
            "",
            *body,
            "",
            "",
            "c9300x-stack#",
        ]
    )


@pytest.mark.parametrize(
    ("command", "path"),
    [
        ("show version", "show_version/genie__golden_output_c9500_4_output.txt"),
        ("show version", "show_version/ntc__cisco_ios_show_version4.raw"),
        ("show switch", "show_switch/genie__golden_output_1_output.txt"),
        ("show switch detail", "show_switch_detail/ntc__cisco_ios_show_switch_detail3.raw"),
        ("show switch stack-ports", "show_switch_stack-ports/genie__sh_switch_stack_ports_output.txt"),
    ],
)
def test_session_noise_around_real_captures_changes_nothing_but_truncated(command: str, path: str) -> None:
    text = (CORPUS_DIR / path).read_text()
    clean = parse(command, text, strict=True)
    noisy = parse(command, _noisy(command, text), strict=True)
    assert noisy.truncated
    assert noisy.model_dump(exclude={"truncated"}) == clean.model_dump(exclude={"truncated"})


def test_strict_show_version_names_the_unexpected_line_and_its_number() -> None:
    text = STACK_VERSION.replace(
        "Processor board ID FOC2519L8R7\n", "Processor board ID FOC2519L8R7\nQuantum Flux: 3\n"
    )
    number = text.splitlines().index("Quantum Flux: 3") + 1
    assert parse("show version", text).unparsed_lines == ["Quantum Flux: 3"]
    with pytest.raises(ParseError, match=rf"line {number}: 'Quantum Flux: 3'"):
        parse("show version", text, strict=True)


def test_catalyst_3850_single_license_level_lines() -> None:
    text = """\
Cisco IOS XE Software, Version 16.09.05
Cisco IOS Software [Fuji], Catalyst L3 Switch Software (CAT3K_CAA-UNIVERSALK9-M), \
Version 16.9.5, RELEASE SOFTWARE (fc1)

License Level: ipservicesk9
License Type: Permanent Right-To-Use
Next reload license Level: ipservicesk9

Smart Licensing Status: UNREGISTERED/EVAL EXPIRED

cisco WS-C3850-24P (MIPS) processor (revision AA0) with 798317K/6147K bytes of memory.
Processor board ID FOC1932X0Z1
"""
    version = parse("show version", text, strict=True)
    assert isinstance(version, ShowVersion)
    assert (version.license_level, version.license_type, version.next_reload_license_level) == (
        "ipservicesk9",
        "Permanent Right-To-Use",
        "ipservicesk9",
    )
    assert (version.chassis, version.chassis_revision, version.serial) == (
        "WS-C3850-24P",
        "AA0",
        "FOC1932X0Z1",
    )
    assert version.technology_packages == []
