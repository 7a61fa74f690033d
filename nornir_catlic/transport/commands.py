"""Commands as Nornir sub-tasks, each showing in the result tree: show, EXEC with questions, configuration.

Each raises :class:`~nornir_catlic.errors.DeviceCommandError` carrying the host, the command and the
device's own words when the device refuses (an IOS error reply, see
:func:`~nornir_catlic.parsers.error_replies.find_error_reply`) or when the output cannot be parsed;
:class:`~nornir_catlic.errors.SessionLostError` when the SSH session drops mid-command (the session is then
forgotten, so the next command opens a fresh one).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar, overload

from netmiko import BaseConnection
from nornir.core.exceptions import NornirSubTaskError
from nornir.core.task import Result, Task
from pydantic import BaseModel

from nornir_catlic import interrupts
from nornir_catlic.errors import CatlicError, DeviceCommandError, ParseError
from nornir_catlic.parsing import parse
from nornir_catlic.transport.dialogue import reply_text
from nornir_catlic.transport.options import CONNECTION_NAME
from nornir_catlic.transport.replies import DEFAULT_CONFIRM_ANSWERS, RELOAD_ANSWERS, find_error_reply
from nornir_catlic.transport.session import (
    CONFIG_TIMEOUT,
    EXEC_TIMEOUT,
    RELOAD_TIMEOUT,
    SHOW_TIMEOUT,
    connection,
    entering_configuration,
    forget_connection,
    left_configuration,
    talk,
    wait_until_reachable,
)

ModelT = TypeVar("ModelT", bound=BaseModel)


# --- raw command primitives (no sub-task) -------------------------------------------------------------


def send(task: Task, command: str, *, read_timeout: float = SHOW_TIMEOUT) -> str:
    """Run one EXEC command with no questions; the reply, or DeviceCommandError with the device's words."""
    return _type_line(task, connection(task), command, read_timeout)


def _type_line(task: Task, conn: BaseConnection, line: str, timeout: float) -> str:
    """Type one line that asks nothing; its checked reply."""
    raw = talk(task, conn, line, answers={}, timeout=timeout)
    return _checked(task, line, reply_text(conn, line, raw))


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
    raw = talk(
        task, conn, command, answers=answers, timeout=read_timeout, expect_disconnect=expect_disconnect
    )
    output = _checked(task, command, reply_text(conn, command, raw))
    if expect_disconnect:
        forget_connection(task)
    return Result(host=task.host, result=output, changed=True)


def _config_step(task: Task, lines: Sequence[str], read_timeout: float) -> Result:
    conn = connection(task)
    transcript: list[str] = []
    entering_configuration(conn)
    _type_line(task, conn, "configure terminal", read_timeout)
    try:
        for line in lines:
            transcript.append(line)
            reply = reply_text(conn, line, talk(task, conn, line, answers={}, timeout=read_timeout))
            if reply:
                transcript.append(reply)
            _checked(task, line, reply)
    finally:
        if CONNECTION_NAME in task.host.connections:  # still connected: leave configuration mode
            talk(task, conn, "end", answers={}, timeout=read_timeout)
            left_configuration(conn)
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
    run_exec(task, "reload", confirm_answers=RELOAD_ANSWERS, expect_disconnect=True)
    wait_until_reachable(task, timeout=timeout, poll_interval=poll_interval)
    return time.monotonic() - started
