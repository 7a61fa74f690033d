"""Real-device captures of show version and the show switch family: no error, no unparsed line, key facts.

The captures come from ntc-templates and genieparser test data (tests/corpus/real/MANIFEST.tsv and NOTICE);
the facts below were read from the captures by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from parsing_cases import CORPUS_DIR

from nornir_catlic import parse
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

OK, DOWN = StackPortStatus.OK, StackPortStatus.DOWN


def _parse(command: str, folder: str, name: str) -> object:
    result = parse(command, (CORPUS_DIR / folder / name).read_text(), strict=True)
    assert result.unparsed_lines == []
    return result


def _version(name: str) -> ShowVersion:
    result = _parse("show version", "show_version", name)
    assert isinstance(result, ShowVersion)
    return result


def _detail(name: str) -> ShowSwitchDetail:
    result = _parse("show switch detail", "show_switch_detail", name)
    assert isinstance(result, ShowSwitchDetail)
    return result


def test_every_platform_capture_is_covered_here() -> None:
    covered = {
        "show_version": 7,
        "show_switch": 1,
        "show_switch_detail": 8,
        "show_switch_stack-ports": 1,
    }
    for folder, count in covered.items():
        assert len(list((CORPUS_DIR / folder).iterdir())) == count, folder


# ----------------------------------------------------------------------------------------------- show version


def test_c9300_17_6_single_switch_bundle_mode() -> None:
    version = _version("genie__golden_output_c9300_output.txt")
    assert version.hostname == "ssr-cat9300"
    assert version.release_train == "Bengaluru"
    assert version.pid == "C9300-24P" and version.serial == "FCW2223G0B9"
    assert version.hardware.motherboard_serial == "FOC22221AD2"
    assert version.uptime == timedelta(minutes=19)
    assert [(p.current, p.license_type, p.next_reboot) for p in version.technology_packages] == [
        ("network-advantage", "Smart License", "network-advantage"),
        ("dna-advantage", "Subscription Smart License", "dna-advantage"),
    ]
    assert not version.reload_changes_packages
    assert version.air_license_level == "AIR DNA Advantage"
    assert version.smart_licensing_status == "Registration Not Applicable/Not Applicable"
    assert not version.uses_policy
    [row] = version.stack
    assert (row.switch, row.is_active, row.ports, row.model, row.software_version, row.mode) == (
        1,
        True,
        41,
        "C9300-24P",
        "17.06.01",
        "BUNDLE",
    )
    assert version.config_register == "0x102"


def test_c9606r_chassis_with_two_supervisor_blocks() -> None:
    version = _version("genie__golden_output_8_output.txt")
    assert version.hostname == "intrepid-2"
    assert version.version == "BLD_POLARIS_DEV_LATEST_20211003_004933"
    assert version.ios_version == "17.8.20211003:014100"
    assert version.chassis == "C9606R" and version.chassis_revision == "V01"
    assert version.serial == "FXS2522Q2PK" and version.processor_board_id == "FXS2522Q2PC"
    assert [(block.switch, block.serial, block.motherboard_serial) for block in version.switches] == [
        (1, "FXS2522Q2PC", "FXS251500ME"),
        (2, "FXS2522Q2PV", "FXS251701Q0"),
    ]
    assert version.serials == ["FXS2522Q2PK", "FXS2522Q2PC", "FXS2522Q2PV"]
    assert version.packages_current == ["network-advantage", "dna-advantage"]


def test_c9500_17_3_1_smu_install_and_trailing_prompt() -> None:
    version = _version("genie__golden_output_c9500_1_output.txt")
    assert version.version == "17.03.01" and version.ios_version == "17.3.1"
    assert version.uptime == timedelta(days=1, hours=3, minutes=39)
    assert version.returned_to_rom_by == "SMU Install" and version.last_reload_reason == "SMU Install"
    assert version.system_image == "bootflash:cat9k_iosxe.17.03.01.SPA.bin"
    assert version.smart_licensing_status == "REGISTERED/EVAL EXPIRED"
    assert version.udi is not None and str(version.udi) == "PID:C9500-24Y4C,SN:CAT2136L3NG"


def test_c9500_svl_smu_patched_with_smu_table() -> None:
    version = _version("genie__golden_output_c9500_4_output.txt")
    assert (version.version, version.version_note) == ("17.03.03", "SMU-PATCHED")
    assert version.returned_to_rom_at == datetime(2024, 2, 21, 17, 32, 14, tzinfo=timezone.utc)
    assert version.restarted_at == datetime(2024, 3, 6, 1, 48, 52, tzinfo=timezone.utc)
    assert [smu.defect_id for smu in version.smus] == ["CSCvz54210", "CSCwc80043", "CSCwh29778"]
    assert all(smu.committed for smu in version.smus)
    assert version.serials == ["FDO25180ANN", "FDO251801UK"]
    assert version.switches[0].model == "C9500-48Y4C"


def test_c9500_16_9_stack_table_and_member_uptime() -> None:
    version = _version("ntc__cisco_ios_show_version4.raw")
    assert version.hostname == "AKBTESTW01" and version.release_train == "Fuji"
    assert version.uptime == timedelta(days=365 + 22 * 7 + 6, hours=9, minutes=38)
    assert version.returned_to_rom_at == datetime(2019, 5, 1, 10, 9, 11, tzinfo=timezone.utc)
    assert version.air_license_level is None
    assert version.smart_licensing_status == "UNREGISTERED/EVAL EXPIRED"
    assert [(row.switch, row.is_active, row.software_version) for row in version.stack] == [
        (1, True, "16.9.3"),
        (2, False, "16.9.3"),
    ]
    assert version.active_switch == 1
    [member] = version.switches
    assert (member.switch, member.serial, member.uptime) == (
        2,
        "FCW1234F88V",
        "1 year, 22 weeks, 6 days, 9 hours, 47 minutes",
    )


def test_c9500_16_12_svl_member_block_without_uptime() -> None:
    version = _version("ntc__cisco_ios_show_version5.raw")
    assert version.hostname == "Switch-Hostname"
    assert version.uptime == timedelta(weeks=7, hours=17, minutes=14)
    assert version.restarted_at == datetime(2021, 3, 8, 18, 57, 50, tzinfo=timezone.utc)
    assert [(block.switch, block.mac_address, block.uptime) for block in version.switches] == [
        (2, "a0:b4:39:00:00:00", None),
    ]


def test_special_build_isr_image_name() -> None:
    version = _version("ntc__cisco_ios_show_version_special_build.raw")
    assert version.version == "V169_5_SR689355441_2"
    assert version.software_image == "X86_64_LINUX_IOSD-UNIVERSALK9-M"
    assert version.ios_version == "16.9.5"
    assert [row.software_version for row in version.stack] == ["16.9.5", "16.9.5"]


# ---------------------------------------------------------------------------------------- show switch family


def test_show_switch_active_with_two_provisioned_members() -> None:
    result = _parse("show switch", "show_switch", "genie__golden_output_1_output.txt")
    assert isinstance(result, ShowSwitch)
    assert result.stack_mac_address == "0c75.bd6e.db00" and result.stack_mac_source is MacSource.LOCAL
    assert [(m.switch, m.role, m.hw_version, m.state, m.is_present) for m in result.members] == [
        (1, Role.ACTIVE, "V02", MemberState.READY, True),
        (2, Role.MEMBER, None, MemberState.PROVISIONED, False),
        (3, Role.MEMBER, None, MemberState.PROVISIONED, False),
    ]
    assert result.active is not None and result.active.priority == 15


def test_standalone_c9300_stack_ports_down() -> None:
    detail = _detail("genie__golden_output1_output.txt")
    assert [(m.switch, m.is_active, m.role) for m in detail.members] == [(1, True, Role.ACTIVE)]
    assert [(p.switch, p.port1, p.port2, p.port1_neighbor, p.port2_neighbor) for p in detail.stack_ports] == [
        (1, DOWN, DOWN, None, None),
    ]


def test_c3850_ring_of_three() -> None:
    detail = _detail("genie__golden_output_c3850_output.txt")
    assert detail.standby is not None and detail.standby.switch == 2
    assert [m.hw_version for m in detail.members] == ["V04", "V05", "V05"]
    assert [(p.switch, p.port1_neighbor, p.port2_neighbor) for p in detail.stack_ports] == [
        (1, 3, 2),
        (2, 1, 3),
        (3, 2, 1),
    ]


def test_show_switch_output_filed_as_detail_has_no_port_table() -> None:
    detail = _detail("ntc__cisco_ios_show_switch_01.raw")
    assert [(m.switch, m.role, m.mac_address) for m in detail.members] == [
        (1, Role.ACTIVE, "04bd.9715.5140"),
        (2, Role.STANDBY, "04bd.977f.f400"),
    ]
    assert detail.stack_ports == []


def test_unprovisioned_member_with_and_without_hw_version() -> None:
    blank = _detail("ntc__cisco_ios_show_switch_detail01.raw")
    assert [(m.switch, m.hw_version, m.state) for m in blank.members] == [
        (1, "V03", MemberState.READY),
        (2, None, MemberState.UNPROVISIONED),
    ]
    filled = _detail("ntc__cisco_ios_show_switch_detail02.raw")
    assert [(m.switch, m.hw_version, m.state) for m in filled.members] == [
        (1, "V03", MemberState.READY),
        (2, "V03", MemberState.UNPROVISIONED),
    ]


@pytest.mark.parametrize(
    ("name", "members", "ports"),
    [
        ("ntc__cisco_ios_show_switch_detail1.raw", [(1, 1, "3")], [(1, DOWN, DOWN, None, None)]),
        (
            "ntc__cisco_ios_show_switch_detail2.raw",
            [(1, 15, "3"), (2, 8, "3"), (3, 7, "3")],
            [(1, OK, OK, 3, 2), (2, OK, OK, 1, 3), (3, OK, OK, 2, 1)],
        ),
    ],
)
def test_old_master_role_reads_as_active_and_mixed_case_port_status(
    name: str, members: list[tuple[int, int, str]], ports: list[tuple[object, ...]]
) -> None:
    detail = _detail(name)
    assert detail.members[0].role is Role.ACTIVE and detail.members[0].is_active
    assert detail.stack_mac_source is None and detail.mac_persistency_wait_time is None
    assert [(m.switch, m.priority, m.hw_version) for m in detail.members] == members
    assert [
        (p.switch, p.port1, p.port2, p.port1_neighbor, p.port2_neighbor) for p in detail.stack_ports
    ] == ports


def test_four_member_stack_with_standby_as_switch_4() -> None:
    detail = _detail("ntc__cisco_ios_show_switch_detail3.raw")
    assert [(m.switch, m.role) for m in detail.members] == [
        (1, Role.ACTIVE),
        (2, Role.MEMBER),
        (3, Role.MEMBER),
        (4, Role.STANDBY),
    ]
    assert len(detail.ready) == 4
    ports = detail.ports_of(4)
    assert ports is not None and (ports.port1_neighbor, ports.port2_neighbor) == (1, 3)


def test_stack_ports_one_link_down_each_side() -> None:
    result = _parse(
        "show switch stack-ports", "show_switch_stack-ports", "genie__sh_switch_stack_ports_output.txt"
    )
    assert isinstance(result, ShowSwitchStackPorts)
    assert [(row.switch, row.port1, row.port2) for row in result.ports] == [
        (1, OK, OK),
        (2, DOWN, OK),
        (3, OK, DOWN),
    ]


def test_udis_of_an_svl_pair() -> None:
    version = _version("genie__golden_output_c9500_4_output.txt")
    assert [str(udi) for udi in version.udis] == [
        "PID:C9500-48Y4C,SN:FDO25180ANN",
        "PID:C9500-48Y4C,SN:FDO251801UK",
    ]
