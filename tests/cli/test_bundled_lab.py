"""The bundled topology as a user meets it (`catlic lab up`, no options): the guide's devices, and the
guide's second way of adding a stack member (SLAC and crypto on the standalone first, then the join)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from catlic_process import catlic_lab, json_of, run_catlic


@dataclass(frozen=True)
class BundledLab:
    work: Path
    up: subprocess.CompletedProcess[str]

    def catlic(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_catlic(
            *args, cwd=self.work, in_process=True
        )  # ./lab-state: the default, no environment needed

    def json(self, *args: str) -> Any:
        return json_of(self.catlic(*args, "--json"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BundledLab]:
    work = tmp_path_factory.mktemp("bundled")
    with catlic_lab(work, in_process=True) as up:
        yield BundledLab(work, up)


def test_lab_up_without_options_starts_the_guides_devices_in_lab_state(lab: BundledLab) -> None:
    for name in ("c9300x-stack", "c9300x-standalone", "c9407r-svl", "c9606r-dual-sup", "c9500x", "c9200"):
        assert name in lab.up.stdout
    assert f"Nornir config: {lab.work / 'lab-state' / 'nornir.yaml'}" in lab.up.stdout
    assert "export CATLIC_LAB_STATE" not in lab.up.stdout  # the default folder needs no hint


def test_state_shows_the_guides_stack_with_its_slacs(lab: BundledLab) -> None:
    stack = lab.json("state", "--filter", "c9300x-stack")["hosts"]["c9300x-stack"]["result"]

    assert list(stack["members"])[:2] == ["FOC2519L8R7", "FOC2524L39P"]
    assert all(
        m["slac_status"] == "SMART AUTHORIZATION INSTALLED" for m in list(stack["members"].values())[:2]
    )


def test_standalone_first_keeps_the_slac_the_switch_got_alone(lab: BundledLab) -> None:
    installed = lab.json("slac", "install", "--filter", "c9300x-standalone")
    code = installed["hosts"]["c9300x-standalone"]["result"]["codes"]["PID:C9300X-48HX,SN:FOC2516LC92"]
    crypto = lab.catlic(
        "task",
        "nornir_netmiko.tasks:netmiko_send_config",
        "--filter",
        "c9300x-standalone",
        "-a",
        'config_commands=["interface Tunnel10", "tunnel mode ipsec ipv4"]',
    )
    added = lab.json(
        "stack",
        "add",
        "FOC2516LC92",
        "--method",
        "standalone-first",
        "--standalone",
        "c9300x-standalone",
        "--filter",
        "c9300x-stack",
        "--lab-join",
    )

    assert crypto.returncode == 0, crypto.stderr
    outcome = added["hosts"]["c9300x-stack"]
    assert outcome["status"] == "changed", outcome["error"]
    assert outcome["result"]["retained"] is True
    assert outcome["result"]["confirmation_code"] == code
