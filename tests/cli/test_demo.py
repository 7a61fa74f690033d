"""``catlic demo`` end to end as a process: it starts its own lab, tells the story, stops the lab, exits 0."""

from __future__ import annotations

import os
from pathlib import Path

from catlic_process import run_catlic


def test_the_demo_installs_air_gapped_adds_a_member_returns_a_slac_exits_0_and_cleans_up(
    tmp_path: Path,
) -> None:
    temporary = tmp_path / "tmp"  # the demo's own temporary folder goes here, and must be gone at the end
    temporary.mkdir()
    done = run_catlic("demo", cwd=tmp_path, env={"TMPDIR": str(temporary)}, timeout=300)

    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    steps = [
        "1. Audit the fleet",
        "2. Request SLACs",
        "3. Run the install again",
        "4. Add the spare switch",
        "5. Return the active switch's SLAC offline",
        "6. The stack now",
        "What happened",
    ]
    assert [out.index(step) for step in steps] == sorted(out.index(step) for step in steps)
    assert "installed PID:C9300X-24HX,SN:FOC2519L8R7" in out
    assert "joined PID:C9300X-48HX,SN:FOC2516LC92" in out
    assert "returned PID:C9300X-24HX,SN:FOC2519L8R7" in out
    assert "lab stopped" in out
    assert "failed=0" in out and "failed=1" not in out
    [removed] = [line for line in out.splitlines() if line.startswith("Removed the demo's folder")]
    assert f"{temporary}{os.sep}catlic-demo-" in removed
    assert list(temporary.iterdir()) == [], "the demo leaves no temporary folder behind"
