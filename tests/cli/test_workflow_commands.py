"""The workflow subcommands as processes against one lab (started by ``catlic lab up`` for the module).

Each test works on its own device, so the order of the tests does not matter.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from catlic_process import catlic_lab, json_of, run_catlic

TOPOLOGY = textwrap.dedent(
    """\
    lab:
      credentials: {username: admin, password: lab-pass-1, secret: lab-enable-1}
      reload_delay: 0.5
      ssm:
        accounts:
          - {smart_account: Eg-SA, virtual_account: Eg-VA, pools: {"C9K HSEC": 20}}
    devices:
      - name: c9300x-stack
        platform: C9300X
        release: 17.6.2
        generation: agent5
        transport: smart
        slacs: all
        crypto: true
        members:
          - {number: 1, pid: C9300X-24HX, serial: FOC2519L8R7, priority: 15}
          - {number: 2, pid: C9300X-48HXN, serial: FOC2524L39P, priority: 14}
      - name: c9300x-growing
        platform: C9300X
        release: 17.6.2
        generation: agent5
        transport: smart
        slacs: all
        crypto: true
        members:
          - {number: 1, pid: C9300X-24HX, serial: FOC2519G001, priority: 15}
          - {number: 2, pid: C9300X-48HXN, serial: FOC2524G002, priority: 14}
        spares:
          - {number: 3, pid: C9300X-48HX, serial: FOC2516LC99, priority: 1}
      - name: c9300x-airgap
        platform: C9300X
        release: 17.9.4
        generation: agent5
        transport: "off"
        members:
          - {number: 1, pid: C9300X-24HX, serial: FOC2601A001, priority: 15}
          - {number: 2, pid: C9300X-48HX, serial: FOC2601A002, priority: 14}
      - name: c9300x-standalone
        platform: C9300X
        release: 17.9.4
        transport: smart
        members:
          - {number: 1, pid: C9300X-48HX, serial: FOC2516LC92, priority: 1}
      - name: c9200
        platform: C9200
        release: 17.9.4
        boot_level: network-essentials addon dna-essentials
        transport: "off"
        members:
          - {number: 1, pid: C9200-48P, serial: JAE24380ABC, priority: 1}
    fleet: {count: 2, platform: C9300X, release: 17.9.4, transport: smart, name_prefix: edge-}
    """
)


@dataclass(frozen=True)
class RunningLab:
    work: Path
    state_dir: Path

    def catlic(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_catlic(
            *args, cwd=self.work, env={"CATLIC_LAB_STATE": str(self.state_dir)}, in_process=True
        )

    def json(self, *args: str) -> Any:
        return json_of(self.catlic(*args, "--json"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    work = tmp_path_factory.mktemp("workflows")
    (work / "topology.yaml").write_text(TOPOLOGY)
    state_dir = work / "state"
    with catlic_lab(work, "--topology", str(work / "topology.yaml"), state_dir=state_dir, in_process=True):
        yield RunningLab(work, state_dir)


def test_state_lists_every_member_with_its_slac_and_code(lab: RunningLab) -> None:
    table = lab.catlic("state", "--filter", "c9300x-stack")
    document = lab.json("state", "--filter", "c9300x-stack")

    assert table.returncode == 0, table.stderr
    for serial in ("FOC2519L8R7", "FOC2524L39P"):
        assert serial in table.stdout
    assert "SMART AUTHORIZATION INSTALLED" in table.stdout
    state = document["hosts"]["c9300x-stack"]["result"]
    assert document["schema"] == "catlic/state/v1"
    assert list(state["members"]) == ["FOC2519L8R7", "FOC2524L39P"]
    assert state["members"]["FOC2524L39P"]["roles"] == ["standby"]
    assert state["members"]["FOC2519L8R7"]["confirmation_code"]
    assert f"{state['members']['FOC2519L8R7']['confirmation_code']}" in table.stdout
    assert state["hsec"]["usage_status"] == "IN USE"


def test_audit_gives_findings_a_summary_and_csv(lab: RunningLab) -> None:
    table = lab.catlic("audit")
    document = lab.json("audit")
    as_csv = lab.catlic("audit", "--csv")
    both = lab.catlic("audit", "--csv", "--json")

    assert table.returncode in (0, 2), table.stderr
    assert document["schema"] == "catlic/audit/v1"
    summary = document["summary"]
    assert summary["hosts_total"] == 7
    assert sorted(summary["hosts_audited"]) == sorted(document["hosts"])
    findings = [f for host in document["hosts"].values() for f in host["result"]["findings"]]
    assert sum(summary["by_severity"].values()) == len(findings)
    assert table.returncode == (2 if summary["by_severity"]["critical"] else 0)
    assert "7 of 7 hosts audited" in table.stdout
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert as_csv.returncode == table.returncode
    assert [row["code"] for row in rows] == [
        f["code"] for host in document["hosts"].values() for f in host["result"]["findings"]
    ]
    assert both.returncode == 3 and "not both" in both.stderr


def test_check_hseck9_tells_which_devices_are_ready(lab: RunningLab) -> None:
    document = lab.json("check-hseck9", "--filter", "c9200", "--filter", "c9300x-standalone")
    table = lab.catlic("check-hseck9", "--filter", "c9200")

    c9200 = document["hosts"]["c9200"]["result"]
    standalone = document["hosts"]["c9300x-standalone"]["result"]
    assert c9200["ready"] is False
    assert "HSEC_PLATFORM_UNSUPPORTED" in [finding["code"] for finding in c9200["findings"]]
    assert standalone["ready"] is True
    assert standalone["key_plan"]["recommended"] == ["PID:C9300X-48HX,SN:FOC2516LC92"]
    assert "HSEC_PLATFORM_UNSUPPORTED" in table.stdout
    assert table.returncode == 0


def test_boot_level_dry_run_plans_then_the_change_waits_for_a_reload(lab: RunningLab) -> None:
    before = lab.json("state", "--filter", "c9200")["hosts"]["c9200"]["result"]["boot_level"]
    dry = lab.catlic(
        "boot-level", "network-advantage", "--addon", "dna-advantage", "--filter", "c9200", "--dry-run"
    )
    unchanged = lab.json("state", "--filter", "c9200")["hosts"]["c9200"]["result"]["boot_level"]
    real = lab.json("boot-level", "network-advantage", "--addon", "dna-advantage", "--filter", "c9200")
    again = lab.json("boot-level", "network-advantage", "--addon", "dna-advantage", "--filter", "c9200")

    assert dry.returncode == 0, dry.stderr
    assert "would change" in dry.stdout
    assert "license boot level network-advantage addon dna-advantage" in dry.stdout
    assert unchanged == before
    change = real["hosts"]["c9200"]
    assert change["changed"] is True
    assert change["result"]["pending_reload"] is True
    assert "copy running-config startup-config" in change["diff"]
    assert again["hosts"]["c9200"]["changed"] is False


def test_a_combination_the_guide_forbids_is_refused_before_any_device(lab: RunningLab) -> None:
    forbidden = lab.catlic("boot-level", "network-essentials", "--addon", "dna-advantage")
    renewal = lab.catlic("boot-level", "network-advantage", "--addon", "dna-essentials")

    assert forbidden.returncode == renewal.returncode == 3
    assert "not a permitted combination" in forbidden.stderr
    assert "--renewal" in renewal.stderr
    assert forbidden.stdout == renewal.stdout == ""


def test_slac_install_online_is_idempotent_and_return_keeps_the_code(lab: RunningLab) -> None:
    udi = "PID:C9300X-48HX,SN:FOC2516LC92"

    dry = lab.json("slac", "install", "--filter", "c9300x-standalone", "--dry-run")
    first = lab.json("slac", "install", "--filter", "c9300x-standalone")
    second = lab.json("slac", "install", "--filter", "c9300x-standalone")
    returned = lab.json("slac", "return", "--filter", "c9300x-standalone")

    assert dry["hosts"]["c9300x-standalone"]["changed"] is True
    assert "license smart authorization request add hseck9 all" in dry["hosts"]["c9300x-standalone"]["diff"]
    code = first["hosts"]["c9300x-standalone"]["result"]["codes"][udi]
    assert first["hosts"]["c9300x-standalone"]["changed"] is True
    assert second["hosts"]["c9300x-standalone"]["changed"] is False
    assert second["hosts"]["c9300x-standalone"]["result"]["codes"][udi] == code
    return_code = returned["hosts"]["c9300x-standalone"]["result"]["return_codes"][udi]
    exported = lab.catlic("journal", "export", "--host", "c9300x-standalone")
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert any(record["data"].get("confirmation_code") == code for record in records)
    assert any(return_code in json.dumps(record["data"]) for record in records)


def test_a_slac_in_use_is_not_returned_and_the_release_is_planned(lab: RunningLab) -> None:
    refused = lab.catlic("slac", "return", "--filter", "c9300x-stack")
    release = lab.catlic("hsec", "release", "--filter", "c9300x-stack", "--dry-run")

    assert refused.returncode == 1
    (line,) = refused.stderr.strip().splitlines()
    assert line.startswith("c9300x-stack: ") and "IN USE" in line
    # IPsec still runs on the stack: the release cannot free the key. The dry run predicts it; the real run
    # refuses before sending, in one line.
    assert release.returncode == 1
    (predicted,) = release.stderr.strip().splitlines()
    assert predicted.startswith("c9300x-stack: would fail: the HSECK9 key would stay IN USE")
    forced = lab.catlic("hsec", "release", "--filter", "c9300x-stack")
    assert forced.returncode == 1
    (line,) = forced.stderr.strip().splitlines()
    assert line.startswith("c9300x-stack: the HSECK9 key would stay IN USE")
    assert "cryptographic feature is still configured" in line


def test_an_air_gapped_install_waits_for_the_operator_then_finishes(lab: RunningLab) -> None:
    portal = lab.work / "portal"
    parked = lab.catlic("slac", "install", "--offline", "--portal", str(portal), "--filter", "c9300x-airgap")

    assert parked.returncode == 4, parked.stderr
    assert "waiting=1" in parked.stdout
    request, inbox = _awaited(portal, "c9300x-airgap")
    operator = lab.catlic("ssm", "process-request", str(request), "--out", str(inbox))
    finished = lab.json("slac", "install", "--offline", "--portal", str(portal), "--filter", "c9300x-airgap")
    again = lab.json("slac", "install", "--offline", "--portal", str(portal), "--filter", "c9300x-airgap")

    assert operator.returncode == 0, operator.stderr
    outcome = finished["hosts"]["c9300x-airgap"]
    assert outcome["status"] == "changed", outcome["error"]
    assert set(outcome["result"]["codes"]) == {
        "PID:C9300X-24HX,SN:FOC2601A001",
        "PID:C9300X-48HX,SN:FOC2601A002",
    }
    assert again["hosts"]["c9300x-airgap"]["status"] == "ok"
    reservations = lab.catlic("ssm", "reservations")
    assert "PID:C9300X-24HX,SN:FOC2601A001" in reservations.stdout

    # ... and the way back: the return code crosses the air gap, SSM's ACK comes back and is imported.
    parked_return = lab.catlic(
        "slac", "return", "--offline", "--portal", str(portal), "--filter", "c9300x-airgap"
    )
    assert parked_return.returncode == 4, parked_return.stderr
    return_file, ack_folder = _awaited(portal, "c9300x-airgap")
    acked = lab.catlic("ssm", "process-return", str(return_file), "--out", str(ack_folder / "ack.txt"))
    returned = lab.json("slac", "return", "--offline", "--portal", str(portal), "--filter", "c9300x-airgap")

    assert acked.returncode == 0, acked.stderr
    result = returned["hosts"]["c9300x-airgap"]["result"]
    assert set(result["acknowledged"]) == set(result["return_codes"]) == set(outcome["result"]["codes"])
    assert "PID:C9300X-24HX,SN:FOC2601A001" not in lab.catlic("ssm", "reservations").stdout


def test_an_air_gapped_usage_report_goes_through_the_operator(lab: RunningLab) -> None:
    portal = lab.work / "usage-portal"
    parked = lab.catlic("report", "--offline", "--portal", str(portal), "--filter", "c9200")

    assert parked.returncode == 4, parked.stderr
    usage_file, ack_folder = _awaited(portal, "c9200")
    acked = lab.catlic("ssm", "process-usage", str(usage_file), "--out", str(ack_folder / "ack.txt"))
    reported = lab.json("report", "--offline", "--portal", str(portal), "--filter", "c9200")

    assert acked.returncode == 0, acked.stderr
    assert reported["hosts"]["c9200"]["status"] == "changed", reported["hosts"]["c9200"]["error"]
    assert reported["hosts"]["c9200"]["result"]["reported"] is True


def _awaited(portal: Path, host: str) -> tuple[Path, Path]:
    """The file the operator must carry to SSM and the folder for SSM's answer, as OPERATOR.txt lists them."""
    line = next(
        line for line in (portal / "OPERATOR.txt").read_text().splitlines() if f"outbox/{host}/" in line
    )
    outbox, inbox = (part.strip().split()[0] for part in line.split("->"))
    return portal / outbox, portal / inbox


