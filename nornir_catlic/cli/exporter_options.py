"""The values ``catlic exporter`` takes: a duration (``15m``, ``1h30m``) and an ``ADDR:PORT`` to listen on."""

from __future__ import annotations

import click

from nornir_catlic import durations
from nornir_catlic.durations import describe_duration
from nornir_catlic.metrics import ListenAddress

__all__ = ["describe_duration", "duration_option", "listen_option", "parse_duration"]


def parse_duration(text: str) -> float:
    """``90s``, ``15m``, ``1h``, ``1h30m``, ``2d`` as seconds; ValueError saying what is wrong."""
    return durations.parse_duration(text).total_seconds()


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
