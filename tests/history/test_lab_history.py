"""The issue's "Done when": over the lab, between two audits a SLAC returned, a member added, an ACK
imported, a deadline passed: ``catlic diff`` names exactly those changes and ``catlic history`` shows both
runs. One lab for the module; the CLI runs in-process.

An audit judges deadlines against the real time, so the lab's clock starts 90 days in the past, less
:data:`DEADLINE_AFTER`: the DNA switches' first Next ACK deadline (90 days after they are built) falls
that long after the lab starts, and passes for real between the two audits. The clock is then advanced
60 days before the ACK is imported, so that the ACK's new deadline is far off.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from nornir.core import Nornir
from sqlalchemy import select
from workflows.labkit import close_sessions, nornir_for, run_one, topology

from nornir_catlic.cli.app import cli
from nornir_catlic.history.bodies import load_texts
from nornir_catlic.locks import STORE_ENV
from nornir_catlic.store import Store
from nornir_catlic.store.schema import history_snapshots
from nornir_catlic.tasks.reporting import catlic_report_usage
from nornir_catlic.tasks.slac_return import catlic_return_slac
from virtual_devices.lab import Lab

QUIET = {"boot_level": "network-advantage", "usage_interval": 365}
"""No add-on: no ACK deadline once acknowledged; no scheduled push while the clock moves 91 days."""
DNA = {"boot_level": "network-advantage addon dna-advantage", "usage_interval": 365}
"""DNA Advantage: a subscription, acknowledged at build, whose Next ACK deadline is 90 days on."""

SPARE = {"number": 3, "pid": "C9300X-48HX", "serial": "FOCH0003", "mac": "f87a.4100.0003", "priority": 1}


def _standalone(name: str, serial: str, **extra: Any) -> dict[str, Any]:
    unit = {
        "number": 1,
        "pid": "C9300X-24HX",
        "serial": serial,
        "mac": f"b08b.d0{serial[-2:]}.0001",
        "priority": 15,
    }
    return {
        "name": name,
        "platform": "C9300X",
        "release": "17.9.4",
        "transport": "smart",
        "members": [unit],
        **extra,
    }


DEVICES = [
    _standalone("slac-sw", "FOCH0101", slacs="all", **QUIET),
    {
        "name": "stack-sw",
        "platform": "C9300X",
        "release": "17.9.4",
        "transport": "smart",
        "members": [
            {
                "number": 1,
                "pid": "C9300X-24HX",
                "serial": "FOCH0001",
                "mac": "f87a.4100.0001",
                "priority": 15,
            },
            {
                "number": 2,
                "pid": "C9300X-48HXN",
                "serial": "FOCH0002",
                "mac": "f87a.4100.0002",
                "priority": 14,
            },
        ],
        "spares": [SPARE],
        **QUIET,
    },
    _standalone("ack-sw", "FOCH0201", **DNA),
    _standalone("deadline-sw", "FOCH0301", **DNA),
    _standalone("quiet-sw", "FOCH0401", **QUIET),
]


DEADLINE_AFTER = dt.timedelta(seconds=15)
"""How long after the lab is built the DNA switches' deadline passes: room for the first audit."""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    spec = topology(DEVICES)
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=90) + DEADLINE_AFTER
    spec["lab"]["clock"] = {"start": start.isoformat()}
    with Lab.from_dict(spec, tmp_path_factory.mktemp("history-lab")) as running:
        yield running


@pytest.fixture(scope="module")
def nr(lab: Lab) -> Iterator[Nornir]:
    nornir = nornir_for(lab)
    yield nornir
    close_sessions(nornir)


def catlic(lab: Lab, store: Path, *args: str) -> Result:
    runner = CliRunner()
    return runner.invoke(
        cli,
        ["-c", str(lab.nornir_config), *args],
        env={STORE_ENV: str(store), "COLUMNS": "200"},
        catch_exceptions=False,
    )


