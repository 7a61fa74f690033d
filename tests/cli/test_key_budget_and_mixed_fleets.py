"""Key budget first, and mixed fleets, as processes against labs started by ``catlic lab up``.

- 206 C9300X switches and 8 free keys: ``slac install`` requests nothing and says "needs 206, 8 free" (exit
  3), its dry run says the same; with ``--allow-partial`` exactly 8 switches (the first 8, inventory order)
  get a key and the others are skipped with the reason.
- A C9200 beside C9300X switches: ``slac install`` exits 0 with the C9200 skipped and the reason shown.
- ``stack add`` with no free key: refused before the join, nothing requested.
"""

from __future__ import annotations

import subprocess
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from catlic_process import catlic_lab, json_of, run_catlic

FLEET = 206
FREE = 8
BUDGET_TOPOLOGY = f"""\
lab:
  credentials: {{username: admin, password: lab-pass-1, secret: lab-enable-1}}
  ssm:
    accounts:
      - {{smart_account: Eg-SA, virtual_account: Eg-VA, pools: {{"C9K HSEC": {FREE}}}}}
devices: []
fleet: {{count: 0, platform: C9300X, release: 17.9.4, transport: smart}}
"""

MIXED_TOPOLOGY = textwrap.dedent(
    """\
    lab:
      credentials: {username: admin, password: lab-pass-1, secret: lab-enable-1}
      ssm:
        accounts:
          - {smart_account: Eg-SA, virtual_account: Eg-VA, pools: {"C9K HSEC": 10}}
    devices:
      - name: c9200-access
        platform: C9200
        release: 17.9.4
        transport: smart
        members:
          - {number: 1, pid: C9200-48P, serial: JAE24380ABC, priority: 1}
      - name: c9300x-core
        platform: C9300X
        release: 17.9.4
        transport: smart
        members:
          - {number: 1, pid: C9300X-48HX, serial: FOC2516LC92, priority: 1}
      - name: c9300x-stack
        platform: C9300X
        release: 17.9.4
        transport: smart
        slacs: all
        members:
          - {number: 1, pid: C9300X-24HX, serial: FOCM001, priority: 15}
          - {number: 2, pid: C9300X-48HXN, serial: FOCM002, priority: 14}
        spares:
          - {number: 3, pid: C9300X-48HX, serial: FOCM003, priority: 1}
    """
)


