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
from nornir_catlic.parsers.base import ParseContext, Record, register_builder, understood_anything
from nornir_catlic.parsers.values import enum_or_none, int_or_none, text_or_none, timestamp

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
    records = ctx.run(template)
    if not understood_anything(records):
        raise ctx.not_this_output()
    return records[0]


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
    for key, unit in _UPTIME_UNITS.items():
        total += int(record.get(key) or 0) * unit
    return total


def _package(row: dict[str, str]) -> TechnologyPackage:
    return TechnologyPackage(
        current=text_or_none(row["current"]),
        license_type=" ".join(row["type"].split()),
        next_reboot=text_or_none(row["next_reboot"]),
    )


def _switch_blocks(record: Record, ctx: ParseContext) -> list[SwitchHardware]:
    columns = [
        "SWITCH_NUMBERS",
        "SWITCH_UPTIMES",
        "SWITCH_MAC_ADDRESSES",
        "SWITCH_MOTHERBOARD_SERIALS",
        "SWITCH_MODEL_NUMBERS",
        "SWITCH_SYSTEM_SERIALS",
    ]
    lists: list[list[str]] = [list(record.get(column) or []) for column in columns]
    if len({len(values) for values in lists}) > 1:
        # A block without its model or serial line: the lists no longer line up, so say so.
        for number in lists[0]:
            ctx.report(f"Switch 0{number}" if len(number) == 1 else f"Switch {number}")
        return []
    return [
        SwitchHardware(
            switch=int(number),
            uptime=text_or_none(uptime),
            mac_address=mac,
            motherboard_serial=board_serial,
            model=model,
            serial=serial,
        )
        for number, uptime, mac, board_serial, model, serial in zip(*lists, strict=True)
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
        technology_packages=[_package(row) for row in record.get("TECHNOLOGY_PACKAGES") or []],
        air_license_level=text_or_none(record.get("AIR_LICENSE_LEVEL")),
        air_next_reload_license_level=text_or_none(record.get("AIR_NEXT_RELOAD_LICENSE_LEVEL")),
        smart_licensing_status=text_or_none(record.get("SMART_LICENSING_STATUS")),
        smus=[
            SoftwareMaintenanceUpdate(
                type=row["type"],
                defect_id=row["defect_id"],
                version=row["version"],
                committed=row["state"] == "C",
                filename=row["filename"],
            )
            for row in record.get("SMUS") or []
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
                switch=int(row["switch"]),
                is_active=bool(row["active"]),
                ports=int(row["ports"]),
                model=row["model"],
                software_version=row["sw_version"],
                software_image=row["sw_image"],
                mode=row["mode"],
            )
            for row in record.get("STACK_SOFTWARE") or []
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
    for row in record.get("MEMBERS") or []:
        role = _role(row["role"], ctx)
        if role is None:
            continue
        members.append(
            StackMember(
                switch=int(row["switch"]),
                is_active=bool(row["active"]),
                role=role,
                mac_address=row["mac_address"].lower(),
                priority=int(row["priority"]),
                hw_version=text_or_none(row["hw_version"]),
                state=enum_or_none(MemberState, row["state"], ctx),
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
    return enum_or_none(StackPortStatus, text.upper(), ctx)


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
                switch=int(row["switch"]),
                port1=_port_status(row["port1_status"], ctx),
                port2=_port_status(row["port2_status"], ctx),
                port1_neighbor=int_or_none(row["port1_neighbor"]),
                port2_neighbor=int_or_none(row["port2_neighbor"]),
            )
            for row in record.get("STACK_PORTS") or []
        ],
    )


@register_builder(SHOW_SWITCH_STACK_PORTS)
def build_show_switch_stack_ports(ctx: ParseContext) -> ShowSwitchStackPorts:
    record = _only_record(ctx, SHOW_SWITCH_STACK_PORTS)
    return ShowSwitchStackPorts(
        ports=[
            StackPortsRow(
                switch=int(row["switch"]),
                port1=_port_status(row["port1_status"], ctx),
                port2=_port_status(row["port2_status"], ctx),
            )
            for row in record.get("STACK_PORTS") or []
        ]
    )