def test_an_exhausted_pool_fails_the_install_with_ssm_words(lab: RunningLab) -> None:
    pool = next(p for p in lab.json("ssm", "pools")["pools"] if p["smart_account"] == "Eg-SA")
    lab.catlic(
        "ssm",
        "set-pool",
        "C9K HSEC",
        str(pool["in_use"]),
        "--smart-account",
        "Eg-SA",
        "--virtual-account",
        "Eg-VA",
    )
    try:
        refused = lab.catlic("slac", "install", "--filter", "edge-0001", "--wait", "5")
        # Told one key is free (an SSM the CLI cannot ask), the switch asks and SSM refuses.
        done = lab.catlic("slac", "install", "--filter", "edge-0001", "--wait", "5", "--free-keys", "1")
    finally:
        lab.catlic(
            "ssm",
            "set-pool",
            "C9K HSEC",
            str(pool["total"]),
            "--smart-account",
            "Eg-SA",
            "--virtual-account",
            "Eg-VA",
        )

    assert refused.returncode == 3, refused.stderr
    assert "needs 1, 0 free" in refused.stderr and "add keys to the virtual account" in refused.stderr
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("edge-0001: ")
    assert "ERROR_ALL_COUNTS_IN_USE" in line
    assert "add keys to the virtual account" in line
    assert "return the SLAC on the active" not in line, "a standalone's remedy is not a stack procedure"


