"""Credentials asked on the terminal: once for every host lacking them, never echoed, never printed."""

from __future__ import annotations

import fcntl
import json
import os
import select
import socket
import subprocess
import sys
import termios
import time
from pathlib import Path

from catlic_process import clean_environment

from nornir_catlic.cli.errors import ExitCode

TYPED_PASSWORD = "typ3d-Passw0rd"
TYPED_SECRET = "typ3d-En4ble"


def _own_terminal() -> None:
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _read_until(fd: int, text: str, seen: list[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while text not in "".join(seen):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {text!r} on the terminal; saw {''.join(seen)!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                seen.append(os.read(fd, 4096).decode("utf-8", "replace"))
            except OSError:
                return


def test_missing_password_and_secret_are_asked_once_without_echo(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    (inventory / "hosts.yaml").write_text("sw1: {hostname: 127.0.0.1}\nsw2: {hostname: 127.0.0.1}\n")
    (inventory / "defaults.yaml").write_text("platform: cisco_xe\n")
    main_end, terminal = os.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "nornir_catlic.cli",
            "task",
            "cli_sample_tasks:greet",
            "-i",
            str(inventory),
            "--json",
            "--no-progress",
        ],
        stdin=terminal,
        stderr=terminal,
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=clean_environment({"CATLIC_USERNAME": "admin", "TERM": "xterm"}),
        preexec_fn=_own_terminal,
    )
    os.close(terminal)
    seen: list[str] = []
    try:
        # click writes the prompt, then getpass turns echo off and writes " ": type only after that space.
        _read_until(main_end, "Password for sw1, sw2: ", seen)
        os.write(main_end, f"{TYPED_PASSWORD}\n".encode())
        _read_until(main_end, "Enable secret for sw1, sw2: ", seen)
        os.write(main_end, f"{TYPED_SECRET}\n".encode())
        out, _ = process.communicate(timeout=60)
        _read_until(main_end, "\n", seen, timeout=1)
    finally:
        process.kill()
        os.close(main_end)

    assert process.returncode == 0, "".join(seen)
    assert '"ok": true' in out
    terminal_text = "".join(seen)
    assert TYPED_PASSWORD not in terminal_text and TYPED_SECRET not in terminal_text
    assert TYPED_PASSWORD not in out and TYPED_SECRET not in out
    assert terminal_text.count("Password for") == 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_stack_add_with_a_standalone_asks_each_credential_once_for_both_switches(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    port = _closed_port()  # nothing listens: the run fails fast once the credentials are in
    (inventory / "hosts.yaml").write_text(
        f"stack1: {{hostname: 127.0.0.1, port: {port}}}\nsw-alone: {{hostname: 127.0.0.1, port: {port}}}\n"
    )
    (inventory / "defaults.yaml").write_text("platform: cisco_xe\n")
    main_end, terminal = os.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "nornir_catlic.cli",
            "stack",
            "add",
            "FOC2345X0AB",
            "--method",
            "standalone-first",
            "--standalone",
            "sw-alone",
            "-i",
            str(inventory),
            "--filter",
            "stack1",
            "--json",
            "--no-progress",
        ],
        stdin=terminal,
        stderr=terminal,
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=clean_environment({"TERM": "xterm"}),
        preexec_fn=_own_terminal,
    )
    os.close(terminal)
    seen: list[str] = []
    answers = {"Username for ": "admin", "Password for ": TYPED_PASSWORD, "Enable secret for ": TYPED_SECRET}
    try:
        _answer_prompts_until_exit(main_end, process, answers, seen)
        out, _ = process.communicate(timeout=60)
    finally:
        process.kill()
        os.close(main_end)

    terminal_text = "".join(seen)
    assert terminal_text.count("Username for") == 1, terminal_text
    assert terminal_text.count("Password for") == 1, terminal_text
    assert terminal_text.count("Enable secret for") == 1, terminal_text
    assert "Password for stack1, sw-alone: " in terminal_text
    assert TYPED_PASSWORD not in terminal_text and TYPED_SECRET not in terminal_text
    assert process.returncode == ExitCode.FAILED, terminal_text
    assert json.loads(out)["recap"]["failed_hosts"] == ["stack1"]


def _answer_prompts_until_exit(
    fd: int, process: subprocess.Popen[str], answers: dict[str, str], seen: list[str], timeout: float = 60
) -> None:
    """Answer every prompt that starts with a key of ``answers``, as often as it is asked, until the
    process ends. Answers go only after the prompt's ": ", which getpass writes once echo is off."""
    deadline = time.monotonic() + timeout
    unanswered = ""
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"the process did not end; saw {''.join(seen)!r}"
        ready, _, _ = select.select([fd], [], [], min(remaining, 0.2))
        if not ready:
            if process.poll() is not None:
                return
            continue
        try:
            text = os.read(fd, 4096).decode("utf-8", "replace")
        except OSError:  # the terminal closed: the process is gone
            return
        seen.append(text)
        unanswered += text
        label = next((label for label in answers if label in unanswered), None)
        if label is not None and unanswered.endswith(": "):
            os.write(fd, f"{answers[label]}\n".encode())
            unanswered = ""
