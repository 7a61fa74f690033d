"""The refresher: reads the fleet again every interval and swaps the result in for the collector.

One refresh at a time; a scrape never waits for one; a failing refresh keeps the last good data and is
counted. A switch that could not be read keeps showing what it said when it last could (``catlic_up`` 0 and
its read time tell), so a switch that goes down does not silence the alerts on its deadlines.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping, Sequence

from nornir_catlic import interrupts
from nornir_catlic.history.snapshot import HostSnapshot
from nornir_catlic.metrics.collector import FleetCollector

ReadFleet = Callable[[], Mapping[str, HostSnapshot]]
"""Reads every switch once (read-only) and returns its snapshot by host."""

RefreshHook = Callable[[dt.datetime, dt.datetime, Mapping[str, HostSnapshot]], None]
"""Called after each good refresh with (started_at, finished_at, the snapshots as read)."""

FailureHook = Callable[[str, BaseException], None]
"""Told what failed (``refresh`` or the hook's name) and why."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def carry_forward(
    previous: Mapping[str, HostSnapshot], fresh: Mapping[str, HostSnapshot]
) -> dict[str, HostSnapshot]:
    """``fresh``, where a switch that could not be read keeps its last read state and findings (and error).

    Hosts gone from ``fresh`` (no longer in the inventory) are gone.
    """
    shown: dict[str, HostSnapshot] = {}
    for host, snapshot in fresh.items():
        before = previous.get(host)
        if snapshot.state is None and before is not None and before.state is not None:
            snapshot = before.model_copy(update={"error": snapshot.error})
        shown[host] = snapshot
    return shown


class Refresher:
    """Runs ``read_fleet`` now (:meth:`refresh`) or every ``interval`` seconds in a thread (:meth:`start`).

    Args:
        on_refresh: hooks called after each good refresh (record it in the history, log a line).
        on_failure: told of a failed refresh or hook (the exporter prints it); never raises into the loop.
    """

    def __init__(
        self,
        read_fleet: ReadFleet,
        collector: FleetCollector,
        *,
        on_refresh: Sequence[RefreshHook] = (),
        on_failure: FailureHook | None = None,
    ) -> None:
        self._read_fleet = read_fleet
        self._collector = collector
        self._hooks = list(on_refresh)
        self._on_failure = on_failure
        self._one_at_a_time = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def interval(self) -> float:
        return self._collector.facts.interval

    def refresh(self) -> bool:
        """Read the fleet once and show it; a refresh under way is waited for first. True when it succeeded.

        A refresh cut short by a stop request (:mod:`nornir_catlic.interrupts`) is thrown away: its hosts
        were not read, not found down.
        """
        with self._one_at_a_time:
            self._set_running(True)
            started_at, clock = _utc_now(), time.monotonic()
            try:
                fresh = self._read_fleet()
            except Exception as error:  # whatever broke, the last good data stays and the failure is counted
                self._ended(clock, ok=False)
                self._tell("refresh", error)
                return False
            if interrupts.stop_requested():
                self._set_running(False)
                return False
            finished_at = _utc_now()
            self._collector.show(carry_forward(self._collector.snapshots, fresh))
            self._ended(clock, ok=True, at=finished_at)
            for hook in self._hooks:
                try:
                    hook(started_at, finished_at, fresh)
                except Exception as error:
                    facts = self._collector.facts
                    self._collector.show_facts(
                        dataclasses.replace(facts, hook_failures=facts.hook_failures + 1)
                    )
                    self._tell(getattr(hook, "__name__", "on_refresh hook"), error)
            return True

    def start(self) -> None:
        """Refresh now, then every ``interval`` from the start of the previous refresh, in a thread."""
        if self._thread is not None:
            raise RuntimeError("the refresher is already started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="catlic-exporter-refresh", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> bool:
        """Start no more refreshes and wait for the one under way; True when the thread ended in time."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _loop(self) -> None:
        next_start = time.monotonic()
        while not self._stop.is_set():
            self.refresh()
            # A refresh longer than the interval: the next one starts right after it, none is stacked up.
            next_start = max(next_start + self.interval, time.monotonic())
            self._stop.wait(next_start - time.monotonic())

    def _ended(self, clock: float, *, ok: bool, at: dt.datetime | None = None) -> None:
        facts = self._collector.facts
        self._collector.show_facts(
            dataclasses.replace(
                facts,
                refreshes=facts.refreshes + 1,
                failures=facts.failures + (0 if ok else 1),
                last_ok=ok,
                last_duration=time.monotonic() - clock,
                last_success_at=at if ok else facts.last_success_at,
                running=False,
            )
        )

    def _set_running(self, running: bool) -> None:
        self._collector.show_facts(dataclasses.replace(self._collector.facts, running=running))

    def _tell(self, what: str, error: BaseException) -> None:
        if self._on_failure is not None:
            self._on_failure(what, error)
