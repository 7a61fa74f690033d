"""Durations as people type them: ``30s``, ``15m``, ``1h30m``, ``400d`` (retention, --since, intervals)."""

from __future__ import annotations

import datetime as dt
import re

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(?:\d+[smhd])+")
_PART = re.compile(r"(\d+)([smhd])")


def parse_duration(text: str) -> dt.timedelta:
    """``90s``, ``15m``, ``1h``, ``1h30m``, ``400d`` (any case, surrounding blanks ignored).

    Raises:
        ValueError: no unit, an unknown unit, or zero; saying the forms accepted.
    """
    compact = text.strip().lower()
    if not _DURATION.fullmatch(compact):
        raise ValueError(
            f"{text!r} is not a duration: write numbers with units s, m, h or d (30s, 15m, 1h30m, 400d)"
        )
    seconds = sum(int(amount) * _UNIT_SECONDS[unit] for amount, unit in _PART.findall(compact))
    if seconds <= 0:
        raise ValueError(f"{text!r}: the duration must be longer than zero")
    return dt.timedelta(seconds=seconds)


def describe_duration(seconds: float) -> str:
    """Seconds as the shortest ``1h30m``-style text (for messages)."""
    rest, parts = int(seconds), []
    for unit in ("d", "h", "m", "s"):
        amount, rest = divmod(rest, _UNIT_SECONDS[unit])
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts) or "0s"
