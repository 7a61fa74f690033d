"""Turning template captures into typed values: none markers, counts, booleans, dates, enums, UDIs."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import TypeVar

from nornir_catlic.models.common import LocalTime, Role, Udi
from nornir_catlic.parsers.base import ParseContext, ValueOutOfRange

MAX_INTEGER_DIGITS = 18
"""Counts, ports, days and sequence numbers a device prints fit in 18 digits (a signed 64-bit integer);
a longer number is not a real device's output, and Python's int() refuses some of them with a ValueError."""

DATE_YEARS = range(1900, 9001)
"""Years a device date may carry (IOS clocks start in 1993): beyond them, adding a licence period to the
date overflows Python's datetime, so a date outside is refused as a value no model can hold."""

NONE_MARKERS = frozenset({"", "<none>", "<empty>", "not configured", "none", "n/a"})

# Fixed offsets for the abbreviations IOS-XE prints with `clock timezone` / `summer-time`.
# IST is read as India Standard Time, the common meaning on network gear.
ZONE_OFFSETS: dict[str, float] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "WET": 0,
    "WEST": 1,
    "BST": 1,
    "IST": 5.5,
    "CET": 1,
    "CEST": 2,
    "MET": 1,
    "MEST": 2,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
    "AST": -4,
    "ADT": -3,
    "NST": -3.5,
    "NDT": -2.5,
    "SGT": 8,
    "HKT": 8,
    "AWST": 8,
    "JST": 9,
    "KST": 9,
    "ACST": 9.5,
    "AEST": 10,
    "AEDT": 11,
    "NZST": 12,
    "NZDT": 13,
}

ZoneOffsets = Mapping[str, float | timedelta]
"""Zone name as the device prints it (``pacific``, case-insensitive) -> offset from UTC (hours, or a
timedelta): what ``clock timezone pacific -8 0`` means, which the printed name alone does not say."""

_zone_offsets: ContextVar[Mapping[str, timedelta] | None] = ContextVar("zone_offsets", default=None)


def to_zone_table(zones: ZoneOffsets | None) -> dict[str, timedelta]:
    """The caller's zone map, checked (ValueError naming the zone) and keyed by upper-cased name."""
    return {name.upper(): to_offset(name, offset) for name, offset in (zones or {}).items()}


@contextlib.contextmanager
def zone_offsets(table: dict[str, timedelta]) -> Iterator[None]:
    """Within the block, dates in these zones (a ``to_zone_table``) resolve with these offsets, before
    the built-in names, so a device's own ``clock timezone IST 2 0`` wins over India's IST. Per thread
    and task (a ContextVar)."""
    if not table:
        yield
        return
    token = _zone_offsets.set({**(_zone_offsets.get() or {}), **table})
    try:
        yield
    finally:
        _zone_offsets.reset(token)


def to_offset(name: str, offset: float | timedelta) -> timedelta:
    """A zone offset as a timedelta, refused beyond what IOS accepts (-23..+23 hours)."""
    value = offset if isinstance(offset, timedelta) else timedelta(hours=offset)
    if abs(value) >= timedelta(hours=24):
        raise ValueError(f"zone {name!r}: offset {offset} is not within -23..+23 hours")
    return value


def zone_offset(name: str) -> timedelta | None:
    """The offset of a zone name: the caller's or device's map first, then the common abbreviations."""
    key = name.upper()
    mapped = _zone_offsets.get()
    if mapped and key in mapped:
        return mapped[key]
    hours = ZONE_OFFSETS.get(key)
    return timedelta(hours=hours) if hours is not None else None


_DATE = re.compile(
    r"^(?P<mon>[A-Za-z]{3})\s+(?P<day>\d{1,2})\s+(?P<time>\d{1,2}:\d{2}:\d{2})(?:\.(?P<frac>\d+))?"
    r"\s+(?P<year>\d{4})(?:\s+(?P<zone>[A-Za-z][\w+-]*))?$"
)

_ISO_DATE = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[ T](?P<time>\d{1,2}:\d{2}:\d{2})(?:\.(?P<frac>\d+))?"
    r"\s+(?P<zone>[A-Za-z][\w+-]*)$"
)

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
"""IOS-XE prints English month abbreviations whatever the host's locale (strptime's %b would follow it)."""

E = TypeVar("E", bound=Enum)


def month_number(abbreviation: str) -> int | None:
    """``Jan``/``JAN`` -> 1; None for anything else."""
    return _MONTHS.get(abbreviation.lower())


def to_int(text: str) -> int:
    """A decimal number as printed (thousands commas allowed), at most ``MAX_INTEGER_DIGITS`` digits."""
    if len(text) <= MAX_INTEGER_DIGITS and text.isascii() and text.isdigit():
        return int(text)  # the common case, spared the stripping and the checks below
    digits = text.strip().replace(",", "")
    if len(digits.lstrip("+-").lstrip("0")) > MAX_INTEGER_DIGITS:
        raise ValueOutOfRange(text, f"a number of more than {MAX_INTEGER_DIGITS} digits")
    try:
        return int(digits)
    except ValueError:
        raise ValueOutOfRange(text, "not a number") from None


def to_year(text: str) -> int:
    """A year as printed, within ``DATE_YEARS``."""
    year = to_int(text)
    if year not in DATE_YEARS:
        raise ValueOutOfRange(text, f"a year outside {DATE_YEARS.start}-{DATE_YEARS.stop - 1}")
    return year


