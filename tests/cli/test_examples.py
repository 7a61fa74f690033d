"""The examples run as written against the examples' lab.

Each runbook runs on a lab of its own, fresh from the topology, so that it really acts whatever ran before.
The scripts share one lab: each is idempotent, as a reader may run them in any order and more than once; the
one that undoes another's work (the return) first runs the script it undoes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from catlic_process import catlic_lab, clean_environment, run_catlic

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def examples_lab(work: Path) -> Iterator[Path]:
    """``catlic lab up --topology examples/lab-topology.yaml`` run from ``work``: the folder to work in."""
    state_dir = work / "lab-state"  # the examples' default: ./lab-state beside where they run
    topology = str(EXAMPLES / "lab-topology.yaml")
    with catlic_lab(work, "--topology", topology, state_dir=state_dir, in_process=True):
        yield work


@pytest.fixture
def fresh_lab(tmp_path: Path) -> Iterator[Path]:
    yield from examples_lab(tmp_path)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from examples_lab(tmp_path_factory.mktemp("examples"))


def run_script(work: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / "scripts" / name), *args],
        capture_output=True,
        text=True,
        cwd=work,
        env=clean_environment(),
        timeout=180,
    )


RUNBOOKS = ["weekly-audit", "airgapped-rollout", "stack-expansion", "decommission"]


def run_runbook(work: Path, book: str) -> subprocess.CompletedProcess[str]:
    return run_catlic("run", str(EXAMPLES / "runbooks" / f"{book}.yaml"), "--json", cwd=work, in_process=True)


@pytest.mark.parametrize("book", RUNBOOKS)
def test_each_runbook_runs_to_the_end(fresh_lab: Path, book: str) -> None:
    done = run_runbook(fresh_lab, book)

    assert done.returncode == 0, done.stderr
    assert '"schema": "catlic/run/v1"' in done.stdout
    assert '"failed": 0' in done.stdout


def test_after_the_runbooks_the_stack_has_three_members_each_with_a_slac(fresh_lab: Path) -> None:
    for book in ("airgapped-rollout", "stack-expansion"):  # the two that work on the stack, in order
        ran = run_runbook(fresh_lab, book)
        assert ran.returncode == 0, ran.stderr
    done = run_catlic("state", "--filter", "c9300x-stack", "--json", cwd=fresh_lab, in_process=True)

    assert done.returncode == 0, done.stderr
    members = json.loads(done.stdout)["hosts"]["c9300x-stack"]["result"]["members"]
    assert list(members) == ["FOC2519L8R7", "FOC2524L39P", "FOC2516LC92"]
    assert {member["slac_status"] for member in members.values()} == {"SMART AUTHORIZATION INSTALLED"}


# In the order a reader would try them; each is idempotent, so any order passes.
UNDOES = {"return_slac.py": "install_slac_online.py"}  # a script, and the one whose work it undoes
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
    if script in UNDOES:
        given = run_script(lab, UNDOES[script])
        assert given.returncode == 0, given.stdout + given.stderr
    done = run_script(lab, script, *args)

    assert done.returncode == 0, done.stdout + done.stderr
    assert expected in done.stdout
    assert "Traceback" not in done.stderr
