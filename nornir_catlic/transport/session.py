"""The host's netmiko session: opened once through nornir_netmiko, made privileged, reused, forgotten.

netmiko's own exceptions are told apart by type: a connection attempt that timed out or whose handshake
was cut short is tried once more (nothing was sent yet); a refused login never is (lockout policies).
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from netmiko import BaseConnection
from netmiko.exceptions import NetmikoAuthenticationException
from nornir.core.task import Result, Task
from paramiko.ssh_exception import SSHException

from nornir_catlic import interrupts
from nornir_catlic.errors import CatlicError, DeviceCommandError, SessionLostError
from nornir_catlic.transport.dialogue import interact
from nornir_catlic.transport.options import CONNECTION_NAME
from nornir_catlic.transport.replies import find_error_reply, last_line

SHOW_TIMEOUT = 30.0
"""Seconds a show command (and ``enable``) may take to reach its prompt."""
EXEC_TIMEOUT = 120.0
"""Seconds an EXEC command that changes something (copy, license request, return...) may take."""
CONFIG_TIMEOUT = 30.0
RELOAD_TIMEOUT = 900.0
"""Seconds a reloading device may take to answer at its prompt again."""
CONNECT_ATTEMPTS = 2
CONNECT_RETRY_PAUSE = 0.5

TERMINAL_SETTINGS = ("terminal width 511", "terminal length 0")
"""What netmiko's session preparation types for ``cisco_xe``: no wrapping, no ``--More--`` pager."""
BASE_PROMPT_CHARS = 16
"""IOS shortens a long hostname in configuration mode's prompt: netmiko's ``cisco_xe`` base prompt keeps
this many characters of it."""

# Sessions set up and in privileged EXEC; weak, so an entry dies with its session.
_READY: weakref.WeakSet[BaseConnection] = weakref.WeakSet()
# Sessions where `configure terminal` was typed and no `end` has answered yet.
_CONFIGURING: weakref.WeakSet[BaseConnection] = weakref.WeakSet()
_READY_LOCK = threading.Lock()


def connection(task: Task) -> BaseConnection:
    """The host's netmiko session in privileged EXEC mode, opened on first use and then reused.

    With ``auto_connect: False`` in the inventory's extras (an opt-in: see :func:`~.options.netmiko_extras`),
    nornir_netmiko only builds the netmiko object and the session is set up here: netmiko's
    ``establish_connection``, then the terminal settings typed and read like any command, the prompt that
    ends the first one giving netmiko its base prompt and telling whether ``enable`` is needed. Two round
    trips instead of netmiko's session preparation (four, with fixed sleeps) and ``enable``.

    Raises:
        SessionLostError: the session cannot be opened (``command`` is ``"connect"``).
        DeviceCommandError: the login lands in user EXEC and ``enable`` is refused or impossible.
    """
    conn = _open(task)
    with _READY_LOCK:
        ready = conn in _READY
    if not ready:
        try:
            prompt = _set_up_terminal(task, conn) if _set_up_here(task) else None
            _ensure_privileged(task, conn, prompt)
        except CatlicError:
            forget_connection(task)  # half set up: the next command starts afresh
            raise
        with _READY_LOCK:
            _READY.add(conn)
    return conn


def _open(task: Task) -> BaseConnection:
    host = task.host
    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        try:
            conn: BaseConnection = host.get_connection(CONNECTION_NAME, task.nornir.config)
            with _READY_LOCK:
                ready = conn in _READY
            if not ready and _set_up_here(task):
                conn.establish_connection()
            return conn
        except Exception as err:  # netmiko raises its own exception zoo; name the host and keep the cause
            forget_connection(task)
            if attempt == CONNECT_ATTEMPTS or not _worth_retrying(err):
                raise SessionLostError(
                    host.name, "connect", f"cannot open an SSH session: {_summary(err)}"
                ) from err
            time.sleep(CONNECT_RETRY_PAUSE)  # a busy device: give it a moment, there is no event to wait on
    raise AssertionError("unreachable")  # the last attempt returned or raised


def _set_up_here(task: Task) -> bool:
    """Whether the inventory asked netmiko not to connect when nornir_netmiko builds the session."""
    extras = task.host.get_connection_parameters(CONNECTION_NAME).extras or {}
    return extras.get("auto_connect", True) is False


def _set_up_terminal(task: Task, conn: BaseConnection) -> str:
    """Type the terminal settings on a fresh session; returns the prompt the device shows after them.

    netmiko's base prompt is still empty for the first line, so its reply ends at the first prompt-like line
    after the line's echo (IOS answers the terminal settings with nothing but the prompt); that prompt
    becomes the base prompt, kept as netmiko's ``cisco_xe`` ``set_base_prompt`` keeps it.
    """
    prompt = ""
    for line in TERMINAL_SETTINGS:
        prompt = _checked_line(task, conn, line)
        if not conn.base_prompt:
            conn.base_prompt = prompt[:-1][:BASE_PROMPT_CHARS] or prompt
    return prompt


