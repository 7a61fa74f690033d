from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from catlic_process import CatlicRunner, run_catlic


def _runner(default_cwd: Path, *, in_process: bool) -> CatlicRunner:
    def run(
        *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return run_catlic(*args, cwd=cwd or default_cwd, env=env, timeout=timeout, in_process=in_process)

    return run


@pytest.fixture
def catlic(tmp_path: Path) -> CatlicRunner:
    """``catlic(*args, env=..., cwd=...)``: run the command with no terminal, in ``tmp_path`` by default.

    In the test process (``run_catlic(in_process=True)``): the command's own code, without a process start-up.
    """
    return _runner(tmp_path, in_process=True)


@pytest.fixture
def catlic_process(tmp_path: Path) -> CatlicRunner:
    """As ``catlic``, in a real ``python -m nornir_catlic.cli`` process: for what the process itself does."""
    return _runner(tmp_path, in_process=False)
