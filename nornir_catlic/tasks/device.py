"""The device layer every catlic task stands on: one netmiko session per host, IOS replies, dry-run plans.

Everything that talks to a switch goes through this module, so that error detection, prompts, timeouts and
dry-run honesty live in one place. Workflows never call netmiko themselves.

Connection
    The session is nornir_netmiko's ``netmiko`` connection (platform ``cisco_xe``), opened once per host and
    reused by every command of every task. :func:`netmiko_extras` returns the connection options we
    recommend for inventories (fast key exchange, short handshake timeouts, no session log).
    :func:`connection` returns that session in privileged EXEC mode (it sends ``enable`` once if needed).
    :func:`closing_session` wraps a task so its session closes when it ends (fleet runs).

Commands (run as Nornir sub-tasks, so each one shows in the result tree)
    :func:`show` ``(task, command, expect=None) -> model``: run a show command and parse it.
    :func:`show_text` ``(task, command) -> str``: a filtered show whose output is only tested for emptiness.
    :func:`run_exec` ``(task, command, confirm_answers=...) -> str``: an EXEC command that may ask
    ``[confirm]`` or ``Destination filename [x]?`` questions (copy, reload, license return...).
    :func:`configure` ``(task, lines) -> str``: configuration lines, stopping at the first refused one.
    :func:`save_config` ``(task) -> str``: ``copy running-config startup-config``.
    :func:`reload_and_wait` ``(task, timeout) -> None``: reload, drop the session, wait for the prompt again.
    :func:`run_subtask` ``(task, step, name) -> Result``: any step as a sub-task, re-raising its own error.

    Each raises :class:`~nornir_catlic.errors.DeviceCommandError` carrying the host, the command and the
    device's own words when the device refuses (``% Invalid input``, ``% Incomplete``, ``% Ambiguous``,
    ``% Error`` and the other ``%`` failure replies, see :func:`find_error_reply`) or when the output
    cannot be parsed; :class:`~nornir_catlic.errors.SessionLostError` when the SSH session drops
    mid-command (the connection is then forgotten, so the next command opens a fresh session).

Dry run
    :class:`Plan` collects the exact lines a workflow would type (``configure terminal`` blocks included)
    and renders them for ``Result.diff``; ``plan.run(task)`` executes the very same steps, so what a dry run
    shows is what a real run does.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, overload

from netmiko import BaseConnection
from netmiko.channel import SSHChannel
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException
from nornir.core import Nornir
from nornir.core.exceptions import NornirSubTaskError
from nornir.core.inventory import ConnectionOptions
from nornir.core.task import Result, Task
from pydantic import BaseModel

from nornir_catlic import interrupts
from nornir_catlic.errors import CatlicError, DeviceCommandError, ParseError, SessionLostError
from nornir_catlic.parsing import MAX_OUTPUT_CHARS, parse

CONNECTION_NAME = "netmiko"
PLATFORM = "cisco_xe"

SHOW_TIMEOUT = 30.0
EXEC_TIMEOUT = 120.0
CONFIG_TIMEOUT = 30.0
RELOAD_TIMEOUT = 900.0
CONNECT_ATTEMPTS = 2
CONNECT_RETRY_PAUSE = 0.5

MAX_COMMAND_OUTPUT_CHARS = MAX_OUTPUT_CHARS
"""The most one command may print before its prompt: a device that floods fails its host with the reason at
this size instead of filling memory and freezing the fleet; ``parse`` refuses more than this anyway."""
READ_CHUNK_CHARS = 1024 * 1024
"""The most one read takes from the channel before the limits above are checked again."""
PROMPT_WINDOW_CHARS = 1024
"""Prompts and questions sit on a short last line: only this tail of the reply is searched for them, so
reading a long reply costs time linear in its size."""

# Key exchanges that cost a round trip or tens of milliseconds of CPU per session; paramiko already offers
# mlkem768x25519 / curve25519-sha256@libssh.org first, ecdh and group14 stay as fallbacks for older releases.
SLOW_KEX = ("diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512")

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

# `%` replies that mean the device refused or failed the command (compared case-insensitively after `%`).
_FAILURE_REPLIES = (
    "invalid input",
    "incomplete command",
    "ambiguous command",
    "unknown command",
    "unrecognized command",
    "error",
    "bad ",
    "failed",
    "failure",
    "cannot",
    "can not",
    "unable",
    "not ",
    "no such",
    "permission denied",
    "access denied",
    "authorization failed",
)

ModelT = TypeVar("ModelT", bound=BaseModel)


# --- connection options --------------------------------------------------------------------------------


def netmiko_extras(
    *,
    secret: str | None = None,
    conn_timeout: float = 10.0,
    auth_timeout: float = 10.0,
    banner_timeout: float = 10.0,
    global_delay_factor: float = 0.1,
) -> dict[str, Any]:
    """Connection ``extras`` we recommend under ``connection_options["netmiko"]`` of a Nornir inventory.

    ``fast_cli`` and a small ``global_delay_factor`` shrink netmiko's fixed sleeps (its buffer clearing
    sleeps ``0.1 s x global_delay_factor``, twice per prompt discovery); our commands wait on the prompt
    pattern, never on time. Slow key exchanges are disabled so the fast ones are negotiated.

    Args:
        secret: the enable secret, when the login lands in user EXEC (``Device>``).
        conn_timeout: TCP connect timeout, seconds.
        auth_timeout: SSH authentication timeout, seconds.
        banner_timeout: wait for the SSH banner, seconds.
        global_delay_factor: netmiko's multiplier for its own sleeps.
    """
    extras: dict[str, Any] = {
        "fast_cli": True,
        "global_delay_factor": global_delay_factor,
        "conn_timeout": conn_timeout,
        "auth_timeout": auth_timeout,
        "banner_timeout": banner_timeout,
        "keepalive": 0,
        "disabled_algorithms": {"kex": list(SLOW_KEX)},
    }
    if secret is not None:
        extras["secret"] = secret
    return extras


def netmiko_connection_options(*, secret: str | None = None, **extras: Any) -> dict[str, Any]:
    """The whole ``connection_options`` of an inventory: ``{"netmiko": {"platform": ..., "extras": ...}}``."""
    return {CONNECTION_NAME: {"platform": PLATFORM, "extras": netmiko_extras(secret=secret, **extras)}}


def use_recommended_options(nr: Nornir, *, secret: str | None = None) -> Nornir:
    """Merge :func:`netmiko_extras` into the inventory defaults' ``netmiko`` options (values set win).

    For inventories written without them (the lab's, or an existing site's): the secret and timeouts already
    configured stay; the speed settings are added.
    """
    defaults = nr.inventory.defaults
    options = defaults.connection_options.get(CONNECTION_NAME)
    if options is None:
        options = ConnectionOptions(platform=PLATFORM, extras={})
        defaults.connection_options[CONNECTION_NAME] = options
    options.extras = {**netmiko_extras(secret=secret), **(options.extras or {})}
    if options.platform is None:
        options.platform = PLATFORM
    return nr


# --- IOS replies ---------------------------------------------------------------------------------------


def find_error_reply(output: str) -> str | None:
    """The device's words when ``output`` holds an IOS error or failure reply, else ``None``.

    A failure reply is a line starting with ``%`` whose text begins with one of the failure phrases
    (``% Invalid input detected``, ``% Incomplete command.``, ``% Ambiguous command: "..."``, ``%Error ...``).
    Syslog lines (``%SMART_LIC-6-...:``) and advisories (``% use 'write' command ...``, ``%Warning: ...``)
    are not failures. The reply returned starts at the caret line under an ``% Invalid input`` error.
    """
    lines = output.splitlines()
    for index, line in enumerate(lines):
        text = line.strip()
        if not text.startswith("%") or _is_syslog(text):
            continue
        body = text[1:].lstrip().lower()
        if body.startswith(_FAILURE_REPLIES):
            start = index
            if index > 0 and lines[index - 1].strip() == "^":
                start = index - 1
            return "\n".join(lines[start:]).strip("\n")
    return None


def _is_syslog(text: str) -> bool:
    """``%FACILITY-SEVERITY-MNEMONIC:`` as in ``%SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS: ...``."""
    head = text[1:].split(":", 1)[0]
    parts = head.split("-")
    return len(parts) >= 3 and parts[-2].isdigit() and parts[0].replace("_", "").isalnum() and head.isupper()


# --- the session ---------------------------------------------------------------------------------------


def connection(task: Task) -> BaseConnection:
    """The host's netmiko session in privileged EXEC mode, opened on first use and then reused.

    A connection attempt that times out (TCP, banner, key exchange, or an authentication timeout on a busy
    device) is tried once more: nothing was sent yet. A refused password is not retried (lockout policies).
    """
    host = task.host
    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        try:
            conn: BaseConnection = host.get_connection(CONNECTION_NAME, task.nornir.config)
            break
        except Exception as err:  # netmiko raises its own exception zoo; name the host and keep the cause
            if attempt == CONNECT_ATTEMPTS or not _transient(err):
                raise SessionLostError(
                    host.name, "connect", f"cannot open an SSH session: {_summary(err)}"
                ) from err
            time.sleep(CONNECT_RETRY_PAUSE)  # a busy device: give it a moment, there is no event to wait on
    if not getattr(conn, "_catlic_privileged", False):
        _ensure_privileged(task, conn)
        conn._catlic_privileged = True  # type: ignore[attr-defined]  # per-session memo, dies with it
    return conn


def _transient(err: BaseException) -> bool:
    if isinstance(err, NetmikoAuthenticationException):
        return "timeout" in str(err).lower().rsplit("device settings", 1)[-1]
    # paramiko's SSHException (a handshake cut short) is named, not imported: paramiko ships no type stubs
    handshake = any(cls.__name__ == "SSHException" for cls in type(err).__mro__)
    return handshake or isinstance(err, (NetmikoTimeoutException, OSError, EOFError))


def _ensure_privileged(task: Task, conn: BaseConnection) -> None:
    if not conn.secret:  # nothing to enable with: just make sure the login is privileged
        if not _current_prompt(task, conn).endswith("#"):
            raise DeviceCommandError(
                task.host.name,
                "enable",
                "the login lands in user EXEC and the inventory gives no enable secret",
            )
        return
    # `enable` at privilege 15 just prints the prompt again, so it is sent without looking first (one round
    # trip saved per session). IOS asks `Password:` up to three times, then answers `% Bad secrets`; the
    # secret is typed, never echoed.
    output = _interact(task, conn, "enable", answers={"assword": conn.secret}, timeout=SHOW_TIMEOUT)
    if not _last_line(output).strip().endswith("#"):  # the transcript ends at the prompt enable left
        refusal = find_error_reply(conn.normalize_linefeeds(output)) or "enable refused"
        raise DeviceCommandError(task.host.name, "enable", refusal)


def _current_prompt(task: Task, conn: BaseConnection) -> str:
    conn.write_channel(conn.RETURN)
    buffer = _read_until(task, conn, "<Enter>", answers={}, timeout=SHOW_TIMEOUT)
    return _last_line(buffer).strip()


def closing_session(workflow: Callable[..., Result]) -> Callable[..., Result]:
    """Wrap a catlic task so the host's session is closed as soon as the task ends.

    For fleet runs: ``nr.run(task=closing_session(catlic_get_license_state))``. Nornir keeps every session
    open until ``close_connections()``, and each idle paramiko session keeps a thread that wakes ten times a
    second: a thousand of them starve the run of CPU.
    """

    @functools.wraps(workflow)
    def run_then_close(task: Task, **params: Any) -> Result:
        try:
            with interrupts.host_working(task.host.name):
                return workflow(task, **params)
        finally:
            forget_connection(task)

    return run_then_close


def forget_connection(task: Task) -> None:
    """Close and drop the host's session (after a reload or a drop); the next command reconnects."""
    if CONNECTION_NAME in task.host.connections:
        try:
            task.host.close_connection(CONNECTION_NAME)
        except Exception:  # the transport is already gone; nothing left to close cleanly
            task.host.connections.pop(CONNECTION_NAME, None)


