"""The examples run as written against the examples' lab (started once for the module)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from catlic_process import catlic_lab, clean_environment, run_catlic

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("examples")
    state_dir = work / "lab-state"  # the examples' default: ./lab-state beside where they run
    with catlic_lab(work, "--topology", str(EXAMPLES / "lab-topology.yaml"), state_dir=state_dir):
        yield work


def run_script(work: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / "scripts" / name), *args],
        capture_output=True,
        text=True,
        cwd=work,
        env=clean_environment(),
        timeout=180,
    )


# The runbooks first, on the fresh lab, so that each one really acts (the scripts are idempotent after).
RUNBOOKS = ["weekly-audit", "airgapped-rollout", "stack-expansion", "decommission"]


@pytest.mark.parametrize("book", RUNBOOKS)
def test_each_runbook_runs_to_the_end(lab: Path, book: str) -> None:
    done = run_catlic("run", str(EXAMPLES / "runbooks" / f"{book}.yaml"), "--json", cwd=lab)

    assert done.returncode == 0, done.stderr
    assert '"schema": "catlic/run/v1"' in done.stdout
    assert '"failed": 0' in done.stdout


def test_after_the_runbooks_the_stack_has_three_members_each_with_a_slac(lab: Path) -> None:
    done = run_catlic("state", "--filter", "c9300x-stack", "--json", cwd=lab)

    assert done.returncode == 0, done.stderr
    members = json.loads(done.stdout)["hosts"]["c9300x-stack"]["result"]["members"]
    assert list(members) == ["FOC2519L8R7", "FOC2524L39P", "FOC2516LC92"]
    assert {member["slac_status"] for member in members.values()} == {"SMART AUTHORIZATION INSTALLED"}


# In the order a reader would try them; each is idempotent, so any order passes.
SCRIPTS = [
    ("license_state.py", (), "FOC2519L8R7"),
    ("audit.py", (), "4/4 audited"),
    ("check_hseck9.py", (), "c9200: NOT ready"),
    ("boot_level.py", (), "license boot level network-advantage addon dna-advantage"),
    ("install_slac_online.py", (), "PID:C9300X-24HX,SN:FOC2633X0AA confirmation code"),
    ("install_slac_airgapped.py", ("--lab-ssm",), "PID:C9300X-48HXN,SN:FOC2524L39P: confirmation code"),
    ("add_stack_member.py", (), "PID:C9300X-48HX,SN:FOC2516LC92 joined: True"),
    ("return_slac.py", (), "PID:C9300X-24HX,SN:FOC2633X0AA: return code"),
    ("report_usage.py", (), "next ACK deadline"),
    ("export_udis_for_ssm.py", (), "Serial Number,PID"),
]


@pytest.mark.parametrize(("script", "args", "expected"), SCRIPTS, ids=[script for script, _, _ in SCRIPTS])
def test_each_nornir_script_runs_against_the_lab(
    lab: Path, script: str, args: tuple[str, ...], expected: str
) -> None:
    done = run_script(lab, script, *args)

    assert done.returncode == 0, done.stdout + done.stderr
    assert expected in done.stdout
    assert "Traceback" not in done.stderr
