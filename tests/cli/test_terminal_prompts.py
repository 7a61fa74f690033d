"""Credentials asked on the terminal: once for every host lacking them, never echoed, never printed."""

from __future__ import annotations

import fcntl
import os
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

from catlic_process import clean_environment

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