def test_stack_add_joins_the_spare_and_gives_every_member_a_slac(lab: RunningLab) -> None:
    everywhere = lab.catlic("stack", "add", "FOC2516LC99")
    wrong_pid = lab.catlic(
        "stack", "add", "FOC2516LC99", "--filter", "c9300x-growing", "--member-pid", "C9300-48P"
    )
    planned = lab.json("stack", "add", "FOC2516LC99", "--filter", "c9300x-growing", "--dry-run")
    added = lab.json("stack", "add", "FOC2516LC99", "--filter", "c9300x-growing", "--lab-join")
    again = lab.json("stack", "add", "FOC2516LC99", "--filter", "c9300x-growing")
    state = lab.json("state", "--filter", "c9300x-growing")["hosts"]["c9300x-growing"]["result"]

    assert everywhere.returncode == 3
    assert "stack-add works on one device" in everywhere.stderr
    assert wrong_pid.returncode == 1
    assert wrong_pid.stderr.startswith("c9300x-growing: ")
    assert (
        "license smart authorization request replace hseck9 all" in planned["hosts"]["c9300x-growing"]["diff"]
    )
    outcome = added["hosts"]["c9300x-growing"]
    assert outcome["status"] == "changed", outcome["error"]
    assert outcome["result"]["member_udi"] == "PID:C9300X-48HX,SN:FOC2516LC99"
    assert outcome["result"]["confirmation_code"]
    assert again["hosts"]["c9300x-growing"]["status"] == "ok"
    assert state["members"]["FOC2516LC99"]["slac_status"] == "SMART AUTHORIZATION INSTALLED"
    assert state["members"]["FOC2516LC99"]["confirmation_code"] == outcome["result"]["confirmation_code"]


