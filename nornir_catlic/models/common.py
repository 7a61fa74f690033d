"""Types shared by every parsed output: roles, UDIs, timestamps and the result base."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

# A device timestamp: timezone-aware when the zone abbreviation is known, else the text as printed
# (left-to-right so that a JSON round trip turns ISO strings back into datetimes).
Timestamp = Annotated[AwareDatetime | str, Field(union_mode="left_to_right")]


class Role(str, Enum):
    """Role of a stack member, supervisor or StackWise Virtual chassis."""

    ACTIVE = "active"
    STANDBY = "standby"
    MEMBER = "member"


class Udi(BaseModel):
    """Unique Device Identifier: the product ID and serial number licenses are bound to."""

    model_config = ConfigDict(frozen=True)

    pid: str
    serial: str

    def __str__(self) -> str:
        return f"PID:{self.pid},SN:{self.serial}"


class RoleUdi(BaseModel):
    """A UDI with the role it was printed under, in output order."""

    model_config = ConfigDict(frozen=True)

    role: Role
    udi: Udi


class ParsedOutput(BaseModel):
    """Base of every parse result.

    Attributes:
        command: the command the output was parsed as.
        unparsed_lines: lines no template rule understood, in output order (never dropped in silence).
        truncated: the output carried ``<output truncated>`` markers, or its last line has no line end
            and stops before its value is whole (a cut capture), so a missing block means unknown, not
            absent, and the last value may be incomplete.
    """

    command: str = ""
    unparsed_lines: list[str] = Field(default_factory=list)
    truncated: bool = False
