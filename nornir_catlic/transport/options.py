"""The netmiko connection options an inventory should carry: platform, fast key exchange, short timeouts."""

from __future__ import annotations

from typing import Any

from nornir.core import Nornir
from nornir.core.inventory import ConnectionOptions

CONNECTION_NAME = "netmiko"
"""nornir_netmiko's connection plugin: every catlic task talks through it."""
PLATFORM = "cisco_xe"

# Key exchanges that cost a round trip or tens of milliseconds of CPU per session; paramiko already offers
# mlkem768x25519 / curve25519-sha256@libssh.org first, ecdh and group14 stay as fallbacks for older releases.
SLOW_KEX = ("diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512")


def netmiko_extras(
    *,
    secret: str | None = None,
    conn_timeout: float = 10.0,
    auth_timeout: float = 10.0,
    banner_timeout: float = 10.0,
    global_delay_factor: float = 0.1,
) -> dict[str, Any]:
    """Connection ``extras`` we recommend under ``connection_options["netmiko"]`` of a Nornir inventory.

    ``auto_connect`` stays netmiko's default: other tasks on the same inventory (nornir_netmiko's own,
    ``catlic task``) expect a connected session. An inventory that runs only catlic's tasks may set
    ``auto_connect: False``: :func:`~nornir_catlic.transport.session.connection` then sets the session up
    itself, without netmiko's session preparation and its fixed sleeps. ``fast_cli`` and a small
    ``global_delay_factor`` shrink the sleeps left (its buffer clearing sleeps ``0.1 s x
    global_delay_factor``, twice per prompt discovery); our commands wait on the prompt, never on time.
    Slow key exchanges are disabled so the fast ones are negotiated.

    Args:
        secret: the enable secret, when the login lands in user EXEC (``Device>``).
        conn_timeout: TCP connect timeout, seconds.
        auth_timeout: SSH authentication timeout, seconds.
        banner_timeout: wait for the SSH banner, seconds.
        global_delay_factor: netmiko's multiplier for its own sleeps.
    """
    extras: dict[str, Any] = {
        "fast_cli": True,
        "global_delay_factor": global_delay_factor,
        "conn_timeout": conn_timeout,
        "auth_timeout": auth_timeout,
        "banner_timeout": banner_timeout,
        "keepalive": 0,
        "disabled_algorithms": {"kex": list(SLOW_KEX)},
    }
    if secret is not None:
        extras["secret"] = secret
    return extras


def netmiko_connection_options(*, secret: str | None = None, **extras: Any) -> dict[str, Any]:
    """The whole ``connection_options`` of an inventory: ``{"netmiko": {"platform": ..., "extras": ...}}``."""
    return {CONNECTION_NAME: {"platform": PLATFORM, "extras": netmiko_extras(secret=secret, **extras)}}


def use_recommended_options(nr: Nornir, *, secret: str | None = None) -> Nornir:
    """Merge :func:`netmiko_extras` into the inventory defaults' ``netmiko`` options (values set win).

    For inventories written without them (the lab's, or an existing site's): the secret and timeouts already
    configured stay; the speed settings are added.
    """
    defaults = nr.inventory.defaults
    options = defaults.connection_options.get(CONNECTION_NAME)
    if options is None:
        options = ConnectionOptions(platform=PLATFORM, extras={})
        defaults.connection_options[CONNECTION_NAME] = options
    options.extras = {**netmiko_extras(secret=secret), **(options.extras or {})}
    if options.platform is None:
        options.platform = PLATFORM
    return nr