def _prompt_pattern(conn: BaseConnection) -> re.Pattern[str]:
    # The prompt is the last, unfinished line: hostname (netmiko keeps 16 characters), maybe a mode in
    # parentheses, then # or >. Anchoring at line start and buffer end keeps `hostname x` lines from matching.
    base = re.escape(conn.base_prompt)
    return re.compile(rf"(?:^|[\r\n]){base}[^\r\n]*[#>][ \t]*\Z")


def _read_until(
    task: Task,
    conn: BaseConnection,
    command: str,
    *,
    answers: Mapping[str, str],
    timeout: float,
    echo: str | None = None,
) -> str:
    """Read until the prompt, or until the last line holds a question (one of ``answers`` or an IOS one).

    With ``echo`` (the line just typed), a prompt or question counts only after the device echoed it: a
    prompt that arrives late from before (netmiko's ``terminal length 0`` or its ``find_prompt`` Enter on a
    busy device) is not this command's end.

    Waits on the channel's file descriptor, so it wakes as soon as data arrives and notices a dropped
    session at once (netmiko's own loops poll every 25 ms and keep reading a dead channel until timeout).
    """
    prompt = _prompt_pattern(conn)
    channel = conn.remote_conn
    deadline = time.monotonic() + timeout
    buffer = ""
    reply_start: int | None = 0 if not echo else None
    while True:
        buffer += _read_chunk(conn)
        # Before the prompt: an output over the limit fails whether or not its end arrived in this read.
        if len(buffer) > MAX_COMMAND_OUTPUT_CHARS:
            forget_connection(task)  # the device may still be sending: the next command starts afresh
            raise DeviceCommandError(
                task.host.name,
                command,
                f"output of {command!r} exceeded {MAX_COMMAND_OUTPUT_CHARS:,} bytes; the session was closed",
            )
        if reply_start is None and echo and echo in buffer:
            at = buffer.index(echo)
            line_start = max(buffer.rfind("\r", 0, at), buffer.rfind("\n", 0, at)) + 1
            buffer = buffer[line_start:]  # before the echo's line: late prompts of earlier lines
            reply_start = at - line_start + len(echo)
        if reply_start is not None:
            tail = _tail_window(buffer[max(reply_start, len(buffer) - 2 * PROMPT_WINDOW_CHARS) :])
            if prompt.search(tail):
                return buffer
            last = _last_line(tail)
            if any(question in last for question in (*answers, *QUESTION_MARKERS)):
                return buffer
        if channel is None or getattr(channel, "closed", False) or _eof(channel):
            buffer += conn.read_channel()
            forget_connection(task)
            said = _tail(_clean(conn, command, buffer))
            reason = "the SSH session closed" + (f" after: {said}" if said else " without a reply")
            raise SessionLostError(task.host.name, command, reason)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            forget_connection(task)  # the device is still busy with it: start the next command afresh
            raise DeviceCommandError(
                task.host.name,
                command,
                f"no prompt within {timeout:g}s; the device's last words: {_tail(buffer) or '(nothing)'}",
            )
        _wait_readable(channel, min(remaining, 0.5))


