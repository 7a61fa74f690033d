"""Trust codes: installed per UDI from the SSM (``license smart trust idtoken``) or given to a new member."""

from __future__ import annotations

from virtual_devices import licfiles
from virtual_devices.licensing import link, settings
from virtual_devices.licensing.messages import MESSAGES
from virtual_devices.licensing.state import LicensingState, instant
from virtual_devices.licensing.switch import Switch

MIN_TOKEN_LENGTH = 20  # a shorter token is refused as invalid before the SSM is asked


def scope_udis(switch: Switch, scope: str) -> list[str]:
    """The UDIs a ``{local|all}`` keyword names."""
    return switch.udis() if scope == "all" else [switch.active_unit().udi]


def trust_established(switch: Switch, state: LicensingState) -> bool:
    return bool(state.trust) and settings.is_online(switch)


def install_trust(switch: Switch, state: LicensingState, udi: str, *, announce: bool) -> None:
    state.trust[udi] = instant(switch.now())
    if announce:
        pid, serial = licfiles.split_udi(udi)
        switch.log("%SMART_LIC-6-TRUST_INSTALL_SUCCESS", MESSAGES["trust_success"].format(pid=pid, sn=serial))


def trust_with_token(switch: Switch, state: LicensingState, token: str, scope: str) -> str:
    """``license smart trust idtoken <token> {local|all}``: trust codes from SSM for the UDIs in scope."""
    if len(token) < MIN_TOKEN_LENGTH:
        return MESSAGES["bad_token"]
    if not link.reachable(switch):
        if settings.is_online(switch):
            link.comm_failure(switch, state)
            return ""
        return MESSAGES["transport_off"]
    for udi in scope_udis(switch, scope):
        install_trust(switch, state, udi, announce=True)
    link.note_comm_ok(switch, state)
    return ""
