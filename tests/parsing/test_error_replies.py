"""One table of IOS error replies, asked by the parser and the transport alike."""

from __future__ import annotations

import pytest

from nornir_catlic import ParseError, parse, transport
from nornir_catlic.parsers.error_replies import (
    ERROR_REPLY_FORMS,
    ErrorReplyForm,
    error_reply_form,
    find_error_reply,
)

NOT_ERRORS = (
    "% use 'write' command to make license boot config take effect on next boot",
    '%Warning: reload required after "license smart factory reset" command',
    "*Dec 3 18:58:39.026: %SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS: A new licensing authorization code",
    "%SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED: The install of a new licensing authorization code failed",
    "Import Data Successful",
    "  Status: 100% done",
)


@pytest.mark.parametrize("form", ERROR_REPLY_FORMS, ids=lambda form: form.opening.strip())
def test_each_form_is_recognised_once_by_its_own_entry(form: ErrorReplyForm) -> None:
    body = form.example.lstrip("%").lstrip().lower()
    assert [other for other in ERROR_REPLY_FORMS if body.startswith(other.opening)] == [form]
    assert error_reply_form(form.example) is form
    assert error_reply_form("  " + form.example.upper()) is form  # indented, any case


@pytest.mark.parametrize("form", ERROR_REPLY_FORMS, ids=lambda form: form.opening.strip())
def test_the_transport_and_the_parser_refuse_the_same_replies(form: ErrorReplyForm) -> None:
    assert transport.find_error_reply("show something\n" + form.example) == form.example
    with pytest.raises(ParseError, match="the device answered with an error") as raised:
        parse("show license summary", f"show license summary\n{form.example}\nsw1#")
    assert raised.value.line == form.example


@pytest.mark.parametrize("line", NOT_ERRORS)
def test_advisories_and_syslog_are_errors_for_neither(line: str) -> None:
    assert error_reply_form(line) is None
    assert find_error_reply(f"some output\n{line}") is None


def test_the_devices_words_start_at_the_caret_above_invalid_input() -> None:
    reply = "show license bogus\n              ^\n% Invalid input detected at '^' marker."
    assert find_error_reply(reply) == "              ^\n% Invalid input detected at '^' marker."
