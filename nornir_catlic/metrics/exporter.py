"""The exporter as one piece: a registry with the fleet's collector, the refresher, and the HTTP server."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry

from nornir_catlic.history.snapshot import HostSnapshot
from nornir_catlic.metrics.collector import FleetCollector
from nornir_catlic.metrics.refresh_facts import RefreshFacts
from nornir_catlic.metrics.refresher import FailureHook, ReadFleet, Refresher, RefreshHook
from nornir_catlic.metrics.server import ListenAddress, serve_metrics


class MetricsExporter:
    """Serves the fleet's metrics and keeps them fresh.

    Args:
        read_fleet: one read-only pass over the fleet (:func:`~nornir_catlic.metrics.audit_snapshots`).
        interval: seconds between the starts of two refreshes.
        initial: what to serve before the first refresh ends (the history's newest snapshot per host).
        on_refresh, on_failure: see :class:`~nornir_catlic.metrics.Refresher`.
    """

    def __init__(
        self,
        read_fleet: ReadFleet,
        *,
        interval: float,
        initial: Mapping[str, HostSnapshot] | None = None,
        on_refresh: Sequence[RefreshHook] = (),
        on_failure: FailureHook | None = None,
    ) -> None:
        if interval <= 0:
            raise ValueError(f"the refresh interval must be positive, not {interval}")
        self.collector = FleetCollector(initial or {}, RefreshFacts(interval=interval))
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(self.collector)
        self.refresher = Refresher(read_fleet, self.collector, on_refresh=on_refresh, on_failure=on_failure)
        self._server: WSGIServer | None = None

    def listen(self, address: ListenAddress) -> ListenAddress:
        """Serve ``/metrics`` on ``address`` (port 0: any free one); the address bound, OSError if none."""
        if self._server is not None:
            raise RuntimeError("the exporter is already listening")
        self._server, bound = serve_metrics(self.registry, address)
        return bound

    def start_refreshing(self) -> None:
        self.refresher.start()

    def stop(self, timeout: float | None = None) -> bool:
        """Stop refreshing (the refresh under way ends first) and serving; True when both stopped in time."""
        stopped = self.refresher.stop(timeout)
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        return stopped

    def __enter__(self) -> MetricsExporter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
