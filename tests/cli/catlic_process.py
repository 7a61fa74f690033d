"""Run ``catlic`` as a real process, the way a user or a script does, or in the test process (``in_process``)
where the test is about what a command does and not about the process that runs it."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

TESTS_CLI = Path(__file__).resolve().parent


class CatlicRunner(Protocol):
    def __call__(
        self, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]: ...


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The caller's environment without CATLIC_* settings (but the suite's CATLIC_HOME), the sample tasks
    importable, wide output."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CATLIC_") or key == "CATLIC_HOME"
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS_CLI), env.get("PYTHONPATH")]))
    env["COLUMNS"] = "200"
    env.update(extra or {})
    return env


def run_catlic(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120, in_process: bool = False
) -> subprocess.CompletedProcess[str]:
    """``catlic ARGS`` in ``cwd`` with the clean environment (plus ``env``), stdin empty, output captured.

    ``in_process`` runs the same entry point (:func:`nornir_catlic.cli.app.run`: argument parsing, errors,
    exit code) inside the test process, sparing the ~1 s of interpreter start-up and imports that each
    ``python -m nornir_catlic.cli`` pays; the ``timeout`` is then pytest-timeout's. Signals, terminals and
    what the process inherits are tested with real processes.
    """
    if in_process:
        return run_catlic_in_process(*args, cwd=cwd, env=env)
    return subprocess.run(
        [sys.executable, "-m", "nornir_catlic.cli", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=clean_environment(env),
        cwd=cwd,
        timeout=timeout,
    )


def run_catlic_in_process(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``catlic ARGS`` run by its entry point in this process, isolated as a child process would be: the clean
    environment (plus ``env``) and ``cwd`` for the run's duration, an empty stdin, stdout and stderr captured,
    no stop request left over from an earlier run (a new process starts without one)."""
    from nornir_catlic import interrupts
    from nornir_catlic.cli.app import run

    saved_environ, saved_cwd = dict(os.environ), os.getcwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    root_handlers = list(logging.getLogger().handlers)
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    environ = clean_environment(env)
    try:
        os.environ.clear()
        os.environ.update(environ)
        os.chdir(cwd)
        sys.stdin = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        sys.stdout, sys.stderr = stdout, stderr
        interrupts.reset()
        try:
            code = run(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        stdout.flush()
        stderr.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_environ)
        logging.getLogger().handlers[:] = root_handlers
    return subprocess.CompletedProcess(
        ["catlic", *args], code, _as_text_mode_reads(out.getvalue()), _as_text_mode_reads(err.getvalue())
    )


def _as_text_mode_reads(data: bytes) -> str:
    """What ``subprocess.run(text=True)`` gives for a pipe's bytes (universal newlines)."""
    return data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


@contextmanager
def catlic_lab(
    work: Path,
    *up_options: str,
    state_dir: Path | None = None,
    timeout: float = 120,
    in_process: bool = False,
) -> Iterator[subprocess.CompletedProcess[str]]:
    """``catlic lab up`` from ``work`` (state in ``state_dir``, else ./lab-state), ``lab down`` on exit.

    Yields the ``lab up`` process, whose output the tests read. The lab itself always runs in a process of
    its own; ``in_process`` only says how ``catlic lab up`` and ``lab down`` run (see :func:`run_catlic`).
    """
    location = ["--state-dir", str(state_dir)] if state_dir is not None else []
    up = run_catlic("lab", "up", *up_options, *location, cwd=work, timeout=timeout, in_process=in_process)
    assert up.returncode == 0, up.stderr
    try:
        yield up
    finally:
        run_catlic("lab", "down", *location, cwd=work, in_process=in_process)


def start_catlic(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start ``catlic`` in the background (stdout and stderr piped), for tests that signal it mid-run."""
    return subprocess.Popen(
        [sys.executable, "-m", "nornir_catlic.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=clean_environment(env),
        cwd=cwd,
    )


def json_of(process: subprocess.CompletedProcess[str]) -> Any:
    """The JSON document on stdout; fails the test with stderr shown if stdout is not JSON."""
    try:
        return json.loads(process.stdout)
    except json.JSONDecodeError as error:
        raise AssertionError(
            f"stdout is not JSON ({error}):\n{process.stdout}\nstderr:\n{process.stderr}"
        ) from None


def run_catlic_on_terminal(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run ``catlic`` with stderr on a pseudo-terminal, stdout a pipe; the process and the terminal's text."""
    main_end, terminal_end = os.openpty()
    received: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(main_end, 65536)
            except OSError:  # the terminal closed: the process is gone
                return
            if not data:
                return
            received.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "nornir_catlic.cli", *args],
            stdout=subprocess.PIPE,
            stderr=terminal_end,
            stdin=subprocess.DEVNULL,
            text=True,
            env=clean_environment({"TERM": "xterm-256color", **(env or {})}),
            cwd=cwd,
            timeout=timeout,
        )
    finally:
        os.close(terminal_end)
        reader.join(timeout=10)
        os.close(main_end)
    text = b"".join(received).decode("utf-8", "replace")
    return process, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
