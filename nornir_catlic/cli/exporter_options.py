"""The values ``catlic exporter`` takes: a duration (``15m``, ``1h30m``) and an ``ADDR:PORT`` to listen on."""

from __future__ import annotations

import re

import click

from nornir_catlic.metrics import ListenAddress

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(?:\d+[smhd])+")
_PART = re.compile(r"(\d+)([smhd])")


def parse_duration(text: str) -> float:
    """``90s``, ``15m``, ``1h``, ``1h30m``, ``2d`` as seconds; ValueError saying what is wrong."""
    compact = text.strip().lower()
    if not _DURATION.fullmatch(compact):
        raise ValueError(f"{text!r}: expected a duration such as 30s, 15m, 1h or 1h30m (units s, m, h, d)")
    seconds = sum(int(amount) * _UNIT_SECONDS[unit] for amount, unit in _PART.findall(compact))
    if seconds <= 0:
        raise ValueError(f"{text!r}: the duration must be longer than zero")
    return float(seconds)


def duration_option(ctx: click.Context, param: click.Parameter, value: str) -> float:
    """Click callback: the option's duration in seconds, or a usage error naming the option."""
    try:
        return parse_duration(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


def listen_option(ctx: click.Context, param: click.Parameter, value: str) -> ListenAddress:
    """Click callback: the option's ``ADDR:PORT``, or a usage error naming the option."""
    try:
        return ListenAddress.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


def describe_duration(seconds: float) -> str:
    """Seconds as the shortest ``1h30m``-style text (for messages)."""
    rest, parts = int(seconds), []
    for unit in ("d", "h", "m", "s"):
        amount, rest = divmod(rest, _UNIT_SECONDS[unit])
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts) or "0s"
