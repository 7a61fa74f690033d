"""Unique Device Identifiers: the product ID and serial number licenses are bound to."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Udi(BaseModel):
    """Unique Device Identifier: the product ID and serial number licenses are bound to."""

    model_config = ConfigDict(frozen=True)

    pid: str
    serial: str

    def __str__(self) -> str:
        return format_udi(self.pid, self.serial)


def format_udi(pid: str, serial: str) -> str:
    """The UDI as the device prints it in ``show license udi``: ``PID:C9300X-24HX,SN:FOC2519L8R7``."""
    return f"PID:{pid},SN:{serial}"


def split_udi(udi: str) -> tuple[str, str]:
    """``PID:C9300X-24HX,SN:FOC2519L8R7`` (also ``P:...,S:...`` as some syslogs print it) -> (pid, serial).

    Raises:
        ValueError: for text that is not a UDI.
    """
    pid_part, sep, serial_part = udi.strip().partition(",")
    pid_key, _, pid = pid_part.partition(":")
    serial_key, _, serial = serial_part.partition(":")
    if not sep or pid_key.strip() not in ("PID", "P") or serial_key.strip() not in ("SN", "S"):
        raise ValueError(f"not a UDI: {udi!r}")
    if not pid.strip() or not serial.strip():
        raise ValueError(f"not a UDI: {udi!r}")
    return pid.strip(), serial.strip()