def _read_chunk(conn: BaseConnection) -> str:
    """What the device sent since the last read, at most about ``READ_CHUNK_CHARS``, line ends as sent
    (``_clean`` normalises the whole reply). netmiko's ``read_channel`` reads for as long as data keeps
    arriving: a device that never stops sending would never let it return."""
    channel = conn.channel
    if not isinstance(channel, SSHChannel):
        return conn.read_channel()
    chunk = ""
    while len(chunk) < READ_CHUNK_CHARS:
        data = channel.read_buffer()
        if not data:
            break
        chunk += data
    return conn.strip_ansi_escape_codes(chunk) if conn.ansi_escape_codes else chunk


def _eof(channel: Any) -> bool:
    return bool(getattr(channel, "eof_received", False)) and not channel.recv_ready()


# One event per paramiko channel, set by paramiko whenever data arrives or the channel closes.
_READABLE: weakref.WeakKeyDictionary[Any, threading.Event] = weakref.WeakKeyDictionary()
_READABLE_LOCK = threading.Lock()


def _readable_event(channel: Any) -> threading.Event | None:
    """An event paramiko sets when ``channel`` has data or closes (``BufferedPipe.set_event``).

    Not ``select()`` on ``channel.fileno()``: that makes paramiko keep an OS pipe whose write end its
    transport thread can still write ``*`` into after the channel closed it, by then a reused descriptor:
    the byte landed at the start of a portal record written at the same moment.
    """
    set_event = getattr(getattr(channel, "in_buffer", None), "set_event", None)
    if set_event is None:
        return None
    with _READABLE_LOCK:
        event = _READABLE.get(channel)
        if event is None:
            event = threading.Event()
            set_event(event)
            _READABLE[channel] = event
    return event


