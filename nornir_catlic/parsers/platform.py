"""Builders for `show version` and the `show switch` family."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from nornir_catlic.models.common import Role, Timestamp
from nornir_catlic.models.platform import (
    MacSource,
    MemberState,
    ShowSwitch,
    ShowSwitchDetail,
    ShowSwitchStackPorts,
    ShowVersion,
    SoftwareMaintenanceUpdate,
    StackMember,
    StackPorts,
    StackPortsRow,
    StackPortStatus,
    StackSoftware,
    SwitchHardware,
    TechnologyPackage,
)
from nornir_catlic.parsers.base import ParseContext, Record, ValueOutOfRange, register_builder
from nornir_catlic.parsers.values import (
    enum_or_none,
    int_or_none,
    text_or_none,
    timestamp,
    to_int,
)

SHOW_VERSION = "cisco_xe_show_version.textfsm"
SHOW_SWITCH = "cisco_xe_show_switch.textfsm"
SHOW_SWITCH_DETAIL = "cisco_xe_show_switch_detail.textfsm"
SHOW_SWITCH_STACK_PORTS = "cisco_xe_show_switch_stack-ports.textfsm"

# `show version` writes its dates time first: `22:09:11 NZST Wed May 1 2019`.
_VERSION_DATE = re.compile(
    r"^(?P<time>\d{1,2}:\d{2}:\d{2}(?:\.\d+)?)\s+(?P<zone>[A-Za-z]+)\s+\w{3}\s+(?P<mon>\w{3})\s+(?P<day>\d{1,2})"
    r"\s+(?P<year>\d{4})$"
)

_UPTIME_UNITS = {
    "UPTIME_YEARS": timedelta(days=365),
    "UPTIME_WEEKS": timedelta(weeks=1),
    "UPTIME_DAYS": timedelta(days=1),
    "UPTIME_HOURS": timedelta(hours=1),
    "UPTIME_MINUTES": timedelta(minutes=1),
}


def _only_record(ctx: ParseContext, template: str) -> Record:
    """Run a template that emits a single record (TextFSM's implicit one at end of input)."""
    records = ctx.run_or_reject(template)
    return records[0]


def _rows(record: Record, *columns: str) -> list[tuple[str, ...]]:
    """A table captured as parallel lists (one entry per row in each), as rows."""
    lists = [list(record.get(column) or []) for column in columns]
    return list(zip(*lists, strict=True))


def _version_date(text: str | None) -> Timestamp | None:
    value = text_or_none(text)
    if value is None:
        return None
    match = _VERSION_DATE.match(value)
    if not match:
        return value
    return timestamp(f"{match['mon']} {match['day']} {match['time']} {match['year']} {match['zone']}")


def _uptime(record: Record) -> timedelta | None:
    if not record.get("UPTIME"):
        return None
    total = timedelta()
    try:
        for key, unit in _UPTIME_UNITS.items():
            total += to_int(record.get(key) or "0") * unit
    except OverflowError:
        raise ValueOutOfRange(record["UPTIME"], "an uptime longer than a date can hold") from None
    return total


def _packages(record: Record) -> list[TechnologyPackage]:
    """The Catalyst table's rows, then the router tables' rows (which also name a technology)."""
    catalyst = [
        TechnologyPackage(
            current=text_or_none(current),
            license_type=" ".join(license_type.split()),
            next_reboot=text_or_none(next_reboot),
        )
        for current, license_type, next_reboot in _rows(
            record, "PACKAGE_CURRENT", "PACKAGE_TYPE", "PACKAGE_NEXT_REBOOT"
        )
    ]
    router = [
        TechnologyPackage(
            technology=" ".join(technology.split()),
            current=text_or_none(current),
            license_type=" ".join(license_type.split()),
            next_reboot=text_or_none(next_reboot),
        )
        for technology, current, license_type, next_reboot in _rows(
            record,
            "ROUTER_PACKAGE_TECHNOLOGY",
            "ROUTER_PACKAGE_CURRENT",
            "ROUTER_PACKAGE_TYPE",
            "ROUTER_PACKAGE_NEXT_REBOOT",
        )
    ]
    return catalyst + router


def _switch_blocks(record: Record, ctx: ParseContext) -> list[SwitchHardware]:
    columns = (
        "SWITCH_NUMBER",
        "SWITCH_UPTIME",
        "SWITCH_MAC_ADDRESS",
        "SWITCH_MOTHERBOARD_SERIAL",
        "SWITCH_MODEL_NUMBER",
        "SWITCH_SYSTEM_SERIAL",
    )
    if len({len(record.get(column) or []) for column in columns}) > 1:
        # A block without its model or serial line: the lists no longer line up, so say so.
        for number in record.get("SWITCH_NUMBER") or []:
            ctx.report(f"Switch {to_int(number):02d}")
        return []
    return [
        SwitchHardware(
            switch=to_int(number),
            uptime=text_or_none(uptime),
            mac_address=mac,
            motherboard_serial=board_serial,
            model=model,
            serial=serial,
        )
        for number, uptime, mac, board_serial, model, serial in _rows(record, *columns)
    ]


@register_builder(SHOW_VERSION)
def build_show_version(ctx: ParseContext) -> ShowVersion:
    record = _only_record(ctx, SHOW_VERSION)
    return ShowVersion(
        version=text_or_none(record.get("SOFTWARE_VERSION")),
        version_note=text_or_none(record.get("SOFTWARE_VERSION_NOTE")),
        release_train=text_or_none(record.get("RELEASE_TRAIN")),
        software_image=text_or_none(record.get("SOFTWARE_IMAGE")),
        ios_version=text_or_none(record.get("IOS_VERSION")),
        rom=text_or_none(record.get("ROM")),
        bootloader=text_or_none(record.get("BOOTLOADER")),
        hostname=text_or_none(record.get("HOSTNAME")),
        uptime=_uptime(record),
        uptime_text=text_or_none(record.get("UPTIME")),
        control_processor_uptime=text_or_none(record.get("CONTROL_PROCESSOR_UPTIME")),
        returned_to_rom_by=text_or_none(record.get("RETURNED_TO_ROM_BY")),
        returned_to_rom_at=_version_date(record.get("RETURNED_TO_ROM_AT")),
        restarted_at=_version_date(record.get("RESTARTED_AT")),
        system_image=text_or_none(record.get("SYSTEM_IMAGE")),
        last_reload_reason=text_or_none(record.get("RELOAD_REASON")),
        technology_packages=_packages(record),
        air_license_level=text_or_none(record.get("AIR_LICENSE_LEVEL")),
        air_next_reload_license_level=text_or_none(record.get("AIR_NEXT_RELOAD_LICENSE_LEVEL")),
        smart_licensing_status=text_or_none(record.get("SMART_LICENSING_STATUS")),
        license_level=text_or_none(record.get("LICENSE_LEVEL")),
        license_type=text_or_none(record.get("LICENSE_TYPE")),
        next_reload_license_level=text_or_none(record.get("NEXT_RELOAD_LICENSE_LEVEL")),
        addon_license_level=text_or_none(record.get("ADDON_LICENSE_LEVEL")),
        addon_license_type=text_or_none(record.get("ADDON_LICENSE_TYPE")),
        next_reload_addon_license_level=text_or_none(record.get("NEXT_RELOAD_ADDON_LICENSE_LEVEL")),
        throughput_level=text_or_none(record.get("THROUGHPUT_LEVEL")),
        crypto_throughput_level=text_or_none(record.get("CRYPTO_THROUGHPUT_LEVEL")),
        smus=[
            SoftwareMaintenanceUpdate(
                type=smu_type, defect_id=defect_id, version=version, committed=state == "C", filename=filename
            )
            for smu_type, defect_id, version, state, filename in _rows(
                record, "SMU_TYPE", "SMU_DEFECT_ID", "SMU_VERSION", "SMU_STATE", "SMU_FILENAME"
            )
        ],
        chassis=text_or_none(record.get("CHASSIS")),
        chassis_revision=text_or_none(record.get("CHASSIS_REVISION")),
        processor_board_id=text_or_none(record.get("PROCESSOR_BOARD_ID")),
        hardware=SwitchHardware(
            model=text_or_none(record.get("MODEL_NUMBER")),
            serial=text_or_none(record.get("SYSTEM_SERIAL")),
            mac_address=text_or_none(record.get("MAC_ADDRESS")),
            motherboard_serial=text_or_none(record.get("MOTHERBOARD_SERIAL")),
        ),
        stack=[
            StackSoftware(
                switch=to_int(switch),
                is_active=active == "*",
                ports=to_int(ports),
                model=model,
                software_version=sw_version,
                software_image=sw_image,
                mode=mode,
            )
            for active, switch, ports, model, sw_version, sw_image, mode in _rows(
                record,
                "STACK_ACTIVE",
                "STACK_SWITCH",
                "STACK_PORTS",
                "STACK_MODEL",
                "STACK_SW_VERSION",
                "STACK_SW_IMAGE",
                "STACK_MODE",
            )
        ],
        switches=_switch_blocks(record, ctx),
        config_register=text_or_none(record.get("CONFIG_REGISTER")),
        next_config_register=text_or_none(record.get("NEXT_CONFIG_REGISTER")),
    )


def _role(text: str, ctx: ParseContext) -> Role | None:
    # Releases before 16.x called the active switch "Master".
    return Role.ACTIVE if text.lower() == "master" else enum_or_none(Role, text, ctx)


def _members(record: Record, ctx: ParseContext) -> list[StackMember]:
    members = []
    rows = _rows(
        record,
        "MEMBER_ACTIVE",
        "MEMBER_SWITCH",
        "MEMBER_ROLE",
        "MEMBER_MAC_ADDRESS",
        "MEMBER_PRIORITY",
        "MEMBER_HW_VERSION",
        "MEMBER_STATE",
    )
    for active, switch, role_text, mac, priority, hw_version, state in rows:
        role = _role(role_text, ctx)
        if role is None:
            continue
        members.append(
            StackMember(
                switch=to_int(switch),
                is_active=active == "*",
                role=role,
                mac_address=mac.lower(),
                priority=to_int(priority),
                hw_version=text_or_none(hw_version),
                state=enum_or_none(MemberState, state, ctx),
            )
        )
    return members


def _switch_fields(record: Record, ctx: ParseContext) -> dict[str, Any]:
    mac = text_or_none(record.get("STACK_MAC_ADDRESS"))
    return {
        "stack_mac_address": mac.lower() if mac else None,
        "stack_mac_source": enum_or_none(MacSource, record.get("STACK_MAC_SOURCE"), ctx),
        "mac_persistency_wait_time": text_or_none(record.get("MAC_PERSISTENCY_WAIT_TIME")),
        "members": _members(record, ctx),
    }


def _port_status(text: str, ctx: ParseContext) -> StackPortStatus | None:
    return enum_or_none(StackPortStatus, text, ctx)


@register_builder(SHOW_SWITCH)
def build_show_switch(ctx: ParseContext) -> ShowSwitch:
    record = _only_record(ctx, SHOW_SWITCH)
    return ShowSwitch(**_switch_fields(record, ctx))


@register_builder(SHOW_SWITCH_DETAIL)
def build_show_switch_detail(ctx: ParseContext) -> ShowSwitchDetail:
    record = _only_record(ctx, SHOW_SWITCH_DETAIL)
    return ShowSwitchDetail(
        **_switch_fields(record, ctx),
        stack_ports=[
            StackPorts(
                switch=to_int(switch),
                port1=_port_status(port1, ctx),
                port2=_port_status(port2, ctx),
                port1_neighbor=int_or_none(neighbor1),
                port2_neighbor=int_or_none(neighbor2),
            )
            for switch, port1, port2, neighbor1, neighbor2 in _rows(
                record, "PORT_SWITCH", "PORT1_STATUS", "PORT2_STATUS", "PORT1_NEIGHBOR", "PORT2_NEIGHBOR"
            )
        ],
    )


@register_builder(SHOW_SWITCH_STACK_PORTS)
def build_show_switch_stack_ports(ctx: ParseContext) -> ShowSwitchStackPorts:
    record = _only_record(ctx, SHOW_SWITCH_STACK_PORTS)
    return ShowSwitchStackPorts(
        ports=[
            StackPortsRow(
                switch=to_int(switch), port1=_port_status(port1, ctx), port2=_port_status(port2, ctx)
            )
            for switch, port1, port2 in _rows(record, "PORT_SWITCH", "PORT1_STATUS", "PORT2_STATUS")
        ]
    )
