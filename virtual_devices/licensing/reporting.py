"""Sending usage to the SSM: scheduled and on-demand pushes, RUM files, and the ACKs that come back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from virtual_devices import licfiles
from virtual_devices.licensing import link, settings
from virtual_devices.licensing.persistence import policy_from_dict
from virtual_devices.licensing.policy import reset_deadline
from virtual_devices.licensing.state import Account, LicensingState, ReportState, instant
from virtual_devices.licensing.switch import Switch
from virtual_devices.licensing.usage import close_reports, rum_payload

_UNSENT = (ReportState.AVAILABLE, ReportState.WAITING)


def account_from(source: Mapping[str, Any], now: datetime) -> Account:
    """The account named by an ACK, the SSM, or the topology, as of ``now``."""
    return Account(str(source.get("smart_account", "")), str(source.get("virtual_account", "")), instant(now))


def report_online(switch: Switch, state: LicensingState, now: datetime) -> None:
    """Send every report not yet acknowledged; install the ACK."""
    close_reports(state, now)
    unsent = [r for r in state.reports if r.state in _UNSENT]
    header, body = rum_payload(switch, state, unsent)
    for report in unsent:
        report.state = ReportState.WAITING
    state.reporting.last_push = instant(now)
    try:
        ack = switch.ctx.ssm.report_usage(header, body)
    except LookupError:  # no account to report to: the reports wait for an ACK that does not come
        state.reporting.next_push = instant(now + timedelta(days=settings.push_interval(switch.config)))
        return
    link.note_comm_ok(switch, state)
    install_ack(switch, state, ack, now)


def push_due_reports(switch: Switch, state: LicensingState, now: datetime) -> None:
    """The scheduled pushes up to ``now``, each at the time it was due; a failed one is retried a day
    later."""
    next_push = state.reporting.next_push
    while next_push is not None and next_push <= now and settings.is_online(switch):
        if link.reachable(switch):
            report_online(switch, state, next_push)
        else:
            link.comm_failure(switch, state, at=next_push)
            state.reporting.next_push = next_push + timedelta(days=1)
        following = state.reporting.next_push
        next_push = following if following is not None and following > next_push else None


def save_usage(switch: Switch, state: LicensingState, selector: str, value: int | None) -> str | None:
    """The RUM file for ``license smart save usage {all|unreported|day N|rum-id N}``; None: nothing."""
    now = switch.now()
    close_reports(state, now)
    if selector == "all":
        chosen = [r for r in state.reports if r.state is not ReportState.COLLECTING]
    elif selector == "unreported":
        chosen = [r for r in state.reports if r.state is ReportState.AVAILABLE]
    elif selector == "day":
        since = now - timedelta(days=value or 0)
        chosen = [r for r in state.reports if r.state is not ReportState.COLLECTING and r.start >= since]
    else:
        chosen = [r for r in state.reports if r.id == value]
    if not chosen:
        return None
    header, body = rum_payload(switch, state, chosen)
    for report in chosen:
        if report.state is ReportState.AVAILABLE:
            report.state = ReportState.WAITING
    state.reporting.last_file_write = instant(now)
    return licfiles.rum_file(header, body)


def install_ack(switch: Switch, state: LicensingState, ack: Mapping[str, Any], now: datetime) -> None:
    """A usage ACK (online, or imported from a file): reports acknowledged, account and policy updated."""
    if ack.get("type") != "usage":
        return
    ids = set(ack.get("report_ids") or [])
    for report in state.reports:
        if report.id in ids and report.state in _UNSENT:
            report.state = ReportState.ACKED
    state.account = account_from(ack, now)
    if ack.get("policy"):
        policy = policy_from_dict(ack["policy"])
        if policy != state.policy:
            state.policy = policy
            state.policy_installed = instant(now)
    state.reporting.last_ack = instant(now)
    reset_deadline(switch, state, now, acked=True)