def test_report_sends_usage_and_shows_the_next_deadline(lab: RunningLab) -> None:
    done = lab.catlic("report", "--filter", "edge-0001")
    document = lab.json("report", "--filter", "edge-0001", "--if-due-within-days", "1")

    assert done.returncode == 0, done.stderr
    assert "Usage reporting" in done.stdout
    assert "license smart sync all" in done.stdout
    report = document["hosts"]["edge-0001"]
    assert report["changed"] is False  # just acknowledged: not due
    assert report["result"]["next_ack_deadline"]


def test_udi_csv_feeds_ssm_then_verify_udis_checks_the_codes_arrived(lab: RunningLab) -> None:
    exported = lab.catlic("state", "--udi-csv", "--filter", "edge-0002", "--filter", "c9200")
    csv_file = lab.work / "udis.csv"
    csv_file.write_text(exported.stdout)
    lab.catlic("ssm", "set-pool", "C9K HSEC", "5", "--smart-account", "Csv-SA", "--virtual-account", "Csv-VA")
    generated = lab.catlic(
        "ssm",
        "generate",
        "--csv",
        str(csv_file),
        "--out",
        str(lab.work / "csv-slacs"),
        "--smart-account",
        "Csv-SA",
        "--virtual-account",
        "Csv-VA",
    )
    before = lab.catlic("state", "--verify-udis", str(csv_file))
    lab.catlic("slac", "install", "--filter", "edge-0002")  # stands in for the pull that applies the codes
    after = lab.json("state", "--verify-udis", str(csv_file))

    assert exported.returncode == 0, exported.stderr
    rows = list(csv.reader(io.StringIO(exported.stdout)))
    assert rows[0] == ["Serial Number", "PID"]
    assert len(rows) == 2 and rows[1][1] == "C9300X-24HX"  # the C9200 has no HSECK9: not listed
    assert generated.returncode == 0, generated.stderr
    udi = f"PID:C9300X-24HX,SN:{rows[1][0]}"
    assert udi in generated.stdout
    assert before.returncode == 2
    assert "1 UDI(s) without a SLAC" in before.stdout
    assert after["verification"]["missing"] == []
    assert list(after["verification"]["codes"]) == [udi]
