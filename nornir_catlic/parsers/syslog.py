"""Builder for `show logging` (and console transcripts): syslog messages into typed events.

The template splits the text into messages and joins wrapped lines back; the patterns below read the
facts a message carries out of its one-line text.
"""

from __future__ import annotations

import re
from datetime import time, timedelta

from nornir_catlic.models.common import Udi
from nornir_catlic.models.syslog import Severity, SyslogEvent, SyslogLog, SyslogTimestamp
from nornir_catlic.parsers.base import ParseContext, Record, ValueOutOfRange, register_builder
from nornir_catlic.parsers.values import (
    first,
    int_or_none,
    text_or_none,
    to_int,
    to_year,
    zone_offset,
)

SHOW_LOGGING = "cisco_xe_show_logging.textfsm"

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1
    )
}

# `Switch 1 R0/0: stack_mgr: ...`, `Chassis 2 R0/0: ...` (SVL), `F0/0: pvp: ...`: who printed the message.
_ORIGIN = re.compile(r"^(?P<origin>(?:(?:Switch|Chassis)\s+(?P<switch>\d+)\s+)?[A-Z]\d+/\w+):\s+")
# Both UDI spellings: `PID:C9300X-24HX,SN:FOC2519L8R7` and the short `P:C9300X-48HX,S:FOC2516LC92`.
_UDI = re.compile(r"\b(?:PID|P):(?P<pid>[\w.+-]+),\s*(?:SN|S):(?P<serial>\w+)")
_ERROR_CODE = re.compile(r":\s*(?P<code>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\.?$")
_DAYS = re.compile(r"\bin\s+(?P<days>\d+)\s+days?\b")
_FEATURE = re.compile(r"\bfor\s+(?:feature|license)\s+(?P<feature>[\w.-]+?)\.?$")
# `is not allowed`, 16.x `is Not Allowed`; `allowedESG-...` when the next console write was glued on.
_ALLOWED = re.compile(r"\bis\s+(?P<negation>not\s+)?allowed(?![a-z])", re.IGNORECASE)
# A console write glued to the message's last word, no line end between: `...not allowedESG-PM-ACL: ...`,
# `...not allowedRA Tracing tool ...`: a lower-case word runs into a run of capitals (`mDNS` does not:
# a glued word has at least three lower-case letters before the capitals).
_GLUED = re.compile(r"(?<=[a-z]{3})(?=[A-Z]{2,}[-\s:])")
_MEMBER_CHANGE = re.compile(r"\bSwitch\s+(?P<switch>\d+)\s+has\s+been\s+(?:added|removed)")
_STACK_LINK = re.compile(
    r"\bStack\s+port\s+(?P<port>\d+)\s+on\s+Switch\s+(?P<switch>\d+)\s+is\s+(?P<state>up|down)\b"
)
_REASONS = (
    re.compile(r"\bReloading\s+due\s+to\s+reason\s+(?P<reason>.+?)\.?$"),
    re.compile(r"\bProcess\s+manager\s+is\s+exiting:\s+(?P<reason>.+?)\.?$"),
    # Linear on any text: `.+?\s:` (not `.+?\s+:`, quadratic over long blanks), and the atomic group keeps
    # the search at the first "Communications failure with" (if it has no " : " after it, none later has).
    re.compile(r"^(?>.*?\bCommunications\s+failure\s+with\s+).+?\s:\s+(?P<reason>.+?)\.?$"),
)
_NUMERIC_ZONE = re.compile(r"^(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2})$")


def _zone_offset(zone: str | None) -> timedelta | None:
    if zone is None:
        return None
    numeric = _NUMERIC_ZONE.match(zone)
    if numeric:
        offset = timedelta(hours=to_int(numeric["hours"]), minutes=to_int(numeric["minutes"]))
        return -offset if numeric["sign"] == "-" else offset
    return zone_offset(
        zone
    )  # the caller's map (parse zones=..., parse_syslog zones=...), then the usual names


def _clock(text: str) -> time:
    whole, _, fraction = text.partition(".")
    hour, minute, second = (to_int(part) for part in whole.split(":"))
    try:
        return time(hour, minute, second, to_int(fraction[:6].ljust(6, "0")) if fraction else 0)
    except ValueError:
        raise ValueOutOfRange(text, "not a time of day") from None


def _timestamp(record: Record) -> SyslogTimestamp | None:
    if not record.get("MONTH") or record["MONTH"] not in _MONTHS:
        return None
    zone = text_or_none(record.get("ZONE"))
    return SyslogTimestamp(
        month=_MONTHS[record["MONTH"]],
        day=to_int(record["DAY"]),
        time=_clock(record["TIME"]),
        year=to_year(record["YEAR"]) if record.get("YEAR") else None,
        zone=zone,
        offset=_zone_offset(zone),
        clock_mark=text_or_none(record.get("CLOCK_MARK")),
    )


def _reason(text: str) -> str | None:
    for pattern in _REASONS:
        match = pattern.search(text)
        if match:
            return match["reason"]
    return None


def event_from_record(record: Record) -> SyslogEvent:
    """A template record (one message, wrapped lines in CONTINUATION) as a typed event."""
    text = " ".join([record["TEXT"], *(record.get("CONTINUATION") or [])]).strip()
    glued = _GLUED.search(text)
    text, glued_text = (text[: glued.start()], text[glued.start() :]) if glued else (text, None)
    origin = _ORIGIN.match(text)
    udi = _UDI.search(text)
    error_code = _ERROR_CODE.search(text)
    days = _DAYS.search(text)
    feature = _FEATURE.search(text)
    allowed = _ALLOWED.search(text)
    stack_link = _STACK_LINK.search(text)
    member_change = _MEMBER_CHANGE.search(text)
    subject = stack_link or member_change or origin
    return SyslogEvent(
        facility=record["FACILITY"],
        severity=Severity(to_int(record["SEVERITY"])),
        mnemonic=record["MNEMONIC"],
        text=text,
        sequence=int_or_none(record.get("SEQUENCE")),
        timestamp=_timestamp(record),
        uptime_stamp=text_or_none(record.get("UPTIME_STAMP")),
        origin=" ".join(origin["origin"].split()) if origin else None,
        udi=Udi(pid=udi["pid"], serial=udi["serial"]) if udi else None,
        error_code=error_code["code"] if error_code else None,
        days=to_int(days["days"]) if days else None,
        feature=feature["feature"] if feature else None,
        allowed=(allowed["negation"] is None) if allowed else None,
        switch=to_int(subject["switch"]) if subject and subject["switch"] else None,
        stack_port=to_int(stack_link["port"]) if stack_link else None,
        link_up=(stack_link["state"] == "up") if stack_link else None,
        reason=_reason(text),
        glued_text=glued_text,
    )


def build_syslog_log(ctx: ParseContext) -> SyslogLog:
    """Every message of the text, in order; lines that are not syslog messages go to ``ctx.unparsed``."""
    records = ctx.run(SHOW_LOGGING)
    return SyslogLog(
        events=[event_from_record(record) for record in records if record.get("MNEMONIC")],
        leading_fragment=text_or_none(first(records, "LEADING_FRAGMENT")),
    )


register_builder(SHOW_LOGGING)(build_syslog_log)
