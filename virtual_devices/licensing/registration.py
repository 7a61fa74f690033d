"""16.x Smart Licensing (the ``sl16`` generation): ``license smart register idtoken`` and ``deregister``."""

from __future__ import annotations

from virtual_devices.licensing import link
from virtual_devices.licensing.messages import MESSAGES
from virtual_devices.licensing.reporting import account_from, report_online
from virtual_devices.licensing.state import LicensingState, instant
from virtual_devices.licensing.switch import Switch
from virtual_devices.licensing.trust import MIN_TOKEN_LENGTH


def register(switch: Switch, state: LicensingState, token: str) -> str:
    """Registers with the SSM's account (any well-formed token)."""
    if len(token) < MIN_TOKEN_LENGTH:
        return MESSAGES["bad_token"]
    if not link.reachable(switch):
        link.comm_failure(switch, state)
        return MESSAGES["registration_started"]
    account = switch.ctx.default_account()
    if not account:
        return MESSAGES["registration_started"]
    now = switch.now()
    state.account = account_from(account, now)
    state.policy_installed = instant(now)
    for udi in switch.udis():
        state.trust[udi] = instant(now)
    report_online(switch, state, now)
    udi = switch.active_unit().udi
    switch.log("%SMART_LIC-5-AGENT_REG_SUCCESS", MESSAGES["registered"].format(udi=udi))
    switch.log("%SMART_LIC-6-AUTH_RENEW_SUCCESS", MESSAGES["authorized"].format(udi=udi))
    return MESSAGES["registration_started"]


def deregister(switch: Switch, state: LicensingState) -> str:
    state.account = None
    state.trust.clear()
    udi = switch.active_unit().udi
    switch.log("%SMART_LIC-5-AGENT_DEREG_SUCCESS", MESSAGES["deregistered"].format(udi=udi))
    return ""
