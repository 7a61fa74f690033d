"""What a device's reply means: where it ends (a prompt, a question), what to answer, whether it failed.

Pure functions over the text a session read; the session itself is in :mod:`.dialogue`. Whether a line is
an IOS error reply is decided by :mod:`nornir_catlic.parsers.error_replies`, the table the parser uses too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from nornir_catlic.parsers.error_replies import find_error_reply

__all__ = [
    "DEFAULT_CONFIRM_ANSWERS",
    "PROMPT_WINDOW_CHARS",
    "QUESTION_MARKERS",
    "RELOAD_ANSWERS",
    "asked_question",
    "find_error_reply",
    "is_prompt",
    "last_line",
    "last_words",
    "tail_window",
    "unasked_question",
]

# Answers to IOS questions, matched on the unfinished last line the device leaves for input.
# An empty answer is Enter: the default in brackets.
DEFAULT_CONFIRM_ANSWERS: Mapping[str, str] = {
    "[confirm]": "",
    "Destination filename [": "",
}

# `reload` asks to save a modified configuration first: never save behind the user's back, then confirm.
RELOAD_ANSWERS: Mapping[str, str] = {"[yes/no]": "no", "[confirm]": ""}

# Questions IOS leaves on an unfinished line. One that was not given an answer ends the session (closing it
# cancels the question; typing Enter would confirm it) and fails the command.
QUESTION_MARKERS = (
    "[confirm]",
    "[yes/no]",
    "Destination filename [",
    "Source filename [",
    "Address or name of remote host [",
)

PROMPT_WINDOW_CHARS = 1024
"""Prompts and questions sit on a short last line: only this tail of the reply is searched for them, so
reading a long reply costs time linear in its size."""


def last_line(text: str) -> str:
    """The unfinished line at the end of ``text`` (after its last line break)."""
    return text[max(text.rfind("\r"), text.rfind("\n")) + 1 :]


def is_prompt(line: str, base_prompt: str) -> bool:
    """Whether ``line`` is the device's prompt: the hostname netmiko found (16 characters kept), maybe a
    mode in parentheses, then ``#`` or ``>``. A ``hostname x`` line in an output does not pass."""
    return line.startswith(base_prompt) and line.rstrip(" \t").endswith(("#", ">"))


def tail_window(buffer: str) -> str:
    """The end of ``buffer`` where a prompt or question can be: its last ``PROMPT_WINDOW_CHARS``, starting
    at a line break when the buffer is longer (a partial first line must not pass for a prompt's start)."""
    if len(buffer) <= PROMPT_WINDOW_CHARS:
        return buffer
    tail = buffer[-PROMPT_WINDOW_CHARS:]
    breaks = [index for index in (tail.find("\r"), tail.find("\n")) if index >= 0]
    return tail[min(breaks) :] if breaks else ""


def asked_question(line: str, answers: Iterable[str]) -> str | None:
    """The question of ``answers`` the unfinished ``line`` asks, if any."""
    return next((question for question in answers if question in line), None)


def unasked_question(line: str) -> bool:
    """Whether ``line`` holds one of IOS's questions (answered or not)."""
    return any(marker in line for marker in QUESTION_MARKERS)


def last_words(text: str, lines: int = 4) -> str:
    """The last non-blank ``lines`` of ``text``, for an error saying what the device said before it failed."""
    kept = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    return "\n".join(kept[-lines:])