def _wait_readable(channel: Any, timeout: float) -> None:
    event = _readable_event(channel)
    if event is None:  # a channel without paramiko's buffer (telnet, tests)
        time.sleep(min(timeout, 0.01))
        return
    event.wait(timeout)


def _interact(
    task: Task,
    conn: BaseConnection,
    command: str,
    *,
    answers: Mapping[str, str],
    timeout: float,
    expect_disconnect: bool = False,
) -> str:
    """Type ``command``, answer the questions it asks, return everything up to the next prompt."""
    conn.read_channel()  # drop anything unsolicited left from before, so the echo starts the buffer
    conn.write_channel(conn.normalize_cmd(command))
    transcript = ""
    questions_answered = 0
    while True:
        try:
            echo = command.strip() if not questions_answered else None  # answers may not be echoed
            chunk = _read_until(task, conn, command, answers=answers, timeout=timeout, echo=echo)
        except SessionLostError as lost:
            if expect_disconnect and questions_answered:
                return transcript + lost.reply
            raise
        transcript += chunk
        last = _last_line(chunk)
        question = next((q for q in answers if q in last), None)
        if question is None and any(marker in last for marker in QUESTION_MARKERS):
            forget_connection(task)
            raise DeviceCommandError(
                task.host.name, command, f"the device asks {last.strip()!r} and no answer was given"
            )
        if question is None:
            return transcript
        questions_answered += 1
        if questions_answered > 10:
            raise DeviceCommandError(task.host.name, command, f"the device keeps asking: {last.strip()}")
        conn.write_channel(conn.normalize_cmd(answers[question]))


