"""The REST API's answers, typed (JSON read by pydantic: no text is picked apart here)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

UNACKNOWLEDGED = frozenset({"CLOSED", "UNACK"})
"""``list`` states of a report closed and not yet acknowledged by Cisco."""
ACKNOWLEDGED = "ACK"


class RumListEntry(BaseModel):
    """One entry of ``GET /list`` (``usage_list``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    report_id: int
    state: str
    start_time: str | None = None
    end_time: str | None = None

    @property
    def unacknowledged(self) -> bool:
        return self.state.upper() in UNACKNOWLEDGED


class UsageList(BaseModel):
    model_config = ConfigDict(extra="ignore")

    usage_list: list[RumListEntry]


class SignedRum(BaseModel):
    """One signed RUM report of ``all-reports``/``days``: the payload is forwarded byte for byte."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    header: dict[str, Any]
    payload: str
    signature: dict[str, Any]


class SignedReports(BaseModel):
    model_config = ConfigDict(extra="ignore")

    usage: list[SignedRum]


class RestReply(BaseModel):
    """``close-reports`` and ``import``: a status and the device's message."""

    model_config = ConfigDict(extra="ignore")

    status: str = ""
    message: str = ""


class RumPayload(BaseModel):
    """What the report workflow reads of a payload it forwards untouched: the report's id."""

    model_config = ConfigDict(extra="ignore")

    id: int | None = None
