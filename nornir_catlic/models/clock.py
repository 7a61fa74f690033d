"""The device's clock zone as configured: what the zone names printed in its dates mean."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from typing import Annotated, Any, Literal, TypeVar, cast, get_args, get_origin

from pydantic import BaseModel

from nornir_catlic.models.common import LocalTime, ParsedOutput

M = TypeVar("M")


class ClockZone(ParsedOutput):
    """``show running-config | include ^clock``: the standard zone and the summer-time one.

    Attributes:
        zone_name: ``pacific`` in ``clock timezone pacific -8 0``; None when no zone is configured (UTC).
        offset: the standard zone's offset from UTC.
        summer_zone_name: ``PDT`` in ``clock summer-time PDT recurring``; dates print it in summer.
        summer_offset: the summer zone's offset from UTC (standard plus 60 minutes unless configured).
    """

    zone_name: str | None = None
    offset: timedelta | None = None
    summer_zone_name: str | None = None
    summer_offset: timedelta | None = None

    def zone_offsets(self) -> dict[str, timedelta]:
        """Zone name -> offset, as ``parse(..., zones=...)`` takes it (UTC when no zone is configured)."""
        standard = self.offset or timedelta()
        table = {"UTC": timedelta()}
        if self.zone_name:
            table[self.zone_name] = standard
        if self.summer_zone_name:
            table[self.summer_zone_name] = (
                self.summer_offset if self.summer_offset is not None else standard + timedelta(hours=1)
            )
        return table


def zone_names(value: object) -> set[str]:
    """The zone names the dates inside a parsed model were printed with (``PDT``, ``pacific``)."""
    names: set[str] = set()
    for moment in _moments(value):
        name = moment.zone_name if isinstance(moment, LocalTime) else moment.tzname()
        if name:
            names.add(name)
    return names


def with_zone_offsets(value: M, table: Mapping[str, timedelta]) -> M:
    """``value`` (a parsed model, list, dict) with its dates re-read in the zones of ``table`` (name, any
    case -> offset): a LocalTime whose zone is there becomes an aware datetime, and an aware date whose
    zone name the table gives another offset (``IST``: the device's own, not India's) is corrected."""
    offsets = {name.upper(): offset for name, offset in table.items()}
    return _resolved(value, offsets) if offsets else value


def _resolved(value: M, offsets: dict[str, timedelta]) -> M:
    if isinstance(value, LocalTime):
        offset = offsets.get(value.zone_name.upper())
        if offset is None:
            return value
        return cast(M, value.local.replace(tzinfo=timezone(offset, value.zone_name)))
    if isinstance(value, datetime):
        name = value.tzname() if value.tzinfo is not None else None
        offset = offsets.get(name.upper()) if name else None
        if name is None or offset is None or offset == value.utcoffset():
            return value
        return cast(M, value.replace(tzinfo=timezone(offset, name)))
    if isinstance(value, BaseModel):
        updates = {}
        for field in _dated_fields(type(value)):
            old = getattr(value, field)
            new = _resolved(old, offsets)
            if new is not old:
                updates[field] = new
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, list):
        items = [_resolved(item, offsets) for item in value]
        changed = any(new is not old for new, old in zip(items, value, strict=True))
        return cast(M, items) if changed else value
    if isinstance(value, dict):
        entries = {key: _resolved(item, offsets) for key, item in value.items()}
        changed = any(entries[key] is not item for key, item in value.items())
        return cast(M, entries) if changed else value
    return value


def _moments(value: object) -> Iterator[datetime | LocalTime]:
    if isinstance(value, LocalTime | datetime):
        yield value
    elif isinstance(value, BaseModel):
        for field in _dated_fields(type(value)):
            yield from _moments(getattr(value, field))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _moments(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _moments(item)


_DATELESS = (str, int, float, bool, bytes, date, timedelta, Enum, type(None))


@functools.cache
def _dated_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` whose type can hold a date: the walks above skip the others (a parsed
    ``show license all`` has about two hundred values, a few dozen of them dates)."""
    return tuple(
        name for name, info in model.model_fields.items() if _may_hold_date(info.annotation, {model})
    )


def _may_hold_date(annotation: Any, models: set[type]) -> bool:
    """False only when the type surely holds no datetime or LocalTime, at any depth; unknown types may."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _may_hold_date(get_args(annotation)[0], models)
    if origin is Literal:
        return False
    if origin is not None:  # list[X], dict[K, V], X | None...
        arguments = [argument for argument in get_args(annotation) if argument is not Ellipsis]
        return not arguments or any(_may_hold_date(argument, models) for argument in arguments)
    if not isinstance(annotation, type):
        return True  # Any, a type variable, a forward reference
    if issubclass(annotation, datetime | LocalTime):
        return True
    if issubclass(annotation, BaseModel):
        return annotation in models or any(  # a model nested in itself: assume it may
            _may_hold_date(info.annotation, models | {annotation})
            for info in annotation.model_fields.values()
        )
    return not issubclass(annotation, _DATELESS)
