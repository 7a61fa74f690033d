"""The history in the store: runs recorded, snapshots stored once, spans moved, queries, prune, upgrade."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from history.guide_states import MORNING, audited, guide_stack
from nornir_catlic.history import (
    ChangeKind,
    HostSnapshot,
    RunKind,
    diff_runs,
    fleet_at,
    latest,
    newest_run,
    parse_duration,
    parse_when,
    prune,
    record_run,
    run_as_of,
    runs,
    snapshot_at,
    timeline,
    timeline_changes,
    trend,
)
from nornir_catlic.history.bodies import MAX_DEPTH, load_texts
from nornir_catlic.history.codec import decode, encode
from nornir_catlic.rules.findings import Severity
from nornir_catlic.store import Store
from nornir_catlic.store.schema import SCHEMA_VERSION, history_snapshots, history_spans

DAY = dt.timedelta(days=1)
HOSTS = ["sw-1", "sw-2", "sw-3"]


def _audit(store: Store, day: int, snapshots: dict[str, HostSnapshot], kind: RunKind = RunKind.AUDIT) -> int:
    started = MORNING + day * DAY
    return record_run(
        store,
        kind=kind,
        started_at=started,
        finished_at=started + dt.timedelta(minutes=1),
        command="catlic audit",
        snapshots=snapshots,
    )


def _fleet(day: int, **states: HostSnapshot) -> dict[str, HostSnapshot]:
    moment = MORNING + day * DAY
    fleet = {host: audited(guide_stack(host), moment) for host in HOSTS}
    fleet.update(states)
    return fleet


def _count(store: Store, table) -> int:  # type: ignore[no-untyped-def]
    with store.read() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar() or 0)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.at(tmp_path / "catlic.db")


def test_a_snapshot_round_trips_and_its_digest_ignores_the_time_it_was_taken() -> None:
    morning, evening = audited(guide_stack()), audited(guide_stack(), MORNING + dt.timedelta(hours=10))

    assert decode(encode(morning).text, morning.taken_at) == morning
    assert encode(morning).digest == encode(evening.model_copy(update={"findings": morning.findings})).digest
    assert encode(morning).digest != encode(audited(guide_stack(authorization_from="returned"))).digest


def test_unchanged_hosts_only_move_their_span_and_each_body_is_stored_once(store: Store) -> None:
    for day in range(10):
        _audit(store, day, _fleet(day))

    assert _count(store, history_spans) == 3
    assert _count(store, history_snapshots) == 3
    assert [recorded.hosts_changed for recorded in runs(store)] == [3] + [0] * 9
    with store.read() as connection:
        ends = {row.last_run_id for row in connection.execute(select(history_spans.c.last_run_id))}
    assert ends == {10}


def test_a_changed_host_starts_a_span_and_the_diff_names_its_change(store: Store) -> None:
    first = _audit(store, 0, _fleet(0))
    returned = audited(guide_stack("sw-2", authorization_from="returned"), MORNING + DAY)
    second = _audit(store, 1, _fleet(1, **{"sw-2": returned}))

    found = diff_runs(store, first, second)

    assert list(found) == ["sw-2"]
    assert ChangeKind.SLAC_RETURNED in [change.kind for change in found["sw-2"]]
    assert _count(store, history_spans) == 4
    assert runs(store)[-1].hosts_changed == 1


def test_the_fleet_at_a_run_is_what_that_run_saw(store: Store) -> None:
    first = _audit(store, 0, _fleet(0))
    only_two = {host: snapshot for host, snapshot in _fleet(1).items() if host != "sw-3"}  # --filter
    second = _audit(store, 1, only_two)
    third = _audit(store, 2, _fleet(2))

    assert list(fleet_at(store, first)) == HOSTS
    assert list(fleet_at(store, second)) == ["sw-1", "sw-2"]
    assert list(fleet_at(store, third)) == HOSTS
    assert snapshot_at(store, "sw-3", second) is None
    assert fleet_at(store, third)["sw-1"].taken_at == MORNING + 2 * DAY
    assert [change.kind for change in diff_runs(store, first, second)["sw-3"]] == [ChangeKind.HOST_GONE]
    assert diff_runs(store, first, third) == {}
    assert [recorded.id for recorded in runs(store, host="sw-3")] == [first, third]


def test_state_and_audit_runs_keep_spans_of_their_own(store: Store) -> None:
    audit_one = _audit(store, 0, _fleet(0))
    states = {host: HostSnapshot.of_state(guide_stack(host), MORNING + DAY) for host in HOSTS}
    state_run = _audit(store, 1, states, kind=RunKind.STATE)
    audit_two = _audit(store, 2, _fleet(2))

    assert _count(store, history_spans) == 6  # an audit span and a state span per host
    assert fleet_at(store, state_run)["sw-1"].findings is None
    assert fleet_at(store, audit_two)["sw-1"].findings is not None
    assert newest_run(store, kind=RunKind.AUDIT, before=audit_two).id == audit_one  # type: ignore[union-attr]
    assert latest(store)["sw-1"].findings is not None  # the newest run is an audit
    assert latest(store, kind=RunKind.STATE)["sw-1"].taken_at == MORNING + DAY


def test_latest_and_trend_are_the_reports_inputs(store: Store) -> None:
    _audit(store, 0, _fleet(0))
    down = HostSnapshot.unreachable("sw-3", MORNING + DAY, "TCP connection to device failed")
    _audit(store, 1, _fleet(1, **{"sw-3": down}))

    newest = latest(store)
    points = trend(store)

    assert list(newest) == HOSTS and newest["sw-3"].error == "TCP connection to device failed"
    assert [(point.hosts_total, point.hosts_read) for point in points] == [(3, 3), (3, 2)]
    findings = audited(guide_stack()).findings or []
    assert findings and sum(points[0].by_severity.values()) == 3 * len(findings)
    assert trend(store, since=MORNING + DAY) == points[1:]


def test_a_hosts_timeline_lists_each_snapshot_and_what_changed(store: Store) -> None:
    _audit(store, 0, _fleet(0))
    _audit(store, 1, _fleet(1))
    down = HostSnapshot.unreachable("sw-2", MORNING + 2 * DAY, "authentication failed")
    _audit(store, 2, _fleet(2, **{"sw-2": down}))
    _audit(store, 3, _fleet(3))

    steps = timeline_changes(timeline(store, "sw-2"))

    assert [(step.entry.first_run.id, step.entry.last_run_id) for step in steps] == [(1, 2), (3, 3), (4, 4)]
    assert steps[0].changes is None
    assert [c.kind for c in steps[1].changes or []] == [ChangeKind.REACHABILITY_LOST]
    assert [c.kind for c in steps[2].changes or []] == [ChangeKind.REACHABILITY_REGAINED]
    assert [
        step.entry.first_run.id for step in timeline_changes(timeline(store, "sw-2", since=MORNING + 3 * DAY))
    ] == [4]


def test_prune_drops_old_runs_and_the_spans_only_they_covered(store: Store) -> None:
    returned = audited(guide_stack("sw-2", authorization_from="returned"), MORNING)
    _audit(store, 0, _fleet(0, **{"sw-2": returned}))
    for day in range(1, 5):
        _audit(store, day, _fleet(day))

    pruned = prune(store, older_than=MORNING + 2 * DAY)

    # sw-2's first snapshot stays: its next one is compressed against it
    assert (pruned.runs, pruned.spans, pruned.snapshots) == (2, 1, 0)
    assert [recorded.id for recorded in runs(store)] == [3, 4, 5]
    assert list(fleet_at(store, 3)) == HOSTS
    assert [step.entry.first_run.id for step in timeline_changes(timeline(store, "sw-1"))] == [3]
    assert _count(store, history_snapshots) == 4
    assert fleet_at(store, 3)["sw-2"].findings == _fleet(3)["sw-2"].findings
    assert prune(store, older_than=MORNING).runs == 0


def test_run_as_of_a_moment_is_the_newest_run_started_by_then(store: Store) -> None:
    for day in range(3):
        _audit(store, day, _fleet(day))

    assert run_as_of(store, MORNING + DAY + dt.timedelta(hours=5)).id == 2  # type: ignore[union-attr]
    assert run_as_of(store, MORNING - DAY).id == 1  # type: ignore[union-attr]  # older than all: the oldest


def test_an_empty_or_missing_history_answers_with_nothing(tmp_path: Path) -> None:
    missing = Store.at(tmp_path / "none.db")

    assert runs(missing) == [] and latest(missing) == {} and trend(missing) == []
    assert timeline(missing, "sw-1") == [] and newest_run(missing) is None
    assert not (tmp_path / "none.db").exists(), "reading creates nothing"


def test_a_store_of_the_previous_schema_gains_the_history_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store.at(path).write():
        pass
    with sqlite3.connect(path) as connection:  # what a catlic of schema 1 left
        for table in ("history_spans", "history_snapshots", "history_runs"):
            connection.execute(f"DROP TABLE {table}")
        connection.execute("UPDATE schema_version SET version = 1")

    store = Store.at(path)
    _audit(store, 0, _fleet(0))

    assert [recorded.id for recorded in runs(store)] == [1]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version FROM schema_version").fetchone() == (SCHEMA_VERSION,)
        indexes = {
            row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
    assert {"history_spans_by_host", "history_spans_by_last_run", "history_runs_by_time"} <= indexes


def test_when_and_durations_read_as_people_write_them() -> None:
    now = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.timezone.utc)

    assert parse_when("7d", now) == now - 7 * DAY
    assert parse_when("12h", now) == now - dt.timedelta(hours=12)
    assert parse_when("2026-12-01", now) == dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    assert parse_when("2026-12-01T08:00+01:00", now).utcoffset() == dt.timedelta(hours=1)
    assert parse_duration("400d") == 400 * DAY
    with pytest.raises(ValueError, match="neither a duration"):
        parse_when("yesterday", now)
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration("1y")


def test_run_rows_keep_the_counts_the_trend_reads(store: Store) -> None:
    _audit(store, 0, _fleet(0))
    with sqlite3.connect(store.path) as connection:  # type: ignore[arg-type]
        by_severity = json.loads(connection.execute("SELECT by_severity FROM history_runs").fetchone()[0])
    assert set(by_severity) == {severity.value for severity in Severity}


def test_a_changed_hosts_body_is_compressed_against_its_previous_one(store: Store) -> None:
    stack = guide_stack("sw-1")
    reporting = stack.reporting
    assert reporting is not None
    for day in range(MAX_DEPTH + 2):  # an ACK a day: a new snapshot each run
        acked = reporting.model_copy(update={"last_ack_received": MORNING + day * DAY})
        _audit(store, day, {"sw-1": audited(stack.model_copy(update={"reporting": acked}), MORNING)})

    with store.read() as connection:
        rows = list(connection.execute(select(history_snapshots).order_by(history_snapshots.c.depth)))
        texts = load_texts(connection, [row.digest for row in rows])
    whole = [row for row in rows if row.base is None]
    deltas = [row for row in rows if row.base is not None]
    assert [row.depth for row in whole] == [0, 0]  # the first, and one after MAX_DEPTH links
    assert max(row.depth for row in deltas) == MAX_DEPTH
    assert max(len(row.body) for row in deltas) * 4 < min(len(row.body) for row in whole)
    acks = [decode(text, MORNING).state.reporting.last_ack_received for text in texts.values()]  # type: ignore[union-attr]
    assert sorted(acks) == [MORNING + day * DAY for day in range(MAX_DEPTH + 2)]  # every body reads back
    assert len({text for text in texts.values()}) == MAX_DEPTH + 2

    pruned = prune(store, older_than=MORNING + (MAX_DEPTH + 1) * DAY)  # keep the newest run only

    assert pruned.runs == MAX_DEPTH + 1
    newest = latest(store)["sw-1"]
    assert newest.state is not None and newest.state.reporting is not None
    assert newest.state.reporting.last_ack_received == MORNING + (MAX_DEPTH + 1) * DAY
