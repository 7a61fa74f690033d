"""What the exporter knows of its own refreshes, and those facts as Prometheus metric families."""

from __future__ import annotations

import datetime as dt
import platform
from dataclasses import dataclass

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily, Metric

from nornir_catlic import __version__

PREFIX = "catlic_exporter_"


@dataclass(frozen=True)
class RefreshFacts:
    """The refreshes so far; replaced whole on each change, so a scrape always reads one consistent set.

    Attributes:
        interval: seconds between the starts of two refreshes.
        refreshes: refreshes that ended, failed ones included.
        failures: refreshes that failed (the data shown stayed the last good one).
        hook_failures: ``on_refresh`` hooks that raised (recording the refresh elsewhere failed).
        last_ok: whether the last refresh succeeded; ``None`` before the first one ended.
        last_duration: seconds the last refresh took, failed or not.
        last_success_at: when the last good refresh ended.
        running: a refresh is under way.
    """

    interval: float
    refreshes: int = 0
    failures: int = 0
    hook_failures: int = 0
    last_ok: bool | None = None
    last_duration: float | None = None
    last_success_at: dt.datetime | None = None
    running: bool = False


def refresh_families(facts: RefreshFacts) -> list[Metric]:
    """The exporter's own series: its build, and its refreshes so far (the ``last_*`` once one ended)."""
    build = {"version": __version__, "python": platform.python_version()}
    last_success_at = facts.last_success_at.timestamp() if facts.last_success_at is not None else None
    gauges = [
        ("refresh_interval_seconds", "Seconds between the starts of two refreshes.", facts.interval),
        ("refresh_running", "1 while a refresh is under way.", float(facts.running)),
        ("last_refresh_success", "1 when the last refresh succeeded, 0 when it failed.", facts.last_ok),
        (
            "last_refresh_duration_seconds",
            "Seconds the last refresh took, failed or not.",
            facts.last_duration,
        ),
        ("last_refresh_timestamp_seconds", "When the last good refresh ended (Unix time).", last_success_at),
    ]
    counters = [
        ("refreshes", "Refreshes of the fleet's state that ended, failed ones included.", facts.refreshes),
        ("refresh_failures", "Refreshes that failed; the metrics kept the last good data.", facts.failures),
        (
            "refresh_hook_failures",
            "Refreshes whose recording (an on_refresh hook) failed.",
            facts.hook_failures,
        ),
    ]
    families: list[Metric] = [
        InfoMetricFamily(f"{PREFIX}build", "The exporter's and Python's versions.", value=build)
    ]
    families += [
        GaugeMetricFamily(f"{PREFIX}{name}", documentation, value=float(value))
        for name, documentation, value in gauges
        if value is not None
    ]
    families += [CounterMetricFamily(f"{PREFIX}{name}", text, value=count) for name, text, count in counters]
    return families