def _clean(conn: BaseConnection, command: str, raw: str) -> str:
    """The reply alone: no command echo, no trailing prompt, ``\\n`` line ends."""
    text = conn.normalize_linefeeds(raw)
    lines = text.split("\n")
    echo = command.strip()
    for index, line in enumerate(lines[:3]):
        if echo and line.rstrip().endswith(echo):
            lines = lines[index + 1 :]
            break
    if lines and _prompt_pattern(conn).search("\n" + lines[-1]):
        lines = lines[:-1]
    return "\n".join(lines).strip("\n")


def _last_line(text: str) -> str:
    return text[max(text.rfind("\r"), text.rfind("\n")) + 1 :]


def _tail_window(buffer: str) -> str:
    """The end of ``buffer`` where a prompt or question can be: its last ``PROMPT_WINDOW_CHARS``, starting
    at a line break when the buffer is longer (a partial first line must not pass for a prompt's start)."""
    if len(buffer) <= PROMPT_WINDOW_CHARS:
        return buffer
    tail = buffer[-PROMPT_WINDOW_CHARS:]
    breaks = [index for index in (tail.find("\r"), tail.find("\n")) if index >= 0]
    return tail[min(breaks) :] if breaks else ""


def _tail(text: str, lines: int = 4) -> str:
    kept = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    return "\n".join(kept[-lines:])


