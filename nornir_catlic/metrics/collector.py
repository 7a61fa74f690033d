"""The Prometheus collector: the fleet's newest snapshots and the refresh facts, swapped in whole."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from prometheus_client.core import Metric

from nornir_catlic.history.snapshot import HostSnapshot
from nornir_catlic.metrics.host_series import host_families
from nornir_catlic.metrics.refresh_facts import RefreshFacts, refresh_families


@dataclass(frozen=True)
class _Shown:
    snapshots: Mapping[str, HostSnapshot]
    families: list[Metric]


class FleetCollector:
    """A prometheus_client custom collector of one fleet.

    The per-switch families are built once per refresh, off the scrape path; :meth:`show` swaps them in with
    one assignment, so a scrape never waits for a refresh and never sees half of one.
    """

    def __init__(self, snapshots: Mapping[str, HostSnapshot], facts: RefreshFacts) -> None:
        self._shown = _Shown(dict(snapshots), host_families(snapshots))
        self._facts = facts

    @property
    def snapshots(self) -> Mapping[str, HostSnapshot]:
        return self._shown.snapshots

    @property
    def facts(self) -> RefreshFacts:
        return self._facts

    def show(self, snapshots: Mapping[str, HostSnapshot]) -> None:
        shown = dict(snapshots)
        self._shown = _Shown(shown, host_families(shown))

    def show_facts(self, facts: RefreshFacts) -> None:
        self._facts = facts

    def collect(self) -> Iterable[Metric]:
        shown, facts = self._shown, self._facts  # one read of each: the scrape's consistent view
        return [*shown.families, *refresh_families(facts)]
