"""``catlic lab`` and its state folder, as processes: another topology's folder is refused (exit 3) and
``--fresh`` starts over; ``status`` names the topology; ``down`` signals no process but the lab; what the lab
writes (credentials, codes) only its owner reads."""

from __future__ import annotations

import stat
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from catlic_process import catlic_lab, json_of, run_catlic

WITH_KEYS = textwrap.dedent(
    """\
    lab:
      reload_delay: 0.3
      ssm:
        accounts:
          - {smart_account: Eg-SA, virtual_account: Eg-VA, pools: {"C9K HSEC": 10}}
    devices:
      - name: stack-a
        platform: C9300X
        release: 17.6.2
        transport: smart
        smart_account: Eg-SA
        virtual_account: Eg-VA
        slacs: all
        members:
          - {number: 1, pid: C9300X-24HX, serial: FOC2519L8R7, priority: 15}
          - {number: 2, pid: C9300X-48HXN, serial: FOC2524L39P, priority: 14}
    """
)
OTHER = textwrap.dedent(
    """\
    lab:
      reload_delay: 0.3
      ssm:
        accounts:
          - {smart_account: Other-SA, virtual_account: Other-VA, pools: {"C9K HSEC": 3}}
    devices:
      - {name: edge-b, platform: C9200}
      - {name: edge-c, platform: C9200}
    """
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def pools(work: Path, state: Path) -> list[tuple[str, int, int]]:
    document = json_of(
        run_catlic("ssm", "pools", "--json", "--state-dir", str(state), cwd=work, in_process=True)
    )
    return [(pool["smart_account"], pool["total"], pool["in_use"]) for pool in document["pools"]]


@pytest.fixture
def bystander() -> Iterator[subprocess.Popen[bytes]]:
    """An unrelated live process, as the kernel may hand a dead lab's PID to."""
    process = subprocess.Popen(["sleep", "60"])
    try:
        yield process
    finally:
        process.kill()
        process.wait()


def test_another_topologys_folder_is_refused_and_fresh_starts_from_the_topology(tmp_path: Path) -> None:
    first, other, state = tmp_path / "first.yaml", tmp_path / "other.yaml", tmp_path / "state"
    first.write_text(WITH_KEYS)
    other.write_text(OTHER)
    with catlic_lab(tmp_path, "--topology", str(first), state_dir=state, in_process=True) as up:
        status = run_catlic("lab", "status", "--state-dir", str(state), cwd=tmp_path, in_process=True)
        first_pools = pools(tmp_path, state)

    refused = run_catlic(
        "lab", "up", "--topology", str(other), "--state-dir", str(state), cwd=tmp_path, in_process=True
    )
    after_refusal = run_catlic("lab", "status", "--state-dir", str(state), cwd=tmp_path, in_process=True)
    with catlic_lab(tmp_path, "--topology", str(other), "--fresh", state_dir=state, in_process=True) as fresh:
        document = json_of(
            run_catlic("lab", "status", "--json", "--state-dir", str(state), cwd=tmp_path, in_process=True)
        )
        fresh_pools = pools(tmp_path, state)

    assert f"new state in {state}" in up.stdout
    assert f"Topology:      {first} (1 device)" in up.stdout
    assert f"Topology:      {first} (1 device)" in status.stdout
    assert first_pools == [("Eg-SA", 10, 2)]  # the stack's two SLACs
    assert refused.returncode == 3
    assert f"the state folder {state} holds the lab of another topology" in refused.stderr
    assert f"built from {first} (1 device, " in refused.stderr
    assert f"not {other} (2 devices, " in refused.stderr
    assert "--fresh" in refused.stderr and "Traceback" not in refused.stderr
    assert after_refusal.returncode == 3  # nothing started
    assert f"new state in {state}" in fresh.stdout
    assert document["topology"]["path"] == str(other) and document["topology"]["devices"] == 2
    assert [device["name"] for device in document["devices"]] == ["edge-b", "edge-c"]
    assert fresh_pools == [("Other-SA", 3, 0)]  # the old account, its pool and keys are gone


def test_the_same_topology_resumes_and_says_so(tmp_path: Path) -> None:
    topology, state = tmp_path / "lab.yaml", tmp_path / "state"
    topology.write_text(WITH_KEYS)
    with catlic_lab(tmp_path, "--topology", str(topology), state_dir=state, in_process=True):
        generated = run_catlic(
            "ssm", "generate", "C9300X-24HX:FOC0000L001", "--out", str(tmp_path / "slacs"),
            "--state-dir", str(state), cwd=tmp_path, in_process=True,
        )  # fmt: skip
    with catlic_lab(tmp_path, "--topology", str(topology), state_dir=state, in_process=True) as again:
        resumed_pools = pools(tmp_path, state)

    assert generated.returncode == 0, generated.stderr
    assert f"resumed the switches, keys and SSM pool saved in {state} (--fresh starts over)" in again.stdout
    assert resumed_pools == [("Eg-SA", 10, 3)]


def test_lab_down_leaves_an_unrelated_process_named_by_the_pid_file_alone(
    tmp_path: Path, bystander: subprocess.Popen[bytes]
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "lab.pid").write_text(f"{bystander.pid}\n")

    down = run_catlic("lab", "down", "--state-dir", str(state), cwd=tmp_path, in_process=True)

    assert down.returncode == 0, down.stderr
    assert bystander.poll() is None
    assert f"no lab running from {state}: lab.pid named pid {bystander.pid}" in down.stdout
    assert "left it alone and removed the stale lab.pid" in down.stdout
    assert not (state / "lab.pid").exists()


def test_what_the_lab_writes_only_its_owner_reads(tmp_path: Path) -> None:
    topology, state = tmp_path / "lab.yaml", tmp_path / "state"
    topology.write_text(WITH_KEYS)
    with catlic_lab(tmp_path, "--topology", str(topology), state_dir=state, in_process=True):
        defaults = state / "inventory" / "defaults.yaml"
        device_file = state / "devices" / "stack-a.json"

        assert "lab-enable-1" in defaults.read_text()
        assert "FOC2519L8R7" in device_file.read_text()  # the device file holds its SLACs
        assert mode(state) == 0o700
        assert mode(state / "inventory") == mode(state / "devices") == mode(state / "bootflash") == 0o700
        for private in (defaults, device_file, state / "ssm.sqlite", state / "lab.log", state / "lab.pid"):
            assert mode(private) == 0o600, private
