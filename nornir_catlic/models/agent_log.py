"""`show license eventlog [days]` and `show license history message`: what the licensing agent recorded."""

from __future__ import annotations

from pydantic import BaseModel, Field

from nornir_catlic.models.common import ParsedOutput, Timestamp


class LicenseEvent(BaseModel):
    """One line of the agent's event log.

    Attributes:
        time: when it happened (aware; a LocalTime in a zone of unknown offset).
        event: the agent's event name as printed (`SAEVT_ENDPOINT_USAGE`, `SAEVT_TAG_AUTHORIZED`...).
        attributes: its ``key="value"`` pairs in output order (`count`, `entitlementTag`, `udi`...).
    """

    time: Timestamp
    event: str
    attributes: dict[str, str] = Field(default_factory=dict)


class LicenseEventLog(ParsedOutput):
    """The events in output order (oldest first, as the agent prints them)."""

    events: list[LicenseEvent] = Field(default_factory=list)

    def of(self, event: str) -> list[LicenseEvent]:
        """The events named ``event`` (with or without the `SAEVT_` prefix, any case)."""
        wanted = event.upper()
        return [e for e in self.events if e.event in (wanted, f"SAEVT_{wanted}")]


class LicenseMessage(BaseModel):
    """One message the product instance exchanged with CSSM, CSLU or SSM On-Prem.

    Attributes:
        direction: `Sent` or `Received`.
        message_type: what the message carried as printed (`Usage Report`, `Acknowledgement`...).
        peer: the other side as printed (`CSSM`, `CSLU`...).
        result: as printed (`Success`, `Failure`...).
    """

    time: Timestamp
    direction: str | None = None
    message_type: str | None = None
    peer: str | None = None
    result: str | None = None


class LicenseMessageHistory(ParsedOutput):
    """The messages in output order."""

    messages: list[LicenseMessage] = Field(default_factory=list)
