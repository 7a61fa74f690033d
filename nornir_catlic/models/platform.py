"""Platform facts: `show version` (software, hardware, technology package licenses) and the
`show switch` family (stack members, roles, states, stack ports)."""

from __future__ import annotations

from datetime import timedelta
from enum import Enum

from pydantic import BaseModel, Field

from nornir_catlic.models.common import ParsedOutput, Role, Timestamp, Udi

# ---------------------------------------------------------------------------------------------- show version


class TechnologyPackage(BaseModel):
    """A row of the `Technology Package License Information` table.

    Attributes:
        current: the package running now (`network-advantage`); None when the device prints `None`.
        license_type: `Smart License`, `Subscription Smart License`, `Permanent`, ... (the Type column;
            `Subscription` or `Perpetual` in the C8000 17.x table).
        next_reboot: the package that runs after the next reload; None when the device prints `None`.
        technology: the Technology column of router tables (`securityk9` on ISR/ASR/VG, `Smart License`
            in the C8000 17.x table); None in the Catalyst table, which has no such column.
    """

    current: str | None
    license_type: str
    next_reboot: str | None
    technology: str | None = None

    @property
    def changes_on_reload(self) -> bool:
        return self.current != self.next_reboot


class SoftwareMaintenanceUpdate(BaseModel):
    """A row of `Active SMU Information`."""

    type: str
    defect_id: str
    version: str
    committed: bool
    filename: str


class StackSoftware(BaseModel):
    """A row of the `Switch Ports Model SW Version SW Image Mode` table."""

    switch: int
    is_active: bool
    ports: int
    model: str
    software_version: str
    software_image: str
    mode: str


class SwitchHardware(BaseModel):
    """The hardware block printed for the answering unit, and for each other member as `Switch 0N`.

    Attributes:
        switch: the member number of a `Switch 0N` block; None for the first block (the unit answering:
            the active switch of a stack, or the chassis of a modular switch).
    """

    switch: int | None = None
    model: str | None = None
    serial: str | None = None
    mac_address: str | None = None
    motherboard_serial: str | None = None
    uptime: str | None = None

    @property
    def udi(self) -> Udi | None:
        return Udi(pid=self.model, serial=self.serial) if self.model and self.serial else None


class ShowVersion(ParsedOutput):
    """`show version`.

    Attributes:
        version: `Cisco IOS XE Software, Version 17.03.01` -> `17.03.01` (a build name on engineering images).
        version_note: what follows the version after ` - ` (`SMU-PATCHED`).
        release_train: `Amsterdam`, `Bengaluru` (None when the brackets are empty).
        ios_version: the version of the `Cisco IOS Software` line (`17.3.1`).
        uptime: the system uptime (a year counts 365 days); `uptime_text` as printed.
        returned_to_rom_at, restarted_at: aware datetimes when the zone is known, else the text.
        technology_packages: the license table, absent on some platforms and releases.
        smart_licensing_status: the `Smart Licensing Status:` line as printed
            (`Smart Licensing Using Policy`, `UNREGISTERED/EVAL EXPIRED`, ...).
        license_level, license_type, next_reload_license_level: the single license level that Catalyst
            3850/3650 and routers print instead of the technology package table (the level may be empty).
        addon_license_level, addon_license_type, next_reload_addon_license_level: the C8000V add-on
            (DNA) level under the base level, None when printed empty.
        throughput_level, crypto_throughput_level: a router's `The current [crypto] throughput level is
            250000 kbps` as printed after `is`.
        chassis: the model of the `cisco C9300-24P (X86) processor` line.
        hardware: the first hardware block (the answering unit).
        stack: the `Switch Ports Model ...` table (stacks and StackWise Virtual).
        switches: the `Switch 0N` hardware blocks of the other members or supervisors.
    """

    version: str | None = None
    version_note: str | None = None
    release_train: str | None = None
    software_image: str | None = None
    ios_version: str | None = None
    rom: str | None = None
    bootloader: str | None = None
    hostname: str | None = None
    uptime: timedelta | None = None
    uptime_text: str | None = None
    control_processor_uptime: str | None = None
    returned_to_rom_by: str | None = None
    returned_to_rom_at: Timestamp | None = None
    restarted_at: Timestamp | None = None
    system_image: str | None = None
    last_reload_reason: str | None = None
    technology_packages: list[TechnologyPackage] = Field(default_factory=list)
    air_license_level: str | None = None
    air_next_reload_license_level: str | None = None
    smart_licensing_status: str | None = None
    license_level: str | None = None
    license_type: str | None = None
    next_reload_license_level: str | None = None
    addon_license_level: str | None = None
    addon_license_type: str | None = None
    next_reload_addon_license_level: str | None = None
    throughput_level: str | None = None
    crypto_throughput_level: str | None = None
    smus: list[SoftwareMaintenanceUpdate] = Field(default_factory=list)
    chassis: str | None = None
    chassis_revision: str | None = None
    processor_board_id: str | None = None
    hardware: SwitchHardware = Field(default_factory=SwitchHardware)
    stack: list[StackSoftware] = Field(default_factory=list)
    switches: list[SwitchHardware] = Field(default_factory=list)
    config_register: str | None = None
    next_config_register: str | None = None

    @property
    def pid(self) -> str | None:
        """Product ID of the answering unit (`Model Number`, else the processor line's model)."""
        return self.hardware.model or self.chassis

    @property
    def serial(self) -> str | None:
        """Serial of the answering unit (`System Serial Number`, else `Processor board ID`)."""
        return self.hardware.serial or self.processor_board_id

    @property
    def udi(self) -> Udi | None:
        return Udi(pid=self.pid, serial=self.serial) if self.pid and self.serial else None

    @property
    def uses_policy(self) -> bool:
        """True when the device says it runs Smart Licensing Using Policy."""
        return (self.smart_licensing_status or "").strip().lower() == "smart licensing using policy"

    @property
    def packages_current(self) -> list[str]:
        """Technology packages running now, base level first (`network-advantage`, `dna-advantage`)."""
        return [row.current for row in self.technology_packages if row.current]

    @property
    def packages_next_reboot(self) -> list[str]:
        """Technology packages that run after the next reload."""
        return [row.next_reboot for row in self.technology_packages if row.next_reboot]

    @property
    def reload_changes_packages(self) -> bool:
        """True when a saved `license boot level` change waits for a reload."""
        return any(row.changes_on_reload for row in self.technology_packages)

    @property
    def active_switch(self) -> int | None:
        """Number of the active switch, from the `*` of the stack table."""
        return next((row.switch for row in self.stack if row.is_active), None)

    @property
    def udis(self) -> list[Udi]:
        """The UDI of every unit with a model and a serial: the answering unit first, then `Switch 0N`."""
        found = [self.udi] + [block.udi for block in self.switches]
        return [udi for udi in found if udi is not None]

    @property
    def serials(self) -> list[str]:
        """Every serial printed: the answering unit first, then the `Switch 0N` blocks."""
        found = [self.serial] + [block.serial for block in self.switches]
        return [serial for serial in found if serial]