def _checked_line(task: Task, conn: BaseConnection, line: str) -> str:
    """Type ``line``; the prompt its reply ends at, or DeviceCommandError with the device's refusal."""
    raw = talk(task, conn, line, answers={}, timeout=SHOW_TIMEOUT)
    refusal = find_error_reply(conn.normalize_linefeeds(raw))
    if refusal is not None:
        raise DeviceCommandError(task.host.name, line, refusal)
    return last_line(raw).strip()


def _worth_retrying(err: BaseException) -> bool:
    """A timeout or a handshake cut short (``NetmikoTimeoutException`` is an ``SSHException``); never a
    refused login, whatever its cause: paramiko gives an authentication timeout no type of its own."""
    if isinstance(err, NetmikoAuthenticationException):
        return False
    return isinstance(err, (SSHException, OSError, EOFError))


def _summary(err: BaseException) -> str:
    """netmiko's several-paragraph messages as one line: what failed, and the underlying cause."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    if not lines:
        return type(err).__name__
    return lines[0] if len(lines) == 1 else f"{lines[0]} ({lines[-1]})"


def _ensure_privileged(task: Task, conn: BaseConnection, prompt: str | None) -> None:
    """Make sure the session is in privileged EXEC; ``prompt`` is the one the device shows, when known."""
    if prompt is not None and prompt.endswith("#"):
        return  # privileged already: nothing to type
    if not conn.secret:  # nothing to enable with: just make sure the login is privileged
        if not (prompt or _current_prompt(task, conn)).endswith("#"):
            raise DeviceCommandError(
                task.host.name,
                "enable",
                "the login lands in user EXEC and the inventory gives no enable secret",
            )
        return
    # `enable` at privilege 15 just prints the prompt again, so it is sent without looking first (one round
    # trip saved per session; netmiko's enable() looks before and after). IOS asks `Password:` up to three
    # times, then answers `% Bad secrets`; the secret is typed, never echoed.
    output = talk(task, conn, "enable", answers={"assword": conn.secret}, timeout=SHOW_TIMEOUT)
    if not last_line(output).strip().endswith("#"):  # the transcript ends at the prompt enable left
        refusal = find_error_reply(conn.normalize_linefeeds(output)) or "enable refused"
        raise DeviceCommandError(task.host.name, "enable", refusal)


def _current_prompt(task: Task, conn: BaseConnection) -> str:
    """The prompt the device shows after an empty line."""
    return last_line(talk(task, conn, "", answers={}, timeout=SHOW_TIMEOUT)).strip()


def talk(task: Task, conn: BaseConnection, command: str, **options: Any) -> str:
    """:func:`~nornir_catlic.transport.dialogue.interact` (same ``options``) on the host's session; a
    failure mid-reply forgets the session, so the next command opens a fresh one."""
    try:
        return interact(conn, task.host.name, command, **options)
    except CatlicError:
        forget_connection(task)
        raise


def forget_connection(task: Task) -> None:
    """Close and drop the host's session (after a reload or a drop); the next command reconnects."""
    if CONNECTION_NAME in task.host.connections:
        try:
            task.host.close_connection(CONNECTION_NAME)
        except Exception:  # the transport is already gone; nothing left to close cleanly
            task.host.connections.pop(CONNECTION_NAME, None)


def entering_configuration(conn: BaseConnection) -> None:
    """Note that configuration mode may be open on ``conn`` (until :func:`left_configuration`)."""
    with _READY_LOCK:
        _CONFIGURING.add(conn)


def left_configuration(conn: BaseConnection) -> None:
    """Note that the device answered ``end`` on ``conn``: back in privileged EXEC."""
    with _READY_LOCK:
        _CONFIGURING.discard(conn)


def close_session(task: Task) -> None:
    """Close the host's session when its work is done.

    netmiko's ``disconnect`` first asks the device whether configuration mode is open (a round trip) and
    types ``exit``: about 0.9 ms of client CPU a session, a tenth of a switch's state. Where this module
    knows no configuration mode is open, the SSH channel and transport are closed first (netmiko's
    ``paramiko_cleanup``, which IOS takes as the end of the vty session), so ``disconnect`` finds nothing to
    talk to and only releases the rest (its log filter, the session log). Otherwise:
    :func:`forget_connection`.
    """
    plugin = task.host.connections.get(CONNECTION_NAME)
    conn = getattr(plugin, "connection", None)
    if isinstance(conn, BaseConnection):
        with _READY_LOCK:
            configuring = conn in _CONFIGURING
        if not configuring:
            # already gone: disconnect below still releases netmiko's side
            with contextlib.suppress(Exception):
                conn.paramiko_cleanup()
    forget_connection(task)


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
            close_session(task)

    return run_then_close


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