def is_none(text: str | None) -> bool:
    return text is None or text.strip().lower() in NONE_MARKERS


def text_or_none(text: str | None) -> str | None:
    """The value, or None for `<none>`, `<empty>`, `Not Configured`, `None` and blanks."""
    if text is None:
        return None
    stripped = text.strip()
    return None if stripped.lower() in NONE_MARKERS else stripped


def int_or_none(text: str | None) -> int | None:
    value = text_or_none(text)
    return to_int(value) if value is not None else None


_TRUE = {"yes", "true", "enabled", "enable", "allowed", "on"}
_FALSE = {"no", "false", "disabled", "disable", "not allowed", "off"}


def bool_or_none(text: str | None) -> bool | None:
    value = text_or_none(text)
    if value is None:
        return None
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def timestamp(text: str | None) -> datetime | LocalTime | str | None:
    """`Dec 03 18:57:27 2021 UTC` as an aware datetime (its tzinfo named as printed); a LocalTime when the
    zone's offset is unknown (see ``zone_offsets``); the text as printed when it is no date at all."""
    value = text_or_none(text)
    if value is None:
        return None
    wall = _cached_wall_clock(value) if len(value) <= _CACHED_CHARS else _wall_clock(value)
    if wall is None:
        return value
    naive, zone = wall
    offset = zone_offset(zone)  # per call: the zone table depends on the caller (a ContextVar)
    if offset is None:
        return LocalTime(local=naive, zone_name=zone, offset_known=False)
    return naive.replace(tzinfo=_named_zone(offset, zone))


def iso_timestamp(text: str | None) -> datetime | LocalTime | str | None:
    """`2020-12-03 05:08:45.436 UTC` (the agent's event log and message history) read as ``timestamp``
    reads `Dec 03 05:08:45.436 2020 UTC`: aware, a LocalTime in a zone of unknown offset, else the text."""
    value = text_or_none(text)
    if value is None:
        return None
    match = _ISO_DATE.match(value)
    if not match or not 1 <= int(match["month"]) <= len(_MONTH_NAMES):
        return value
    fraction = f".{match['frac']}" if match["frac"] else ""
    month = _MONTH_NAMES[int(match["month"]) - 1]
    read = timestamp(f"{month} {match['day']} {match['time']}{fraction} {match['year']} {match['zone']}")
    return value if isinstance(read, str) else read


_CACHED_CHARS = 64
"""Dates as devices print them (``Dec 03 18:57:27.123456 2021 Australia/Adelaide``) are shorter: only
such values are cached, so a hostile output cannot fill the cache with long lines."""


def _wall_clock(value: str) -> tuple[datetime, str] | None:
    """``Dec 03 18:57:27 2021 UTC`` -> (the naive date, the zone name as printed); None when ``value`` is
    no date with a zone. Cached below: the outputs of a fleet repeat the same few dates."""
    match = _DATE.match(value)
    if not match or not match["zone"]:
        return None
    month = _MONTHS.get(match["mon"].lower())
    hour, minute, second = (to_int(part) for part in match["time"].split(":"))
    year = to_year(match["year"])
    try:
        # datetime() rejects what strptime rejected (hour 24, minute or second 60, 30 Feb), ten times faster.
        naive = datetime(year, month or 0, to_int(match["day"]), hour, minute, second)
    except ValueError:
        return None
    if match["frac"]:
        naive = naive.replace(microsecond=to_int(match["frac"][:6].ljust(6, "0")))
    return naive, match["zone"]


_cached_wall_clock = functools.lru_cache(maxsize=2048)(_wall_clock)


@functools.lru_cache(maxsize=256)
def _named_zone(offset: timedelta, name: str) -> timezone:
    """The tzinfo of a date printed in zone ``name`` (UTC's own object for UTC)."""
    return timezone.utc if not offset and name.upper() == "UTC" else timezone(offset, name)


def enum_or_none(enum: type[E], text: str | None, ctx: ParseContext) -> E | None:
    """Case-insensitive enum lookup; an unknown value is reported as an unparsed line, never dropped."""
    value = text_or_none(text)
    if value is None:
        return None
    member = _members_by_text(enum).get(" ".join(value.split()).lower())
    if member is None:
        ctx.report(value)
    return member


@functools.cache
def _members_by_text(enum: type[E]) -> dict[str, E]:
    """Lower-cased value -> member, built once per enum (the first member wins, as a scan would)."""
    table: dict[str, E] = {}
    for member in enum:
        table.setdefault(str(member.value).lower(), member)
    return table


def role(text: str, ctx: ParseContext) -> Role | None:
    return enum_or_none(Role, text, ctx)


def udi(pid: str | None, serial: str | None) -> Udi | None:
    if not pid or not serial:
        return None
    return Udi(pid=pid.strip(), serial=serial.strip())


def first(records: list[dict[str, object]], key: str) -> str | None:
    """The first non-empty capture of a scalar value across records."""
    for record in records:
        value = record.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def strip_ellipsis(text: str) -> tuple[str, bool]:
    """A cell cut by the device (`Network Advan...`) without its `...`, and whether it was cut."""
    if text.endswith("..."):
        return text[:-3].rstrip(), True
    return text, False
