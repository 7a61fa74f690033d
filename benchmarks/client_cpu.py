"""Where a Nornir run's client CPU goes: thread CPU clocks around its phases, and cProfile by package.

:class:`PhaseClock` charges each worker thread's CPU (``time.thread_time``) to the innermost phase it is in:

- **session set-up and close (worker)**: nornir_netmiko's ``open`` (TCP, SSH handshake, login, netmiko's
  session preparation) and ``close``, our privileged-mode check (``enable``) and ``close_session``, in the
  worker thread;
- **session set-up (SSH transport thread)**: the paramiko transport thread's CPU until the session is ready
  for the first command (key exchange, authentication, the set-up's replies: paramiko runs them in its own
  thread);
- **reads (worker)**: a catlic task's own code outside the phases below: typing a command, reading up to the
  prompt, cleaning the reply, netmiko's channel calls;
- **reads (SSH transport thread)**: the paramiko transport thread after the session is open (packets,
  ciphers, MACs, window adjusts);
- **parsing**: ``nornir_catlic.parsing.parse`` (cleaning, templates, the typed models it returns);
- **state assembly**: ``zone_names``, ``with_zone_offsets`` and ``build_license_state`` (the dates' zones
  and the LicenseState);
- **Nornir tasks**: ``Task.start`` outside the task function (results, processors, sub-task bookkeeping);
- **Nornir inventory**: SimpleInventory's ``load`` in ``InitNornir`` (reading the hosts' YAML);
- **rest**: the process's CPU outside all of these (the runner's main thread, thread pool, start-up of
  worker threads, the garbage collector when it runs in a thread not measured).

The hooks wrap public entry points (nornir_netmiko's connection plugin, ``Task.start``, paramiko's
``Transport.run``, the library's ``parse`` and ``build_license_state``) and cost a few clock reads per
command. :class:`PackageProfile` runs cProfile (timed by thread CPU) in every thread and sums self time by
package, a builtin's or standard library function's time going to the package that called it; it slows the
run about twofold, so its shares are indicative and the timed runs never use it.
"""

from __future__ import annotations

import cProfile
import functools
import pstats
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import paramiko
from nornir.core.task import Task
from nornir.plugins.inventory.simple import SimpleInventory
from nornir_netmiko.connections import Netmiko

import nornir_catlic.models.clock as clock_models
import nornir_catlic.models.state as state_models
import nornir_catlic.parsing as parsing
import nornir_catlic.transport.session as session

SETUP, HANDSHAKE, READS, TRANSPORT, PARSING, ASSEMBLY, NORNIR, INVENTORY, REST = (
    "session set-up and close (worker)",
    "session set-up (SSH transport thread)",
    "reads (worker)",
    "reads (SSH transport thread)",
    "parsing",
    "state assembly",
    "Nornir tasks",
    "Nornir inventory",
    "rest",
)
PHASES = (SETUP, HANDSHAKE, READS, TRANSPORT, PARSING, ASSEMBLY, NORNIR, INVENTORY, REST)


def _thread_cpu(thread: threading.Thread) -> float:
    """Another thread's CPU seconds so far (0 when it is gone)."""
    try:
        return time.clock_gettime(time.pthread_getcpuclockid(thread.ident or 0))
    except (OSError, ProcessLookupError):
        return 0.0


