"""History benchmark: a year of daily audits of 10,000 synthetic switches recorded in one SQLite store.

    .venv/bin/python benchmarks/bench_history.py                        # 10,000 switches, 365 days
    .venv/bin/python benchmarks/bench_history.py --hosts 2000 --days 90

Each switch starts as the guide's C9300X stack (its captures in tests/tasks/guide, parsed for real) with
serials of its own and the guide's audit findings. Every day about ``--change-rate`` of the switches change
one thing (a SLAC returned or installed, a license count, the boot level after reload, a member joined or
gone), and each switch receives an ACK every ``--ack-every`` days (last ACK and Next ACK deadline move): a
realistic fleet changes a few per cent a day. No SSH: the runs are recorded with ``record_run`` as
``catlic audit`` records them. Printed: the store's size and rows, the time to record a run (median, 95th
percentile, first and last week), and the queries the CLI and the report make on the year: ``diff`` of the
last two runs and of the first and last, ``history HOST``, ``trend`` and ``latest``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select

from nornir_catlic.history import (
    HostSnapshot,
    RunKind,
    diff_runs,
    latest,
    record_run,
    runs,
    timeline,
    timeline_changes,
    trend,
)
from nornir_catlic.models.license import SlacStatus
from nornir_catlic.models.state import BootLevelState, LicensedMember, LicenseState, build_license_state
from nornir_catlic.parsing import parse
from nornir_catlic.rules.audit import audit
from nornir_catlic.store import Store
from nornir_catlic.store.schema import history_runs, history_snapshots, history_spans

GUIDE = Path(__file__).resolve().parent.parent / "tests" / "tasks" / "guide"
START = dt.datetime(2026, 1, 1, 2, 0, tzinfo=dt.timezone.utc)
T = TypeVar("T")


def guide_stack() -> LicenseState:
    def parsed(command: str) -> Any:
        return parse(command, (GUIDE / f"stack_member_added.{command.replace(' ', '_')}.txt").read_text())

    return build_license_state(
        "template",
        version=parsed("show version"),
        status=parsed("show license status"),
        udi=parsed("show license udi"),
        authorization=parsed("show license authorization"),
        summary=parsed("show license summary"),
        switch_detail=parsed("show switch detail"),
    )


def switch(template: LicenseState, number: int) -> LicenseState:
    """The template with a host name and serials of its own."""
    members = {}
    for index, member in enumerate(template.members.values()):
        serial = f"FOC{number:06d}{index}"
        members[serial] = member.model_copy(update={"serial": serial})
    return template.model_copy(
        update={"host": f"sw-{number:05d}", "hostname": f"sw-{number:05d}", "members": members}
    )


def snapshot(state: LicenseState, day: dt.datetime) -> HostSnapshot:
    return HostSnapshot(host=state.host, taken_at=day, state=state, findings=audit(state.to_facts(), START))


def changed(state: LicenseState, rng: random.Random, serial_counter: list[int]) -> LicenseState:
    """One thing changed, as a switch of a real fleet changes from one day to the next."""
    choice = rng.randrange(5)
    members = dict(state.members)
    if choice == 0:  # a SLAC returned or installed on one member
        serial = rng.choice(list(members))
        member = members[serial]
        status = SlacStatus.NOT_INSTALLED if member.slac_installed else SlacStatus.INSTALLED
        members[serial] = member.model_copy(update={"slac_status": status})
        return state.model_copy(update={"members": members})
    if choice == 1:  # a license count moves
        usage = list(state.usage)
        usage[0] = usage[0].model_copy(update={"count": (usage[0].count or 0) + rng.choice((-1, 1))})
        return state.model_copy(update={"usage": usage})
    if choice == 2:  # the boot level after reload changes
        after = (
            ["network-advantage"]
            if len(state.boot_level.next_reboot) > 1
            else ["network-advantage", "dna-advantage"]
        )
        return state.model_copy(
            update={"boot_level": BootLevelState(current=state.boot_level.current, next_reboot=after)}
        )
    if choice == 3 and len(members) > 1:  # a member gone
        members.pop(list(members)[-1])
        return state.model_copy(update={"members": members})
    serial_counter[0] += 1  # a member joined, without a SLAC
    serial = f"FJN{serial_counter[0]:08d}"
    members[serial] = LicensedMember(serial=serial, pid="C9300X-48HX", switch_number=len(members) + 1)
    return state.model_copy(update={"members": members})


def acked(state: LicenseState, day: dt.datetime) -> LicenseState:
    assert state.reporting is not None
    reporting = state.reporting.model_copy(
        update={"last_ack_received": day, "next_ack_deadline": day + dt.timedelta(days=90)}
    )
    return state.model_copy(update={"reporting": reporting})


def timed(function: Callable[[], T]) -> tuple[T, float, float]:
    """The result, the wall-clock seconds and the CPU seconds of this process (the CPU time is what a
    shared machine's load does not inflate)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--change-rate", type=float, default=0.02, help="share of switches changing each day")
    parser.add_argument("--ack-every", type=int, default=30, help="days between two ACKs of a switch")
    parser.add_argument("--store", type=Path, default=None, help="keep the store in this file")
    options = parser.parse_args()

    rng = random.Random(12)
    template = guide_stack()
    folder = tempfile.TemporaryDirectory()
    path = options.store or Path(folder.name) / "catlic.db"
    store = Store.at(path)

    began = time.perf_counter()
    states = {state.host: state for state in (switch(template, n) for n in range(options.hosts))}
    ack_day = {host: rng.randrange(options.ack_every) for host in states}
    snapshots = {host: snapshot(state, START) for host, state in states.items()}
    print(f"{options.hosts} switches generated in {time.perf_counter() - began:.1f} s", flush=True)

    record_seconds: list[float] = []
    record_cpu: list[float] = []
    changed_per_day: list[int] = []
    serial_counter = [0]
    for day_number in range(options.days):
        day = START + dt.timedelta(days=day_number)
        if day_number:
            moved = set(rng.sample(sorted(states), int(options.hosts * options.change_rate)))
            moved |= {host for host, offset in ack_day.items() if day_number % options.ack_every == offset}
            for host in moved:
                state = states[host]
                if day_number % options.ack_every == ack_day[host]:
                    state = acked(state, day)
                else:
                    state = changed(state, rng, serial_counter)
                states[host] = state
                snapshots[host] = snapshot(state, day)
            changed_per_day.append(len(moved))
        began, cpu = time.perf_counter(), time.process_time()
        record_run(
            store,
            kind=RunKind.AUDIT,
            started_at=day,
            finished_at=day + dt.timedelta(minutes=20),
            command="catlic audit",
            snapshots=snapshots,  # their taken_at is not recorded: the run's start is
        )
        seconds = time.perf_counter() - began
        record_seconds.append(seconds)
        record_cpu.append(time.process_time() - cpu)
        if day_number % 30 == 0 or day_number == options.days - 1:
            print(
                f"  day {day_number + 1:3d}: recorded in {seconds:.2f} s, store {_size(path) / 1e6:.1f} MB",
                flush=True,
            )

    store.close()
    with sqlite3.connect(path) as raw:  # the WAL folded into the file: the size a copy of the store has
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = _size(path)
    with sqlite3.connect(path) as raw:
        raw.execute("VACUUM")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    vacuumed = _size(path)

    with store.read() as connection:
        counts = {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar()
            for table in (history_runs, history_spans, history_snapshots)
        }
        body_bytes = connection.execute(select(func.sum(func.length(history_snapshots.c.body)))).scalar() or 0

    recorded = runs(store)
    first, before_last, last = recorded[0].id, recorded[-2].id, recorded[-1].id
    day_diff, day_diff_s, day_diff_cpu = timed(lambda: diff_runs(store, before_last, last))
    year_diff, year_diff_s, year_diff_cpu = timed(lambda: diff_runs(store, first, last))
    host = sorted(states)[options.hosts // 2]
    steps, timeline_s, timeline_cpu = timed(lambda: timeline_changes(timeline(store, host)))
    points, trend_s, trend_cpu = timed(lambda: trend(store))
    newest, latest_s, latest_cpu = timed(lambda: latest(store))

    print()
    print(
        f"fleet: {options.hosts} switches, {options.days} daily audits, "
        f"{statistics.mean(changed_per_day or [0]):.0f} switches changed a day on average "
        f"({options.change_rate:.0%} changes + ACKs every {options.ack_every} days)"
    )
    print(
        f"snapshots seen: {options.hosts * options.days:,}; stored: {counts['history_snapshots']:,} bodies "
        f"({body_bytes / max(1, counts['history_snapshots']):.0f} bytes each, compressed), "
        f"{counts['history_spans']:,} spans, {counts['history_runs']} runs"
    )
    print(
        f"store size: {size / 1e6:.1f} MB, {vacuumed / 1e6:.1f} MB after VACUUM "
        f"({vacuumed / options.hosts / options.days:.1f} bytes per switch per day)"
    )
    print(
        f"record a run of {options.hosts} switches: median {statistics.median(record_seconds):.2f} s "
        f"(CPU {statistics.median(record_cpu):.2f} s), p95 {_percentile(record_seconds, 0.95):.2f} s, "
        f"CPU first week {statistics.median(record_cpu[:7]):.2f} s, "
        f"last week {statistics.median(record_cpu[-7:]):.2f} s"
    )
    print(
        f"diff of the last two runs: {day_diff_s:.2f} s (CPU {day_diff_cpu:.2f} s; "
        + f"{len(day_diff)} hosts changed)"
    )
    print(
        f"diff of the first and the last run: {year_diff_s:.2f} s (CPU {year_diff_cpu:.2f} s; "
        f"{len(year_diff)} hosts changed)"
    )
    print(
        f"history {host}: {timeline_s * 1000:.0f} ms (CPU {timeline_cpu * 1000:.0f} ms; "
        + f"{len(steps)} snapshots)"
    )
    print(
        f"report inputs: trend over the year {trend_s * 1000:.0f} ms (CPU {trend_cpu * 1000:.0f} ms; "
        f"{len(points)} runs), latest {latest_s:.2f} s (CPU {latest_cpu:.2f} s; "
        f"{len(newest)} switches decoded)"
    )
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    folder.cleanup()


def _size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.parent.glob(path.name + "*"))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


if __name__ == "__main__":
    sys.exit(main())
