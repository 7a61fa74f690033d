"""What the running configuration says about licensing: transport, URLs, proxy, privacy, boot level.

A function takes the switch where the answer depends on more than the configuration (the default transport
on the generation, the crypto line on the platform), else a configuration (running, or startup for what
the next boot brings).
"""

from __future__ import annotations

from virtual_devices.config import Config
from virtual_devices.licensing.switch import Switch
from virtual_devices.platforms import IPSEC, WAN_MACSEC

DEFAULT_SMART_URL = "https://smartreceiver.cisco.com/licservice/license"
DEFAULT_CSLU_URL = "http://cslu-local:8182/cslu/v1/pi"
ONLINE_TRANSPORTS = ("smart", "cslu", "callhome", "automatic")
DEFAULT_PUSH_INTERVAL = 30  # days
_CRYPTO_LINES = {IPSEC: "tunnel mode ipsec", WAN_MACSEC: "macsec network-link"}


def transport(switch: Switch) -> str:
    lines = switch.config.lines_starting("license smart transport")
    if lines:
        return lines[-1].split()[-1]
    return "callhome" if switch.generation == "sl16" else "cslu"


def is_online(switch: Switch) -> bool:
    return transport(switch) in ONLINE_TRANSPORTS


def url(config: Config, kind: str) -> str:
    for line in config.lines_starting(f"license smart url {kind}"):
        return line.split()[-1]
    return DEFAULT_SMART_URL if kind == "smart" else DEFAULT_CSLU_URL


def push_interval(config: Config) -> int:
    for line in config.lines_starting("license smart usage interval"):
        return int(line.split()[-1])
    return DEFAULT_PUSH_INTERVAL


def privacy(config: Config, what: str) -> bool:
    return config.has("license smart privacy all") or config.has(f"license smart privacy {what}")


def proxy(config: Config) -> tuple[str | None, str | None]:
    address = config.lines_starting("license smart proxy address")
    port = config.lines_starting("license smart proxy port")
    return (address[-1].split()[-1] if address else None, port[-1].split()[-1] if port else None)


def vrf(config: Config) -> str | None:
    lines = config.lines_starting("license smart vrf")
    return lines[-1].split()[-1] if lines else None


def boot_level(config: Config) -> tuple[str, str | None]:
    """(base, add-on) that ``config`` boots with."""
    lines = config.lines_starting("license boot level")
    if not lines:
        return "network-advantage", None
    words = lines[-1].split()
    return words[3], words[5] if len(words) > 5 else None


def crypto_line(switch: Switch) -> str | None:
    """The interface line (a prefix) that configures the platform's cryptographic feature."""
    return _CRYPTO_LINES.get(switch.platform.crypto_feature or "")


def crypto_configured(switch: Switch) -> bool:
    line = crypto_line(switch)
    return line is not None and bool(switch.config.interfaces_with(line))
