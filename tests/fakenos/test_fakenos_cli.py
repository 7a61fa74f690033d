"""``catlic state`` and ``catlic audit`` as real processes over SSH to FakeNOS serving real captures."""

from __future__ import annotations

import sys
from pathlib import Path

from fakenos_process import FakeFleet
from fakenos_switches import (
    C9300_BUSY,
    C9300_STACK,
    C9500_NO_LICENSE_ALL,
    C9600_DUAL_SUP,
    C9600_ZONES_UNKNOWN,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from catlic_process import json_of, run_catlic

INVALID_INPUT = "% Invalid input detected at '^' marker."
REFUSALS = {
    C9500_NO_LICENSE_ALL.name: f"'show license all' failed: {INVALID_INPUT}",
    C9600_ZONES_UNKNOWN.name: f"'show running-config | include ^clock' failed: {INVALID_INPUT}",
}
READABLE = [C9300_BUSY.name, C9300_STACK.name, C9600_DUAL_SUP.name]


def test_state_json_holds_each_switchs_captured_facts_and_the_refusals_in_the_devices_words(
    fakenos_fleet: FakeFleet, tmp_path: Path
) -> None:
    done = run_catlic("state", "-i", str(fakenos_fleet.inventory), "--json", cwd=tmp_path, in_process=True)

    assert done.returncode == 1, done.stderr  # a host failed
    document = json_of(done)
    assert document["schema"] == "catlic/state/v1"
    hosts = document["hosts"]
    assert sorted(name for name, host in hosts.items() if host["ok"]) == READABLE
    assert {name: hosts[name]["error"] for name in REFUSALS} == REFUSALS
    assert sorted(document["recap"]["failed_hosts"]) == sorted(REFUSALS)
    for line in REFUSALS.values():
        assert line in done.stderr

    stack = hosts[C9300_STACK.name]["result"]
    assert {serial: member["roles"] for serial, member in stack["members"].items()} == {
        "FCW2303D16Y": ["active"],
        "FHH2043P09E": ["standby"],
        "FCW2139L056": ["member"],
    }
    assert {member["slac_status"] for member in stack["members"].values()} == {"NOT INSTALLED"}
    assert stack["boot_level"] == {
        "current": ["network-advantage", "dna-advantage"],
        "next_reboot": ["network-advantage", "dna-advantage"],
    }
    assert stack["reporting"]["next_ack_deadline"] == "2022-02-07T10:32:11Z"
    assert hosts[C9300_BUSY.name]["result"] == {**stack, "host": C9300_BUSY.name}

    chassis = hosts[C9600_DUAL_SUP.name]["result"]
    assert chassis["udi"] == {"pid": "C9407R", "serial": "FXS2119Q2U7"}
    assert chassis["members"]["FXS2119Q2U7"]["roles"] == ["active", "standby"]
    assert chassis["members"]["FXS2119Q2U7"]["trust_code_installed_on"] == "2023-11-22T11:34:47-07:00"
    assert chassis["reporting"]["last_ack_received"] == "2023-12-18T11:05:11-07:00"
    proxy = chassis["transport"]["proxy"]
    assert (proxy["address"], proxy["port"], proxy["password_set"]) == ("173.36.224.109", 80, False)


def test_audit_json_reports_the_passed_ack_deadlines_and_the_hosts_not_audited(
    fakenos_fleet: FakeFleet, tmp_path: Path
) -> None:
    done = run_catlic("audit", "-i", str(fakenos_fleet.inventory), "--json", cwd=tmp_path, in_process=True)

    assert done.returncode == 1, done.stderr
    document = json_of(done)
    assert document["schema"] == "catlic/audit/v1"
    findings = {
        name: [(f["code"], f["severity"], f["message"]) for f in host["result"]["findings"]]
        for name, host in document["hosts"].items()
        if host["ok"]
    }
    passed = "ACK_DEADLINE_PASSED", "error"
    assert findings == {
        C9300_BUSY.name: [(*passed, "the Next ACK deadline Feb 07 10:32:11 2022 UTC has passed")],
        C9300_STACK.name: [(*passed, "the Next ACK deadline Feb 07 10:32:11 2022 UTC has passed")],
        # the capture's PDT deadline, in UTC
        C9600_DUAL_SUP.name: [(*passed, "the Next ACK deadline Feb 16 18:05:11 2024 UTC has passed")],
    }
    summary = document["summary"]
    assert summary["hosts_total"] == 5
    assert summary["by_code"] == {"ACK_DEADLINE_PASSED": 3}
    assert summary["hosts_failed"] == {name: f"{name}: {reply}" for name, reply in REFUSALS.items()}


def test_state_table_of_the_readable_switches_shows_their_deadlines_in_the_devices_zone(
    fakenos_fleet: FakeFleet, tmp_path: Path
) -> None:
    selection = [arg for name in READABLE for arg in ("--filter", name)]
    done = run_catlic(
        "state",
        "-i",
        str(fakenos_fleet.inventory),
        *selection,
        "--no-progress",
        cwd=tmp_path,
        in_process=True,
    )

    assert done.returncode == 0, done.stderr
    # the License state table's row of each host: the one with its boot level (members rows have none)
    rows = {line.split("│")[1].strip(): line for line in done.stdout.splitlines() if "dna-advantage" in line}
    assert sorted(rows) == READABLE
    assert "callhome" in rows[C9300_STACK.name] and "2022-02-07 10:32 UTC" in rows[C9300_STACK.name]
    assert "smart" in rows[C9600_DUAL_SUP.name] and "2024-02-16 11:05 PDT" in rows[C9600_DUAL_SUP.name]
    for serial in ("FCW2303D16Y", "FHH2043P09E", "FCW2139L056", "FXS2119Q2U7"):
        assert serial in done.stdout
