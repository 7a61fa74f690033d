"""The switch's link to the SSM: whether it can be reached, and the COMM_FAILED / COMM_RESTORED it logs."""

from __future__ import annotations

from datetime import datetime

from virtual_devices.licensing import settings
from virtual_devices.licensing.messages import MESSAGES
from virtual_devices.licensing.state import LicensingState
from virtual_devices.licensing.switch import Switch


def reachable(switch: Switch) -> bool:
    return settings.is_online(switch) and switch.ctx.ssm is not None and not switch.faults.ssm_unreachable


def comm_failure(switch: Switch, state: LicensingState, at: datetime | None = None) -> None:
    state.comm_failed = True
    switch.log("%SMART_LIC-3-COMM_FAILED", MESSAGES["comm_failed"].format(peer=_peer(switch)), at=at)


def note_comm_ok(switch: Switch, state: LicensingState) -> None:
    if state.comm_failed:
        state.comm_failed = False
        switch.log("%SMART_LIC-5-COMM_RESTORED", MESSAGES["comm_restored"].format(peer=_peer(switch)))


def _peer(switch: Switch) -> str:
    if settings.transport(switch) == "smart":
        return "Cisco Smart Software Manager (CSSM)"
    return "Cisco Smart License Utility (CSLU)"