def _summary(err: BaseException) -> str:
    """netmiko's several-paragraph messages as one line: what failed, and the underlying cause."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    if not lines:
        return type(err).__name__
    return lines[0] if len(lines) == 1 else f"{lines[0]} ({lines[-1]})"


# --- raw command primitives (no sub-task) -------------------------------------------------------------


def send(task: Task, command: str, *, read_timeout: float = SHOW_TIMEOUT) -> str:
    """Run one EXEC command with no questions; the reply, or DeviceCommandError with the device's words."""
    return _type_line(task, connection(task), command, read_timeout)


def _type_line(task: Task, conn: BaseConnection, line: str, timeout: float) -> str:
    """Type one line that asks nothing; its checked reply."""
    return _checked(task, line, _clean(conn, line, _interact(task, conn, line, answers={}, timeout=timeout)))


def _checked(task: Task, command: str, output: str) -> str:
    error = find_error_reply(output)
    if error is not None:
        raise DeviceCommandError(task.host.name, command, error)
    return output


def parse_output(task: Task, command: str, output: str, *, strict: bool = False) -> BaseModel:
    """Parse ``output`` of ``command``; an unreadable output is a DeviceCommandError naming the host."""
    try:
        model: BaseModel = parse(command, output, strict=strict)
    except ParseError as err:
        raise DeviceCommandError(task.host.name, command, f"output not understood: {err}") from err
    return model


# --- sub-tasks ---------------------------------------------------------------------------------------


def _show_step(task: Task, command: str, read_timeout: float, strict: bool) -> Result:
    output = send(task, command, read_timeout=read_timeout)
    return Result(host=task.host, result=parse_output(task, command, output, strict=strict))


def _exec_step(
    task: Task, command: str, answers: Mapping[str, str], read_timeout: float, expect_disconnect: bool
) -> Result:
    conn = connection(task)
    raw = _interact(
        task, conn, command, answers=answers, timeout=read_timeout, expect_disconnect=expect_disconnect
    )
    output = _checked(task, command, _clean(conn, command, raw))
    if expect_disconnect:
        forget_connection(task)
    return Result(host=task.host, result=output, changed=True)


def _config_step(task: Task, lines: Sequence[str], read_timeout: float) -> Result:
    conn = connection(task)
    transcript: list[str] = []
    _type_line(task, conn, "configure terminal", read_timeout)
    try:
        for line in lines:
            transcript.append(line)
            reply = _clean(conn, line, _interact(task, conn, line, answers={}, timeout=read_timeout))
            if reply:
                transcript.append(reply)
            _checked(task, line, reply)
    finally:
        if CONNECTION_NAME in task.host.connections:  # still connected: leave configuration mode
            _interact(task, conn, "end", answers={}, timeout=read_timeout)
    return Result(host=task.host, result="\n".join(transcript), changed=True)


def run_subtask(
    task: Task, step: Callable[..., Result], name: str, *, severity_level: int = logging.DEBUG, **params: Any
) -> Result:
    """Run ``step`` as a sub-task of ``task`` and return its Result.

    A failure re-raises the library's own error (the device's words, WaitingForPortal...) rather than
    Nornir's ``NornirSubTaskError`` wrapper, so callers catch what the step raised. Once the run was asked
    to stop, the step is not started: :class:`~nornir_catlic.errors.Interrupted` names it.
    """
    interrupts.check(task.host.name, name)
    try:
        return task.run(task=step, name=name, severity_level=severity_level, **params)[0]
    except NornirSubTaskError as err:
        for result in err.result:
            if isinstance(result.exception, CatlicError):
                raise result.exception from None
        raise


