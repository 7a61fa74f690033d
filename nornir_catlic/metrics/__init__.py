"""Prometheus metrics of a fleet: the collector, the refresher that keeps it fresh, and the exporter.

``catlic exporter`` (:mod:`nornir_catlic.cli.exporter`) serves them; ``examples/grafana`` and
``examples/prometheus`` hold a dashboard and alert rules over them.
"""

from nornir_catlic.metrics.collector import FleetCollector
from nornir_catlic.metrics.exporter import MetricsExporter
from nornir_catlic.metrics.fleet_reading import audit_snapshots
from nornir_catlic.metrics.host_series import host_families
from nornir_catlic.metrics.refresh_facts import RefreshFacts, refresh_families
from nornir_catlic.metrics.refresher import Refresher, RefreshHook, carry_forward
from nornir_catlic.metrics.server import DEFAULT_PORT, ListenAddress

__all__ = [
    "DEFAULT_PORT",
    "FleetCollector",
    "ListenAddress",
    "MetricsExporter",
    "RefreshFacts",
    "RefreshHook",
    "Refresher",
    "audit_snapshots",
    "carry_forward",
    "host_families",
    "refresh_families",
]
