"""Typing a line into a netmiko session and reading the device's reply up to its prompt or its question.

Built on netmiko's public API only: ``write_channel``, ``channel.read_buffer`` (one read of what has
arrived), ``is_alive`` and the connection's ``base_prompt``. netmiko's own ``read_until_pattern`` and
``send_command`` would do for a well-behaved device, but they read without bound (a device that never
stops sending never lets them return) and keep polling a dropped session until the read timeout; this
reader stops at ``MAX_COMMAND_OUTPUT_CHARS`` before looking for the prompt and notices a drop within
about a second.

The functions here take a netmiko connection and the host's name and know nothing of Nornir. An error
raised by them leaves the session unusable (mid-reply, closed, or asking a question): the caller forgets
it (:func:`nornir_catlic.transport.session.talk` does).
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from netmiko import BaseConnection
from netmiko.channel import SSHChannel
from netmiko.exceptions import ReadException, WriteException

from nornir_catlic.errors import DeviceCommandError, SessionLostError
from nornir_catlic.parsing import MAX_OUTPUT_CHARS
from nornir_catlic.transport.replies import (
    QUESTION_MARKERS,
    asked_question,
    is_prompt,
    last_line,
    last_words,
    tail_window,
    unasked_question,
)

MAX_COMMAND_OUTPUT_CHARS = MAX_OUTPUT_CHARS
"""The most one command may print before its prompt: a device that floods fails its host with the reason at
this size instead of filling memory and freezing the fleet; ``parse`` refuses more than this anyway."""
READ_CHUNK_CHARS = 1024 * 1024
"""The most one read takes from the channel before the limits above are checked again."""

FIRST_PAUSE = 0.001
"""Seconds between reads right after data arrived; each empty read doubles the pause, up to
``LONGEST_PAUSE``. netmiko exposes no way to block until data arrives: the reader polls, backing off while
the device works."""
LONGEST_PAUSE = 0.02
SILENCE_BEFORE_PROBE = 0.5
"""Seconds of silence after which netmiko's ``is_alive`` is asked whether the session still stands (it types a
NUL, which IOS ignores); asked again after each further such silence."""
MAX_QUESTIONS = 10

_CHANNEL_GONE = (OSError, EOFError, ReadException, WriteException)
"""What netmiko and paramiko raise on a read or write over a session the device closed."""


def interact(
    conn: BaseConnection,
    host: str,
    command: str,
    *,
    answers: Mapping[str, str],
    timeout: float,
    expect_disconnect: bool = False,
) -> str:
    """Type ``command``, answer the questions it asks, return everything up to the next prompt.

    Args:
        answers: question text -> answer typed (``""`` is Enter), matched on the unfinished last line.
        timeout: seconds each reply (to the command, then to each answer) may take.
        expect_disconnect: the command closes the session once its questions are answered (``reload``):
            the transcript read until then is returned instead of an error.

    Raises:
        SessionLostError: the session closed (and ``expect_disconnect`` did not ask for it).
        DeviceCommandError: no prompt within ``timeout``, an output over the limit, a question with no
            answer, or questions without end.
    """
    try:
        conn.read_channel()  # drop anything unsolicited left from before, so the echo starts the buffer
    except _CHANNEL_GONE:
        raise _lost(conn, host, command, "") from None
    _write(conn, host, command, conn.normalize_cmd(command))
    transcript = ""
    questions_answered = 0
    echo = command.strip()  # the command's own reply starts after its echo; answers need none
    while True:
        try:
            chunk = read_reply(conn, host, command, answers=answers, timeout=timeout, echo=echo)
            echo = ""
        except SessionLostError as lost:
            if expect_disconnect and questions_answered:
                return transcript + lost.reply
            raise
        transcript += chunk
        line = last_line(chunk)
        question = asked_question(line, answers)
        if question is None and unasked_question(line):
            raise DeviceCommandError(
                host, command, f"the device asks {line.strip()!r} and no answer was given"
            )
        if question is None:
            return transcript
        questions_answered += 1
        if questions_answered > MAX_QUESTIONS:
            raise DeviceCommandError(host, command, f"the device keeps asking: {line.strip()}")
        _write(conn, host, command, conn.normalize_cmd(answers[question]))


def read_reply(
    conn: BaseConnection,
    host: str,
    command: str,
    *,
    answers: Mapping[str, str],
    timeout: float,
    echo: str = "",
) -> str:
    """Read until the prompt, or until the last line holds a question (one of ``answers`` or an IOS one).

    With ``echo``, only a prompt or question after the device echoed that text counts: a prompt left
    from before the command (the answer to an earlier Enter arriving late) must not end its reply, or
    every later reply would be one behind (netmiko's ``cmd_verify`` does the same).

    Raises:
        SessionLostError: the session closed.
        DeviceCommandError: over ``MAX_COMMAND_OUTPUT_CHARS`` before the prompt, or no prompt in ``timeout``.
    """
    questions = (*answers, *QUESTION_MARKERS)
    started = time.monotonic()
    deadline = started + timeout
    quiet_since = started
    pause = FIRST_PAUSE
    buffer = ""
    echo_end = None if echo else 0  # where the echo ends in the buffer, once seen
    while True:
        chunk = _read_chunk(conn, host, command, buffer)
        now = time.monotonic()
        if chunk:
            searched_up_to = max(0, len(buffer) - len(echo))
            buffer += chunk
            # Before the prompt: an output over the limit fails whether or not its end arrived in this read.
            if len(buffer) > MAX_COMMAND_OUTPUT_CHARS:
                limit = f"{MAX_COMMAND_OUTPUT_CHARS:,} bytes"
                reason = f"output of {command!r} exceeded {limit}; the session was closed"
                raise DeviceCommandError(host, command, reason)
            if echo_end is None and (found := buffer.find(echo, searched_up_to)) >= 0:
                echo_line_head = last_line(buffer[:found])  # the prompt the echo follows
                buffer = buffer[found - len(echo_line_head) :]  # before the echo's line: stray prompts
                echo_end = len(echo_line_head) + len(echo)
            tail = tail_window(buffer)  # empty when the last line is too long to be a prompt
            last = last_line(tail)
            after_echo = echo_end is not None and len(buffer) - len(last) >= echo_end
            if tail and after_echo and (is_prompt(last, conn.base_prompt) or asked_question(last, questions)):
                return buffer
            quiet_since, pause = now, FIRST_PAUSE
        elif now - quiet_since >= SILENCE_BEFORE_PROBE:
            if not conn.is_alive():
                buffer += _read_chunk(conn, host, command, buffer)  # what came just before the close
                raise _lost(conn, host, command, buffer)
            quiet_since = now
        if now >= deadline:
            said = last_words(buffer) or "(nothing)"
            raise DeviceCommandError(
                host, command, f"no prompt within {timeout:g}s; the device's last words: {said}"
            )
        time.sleep(min(pause, deadline - now))
        pause = min(pause * 2, LONGEST_PAUSE)


def _read_chunk(conn: BaseConnection, host: str, command: str, buffer: str) -> str:
    """What the device sent since the last read, at most about ``READ_CHUNK_CHARS``, line ends as sent
    (:func:`reply_text` normalises the whole reply). netmiko's ``read_channel`` reads for as long as data
    keeps arriving: a device that never stops sending would never let it return."""
    channel = conn.channel
    try:
        if not isinstance(channel, SSHChannel):
            return str(conn.read_channel())
        chunk = ""
        while len(chunk) < READ_CHUNK_CHARS:
            data = channel.read_buffer()
            if not data:
                break
            chunk += data
    except _CHANNEL_GONE:
        raise _lost(conn, host, command, buffer) from None
    return str(conn.strip_ansi_escape_codes(chunk)) if conn.ansi_escape_codes else chunk


def _write(conn: BaseConnection, host: str, command: str, text: str) -> None:
    try:
        conn.write_channel(text)
    except _CHANNEL_GONE:
        raise _lost(conn, host, command, "") from None


def _lost(conn: BaseConnection, host: str, command: str, buffer: str) -> SessionLostError:
    said = last_words(reply_text(conn, command, buffer))
    reason = "the SSH session closed" + (f" after: {said}" if said else " without a reply")
    return SessionLostError(host, command, reason)


def reply_text(conn: BaseConnection, command: str, raw: str) -> str:
    """The reply alone: no command echo, no trailing prompt, ``\\n`` line ends."""
    text: str = conn.normalize_linefeeds(raw)
    lines = text.split("\n")
    echo = command.strip()
    for index, line in enumerate(lines[:3]):
        if echo and line.rstrip().endswith(echo):
            lines = lines[index + 1 :]
            break
    if lines and is_prompt(lines[-1], conn.base_prompt):
        lines = lines[:-1]
    return "\n".join(lines).strip("\n")