# ------------------------------------------------------------------------------------- show switch family


class MemberState(str, Enum):
    """`Current State` of a stack member."""

    READY = "Ready"
    PROVISIONED = "Provisioned"
    UNPROVISIONED = "Unprovisioned"
    REMOVED = "Removed"
    INITIALIZING = "Initializing"
    PROGRESSING = "Progressing"
    SYNCING = "Syncing"
    HA_SYNC_IN_PROGRESS = "HA sync in progress"
    INVALID = "Invalid"
    V_MISMATCH = "V-Mismatch"
    LIC_MISMATCH = "Lic-Mismatch"
    SDM_MISMATCH = "SDM Mismatch"
    NOT_RESPONDING = "Not Responding"


class MacSource(str, Enum):
    """Whose MAC address the stack uses (`- Local Mac Address` / `- Foreign Mac Address`)."""

    LOCAL = "Local"
    FOREIGN = "Foreign"


class StackPortStatus(str, Enum):
    OK = "OK"
    DOWN = "DOWN"


class StackMember(BaseModel):
    """A row of the `show switch` members table.

    Attributes:
        is_active: the `*` marker (the switch the session is on, the active one).
        role: `Master` of older releases reads as active.
        hw_version: None when the column is blank (provisioned, not present).
    """

    switch: int
    is_active: bool
    role: Role
    mac_address: str
    priority: int
    hw_version: str | None = None
    state: MemberState | None = None

    @property
    def is_present(self) -> bool:
        """False for a provisioned-only or removed slot (no MAC address)."""
        return self.mac_address.replace(".", "").strip("0") != ""


class StackPorts(BaseModel):
    """A row of the `show switch detail` stack-port table; neighbours are None when the port is down."""

    switch: int
    port1: StackPortStatus | None
    port2: StackPortStatus | None
    port1_neighbor: int | None = None
    port2_neighbor: int | None = None


class StackPortsRow(BaseModel):
    """A row of `show switch stack-ports`."""

    switch: int
    port1: StackPortStatus | None
    port2: StackPortStatus | None


class ShowSwitch(ParsedOutput):
    """`show switch`: the stack MAC address and the members table."""

    stack_mac_address: str | None = None
    stack_mac_source: MacSource | None = None
    mac_persistency_wait_time: str | None = None
    members: list[StackMember] = Field(default_factory=list)

    def member(self, switch: int) -> StackMember | None:
        return next((row for row in self.members if row.switch == switch), None)

    @property
    def active(self) -> StackMember | None:
        return next((row for row in self.members if row.role is Role.ACTIVE), None)

    @property
    def standby(self) -> StackMember | None:
        return next((row for row in self.members if row.role is Role.STANDBY), None)

    @property
    def ready(self) -> list[StackMember]:
        return [row for row in self.members if row.state is MemberState.READY]


class ShowSwitchDetail(ShowSwitch):
    """`show switch detail`: `show switch` plus the stack-port status and neighbours."""

    stack_ports: list[StackPorts] = Field(default_factory=list)

    def ports_of(self, switch: int) -> StackPorts | None:
        return next((row for row in self.stack_ports if row.switch == switch), None)


class ShowSwitchStackPorts(ParsedOutput):
    """`show switch stack-ports`."""

    ports: list[StackPortsRow] = Field(default_factory=list)

    def ports_of(self, switch: int) -> StackPortsRow | None:
        return next((row for row in self.ports if row.switch == switch), None)


__all__ = [
    "MacSource",
    "MemberState",
    "ShowSwitch",
    "ShowSwitchDetail",
    "ShowSwitchStackPorts",
    "ShowVersion",
    "SoftwareMaintenanceUpdate",
    "StackMember",
    "StackPortStatus",
    "StackPorts",
    "StackPortsRow",
    "StackSoftware",
    "SwitchHardware",
    "TechnologyPackage",
]
