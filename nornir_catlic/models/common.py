"""Types shared by every parsed output: timestamps and the result base (roles and UDIs: the domain)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, NaiveDatetime

from nornir_catlic.domain.roles import Role
from nornir_catlic.domain.udi import Udi


class LocalTime(BaseModel):
    """A device date whose zone name (``clock timezone pacific -8``) has no known offset: still a date, in
    the device's wall-clock time, with the name as printed. Parse with ``zones={"pacific": -8}`` (or let
    the state task read the device's ``clock timezone``) to get an aware datetime instead."""

    model_config = ConfigDict(frozen=True)

    local: NaiveDatetime
    zone_name: str
    offset_known: Literal[False]  # no default: JSON dumps that drop defaults still carry the flag

    def __str__(self) -> str:
        return f"{self.local:%Y-%m-%d %H:%M:%S} {self.zone_name} (offset unknown)"


# A device timestamp: timezone-aware (named after the device's zone) when the zone's offset is known, a
# LocalTime when only its name is, else the text as printed (left-to-right so that a JSON round trip
# turns ISO strings back into datetimes).
Timestamp = Annotated[AwareDatetime | LocalTime | str, Field(union_mode="left_to_right")]


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


__all__ = ["LocalTime", "ParsedOutput", "Role", "RoleUdi", "Timestamp", "Udi"]
