"""``show inventory``: the physical parts (chassis, supervisors, line cards, members) by PID and serial.

The licensing rules need it on a C9400/C9600 chassis, whose supervisor decides HSECK9 support
(C9400X-SUP-2/2XL, C9600X-SUP-2) while every licensing output names only the chassis.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from nornir_catlic.models.common import ParsedOutput


class InventoryItem(BaseModel):
    """One ``NAME: "...", DESCR: "..."`` / ``PID: ..., VID: ..., SN: ...`` pair."""

    name: str
    description: str
    pid: str | None = None
    vid: str | None = None
    serial: str | None = None

    @property
    def is_supervisor(self) -> bool:
        return "supervisor" in f"{self.name} {self.description}".lower()


class ShowInventory(ParsedOutput):
    items: list[InventoryItem] = Field(default_factory=list)

    @property
    def supervisor_pids(self) -> list[str]:
        """PIDs of the supervisor modules, in output order."""
        return [item.pid for item in self.items if item.is_supervisor and item.pid]


__all__ = ["InventoryItem", "ShowInventory"]
