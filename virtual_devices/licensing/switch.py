"""What the licensing agent sees of its switch: a Protocol that ``virtual_devices.device.Device`` meets.

The agent depends on this, not on the device module, so the device can own an agent without the two
importing each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from virtual_devices.config import Config
from virtual_devices.faults import Faults
from virtual_devices.platforms import Platform, Release


class Member(Protocol):
    """A stack member or supervisor (``device.Unit``)."""

    number: int
    pid: str
    serial: str
    role: str
    chassis: int

    @property
    def udi(self) -> str: ...


class LabServices(Protocol):
    """What every device of a lab shares (``device.LabContext``): the simulated SSM and its first account."""

    ssm: Any  # virtual_devices.ssm.SimulatedSSM, or None in a lab without one

    def default_account(self) -> dict[str, Any]: ...


class Switch(Protocol):
    hostname: str
    generation: str  # sl16 | agent5 | agent6
    release: Release
    svl: bool
    platform: Platform
    settings: dict[str, Any]  # the topology entry
    faults: Faults
    config: Config

    @property
    def ctx(self) -> LabServices: ...

    @property
    def startup(self) -> Config: ...

    @property
    def is_stack(self) -> bool: ...

    def now(self) -> datetime: ...

    def log(self, tag: str, text: str, at: datetime | None = None) -> None: ...

    def active_unit(self) -> Member: ...

    def standby_unit(self) -> Member | None: ...

    def ha_units(self) -> Sequence[Member]: ...

    def present_units(self) -> Sequence[Member]: ...

    def udis(self) -> list[str]: ...

    def hsec_supported(self) -> bool: ...
