"""Where the metrics are served: the address to listen on, and prometheus_client's own WSGI server on it."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, start_http_server

DEFAULT_PORT = 9731


@dataclass(frozen=True)
class ListenAddress:
    """``ADDR:PORT``: an IPv4 address, a ``[IPv6]`` address or a host name, and a port (0: any free one)."""

    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> ListenAddress:
        """Raises ValueError saying what is wrong with ``text``."""
        host, colon, port_text = text.strip().rpartition(":")
        if not colon or not host or not port_text:
            raise ValueError(f"{text!r}: expected ADDR:PORT, such as 127.0.0.1:{DEFAULT_PORT}")
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
            ipaddress.IPv6Address(host)  # ValueError names the address
        elif ":" in host:
            raise ValueError(f"{text!r}: write an IPv6 address in brackets, such as [::1]:{DEFAULT_PORT}")
        if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
            raise ValueError(f"{text!r}: the port must be a number from 0 to 65535")
        return cls(host, int(port_text))

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self}/metrics"

    @property
    def loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def serve_metrics(registry: CollectorRegistry, address: ListenAddress) -> tuple[WSGIServer, ListenAddress]:
    """Serve ``registry`` on ``address`` from a thread; the server and the address it is bound to.

    Raises:
        OSError: the address cannot be bound (in use, not this machine's, not allowed).
    """
    server, _ = start_http_server(address.port, addr=address.host, registry=registry)
    return server, ListenAddress(address.host, int(server.server_port))