def _run_step(task: Task, step: Callable[..., Result], name: str, **params: Any) -> Any:
    """Run ``step`` as a DEBUG sub-task and return its ``result``."""
    return run_subtask(task, step, name, **params).result


@overload
def show(
    task: Task, command: str, expect: None = None, *, read_timeout: float = ..., strict: bool = ...
) -> BaseModel: ...
@overload
def show(
    task: Task, command: str, expect: type[ModelT], *, read_timeout: float = ..., strict: bool = ...
) -> ModelT: ...
def show(
    task: Task,
    command: str,
    expect: type[ModelT] | None = None,
    *,
    read_timeout: float = SHOW_TIMEOUT,
    strict: bool = False,
) -> BaseModel:
    """Run ``command`` and return its parsed model (a DEBUG sub-task named after the command).

    Args:
        expect: the model class the caller relies on; anything else is a DeviceCommandError.
        strict: ask the parser to refuse lines it does not understand.
    """
    model = _run_step(task, _show_step, command, command=command, read_timeout=read_timeout, strict=strict)
    if expect is not None and not isinstance(model, expect):
        raise DeviceCommandError(
            task.host.name, command, f"parsed as {type(model).__name__}, expected {expect.__name__}"
        )
    assert isinstance(model, BaseModel)
    return model


def _text_step(task: Task, command: str, read_timeout: float) -> Result:
    return Result(host=task.host, result=send(task, command, read_timeout=read_timeout))


def show_text(task: Task, command: str, *, read_timeout: float = SHOW_TIMEOUT) -> str:
    """Run a show command whose output is only tested, never parsed (a DEBUG sub-task).

    For device-side filters such as ``show running-config | include tunnel mode ipsec``: the device does the
    matching, the caller only asks whether anything came back.
    """
    output: str = _run_step(task, _text_step, command, command=command, read_timeout=read_timeout)
    return output


def run_exec(
    task: Task,
    command: str,
    *,
    confirm_answers: Mapping[str, str] | None = None,
    read_timeout: float = EXEC_TIMEOUT,
    expect_disconnect: bool = False,
) -> str:
    """Run an EXEC command that may ask questions; return its reply (a DEBUG sub-task).

    Args:
        confirm_answers: question text -> answer typed (``""`` is Enter). Matched on the unfinished last
            line, e.g. ``{"[confirm]": "", "Destination filename [": ""}`` (the default).
        expect_disconnect: the command ends the session once confirmed (``reload``); the session is then
            forgotten and a closed channel is success, not an error.
    """
    answers = dict(DEFAULT_CONFIRM_ANSWERS if confirm_answers is None else confirm_answers)
    output: str = _run_step(
        task,
        _exec_step,
        command,
        command=command,
        answers=answers,
        read_timeout=read_timeout,
        expect_disconnect=expect_disconnect,
    )
    return output


def configure(task: Task, lines: Iterable[str], *, read_timeout: float = CONFIG_TIMEOUT) -> str:
    """Enter ``configure terminal``, send ``lines`` one at a time, ``end``; stop at the first refused line.

    Returns the transcript (each line followed by the device's reply, if any). A refused line raises a
    DeviceCommandError naming that line, after leaving configuration mode.
    """
    line_list = [line for line in lines if line.strip()]
    name = "configure: " + "; ".join(line_list)
    transcript: str = _run_step(task, _config_step, name, lines=line_list, read_timeout=read_timeout)
    return transcript


def save_config(task: Task) -> str:
    """``copy running-config startup-config``, accepting the default destination."""
    return run_exec(task, "copy running-config startup-config", read_timeout=EXEC_TIMEOUT)


def reload_and_wait(task: Task, *, timeout: float = RELOAD_TIMEOUT, poll_interval: float = 0.5) -> float:
    """``reload`` (confirmed), then wait until a new session reaches the prompt; returns seconds waited.

    Raises SessionLostError naming the host when the device is not back within ``timeout``.
    """
    started = time.monotonic()
    run_exec(
        task,
        "reload",
        confirm_answers=RELOAD_ANSWERS,
        expect_disconnect=True,
    )
    wait_until_reachable(task, timeout=timeout, poll_interval=poll_interval)
    return time.monotonic() - started


