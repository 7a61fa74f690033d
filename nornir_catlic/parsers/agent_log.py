"""Builders for `show license eventlog [days]` and `show license history message`."""

from __future__ import annotations

import re
from datetime import datetime

from nornir_catlic.models.agent_log import (
    LicenseEvent,
    LicenseEventLog,
    LicenseMessage,
    LicenseMessageHistory,
)
from nornir_catlic.models.common import LocalTime
from nornir_catlic.parsers.base import ParseContext, register_builder
from nornir_catlic.parsers.values import iso_timestamp, text_or_none, timestamp

SHOW_LICENSE_EVENTLOG = "cisco_xe_show_license_eventlog.textfsm"
SHOW_LICENSE_HISTORY_MESSAGE = "cisco_xe_show_license_history_message.textfsm"

_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


@register_builder(SHOW_LICENSE_EVENTLOG)
def build_event_log(ctx: ParseContext) -> LicenseEventLog:
    events: list[LicenseEvent] = []
    for record in ctx.run_or_reject(SHOW_LICENSE_EVENTLOG):
        if not record["EVENT"]:
            continue  # the title's record
        text = record["ATTRIBUTES"] or ""
        if _ATTRIBUTE.sub("", text).strip():  # something beside key="value" pairs: shown, never guessed at
            ctx.report(record["EVENT"], text)
        events.append(
            LicenseEvent(
                time=iso_timestamp(record["TIME"]) or record["TIME"],
                event=record["EVENT"],
                attributes=dict(_ATTRIBUTE.findall(text)),
            )
        )
    return LicenseEventLog(events=events)


@register_builder(SHOW_LICENSE_HISTORY_MESSAGE)
def build_message_history(ctx: ParseContext) -> LicenseMessageHistory:
    messages = [
        LicenseMessage(
            time=_either_date(record["TIME"]),
            direction=text_or_none(record["DIRECTION"]),
            message_type=text_or_none(record["TYPE"]),
            peer=text_or_none(record["PEER"]),
            result=text_or_none(record["RESULT"]),
        )
        for record in ctx.run_or_reject(SHOW_LICENSE_HISTORY_MESSAGE)
        if record["TIME"]
    ]
    return LicenseMessageHistory(messages=messages)


def _either_date(text: str) -> datetime | LocalTime | str:
    """`Dec 03 18:57:27 2021 UTC` or `2021-12-03 18:57:27.120 UTC`, whichever the agent printed."""
    value = timestamp(text)
    if isinstance(value, str):
        value = iso_timestamp(value)
    return text if value is None else value
