"""Reading syslog messages: `show logging`, a `terminal monitor` session, a console transcript.

    >>> log = parse_syslog(output)
    >>> [event.udi for event in log.of("SMART_LIC", "AUTHORIZATION_INSTALL_SUCCESS")]

Messages wrapped over several lines are joined back. Lines that are not syslog messages (banners, prompts,
`Applying config on Switch 3...[DONE]`) are kept in ``unparsed_lines``, never dropped.
"""

from __future__ import annotations

from nornir_catlic.errors import ParseError
from nornir_catlic.models.syslog import Severity, SyslogEvent, SyslogLog, SyslogTimestamp
from nornir_catlic.parsers.base import ParseContext, run_builder
from nornir_catlic.parsers.cleaning import clean_output
from nornir_catlic.parsers.syslog import SHOW_LOGGING, build_syslog_log
from nornir_catlic.parsers.values import ZoneOffsets, to_zone_table, zone_offsets
from nornir_catlic.parsing import template_for

_COMMAND = "show logging"


def parse_syslog(text: str, *, strict: bool = False, zones: ZoneOffsets | None = None) -> SyslogLog:
    """Every syslog message in ``text``, in order.

    Unlike ``parse("show logging", ...)`` this accepts any transcript: text without a single message
    gives an empty log (its lines in ``unparsed_lines``), and an IOS error reply is just another line.

    Args:
        zones: zone name -> UTC offset in hours for stamps in a zone the common abbreviations do not
            cover (``clock timezone pacific -8`` prints ``*Jul  4 13:11:50.123 pacific:``).

    Raises:
        ParseError: with ``strict=True``, on the first line that is not part of a syslog message; a
            zone offset beyond 23 hours.
    """
    cleaned = clean_output(text, _COMMAND, lambda echoed: template_for(echoed) == SHOW_LOGGING)
    ctx = ParseContext.of_output(_COMMAND, cleaned)
    try:
        table = to_zone_table(zones)
    except ValueError as error:
        raise ParseError(str(error), command=_COMMAND) from None
    with zone_offsets(table):
        log = run_builder(build_syslog_log, ctx)
    if strict and ctx.unparsed:
        raise ctx.unparsed_error("not a syslog message")
    return ctx.stamp(log)


def parse_syslog_line(line: str) -> SyslogEvent | None:
    """One message (its wrapped lines may follow, newline-separated); None when it is not a syslog message."""
    events = parse_syslog(line).events
    return events[0] if events else None


__all__ = ["Severity", "SyslogEvent", "SyslogLog", "SyslogTimestamp", "parse_syslog", "parse_syslog_line"]
