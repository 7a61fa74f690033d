"""Licensing state that follows the hardware: a standalone merged into a stack, a supervisor replaced.

The HA members share one agent (the active's, synchronised to the standby); a UDI's SLAC and trust code
stay with the box that holds them.
"""

from __future__ import annotations

from dataclasses import replace

from virtual_devices.licensing.state import LicensingState
from virtual_devices.licensing.switch import Switch
from virtual_devices.licensing.usage import refresh_reports


def adopt(state: LicensingState, other: LicensingState, udi: str) -> None:
    """A standalone merged into this stack brings its SLAC and trust code along."""
    if udi in other.slacs:
        state.slacs[udi] = replace(other.slacs[udi])
    if udi in other.trust:
        state.trust[udi] = other.trust[udi]
    if udi in other.last_return:
        state.last_return[udi] = other.last_return[udi]


def forget_licensing_information(switch: Switch, state: LicensingState) -> None:
    """A new supervisor in a single-supervisor chassis: SLACs and trust codes are gone."""
    state.slacs.clear()
    state.trust.clear()
    state.pending = None
    refresh_reports(switch, state)