@dataclass(frozen=True)
class RunningLab:
    work: Path
    state_dir: Path

    def catlic(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_catlic(
            *args, cwd=self.work, env={"CATLIC_LAB_STATE": str(self.state_dir)}, timeout=600, in_process=True
        )

    def pool(self) -> dict[str, Any]:
        (pool,) = json_of(self.catlic("ssm", "pools", "--json"))["pools"]
        assert isinstance(pool, dict)
        return pool

    def reservations(self) -> list[dict[str, Any]]:
        rows = json_of(self.catlic("ssm", "reservations", "--json"))["reservations"]
        assert isinstance(rows, list)
        return rows


def start_lab(work: Path, topology: str, *up: str) -> Iterator[RunningLab]:
    (work / "topology.yaml").write_text(topology)
    state_dir = work / "state"
    topology_file = str(work / "topology.yaml")
    with catlic_lab(
        work, "--topology", topology_file, *up, state_dir=state_dir, timeout=300, in_process=True
    ):
        yield RunningLab(work, state_dir)


@pytest.fixture(scope="module")
def budget_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    yield from start_lab(tmp_path_factory.mktemp("budget"), BUDGET_TOPOLOGY, "--fleet", str(FLEET))


@pytest.fixture(scope="module")
def mixed_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    yield from start_lab(tmp_path_factory.mktemp("mixed"), MIXED_TOPOLOGY)


def test_206_switches_and_8_free_keys_request_nothing_then_8_with_allow_partial(
    budget_lab: RunningLab,
) -> None:
    assert budget_lab.pool()["available"] == FREE and budget_lab.reservations() == []

    dry = budget_lab.catlic("slac", "install", "--workers", "50", "--dry-run")
    refused = budget_lab.catlic("slac", "install", "--workers", "50")

    for done in (dry, refused):
        assert done.returncode == 3, done.stderr
        assert f"needs {FLEET}, {FREE} free" in done.stderr
        assert "add keys to the virtual account" in done.stderr
        assert "return the SLAC on the active" not in done.stderr
    assert budget_lab.reservations() == [], "nothing was requested"
    assert budget_lab.pool()["in_use"] == 0

    partial = budget_lab.catlic("slac", "install", "--workers", "50", "--allow-partial", "--json")

    assert partial.returncode == 0, partial.stderr
    document = json_of(partial)
    statuses = {host: outcome["status"] for host, outcome in document["hosts"].items()}
    first = [f"fleet-{number:04d}" for number in range(1, FREE + 1)]
    assert sorted(host for host, status in statuses.items() if status == "changed") == first
    assert document["recap"]["changed"] == FREE
    assert document["recap"]["skipped"] == FLEET - FREE
    assert document["recap"]["failed"] == 0
    deferred = document["hosts"][f"fleet-{FREE + 1:04d}"]
    assert deferred["status"] == "skipped" and "key budget" in deferred["error"]
    assert "fleet-0001" in partial.stderr and f"{FLEET - FREE} host(s) are skipped" in partial.stderr
    assert len(budget_lab.reservations()) == FREE, "one key per switch installed, none more"
    assert budget_lab.pool()["available"] == 0


def test_a_c9200_beside_c9300x_is_skipped_with_the_reason_and_the_install_exits_0(
    mixed_lab: RunningLab,
) -> None:
    planned = mixed_lab.catlic("slac", "install", "--dry-run", "--json")
    done = mixed_lab.catlic("slac", "install")
    again = mixed_lab.catlic("slac", "install", "--filter", "c9*", "--json")

    assert planned.returncode == 0, planned.stderr
    plan = json_of(planned)["hosts"]
    assert plan["c9200-access"]["status"] == "skipped"
    assert "C9200" in plan["c9200-access"]["error"]
    assert "does not support the HSECK9 key" in plan["c9200-access"]["error"]
    assert "license smart authorization request add hseck9" in plan["c9300x-core"]["diff"]

    assert done.returncode == 0, done.stderr
    assert "c9200-access: skipped: C9200 (C9200-48P) does not support the HSECK9 key" in done.stderr
    assert "skipped=1" in done.stdout
    recap = done.stdout.strip().splitlines()[-1]
    assert "changed=1" in recap and "failed=0" in recap and "skipped=1" in recap

    assert again.returncode == 0, again.stderr
    document = json_of(again)
    assert document["hosts"]["c9300x-core"]["status"] == "ok"
    assert document["hosts"]["c9200-access"]["status"] == "skipped"
    assert document["recap"]["skipped"] == 1 and document["recap"]["failed_hosts"] == []


def test_stack_add_without_a_free_key_is_refused_before_the_join(mixed_lab: RunningLab) -> None:
    pool = mixed_lab.pool()
    account = ["--smart-account", "Eg-SA", "--virtual-account", "Eg-VA"]
    mixed_lab.catlic("ssm", "set-pool", "C9K HSEC", str(pool["in_use"]), *account)
    try:
        planned = mixed_lab.catlic("stack", "add", "FOCM003", "--filter", "c9300x-stack", "--dry-run")
        refused = mixed_lab.catlic("stack", "add", "FOCM003", "--filter", "c9300x-stack", "--lab-join")
    finally:
        mixed_lab.catlic("ssm", "set-pool", "C9K HSEC", str(pool["total"]), *account)

    for done in (planned, refused):
        assert done.returncode == 3, done.stderr
        assert "needs 1, 0 free" in done.stderr
    members = json_of(mixed_lab.catlic("state", "--filter", "c9300x-stack", "--json"))["hosts"][
        "c9300x-stack"
    ]
    assert "FOCM003" not in members["result"]["members"], "the switch was not joined"
    assert mixed_lab.pool()["in_use"] == pool["in_use"]


SMALL_BUDGET_TOPOLOGY = """\
lab:
  credentials: {username: admin, password: lab-pass-1, secret: lab-enable-1}
  ssm:
    accounts:
      - {smart_account: Eg-SA, virtual_account: Eg-VA, pools: {"C9K HSEC": 1}}
devices: []
fleet: {count: 3, platform: C9300X, release: 17.9.4, transport: smart}
"""

RUNBOOK_OVER_BUDGET = """\
name: Roll out HSECK9
steps:
  - name: Install the SLACs
    workflow: slac-install
    args: {mode: online}
  - name: Read the state
    workflow: state
"""


def test_a_runbook_install_step_checks_the_key_budget_first(tmp_path: Path) -> None:
    for lab in start_lab(tmp_path, SMALL_BUDGET_TOPOLOGY):
        book = tmp_path / "rollout.yaml"
        book.write_text(RUNBOOK_OVER_BUDGET)

        done = lab.catlic("run", str(book), "--json")

        assert done.returncode == 1, done.stderr
        install, state = json_of(done)["steps"]
        for host, outcome in install["hosts"].items():
            assert outcome["status"] == "failed", host
            assert "key budget: needs 3, 1 free" in outcome["error"]
        assert all(outcome["status"] == "skipped" for outcome in state["hosts"].values())
        assert lab.reservations() == [], "nothing was requested"
        assert lab.pool()["in_use"] == 0


AIRGAP_TOPOLOGY = """\
lab:
  credentials: {username: admin, password: lab-pass-1, secret: lab-enable-1}
  ssm:
    accounts:
      - {smart_account: Eg-SA, virtual_account: Eg-VA, pools: {"C9K HSEC": 2}}
devices:
  - name: c9300x-airgap
    platform: C9300X
    release: 17.9.4
    transport: "off"
    members:
      - {number: 1, pid: C9300X-24HX, serial: FOC2601A001, priority: 15}
      - {number: 2, pid: C9300X-48HX, serial: FOC2601A002, priority: 14}
"""

RUNBOOK_AIRGAPPED = """\
name: Air-gapped rollout
steps:
  - name: Install the SLACs across the air gap
    workflow: slac-install
    args: {mode: offline, portal: portal}
"""


def test_an_air_gapped_install_resumed_after_ssm_issued_its_keys_is_not_over_budget(tmp_path: Path) -> None:
    """SSM took the keys when the operator uploaded the request: the run that imports them requests nothing,
    so the now empty pool must not stop it (nor its dry run, nor the runbook's documented second run)."""
    for lab in start_lab(tmp_path, AIRGAP_TOPOLOGY):
        book = tmp_path / "rollout.yaml"
        book.write_text(RUNBOOK_AIRGAPPED)
        parked = lab.catlic("run", str(book))
        assert parked.returncode == 4, parked.stderr
        (request,) = (tmp_path / "portal" / "outbox" / "c9300x-airgap").iterdir()
        (inbox,) = (tmp_path / "portal" / "inbox" / "c9300x-airgap").iterdir()
        operator = lab.catlic("ssm", "process-request", str(request), "--out", str(inbox))
        assert operator.returncode == 0, operator.stderr
        assert lab.pool()["available"] == 0, "SSM reserved both keys for the request"

        planned = lab.catlic("slac", "install", "--offline", "--portal", "portal", "--dry-run")
        told = lab.catlic(
            "slac", "install", "--offline", "--portal", "portal", "--dry-run", "--free-keys", "0"
        )
        finished = lab.catlic("run", str(book), "--json")

        for done in (planned, told):
            assert done.returncode == 0, done.stderr
            assert "key budget" not in done.stderr
        assert finished.returncode == 0, finished.stderr
        (install,) = json_of(finished)["steps"]
        assert install["hosts"]["c9300x-airgap"]["status"] == "changed", install["hosts"]
        assert len(lab.reservations()) == 2, "no key requested twice"
