from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from catlic_process import CatlicRunner, run_catlic


@pytest.fixture
def catlic(tmp_path: Path) -> CatlicRunner:
    """``catlic(*args, env=..., cwd=...)``: run the command with no terminal, in ``tmp_path`` by default."""

    def run(
        *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return run_catlic(*args, cwd=cwd or tmp_path, env=env, timeout=timeout)

    return run
