"""Syslog messages (`%SMART_LIC-6-...` and friends) as typed events."""

from __future__ import annotations

import calendar
from datetime import datetime, time, timedelta, timezone, tzinfo
from enum import IntEnum

from pydantic import BaseModel, Field

from nornir_catlic.models.common import ParsedOutput, Udi


class Severity(IntEnum):
    """The digit between facility and mnemonic (`%SMART_LIC-3-...` is ERROR)."""

    EMERGENCY = 0
    ALERT = 1
    CRITICAL = 2
    ERROR = 3
    WARNING = 4
    NOTICE = 5
    INFORMATIONAL = 6
    DEBUG = 7


class SyslogTimestamp(BaseModel):
    """The stamp before a message, as far as the device printed it (syslog stamps carry no year by default).

    Attributes:
        clock_mark: `*` (the clock is not authoritative: never set, or not synced) or `.` (it was, and lost
            sync); None for a synchronised clock.
        zone: the zone abbreviation or offset when `service timestamps ... show-timezone` prints one.
        offset: the zone's UTC offset when it is known.
    """

    month: int
    day: int
    time: time
    year: int | None = None
    zone: str | None = None
    offset: timedelta | None = None
    clock_mark: str | None = None

    @property
    def clock_authoritative(self) -> bool:
        return self.clock_mark is None

    def to_datetime(self, year: int | None = None, default_zone: tzinfo = timezone.utc) -> datetime:
        """An aware datetime; ``year`` fills in a stamp printed without one (default: the current year),
        ``default_zone`` stands for a zone that was not printed or is unknown."""
        chosen_year = self.year or year or datetime.now(timezone.utc).year
        if self.month == 2 and self.day == 29 and not calendar.isleap(chosen_year):
            raise ValueError(f"Feb 29 does not exist in {chosen_year}")
        zone = timezone(self.offset) if self.offset is not None else default_zone
        return datetime.combine(datetime(chosen_year, self.month, self.day).date(), self.time, tzinfo=zone)

    def to_datetime_before(self, reference: datetime, default_zone: tzinfo = timezone.utc) -> datetime:
        """The stamp in the year that puts it at or before ``reference`` (the device clock when the log
        was read), so that December messages read in January land in the previous year."""
        if self.year is not None:
            return self.to_datetime(default_zone=default_zone)
        # Any date but Feb 29 fits this year or the last; Feb 29 waits for a leap year, at most 8 years back.
        for year in range(reference.year, reference.year - 9, -1):
            try:
                moment = self.to_datetime(year, default_zone)
            except ValueError:  # Feb 29 in a common year
                continue
            if moment <= reference + timedelta(minutes=5):  # the clocks of members drift a little
                return moment
        raise ValueError(f"no year puts {self.month}/{self.day} before {reference}")  # pragma: no cover


class SyslogEvent(BaseModel):
    """One syslog message, its wrapped lines joined back, with the facts it carries.

    Attributes:
        text: the message after `%FAC-N-MNEMONIC: `, one line.
        origin: who printed it, when the text starts with one: `Switch 1 R0/0`, `F0/0`, `R0/0`.
        udi: the UDI named (`PID:C9300X-24HX,SN:FOC2519L8R7`, or the short `P:...,S:...` form).
        error_code: a trailing code in capitals (`ERROR_ALL_COUNTS_IN_USE`).
        days: `... will be required in 89 days`.
        feature: `... for feature hseck9`, `... for license hseck9`.
        allowed: EXPORT_CONTROLLED: True for `is allowed`, False for `is not allowed`.
        switch: the stack member the message is about (`Switch 3 has been added`, `on Switch 3 is up`).
        stack_port: the stack port of a STACK_LINK_CHANGE; `link_up` its new state.
        reason: why (`stack merge`, `reload fp action requested`, a COMM_FAILED cause).
        glued_text: another console write printed onto the message's end with no line end between
            (`...is not allowedESG-PM-ACL: ...`): cut off ``text``, kept here.
    """

    facility: str
    severity: Severity
    mnemonic: str
    text: str
    sequence: int | None = None
    timestamp: SyslogTimestamp | None = None
    uptime_stamp: str | None = None
    origin: str | None = None
    udi: Udi | None = None
    error_code: str | None = None
    days: int | None = None
    feature: str | None = None
    allowed: bool | None = None
    switch: int | None = None
    stack_port: int | None = None
    link_up: bool | None = None
    reason: str | None = None
    glued_text: str | None = None

    @property
    def tag(self) -> str:
        """`%SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS`."""
        return f"%{self.facility}-{int(self.severity)}-{self.mnemonic}"

    def is_(self, facility: str, mnemonic: str) -> bool:
        """Whatever the severity: `event.is_("SMART_LIC", "AUTHORIZATION_INSTALL_SUCCESS")`."""
        return self.facility == facility and self.mnemonic == mnemonic

    def __str__(self) -> str:
        return f"{self.tag}: {self.text}"


class SyslogLog(ParsedOutput):
    """`show logging`, or any console transcript: the messages in order; other lines in `unparsed_lines`."""

    events: list[SyslogEvent] = Field(default_factory=list)
    leading_fragment: str | None = None
    """The end of a message whose start the ring buffer overwrote (`me/domain name`), first in the buffer."""

    def of(self, facility: str, mnemonic: str) -> list[SyslogEvent]:
        """The events with this facility and mnemonic, in order."""
        return [event for event in self.events if event.is_(facility, mnemonic)]

    def at_least(self, severity: Severity) -> list[SyslogEvent]:
        """The events of this severity or worse (lower number)."""
        return [event for event in self.events if event.severity <= severity]


__all__ = ["Severity", "SyslogEvent", "SyslogLog", "SyslogTimestamp"]
