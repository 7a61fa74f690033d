"""Stopping a fleet run cleanly: once asked, no host starts and no device command is sent any more.

A command already sent finishes, and the workflow journals its outcome (codes, files) before it stops. The
process-wide stop request is set by :func:`request_stop` (the ``catlic`` CLI does it on SIGINT or SIGTERM; a
Python caller may call it from its own handler). Every device command goes through :func:`check` first
(:func:`nornir_catlic.transport.run_subtask`), which raises :class:`~nornir_catlic.errors.Interrupted`
naming the command not sent. A workflow marks with :func:`in_flight` a sequence that is one step for the
switch and SSM (a SLAC request and the reads that journal its codes): no check stops it half-way.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType

from nornir_catlic.errors import Interrupted

EXIT_INTERRUPTED = 130

_stop = threading.Event()
_running = threading.Event()
_local = threading.local()
_working: dict[str, int] = {}
_working_guard = threading.Lock()


def request_stop() -> None:
    """Ask every host of every run in this process to stop before its next device command."""
    _stop.set()


def stop_requested() -> bool:
    return _stop.is_set()


def reset() -> None:
    """Forget a stop request (a long-lived process starting a new run after an interrupted one)."""
    _stop.clear()


def mark_running() -> None:
    """Hosts are about to be worked on: from now on a signal asks for a clean stop (see
    :func:`stop_on_signals` ``until_running``)."""
    _running.set()


def _depth() -> int:
    depth: int = getattr(_local, "in_flight", 0)
    return depth


@contextmanager
def in_flight() -> Iterator[None]:
    """Commands inside run to the end even after a stop request: they finish one step already started."""
    _local.in_flight = _depth() + 1
    try:
        yield
    finally:
        _local.in_flight = _depth() - 1


@contextmanager
def one_step(host: str, step: str) -> Iterator[None]:
    """Start ``step`` unless a stop was requested (:func:`check`); then run it to its end (in flight)."""
    check(host, step)
    with in_flight():
        yield


def check(host: str, step: str) -> None:
    """Raise :class:`Interrupted` when a stop was requested, unless a step is in flight on this thread."""
    if _stop.is_set() and _depth() == 0:
        raise Interrupted(host, step)


@contextmanager
def host_working(host: str) -> Iterator[None]:
    """The top of one host's work: refused once a stop was requested (the host is then 'not started').

    Nested on one thread (a workflow inside a workflow), it checks nothing more: the host has started.
    """
    mine: set[str] = getattr(_local, "hosts", None) or set()
    _local.hosts = mine
    if host in mine:
        yield
        return
    if _stop.is_set():
        raise Interrupted(host, None)
    mine.add(host)
    with _working_guard:
        _working[host] = _working.get(host, 0) + 1
    try:
        yield
    finally:
        mine.discard(host)
        with _working_guard:
            _working[host] -= 1
            if not _working[host]:
                del _working[host]


def hosts_working() -> int:
    """How many hosts are at work in this process now."""
    with _working_guard:
        return len(_working)


@contextmanager
def stop_on_signals(
    notify: Callable[[str], None] | None = None, *, until_running: bool = False
) -> Iterator[None]:
    """SIGINT and SIGTERM ask the run to stop (:func:`request_stop`) instead of raising KeyboardInterrupt.

    The first signal stops starting hosts and commands, and says so through ``notify``; the process goes on
    until the commands in flight finish and the caller reports. A second signal ends the process at once
    (exit 130) after flushing the standard streams: every journal line is already on disk. Handlers are
    installed only from the main thread, and restored on exit.

    Args:
        until_running: before :func:`mark_running`, a signal raises KeyboardInterrupt as usual: nothing
            runs yet that a stop would have to wait for (an inventory loading, a password prompt).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    say = notify or _write_stderr

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if until_running and not _running.is_set():
            raise KeyboardInterrupt
        if _stop.is_set():
            _exit_now(say)
        request_stop()
        working = hosts_working()
        say(
            f"catlic: {signal.Signals(signum).name}: finishing the device commands in flight on {working} "
            f"host{'s' if working != 1 else ''}, starting nothing new; press Ctrl-C again to stop at once"
        )

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _exit_now(say: Callable[[str], None]) -> None:
    if os.isatty(2):
        _write_stderr("\x1b[?25h")  # a progress bar hid the cursor; nobody is left to show it again
    say("catlic: stopped at once; the journal holds every step written so far")
    for stream in (sys.stdout, sys.stderr):
        # a stream busy in the interrupted frame refuses: what it holds is lost, the journal is not
        with suppress(Exception):
            stream.flush()
    os._exit(EXIT_INTERRUPTED)


def _write_stderr(message: str) -> None:
    # os.write: a signal handler must not take the locks of Python's buffered streams or rich's console.
    with suppress(OSError):
        os.write(2, (message + "\n").encode("utf-8", "replace"))
