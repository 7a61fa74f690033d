"""The refresher and the collector without a lab: fleets read by functions the tests write.

A fleet read here is a plain function returning snapshots (what :func:`audit_snapshots` returns over SSH);
the refresher, the collector and prometheus_client's exposition are the real ones.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping

import pytest

from metrics.samples import DEADLINE, MESSAGE, Fleet, down_snapshot, stack_snapshot
from metrics.scrape import exposition
from nornir_catlic import interrupts
from nornir_catlic.errors import CatlicError
from nornir_catlic.history.snapshot import HostSnapshot
from nornir_catlic.metrics import MetricsExporter, carry_forward

LABELS = {"host", "udi", "role", "license", "entitlement", "status", "severity", "code"}
"""Every label a per-switch series may carry: each from a bounded set."""


@pytest.fixture(autouse=True)
def no_stop_request() -> Iterator[None]:
    interrupts.reset()
    yield
    interrupts.reset()


def test_a_switch_costs_a_bounded_number_of_series_and_no_free_text() -> None:
    exporter = MetricsExporter(Fleet({"sw1": stack_snapshot("sw1")}), interval=60)
    assert exporter.refresher.refresh()

    metrics = exposition(exporter.registry)
    per_switch = [sample for sample in metrics.samples if sample.labels.get("host") == "sw1"]
    # 8 host series + 5 licenses + 2 members + 2 finding codes (the figure the README quotes)
    assert len(per_switch) == 17
    assert set().union(*(sample.labels for sample in per_switch)) <= LABELS
    assert MESSAGE not in metrics.text
    assert metrics.value("catlic_next_ack_deadline_timestamp_seconds", host="sw1") == DEADLINE.timestamp()
    assert metrics.value("catlic_slac_installed", host="sw1", role="standby") == 0
    assert metrics.value("catlic_host_compliant", host="sw1") == 1  # a warning is no breach


def test_a_failing_refresh_keeps_the_last_good_data_and_is_counted() -> None:
    fleet = Fleet({"sw1": stack_snapshot("sw1")})
    told: list[tuple[str, str]] = []
    exporter = MetricsExporter(
        fleet, interval=60, on_failure=lambda what, error: told.append((what, str(error)))
    )
    assert exporter.refresher.refresh()
    good = exposition(exporter.registry)
    fleet.error = CatlicError("the inventory cannot be read")

    assert not exporter.refresher.refresh()

    failed = exposition(exporter.registry)
    assert failed.value("catlic_exporter_refresh_failures_total") == 1
    assert failed.value("catlic_exporter_refreshes_total") == 2
    assert failed.value("catlic_exporter_last_refresh_success") == 0
    for name in (
        "catlic_exporter_last_refresh_timestamp_seconds",
        "catlic_next_ack_deadline_timestamp_seconds",
    ):
        assert failed.values(name) == good.values(name)
    assert failed.value("catlic_up", host="sw1") == 1
    assert told == [("refresh", "the inventory cannot be read")]
    assert "inventory" not in failed.text  # the reason is told to the log, never exported


def test_refreshes_run_one_at_a_time() -> None:
    entered, release = threading.Event(), threading.Event()
    running: list[int] = []
    at_once = 0

    def slow_fleet() -> Mapping[str, HostSnapshot]:
        nonlocal at_once
        running.append(1)
        at_once = max(at_once, len(running))
        entered.set()
        release.wait(10)
        running.pop()
        return {"sw1": stack_snapshot("sw1")}

    exporter = MetricsExporter(slow_fleet, interval=60)
    first = threading.Thread(target=exporter.refresher.refresh)
    second = threading.Thread(target=exporter.refresher.refresh)
    first.start()
    assert entered.wait(10)
    second.start()
    second.join(0.2)
    assert second.is_alive()  # waits for the first
    assert (
        exposition(exporter.registry).value("catlic_exporter_refresh_running") == 1
    )  # a scrape does not wait
    release.set()
    first.join(10)
    second.join(10)

    assert at_once == 1
    assert exposition(exporter.registry).value("catlic_exporter_refreshes_total") == 2


def test_a_host_read_again_after_being_down_and_one_never_read() -> None:
    shown = carry_forward(
        {"sw1": stack_snapshot("sw1")}, {"sw1": down_snapshot("sw1"), "sw2": down_snapshot("sw2")}
    )

    assert shown["sw1"].state is not None and not shown["sw1"].reachable
    assert shown["sw1"].taken_at == stack_snapshot("sw1").taken_at
    assert shown["sw2"].state is None
    assert carry_forward(shown, {}) == {}  # a host gone from the inventory is gone from the metrics


def test_a_failing_hook_is_counted_and_the_others_still_run() -> None:
    called: list[str] = []

    def broken(*_: object) -> None:
        raise OSError("disk full")

    exporter = MetricsExporter(
        Fleet({"sw1": stack_snapshot("sw1")}),
        interval=60,
        on_refresh=[broken, lambda *_: called.append("after")],
    )
    assert exporter.refresher.refresh()

    metrics = exposition(exporter.registry)
    assert metrics.value("catlic_exporter_refresh_hook_failures_total") == 1
    assert metrics.value("catlic_exporter_last_refresh_success") == 1 and called == ["after"]


def test_a_refresh_cut_short_by_a_stop_is_thrown_away() -> None:
    fleet = Fleet({"sw1": stack_snapshot("sw1")})
    exporter = MetricsExporter(fleet, interval=60)
    assert exporter.refresher.refresh()
    fleet.snapshots = {"sw1": down_snapshot("sw1", "interrupted")}
    fleet.stop_while_reading = True  # as SIGTERM does while the switches are read

    assert not exporter.refresher.refresh()

    metrics = exposition(exporter.registry)
    assert metrics.value("catlic_up", host="sw1") == 1
    assert metrics.value("catlic_exporter_refreshes_total") == 1


def test_the_history_is_served_before_the_first_refresh() -> None:
    exporter = MetricsExporter(Fleet({}), interval=60, initial={"sw1": stack_snapshot("sw1")})

    metrics = exposition(exporter.registry)

    assert metrics.value("catlic_next_ack_deadline_timestamp_seconds", host="sw1") == DEADLINE.timestamp()
    assert metrics.value("catlic_exporter_refreshes_total") == 0
    assert metrics.values("catlic_exporter_last_refresh_timestamp_seconds") == []


def test_the_refresher_refreshes_every_interval_until_stopped() -> None:
    reads = threading.Semaphore(0)

    def counted() -> Mapping[str, HostSnapshot]:
        reads.release()
        return {}

    exporter = MetricsExporter(counted, interval=0.05)
    exporter.start_refreshing()
    try:
        assert all(reads.acquire(timeout=10) for _ in range(3))
    finally:
        assert exporter.stop(timeout=10)
    done = exposition(exporter.registry).value("catlic_exporter_refreshes_total")
    assert done >= 3
    assert not reads.acquire(timeout=0.2)  # stopped: no more reads
