"""The reporting policy in force and the ACK deadline it sets (REPORTING_REQUIRED while one is due)."""

from __future__ import annotations

from datetime import datetime, timedelta

from virtual_devices.licensing import settings
from virtual_devices.licensing.messages import MESSAGES
from virtual_devices.licensing.state import CISCO_DEFAULT_POLICY, LicensingState, Policy, instant
from virtual_devices.licensing.switch import Switch


def effective_policy(state: LicensingState) -> Policy:
    return state.policy or CISCO_DEFAULT_POLICY


def reset_deadline(switch: Switch, state: LicensingState, now: datetime, *, acked: bool) -> None:
    """A new deadline from ``now``: the first report's after a reset, the reporting frequency's after an
    ACK."""
    policy = effective_policy(state)
    terms = policy.subscription if state.addon else policy.perpetual
    days = terms.frequency if acked else terms.first_report
    if acked and days == 0:
        state.reporting.deadline = None
    else:
        state.reporting.deadline = instant(now + timedelta(days=days or terms.first_report))
    if settings.is_online(switch):
        state.reporting.next_push = instant(now + timedelta(days=settings.push_interval(switch.config)))


def announce_deadline(switch: Switch, state: LicensingState, now: datetime) -> None:
    """REPORTING_REQUIRED at boot and daily, while no ACK came or the deadline is within a month."""
    deadline = state.reporting.deadline
    if deadline is None:
        return
    days = (deadline - now - timedelta(seconds=1)).days
    if state.reporting.last_ack and days > 30:
        return
    if days >= 0:
        switch.log(
            "%SMART_LIC-6-REPORTING_REQUIRED", MESSAGES["reporting_required"].format(days=days), at=now
        )
