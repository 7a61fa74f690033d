"""IOS error replies: the one table of ``%`` lines that mean a device refused or failed a command.

The transport (a command's reply) and the parser (an output handed to ``parse``) both ask this module,
so a reply is an error in one place exactly when it is an error in the other.

A failure reply is a line starting with ``%`` whose text, compared case-insensitively, begins with one
of the openings below (``% Invalid input detected``, ``% Incomplete command.``, ``%Error opening ...``,
``% Error: ...`` from the licensing agent). Syslog messages (``%SMART_LIC-6-...:``) and advisories
(``% use 'write' command ...``, ``%Warning: ...``) are not failures.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ErrorReplyKind(Enum):
    """Whether the CLI refused the line itself or the command ran and failed."""

    REFUSED = "refused"  # the parser of the CLI did not take the line: nothing ran
    FAILED = "failed"  # the command ran and reports a failure


@dataclass(frozen=True)
class ErrorReplyForm:
    """One form of IOS error reply.

    Attributes:
        opening: the first words after ``%``, lower case; no opening is the start of another.
        kind: refused by the CLI, or failed while running.
        example: a reply of this form as a device prints it (the tests recognise each one).
    """

    opening: str
    kind: ErrorReplyKind
    example: str


REFUSED, FAILED = ErrorReplyKind.REFUSED, ErrorReplyKind.FAILED

ERROR_REPLY_FORMS: tuple[ErrorReplyForm, ...] = (
    ErrorReplyForm("invalid input", REFUSED, "% Invalid input detected at '^' marker."),
    ErrorReplyForm("incomplete command", REFUSED, "% Incomplete command."),
    ErrorReplyForm("ambiguous command", REFUSED, '% Ambiguous command:  "show lic"'),
    ErrorReplyForm("unknown command", REFUSED, "% Unknown command or computer name, or unable to find"),
    ErrorReplyForm("unrecognized command", REFUSED, "% Unrecognized command"),
    ErrorReplyForm("error", FAILED, "%Error opening bootflash:slac.txt (No such file or directory)"),
    ErrorReplyForm("bad ", FAILED, "% Bad secrets"),
    ErrorReplyForm("failed", FAILED, "% Failed to generate the request"),
    ErrorReplyForm("failure", FAILED, "% Failure: the authorization code was not installed"),
    ErrorReplyForm("cannot", FAILED, "% Cannot return the authorization code"),
    ErrorReplyForm("can not", FAILED, "% Can not open the file"),
    ErrorReplyForm("unable", FAILED, "% Unable to reach the Smart Software Manager"),
    ErrorReplyForm("not ", FAILED, "% Not supported on this platform"),
    ErrorReplyForm("no such", FAILED, "% No such file or directory"),
    ErrorReplyForm("permission denied", FAILED, "% Permission denied"),
    ErrorReplyForm("access denied", FAILED, "% Access denied"),
    ErrorReplyForm("authorization failed", FAILED, "% Authorization failed."),
)

_OPENINGS = tuple(form.opening for form in ERROR_REPLY_FORMS)


def error_reply_form(line: str) -> ErrorReplyForm | None:
    """The form of IOS error reply ``line`` is, or ``None`` for any other line (syslog included)."""
    text = line.strip()
    if not text.startswith("%") or is_syslog_message(text):
        return None
    body = text[1:].lstrip().lower()
    if not body.startswith(_OPENINGS):  # one C-level test for the common case: not an error
        return None
    return next(form for form in ERROR_REPLY_FORMS if body.startswith(form.opening))


def is_error_reply(line: str) -> bool:
    """Whether ``line`` is an IOS error reply."""
    return "%" in line and error_reply_form(line) is not None


def find_error_reply(output: str) -> str | None:
    """The device's words when ``output`` holds an IOS error reply, else ``None``.

    The words run from the first error line to the end of the output, starting at the caret line above
    an ``% Invalid input`` error when there is one.
    """
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if is_error_reply(line):
            start = index - 1 if index > 0 and lines[index - 1].strip() == "^" else index
            return "\n".join(lines[start:]).strip("\n")
    return None


def is_syslog_message(text: str) -> bool:
    """``%FACILITY-SEVERITY-MNEMONIC:`` as in ``%SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS: ...``."""
    head = text[1:].split(":", 1)[0]
    parts = head.split("-")
    return len(parts) >= 3 and parts[-2].isdigit() and parts[0].replace("_", "").isalnum() and head.isupper()
