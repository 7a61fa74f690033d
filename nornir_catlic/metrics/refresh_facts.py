"""What the exporter knows of its own refreshes, and those facts as Prometheus metric families."""

from __future__ import annotations

import datetime as dt
import platform
from dataclasses import dataclass

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily, Metric

from nornir_catlic import __version__


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
    build = InfoMetricFamily(
        "catlic_exporter_build",
        "The catlic exporter's version and Python's.",
        value={"version": __version__, "python": platform.python_version()},
    )
    interval = GaugeMetricFamily(
        "catlic_exporter_refresh_interval_seconds",
        "Seconds between the starts of two refreshes.",
        value=facts.interval,
    )
    refreshes = CounterMetricFamily(
        "catlic_exporter_refreshes",
        "Refreshes of the fleet's state that ended, failed ones included.",
        value=facts.refreshes,
    )
    failures = CounterMetricFamily(
        "catlic_exporter_refresh_failures",
        "Refreshes that failed; the metrics kept the last good data.",
        value=facts.failures,
    )
    hook_failures = CounterMetricFamily(
        "catlic_exporter_refresh_hook_failures",
        "Refreshes whose recording (an on_refresh hook) failed.",
        value=facts.hook_failures,
    )
    running = GaugeMetricFamily(
        "catlic_exporter_refresh_running",
        "1 while a refresh is under way.",
        value=1.0 if facts.running else 0.0,
    )
    families: list[Metric] = [build, interval, refreshes, failures, hook_failures, running]
    if facts.last_ok is not None:
        families.append(
            GaugeMetricFamily(
                "catlic_exporter_last_refresh_success",
                "1 when the last refresh succeeded, 0 when it failed.",
                value=1.0 if facts.last_ok else 0.0,
            )
        )
    if facts.last_duration is not None:
        families.append(
            GaugeMetricFamily(
                "catlic_exporter_last_refresh_duration_seconds",
                "Seconds the last refresh took, failed or not.",
                value=facts.last_duration,
            )
        )
    if facts.last_success_at is not None:
        families.append(
            GaugeMetricFamily(
                "catlic_exporter_last_refresh_timestamp_seconds",
                "When the last good refresh ended (Unix time).",
                value=facts.last_success_at.timestamp(),
            )
        )
    return families