def wait_until_reachable(task: Task, *, timeout: float = RELOAD_TIMEOUT, poll_interval: float = 0.5) -> None:
    """Reconnect until the device answers at its prompt (after a reload, switchover or drop)."""
    forget_connection(task)
    deadline = time.monotonic() + timeout
    last_error: CatlicError | None = None
    while time.monotonic() < deadline:
        try:
            connection(task)
            return
        except CatlicError as err:
            last_error = err
            forget_connection(task)
        time.sleep(poll_interval)  # polling a device that is booting: there is no event to wait on
    reason = last_error.reply if isinstance(last_error, DeviceCommandError) else "no answer"
    raise SessionLostError(task.host.name, "reload", f"not reachable after {timeout:g}s: {reason}")


# --- dry-run plans -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedStep:
    """One step of a plan: an EXEC command (with its answers) or a block of configuration lines."""

    kind: Literal["exec", "config"]
    commands: tuple[str, ...]
    reason: str = ""
    answers: tuple[tuple[str, str], ...] = ()
    expect_disconnect: bool = False

    def typed_lines(self) -> list[str]:
        """The lines exactly as typed at the CLI."""
        if self.kind == "config":
            return ["configure terminal", *self.commands, "end"]
        return list(self.commands)


@dataclass
class Plan:
    """The commands a workflow would send to one device, in order.

    Build it first, then either render it (dry run: ``Result(diff=plan.render(), changed=bool(plan))``) or
    ``plan.run(task)``: both come from the same steps, so a dry run shows exactly what a real run types.
    """

    steps: list[PlannedStep] = field(default_factory=list)

    def exec(
        self,
        command: str,
        *,
        reason: str = "",
        confirm_answers: Mapping[str, str] | None = None,
        expect_disconnect: bool = False,
    ) -> Plan:
        answers = dict(DEFAULT_CONFIRM_ANSWERS if confirm_answers is None else confirm_answers)
        self.steps.append(PlannedStep("exec", (command,), reason, tuple(answers.items()), expect_disconnect))
        return self

    def configure(self, lines: Iterable[str], *, reason: str = "") -> Plan:
        self.steps.append(PlannedStep("config", tuple(lines), reason))
        return self

    def save(self, *, reason: str = "save the configuration") -> Plan:
        return self.exec("copy running-config startup-config", reason=reason)

    def reload(self, *, reason: str = "reload so the configuration takes effect") -> Plan:
        return self.exec(
            "reload",
            reason=reason,
            confirm_answers=RELOAD_ANSWERS,
            expect_disconnect=True,
        )

    def __bool__(self) -> bool:
        return bool(self.steps)

    def commands(self) -> list[str]:
        """Every line that would be typed, in order."""
        return [line for step in self.steps for line in step.typed_lines()]

    def render(self) -> str:
        """The plan as an IOS script: a ``!`` comment with the reason, then the lines to type."""
        out: list[str] = []
        for step in self.steps:
            if step.reason:
                out.append(f"! {step.reason}")
            out.extend(step.typed_lines())
        return "\n".join(out)

    def run(self, task: Task, *, reload_timeout: float = RELOAD_TIMEOUT) -> list[str]:
        """Execute every step on ``task.host``; returns each step's reply. ``reload`` waits for the device."""
        replies: list[str] = []
        for step in self.steps:
            if step.kind == "config":
                replies.append(configure(task, step.commands))
            elif step.commands == ("reload",) and step.expect_disconnect:
                reload_and_wait(task, timeout=reload_timeout)
                replies.append("")
            else:
                replies.append(
                    run_exec(
                        task,
                        step.commands[0],
                        confirm_answers=dict(step.answers),
                        expect_disconnect=step.expect_disconnect,
                    )
                )
        return replies