class PhaseClock:
    """Thread CPU per phase while installed (``with PhaseClock() as clock: ...; clock.seconds``)."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._local = threading.local()
        self._undo: list[Callable[[], None]] = []
        self._transport_setup: dict[int, float] = {}
        self._transports: list[threading.Thread] = []
        self._started = 0.0

    # --- exclusive charging ----------------------------------------------------------------------------

    def _stack(self) -> list[list[Any]]:
        stack: list[list[Any]] | None = getattr(self._local, "stack", None)
        if stack is None:
            stack = self._local.stack = []
        return stack

    def _charge(self, phase: str, seconds: float) -> None:
        with self._lock:
            self.seconds[phase] += seconds

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        stack = self._stack()
        now = time.thread_time()
        if stack:
            self._charge(stack[-1][0], now - stack[-1][1])
        stack.append([name, now])
        try:
            yield
        finally:
            now = time.thread_time()
            self._charge(name, now - stack.pop()[1])
            if stack:
                stack[-1][1] = now

    def _timed(self, function: Callable[..., Any], name: str) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.phase(name):
                return function(*args, **kwargs)

        return timed

    # --- hooks -------------------------------------------------------------------------------------------

    def _patch(self, owner: Any, attribute: str, replacement: Any) -> None:
        original = getattr(owner, attribute)
        setattr(owner, attribute, replacement)
        self._undo.append(lambda: setattr(owner, attribute, original))

    def _rebind_everywhere(
        self, original: Callable[..., Any], name: str, timed: Callable[..., Any] | None = None
    ) -> None:
        """Replace ``original`` wherever a module of the library imported it by name (by ``timed``, or by
        ``original`` timed as phase ``name``)."""
        timed = timed or self._timed(original, name)
        for module_name, module in list(sys.modules.items()):
            if module_name.split(".")[0] != "nornir_catlic" or module is None:
                continue
            for attribute, value in list(vars(module).items()):
                if value is original:
                    self._patch(module, attribute, timed)

    def __enter__(self) -> PhaseClock:
        clock = self
        original_open = Netmiko.open
        original_close = Netmiko.close
        original_start = Task.start
        original_run = paramiko.Transport.run

        def open_session(plugin: Netmiko, *args: Any, **kwargs: Any) -> None:
            with clock.phase(SETUP):
                original_open(plugin, *args, **kwargs)

        original_connection = session.connection

        def ready_session(task: Task) -> Any:
            """The transport's ``connection``, as set-up; the first time a session comes out of it (opened,
            terminal set, privileged) its SSH transport thread's CPU so far is the handshake's."""
            with clock.phase(SETUP):
                conn = original_connection(task)
            channel = conn.remote_conn
            transport = channel.get_transport() if channel is not None else None
            if transport is not None:
                with clock._lock:
                    clock._transport_setup.setdefault(id(transport), _thread_cpu(transport))
            return conn

        def close_session(plugin: Netmiko) -> None:
            with clock.phase(SETUP):
                original_close(plugin)

        def start(task: Task, host: Any) -> Any:
            function = task.task
            task.task = clock._timed(function, READS)
            try:
                with clock.phase(NORNIR):
                    return original_start(task, host)
            finally:
                task.task = function

        def run_transport(transport: paramiko.Transport) -> None:
            with clock._lock:
                clock._transports.append(transport)
            try:
                original_run(transport)
            finally:
                total = time.thread_time()
                with clock._lock:
                    setup = clock._transport_setup.pop(id(transport), 0.0)
                    clock.seconds[HANDSHAKE] += min(setup, total)
                    clock.seconds[TRANSPORT] += max(total - setup, 0.0)

        self._patch(Netmiko, "open", open_session)
        self._patch(Netmiko, "close", close_session)
        self._patch(Task, "start", start)
        self._patch(SimpleInventory, "load", self._timed(SimpleInventory.load, INVENTORY))
        self._patch(paramiko.Transport, "run", run_transport)
        self._rebind_everywhere(parsing.parse, PARSING)
        self._rebind_everywhere(state_models.build_license_state, ASSEMBLY)
        self._rebind_everywhere(clock_models.with_zone_offsets, ASSEMBLY)
        self._rebind_everywhere(clock_models.zone_names, ASSEMBLY)
        # The transport's session set-up (connect with auto_connect off, terminal settings, enable) is set-up,
        # and so is its close at the end of a fleet run's task (closing the channel before netmiko's close).
        self._rebind_everywhere(session.connection, SETUP, ready_session)
        self._rebind_everywhere(session.close_session, SETUP)
        self._started = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        # A closed session's transport thread winds down on its own: wait for it, so its CPU is in the
        # total and charged before the rest is worked out.
        for transport in self._transports:
            transport.join(timeout=10.0)
        total = time.process_time() - self._started
        while self._undo:
            self._undo.pop()()
        measured = sum(seconds for phase, seconds in self.seconds.items() if phase != REST)
        self.seconds[REST] = max(total - measured, 0.0)

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


# --- cProfile by package ---------------------------------------------------------------------------------

_GROUPS = (
    ("paramiko", "SSH: paramiko"),
    ("cryptography", "SSH: cryptography"),
    ("nacl", "SSH: cryptography"),
    ("bcrypt", "SSH: cryptography"),
    ("netmiko", "netmiko"),
    ("nornir_netmiko", "Nornir"),
    ("nornir", "Nornir"),
    ("nornir_catlic/parsers", "catlic parsers"),
    ("nornir_catlic/parsing", "catlic parsers"),
    ("textfsm", "catlic parsers"),
    ("nornir_catlic/models", "catlic models"),
    ("pydantic", "pydantic"),
    ("nornir_catlic", "catlic tasks and rules"),
)


def _group(filename: str) -> str | None:
    """The package group of a function's file; None for builtins and the standard library."""
    if filename.startswith("~") or filename.startswith("<"):
        return None
    path = filename.replace("\\", "/")
    for marker, group in _GROUPS:
        if f"/{marker}/" in path or f"/{marker}.py" in path:
            return group
    return None if "/lib/python3" in path else "other"


class PackageProfile:
    """cProfile (thread CPU) in every thread started inside the block and in the calling thread."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []
        self._lock = threading.Lock()

    def _new(self) -> cProfile.Profile:
        profile = cProfile.Profile(time.thread_time)
        with self._lock:
            self.profiles.append(profile)
        return profile

    def _thread_hook(self, *_: Any) -> None:
        self._new().enable()  # replaces this hook for the rest of the thread

    def __enter__(self) -> PackageProfile:
        threading.setprofile(self._thread_hook)
        self._main = self._new()
        self._main.enable()
        return self

    def __exit__(self, *exc: object) -> None:
        self._main.disable()
        threading.setprofile(None)  # type: ignore[arg-type]

    def by_group(self) -> Counter[str]:
        """Self CPU seconds per package group, builtins and stdlib charged to their calling package."""
        merged = pstats.Stats(self._main)
        for profile in self.profiles[1:]:
            try:
                merged.add(profile)
            except TypeError:  # a profile that never recorded a call
                continue
        stats: dict[Any, Any] = merged.stats  # type: ignore[attr-defined]
        owners: dict[Any, dict[str, float]] = {}

        def owner(key: Any, depth: int = 0) -> dict[str, float]:
            if key in owners:
                return owners[key]
            group = _group(key[0])
            if group is not None:
                return {group: 1.0}
            callers = stats.get(key, (0, 0, 0, 0, {}))[4]
            weights = {caller: max(timing[3], 1e-9) for caller, timing in callers.items()}
            if not weights or depth > 40:
                return {"threads and stdlib (no package caller)": 1.0}
            owners[key] = {"threads and stdlib (no package caller)": 1.0}  # cycle guard
            share: Counter[str] = Counter()
            scale = sum(weights.values())
            for caller, weight in weights.items():
                for group_name, part in owner(caller, depth + 1).items():
                    share[group_name] += part * weight / scale
            owners[key] = dict(share)
            return owners[key]

        totals: Counter[str] = Counter()
        for key, (_, _, self_time, _, _) in stats.items():
            for group_name, part in owner(key).items():
                totals[group_name] += self_time * part
        return totals
