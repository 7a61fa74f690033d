"""``--portal``: a folder that cannot be written stops the command before any switch is touched (exit 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from catlic_process import run_catlic


@pytest.mark.parametrize(
    "command", [["slac", "install", "--offline"], ["slac", "return", "--offline"], ["stack", "add", "FOC1"]]
)
def test_an_unwritable_portal_exits_3_naming_the_folder(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    portal = tmp_path / "a-file" / "portal"
    extra = ["--offline"] if command[0] == "stack" else []
    done = run_catlic(*command, *extra, "--portal", str(portal), cwd=tmp_path, in_process=True)
    assert done.returncode == 3, done.stdout + done.stderr
    assert f"--portal: the portal folder {portal} is not writable" in done.stderr
    assert "Traceback" not in done.stderr
