"""16.x Specific License Reservation pieces of a license block: the ``Reservation:`` sub-block."""

from __future__ import annotations

from datetime import date

from nornir_catlic.models.common import Udi
from nornir_catlic.models.license import (
    HaPeer,
    LicenseReservation,
    LicenseTerm,
    MemberReservation,
    ReservationInfo,
    ReservationTerm,
    ReservedLicense,
)
from nornir_catlic.parsers.base import ParseContext, Record, ValueOutOfRange
from nornir_catlic.parsers.values import (
    bool_or_none,
    enum_or_none,
    first,
    int_or_none,
    month_number,
    role,
    text_or_none,
    timestamp,
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


_ROLES = ("active", "standby", "member")


def reservation_info_of(frame: list[Record], ctx: ParseContext) -> ReservationInfo | None:
    """The ``Reservation Info`` section of a 16.x ``show license all``; None when it was not printed."""
    enabled = first(frame, "RESERVATION_ENABLED")
    member_lines = [line for record in frame for line in record.get("RESERVATION_MEMBER_LINES") or []]
    license_lines = [line for record in frame for line in record.get("RESERVED_LICENSE_LINES") or []]
    if enabled is None and not member_lines and not license_lines:
        return None
    return ReservationInfo(
        enabled=bool_or_none(enabled),
        members=_members(member_lines, ctx),
        licenses=_licenses(license_lines, ctx),
    )


def _udi_line(line: str, ctx: ParseContext) -> dict[str, object] | None:
    """``Active: PID:X,SN:Y`` -> role and UDI; None for another line."""
    key, _, value = line.partition(":")
    value = value.strip()
    if key.strip().lower() not in _ROLES or not value.startswith("PID:") or ",SN:" not in value:
        return None
    pid, _, serial = value[len("PID:") :].partition(",SN:")
    return {"role": role(key.strip(), ctx), "udi": udi(pid, serial)}


def _members(lines: list[str], ctx: ParseContext) -> list[MemberReservation]:
    members: list[dict[str, object]] = []
    for line in lines:
        opened = _udi_line(line, ctx)
        key, _, value = (part.strip() for part in line.partition(":"))
        if opened is not None:
            members.append(opened)
        elif members and key.lower() == "reservation status":
            status, _, since = value.partition(" on ")
            members[-1].update(status=text_or_none(status), status_since=timestamp(since or None))
        elif members and key.lower() == "last confirmation code":
            members[-1]["last_confirmation_code"] = text_or_none(value)
        else:
            ctx.report(line)
    return [MemberReservation.model_validate(member) for member in members]


def _licenses(lines: list[str], ctx: ParseContext) -> list[ReservedLicense]:
    """``[Name ](tag):`` opens a license; its Description and counts follow, then its term lines."""
    opened: list[tuple[ReservedLicense, list[str]]] = []
    for line in lines:
        if line.endswith("):") and "(" in line:
            name, _, tag = line[:-2].rpartition("(")
            license_ = ReservedLicense(
                name=name.strip() or tag, entitlement_tag=tag, reservation=LicenseReservation()
            )
            opened.append((license_, []))
            continue
        if not opened:
            ctx.report(line)
            continue
        license_, term_lines = opened[-1]
        key, _, value = (part.strip() for part in line.partition(":"))
        if key.lower() == "description" and not term_lines:
            license_.description = text_or_none(value)
        elif key.lower() == "total reserved count":
            license_.reservation.total_reserved_count = int_or_none(value)
        elif key.lower() != "term information" or value:
            term_lines.append(line)
    for license_, term_lines in opened:
        license_.reservation.terms = _terms(term_lines, ctx)
    return [license_ for license_, _ in opened]


_NULL_PLACEHOLDERS = frozenset({"nullptr", "null"})
"""What agent 6.2 prints for a name it does not have (`Smart Account Name: 'nullPtr'`)."""


def ha_peers_of(record: Record, ctx: ParseContext) -> list[HaPeer] | None:
    """Agent 6.2 ``Application HA Info:`` lines: each ``Peer Info:`` opens a peer, its fields follow."""
    lines: list[str] = record.get("APP_HA_LINES") or []
    if not lines:
        return None
    peers: list[HaPeer] = []
    for line in lines:
        key, _, value = (part.strip() for part in line.partition(":"))
        lowered = key.lower()
        if lowered == "peer info" and not value:
            peers.append(HaPeer())
        elif peers and lowered == "udi":
            peers[-1].udi = _short_udi(value)
        elif peers and lowered == "piid":
            peers[-1].piid = text_or_none(value)
        elif peers and lowered == "smart account name":
            name = value.strip("'\"")
            peers[-1].smart_account_name = None if name.lower() in _NULL_PLACEHOLDERS else text_or_none(name)
        else:
            ctx.report(line)
    return peers


def _short_udi(text: str) -> Udi | None:
    """``P:C8200L-1N-4T,S:FGL2435LHLH`` (or the long ``PID:...,SN:...``) -> Udi."""
    pid_part, _, serial_part = text.partition(",")
    pid = pid_part.partition(":")[2]
    serial = serial_part.partition(":")[2]
    return udi(pid, serial)
