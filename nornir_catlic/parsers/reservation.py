"""16.x Specific License Reservation pieces of a license block: the ``Reservation:`` sub-block."""

from __future__ import annotations

from datetime import date

from nornir_catlic.models.license import LicenseReservation, LicenseTerm, ReservationTerm
from nornir_catlic.parsers.base import ParseContext, Record, ValueOutOfRange
from nornir_catlic.parsers.values import (
    enum_or_none,
    int_or_none,
    month_number,
    role,
    text_or_none,
    to_year,
    udi,
)


def reservation_of(record: Record, ctx: ParseContext) -> LicenseReservation | None:
    """The block's reservation, or None when it printed no ``Reservation:`` sub-block."""
    lines: list[str] = record.get("TERM_LINES") or []
    if not (record.get("RESERVATION_STATUS") or record.get("RESERVED_COUNT") or lines):
        return None
    return LicenseReservation(
        status=text_or_none(record.get("RESERVATION_STATUS")),
        total_reserved_count=int_or_none(record.get("RESERVED_COUNT")),
        terms=_terms(lines, ctx),
    )


def _terms(lines: list[str], ctx: ParseContext) -> list[ReservationTerm]:
    """``Active: PID:X,SN:Y`` opens a term; the key/value lines under it fill it."""
    terms: list[dict[str, object]] = []
    for line in lines:
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key in ("active", "standby", "member") and value.startswith("PID:") and ",SN:" in value:
            pid, _, serial = value[len("PID:") :].partition(",SN:")
            terms.append({"role": role(key, ctx), "udi": udi(pid, serial)})
        elif terms and key == "license type":
            terms[-1]["license_type"] = enum_or_none(LicenseTerm, value, ctx)
        elif terms and key in ("start date", "end date"):
            terms[-1][key.replace(" ", "_")] = day_date(value)
        elif terms and key == "term count":
            terms[-1]["term_count"] = int_or_none(value)
        else:
            ctx.report(line)
    return [ReservationTerm.model_validate(term) for term in terms]


def day_date(text: str) -> date | None:
    """``2019-JAN-15 UTC`` (the zone is always UTC on these) -> date(2019, 1, 15)."""
    value = text_or_none(text)
    if value is None:
        return None
    year, month, day = [*value.split()[0].split("-"), "", ""][:3]
    number = month_number(month)
    if number is None or not day.isdigit():
        raise ValueOutOfRange(value, "not a YYYY-MON-DD date")
    try:
        return date(to_year(year), number, int(day))
    except ValueError:
        raise ValueOutOfRange(value, "not a calendar date") from None
