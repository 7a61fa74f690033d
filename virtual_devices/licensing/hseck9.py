"""The cryptographic feature (IPsec tunnel, WAN MACsec) and the HSECK9 key it holds IN USE.

The feature may be configured while the active's UDI holds a SLAC and DNA Advantage is in use. With
``hsec_release_required`` the key stays IN USE after the feature is unconfigured until
``platform [wanmacsec] hsec-license-release`` (the guide's case).
"""

from __future__ import annotations

from virtual_devices.licensing import settings
from virtual_devices.licensing.messages import MESSAGES
from virtual_devices.licensing.state import LicensingState
from virtual_devices.licensing.switch import Switch
from virtual_devices.licensing.usage import refresh_reports
from virtual_devices.platforms import IPSEC, WAN_MACSEC


def active_authorized(switch: Switch, state: LicensingState) -> bool:
    return switch.active_unit().udi in state.slacs


def standby_authorized(switch: Switch, state: LicensingState) -> bool:
    standby = switch.standby_unit()
    return standby is None or standby.udi in state.slacs


def switchover_authorized(switch: Switch, state: LicensingState) -> bool:
    """After a switchover: may the new active keep the crypto feature?"""
    return not state.hsec_in_use or not settings.crypto_configured(switch) or active_authorized(switch, state)


def crypto_refusal(switch: Switch, state: LicensingState) -> str | None:
    """None when the crypto feature may be configured now, else the reason (a MESSAGES key)."""
    if not switch.hsec_supported():
        return "unsupported"
    if not active_authorized(switch, state):
        return "hsec_rejected"
    if state.addon != "dna-advantage":
        return "dna_required"
    return None


def log_rejection(switch: Switch, reason: str) -> None:
    tag = "%PLATFORM_IPSEC_HSEC-3-INVALID_HSEC"
    if switch.platform.crypto_feature == WAN_MACSEC:
        tag = "%PLATFORM_WANMACSEC_HSEC-3-INVALID_HSEC"
    key = "hsec_rejected" if reason == "unsupported" else reason
    active = switch.active_unit()
    number = active.chassis if switch.svl else active.number
    feature = "IPSec mode" if switch.platform.crypto_feature == IPSEC else "WAN MACsec"
    switch.log(tag, MESSAGES[key].format(switch=number, feature=feature))


def strip_crypto(switch: Switch) -> None:
    line = settings.crypto_line(switch)
    if line is None:
        return
    for name in switch.config.interfaces_with(line):
        switch.config.remove_in(name, line)


def add_crypto_at_build(switch: Switch) -> None:
    """A topology's ``crypto: true``: the feature in the running and startup configuration."""
    if switch.platform.crypto_feature == IPSEC:
        name, line = "Tunnel10", "tunnel mode ipsec ipv4"
    else:
        name, line = f"HundredGigE{switch.active_unit().chassis}/0/1", "macsec network-link"
    for config in (switch.config, switch.startup):
        config.set_in(name, line)


def configure_crypto(switch: Switch, state: LicensingState, interface: str, line: str) -> bool:
    """``tunnel mode ipsec ipv4`` or ``macsec network-link`` on ``interface``: only with a SLAC (False: the
    switch refused it and logged why)."""
    reason = crypto_refusal(switch, state)
    if reason is not None:
        log_rejection(switch, reason)
        return False
    switch.config.set_in(
        interface, line, replacing=line.rsplit(" ", 1)[0] if line.startswith("tunnel") else line
    )
    if not state.hsec_in_use:
        switch.log("%SMART_LIC-6-EXPORT_CONTROLLED", MESSAGES["export_allowed"])
    return True


def notice_crypto_change(switch: Switch, state: LicensingState) -> None:
    """The feature configured or removed since the last look (``no interface Tunnel10`` too)."""
    configured = settings.crypto_configured(switch)
    if configured != state.crypto_seen:
        state.crypto_seen = configured
        # hsec_release_required: unconfiguring keeps the key IN USE until it is forcibly released.
        if configured or not switch.settings.get("hsec_release_required"):
            state.hsec_in_use = configured


def force_release(switch: Switch, state: LicensingState) -> str:
    """``platform [wanmacsec] hsec-license-release``."""
    if settings.crypto_configured(switch):  # the feature still runs: nothing to release
        return ""
    state.hsec_in_use = False
    refresh_reports(switch, state)
    return MESSAGES["hsec_released"]
