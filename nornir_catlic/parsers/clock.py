"""``show running-config | include ^clock`` -> ClockZone."""

from __future__ import annotations

from datetime import timedelta

from nornir_catlic.models.clock import ClockZone
from nornir_catlic.parsers.base import ParseContext, ValueOutOfRange, register_builder
from nornir_catlic.parsers.values import first, to_int

CLOCK_TEMPLATE = "cisco_xe_show_running-config_include_clock.textfsm"
DEFAULT_SUMMER_MINUTES = 60


@register_builder(CLOCK_TEMPLATE)
def build_clock_zone(ctx: ParseContext) -> ClockZone:
    records = ctx.run_or_reject(CLOCK_TEMPLATE)
    hours = first(records, "HOURS")
    minutes = first(records, "MINUTES")
    offset = _offset(hours, minutes) if hours is not None else None
    summer_zone = first(records, "SUMMER_ZONE")
    summer_offset = None
    if summer_zone is not None:  # IOS moves the clock 60 minutes unless the command says otherwise
        summer_minutes = to_int(first(records, "SUMMER_MINUTES") or str(DEFAULT_SUMMER_MINUTES))
        summer_offset = (offset or timedelta()) + timedelta(minutes=summer_minutes)
    return ClockZone(
        zone_name=first(records, "ZONE"),
        offset=offset,
        summer_zone_name=summer_zone,
        summer_offset=summer_offset,
    )


def _offset(hours: str, minutes: str | None) -> timedelta:
    """``-3`` ``30`` -> -3:30: the minutes take the hours' sign (``clock timezone NST -3 30``)."""
    whole, part = to_int(hours), to_int(minutes) if minutes else 0
    if abs(whole) > 23 or part > 59:
        raise ValueOutOfRange(f"{hours} {minutes or ''}".strip(), "a zone offset outside -23..+23 hours")
    sign = -1 if hours.strip().startswith("-") else 1
    return timedelta(hours=whole, minutes=sign * part)