@pytest.fixture(scope="module")
def two_audits(lab: Lab, nr: Nornir, tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("history-store") / "catlic.db"
    first = catlic(lab, store, "audit", "--json", "--no-progress")
    assert first.exit_code in (0, 2), first.output
    deadline = dt.datetime.fromisoformat(
        json.loads(first.output)["hosts"]["deadline-sw"]["result"]["state"]["reporting"]["next_ack_deadline"]
    )
    assert dt.datetime.now(dt.timezone.utc) < deadline, (
        "the first audit came after the deadline: raise DEADLINE_AFTER"
    )
    # The return's sync brings an ACK stamped with the lab's time: a minute on, so that it differs from the
    # build's ACK however fast the first audit ran (the deadline judged is the real time's, not the lab's).
    lab.advance_clock(seconds=60)
    returned = run_one(nr, "slac-sw", catlic_return_slac)
    assert not returned.failed, returned.exception
    lab.plug("stack-sw", SPARE["serial"])
    lab.advance_clock(days=60)
    acked = run_one(nr, "ack-sw", catlic_report_usage)
    assert not acked.failed, acked.exception
    while dt.datetime.now(dt.timezone.utc) <= deadline:  # the deadline passes for real
        time.sleep(min(1.0, (deadline - dt.datetime.now(dt.timezone.utc)).total_seconds() + 0.05))
    second = catlic(lab, store, "audit", "--json", "--no-progress")
    assert second.exit_code in (0, 2), second.output
    return store


EXPECTED = {
    "slac-sw": [
        ("ack-received", ""),  # an online return is synced with SSM: the sync brings an ACK
        ("finding-resolved", "DNA_ADVANTAGE_MISSING slac-sw"),  # no SLAC: DNA Advantage no longer needed
        ("finding-resolved", "HSEC_KEYS_REQUIRED slac-sw"),
        ("report-push-moved", ""),
        ("slac-returned", "PID:C9300X-24HX,SN:FOCH0101"),
    ],
    "stack-sw": [
        ("ack-received", ""),  # the stack reports the change of its usage at once
        ("license-count", "network-advantage (C9300-48 Network Advantage)"),  # one more switch counted
        ("member-joined", "PID:C9300X-48HX,SN:FOCH0003"),
        ("report-push-moved", ""),
    ],
    "ack-sw": [
        ("ack-deadline-moved", ""),
        ("ack-received", ""),
        ("finding-resolved", "ACK_DEADLINE_NEAR ack-sw"),
        ("report-push-moved", ""),
    ],
    "deadline-sw": [
        ("finding-new", "ACK_DEADLINE_PASSED deadline-sw"),
        ("finding-resolved", "ACK_DEADLINE_NEAR deadline-sw"),
    ],
}


def _kinds(document: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    return {
        host: sorted((change["kind"], change["subject"]) for change in changes)
        for host, changes in document["hosts"].items()
    }


def test_diff_names_exactly_the_changes_and_nothing_on_the_quiet_switch(lab: Lab, two_audits: Path) -> None:
    done = catlic(lab, two_audits, "diff", "--json")

    assert done.exit_code == 0, done.output
    document = json.loads(done.output)
    assert document["schema"] == "catlic/diff/v1"
    assert (document["from"]["id"], document["to"]["id"]) == (1, 2)
    assert _kinds(document) == EXPECTED  # quiet-sw changed in nothing
    by_kind = {change["kind"]: change for change in document["hosts"]["slac-sw"]}
    assert by_kind["slac-returned"]["before"] is not None  # the code of the SLAC returned
    assert by_kind["slac-returned"]["after"]  # the return code the switch printed


def test_diff_by_run_and_since_compare_the_same_runs(lab: Lab, two_audits: Path) -> None:
    by_run = json.loads(catlic(lab, two_audits, "diff", "--run", "1", "--json").output)
    since = json.loads(catlic(lab, two_audits, "diff", "--since", "2000-01-01", "--json").output)

    assert _kinds(by_run) == _kinds(since) == EXPECTED


def test_diff_as_a_table_says_each_change_in_words(lab: Lab, two_audits: Path) -> None:
    done = catlic(lab, two_audits, "diff")

    assert done.exit_code == 0, done.output
    assert "Changes from run 1 (audit" in done.output and "4 host(s) changed" in done.output
    assert "switch 3 PID:C9300X-48HX,SN:FOCH0003 (member) joined, without a SLAC" in done.output
    assert "SLAC gone from switch 1 PID:C9300X-24HX,SN:FOCH0101" in done.output
    assert "new error ACK_DEADLINE_PASSED" in done.output


def test_history_shows_both_runs_and_a_hosts_timeline(lab: Lab, two_audits: Path) -> None:
    fleet = json.loads(catlic(lab, two_audits, "history", "--json").output)
    timeline = json.loads(catlic(lab, two_audits, "history", "stack-sw", "--json").output)
    table = catlic(lab, two_audits, "history")

    assert [(run["id"], run["kind"], run["summary"]["hosts_total"]) for run in fleet["runs"]] == [
        (1, "audit", 5),
        (2, "audit", 5),
    ]
    assert fleet["runs"][1]["hosts_changed"] == 4
    assert [step["run"]["id"] for step in timeline["timeline"]] == [1, 2]
    assert timeline["timeline"][0]["changes"] is None  # the first snapshot is the baseline
    assert "member-joined" in {change["kind"] for change in timeline["timeline"][1]["changes"]}
    assert table.exit_code == 0 and "Recorded runs" in table.output and "catlic audit" in table.output


def test_a_bad_when_is_a_usage_error_naming_the_option(lab: Lab, two_audits: Path) -> None:
    done = catlic(lab, two_audits, "diff", "--since", "last tuesday")

    assert done.exit_code != 0
    assert "--since" in done.output and "'last tuesday' is neither a duration" in done.output


def test_the_history_holds_no_secret(lab: Lab, two_audits: Path) -> None:
    secrets = [lab.credentials["password"], lab.credentials["secret"]]
    assert all(secrets)
    with Store.at(two_audits).read() as connection:
        digests = [row.digest for row in connection.execute(select(history_snapshots.c.digest))]
        bodies = list(load_texts(connection, digests).values())
    with sqlite3.connect(two_audits) as connection:
        rows = [repr(row) for row in connection.execute("SELECT * FROM history_runs")]
    assert len(bodies) >= 9  # five switches, four of them changed
    for secret in secrets:
        assert all(secret.encode() not in body for body in bodies)
        assert all(secret not in row for row in rows)
