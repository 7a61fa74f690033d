"""What the licensing agent keeps about its own work, printed from its state: the RUM reports
(``show license rum id``), the event log (``show license eventlog``) and the message history
(``show license history message``).

The agent state keeps moments, not logs: the event log and the message history are rebuilt from them (a
report opened, a SLAC or trust code installed, a policy, the last push and ACK), so they always agree with
what ``show license status`` says. Event names beyond the ones Cisco's documents show (`SAEVT_ENDPOINT_USAGE`,
`SAEVT_RESERVE_INSTALL_START`, `SAEVT_TAG_AUTHORIZED`) are the lab's own, as is the history's layout
(no public capture shows it).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from virtual_devices.licensing import settings
from virtual_devices.licensing.state import ReportState, UsageReport

if TYPE_CHECKING:
    from virtual_devices.device import Device

REPORT_STATES = {
    ReportState.COLLECTING: ("OPEN", "None"),
    ReportState.AVAILABLE: ("CLOSED", "REPORTING"),
    ReportState.WAITING: ("UNACK", "REPORTED"),
    ReportState.ACKED: ("ACK", "ACKED"),
}
"""The lab's report states -> (State, State Change Reason) as the agent prints them."""


def _local(device: Device, moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc) + device.zone()[1]


def _month_date(device: Device, moment: datetime | None) -> str:
    if moment is None:
        return "<none>"
    return _local(device, moment).strftime("%b %d %H:%M:%S %Y ") + device.zone()[0]


def _iso_date(device: Device, moment: datetime) -> str:
    local = _local(device, moment)
    return local.strftime("%Y-%m-%d %H:%M:%S.") + f"{local.microsecond // 1000:03d} " + device.zone()[0]


# ---------------------------------------------------------------- show license rum id
def _chosen_reports(device: Device, selector: str) -> list[UsageReport]:
    reports = device.agent.state.reports
    return list(reports) if selector == "all" else [r for r in reports if str(r.id) == selector]


def _feature_names(device: Device) -> dict[str, str]:
    """Entitlement display name -> the license it counts (network-advantage, dna-advantage, hseck9)."""
    return {row.tag: row.license for row in device.agent.usage_rows()}


def show_license_rum(device: Device, selector: str, detail: bool) -> str:
    """``show license rum id {all|<id>} [detail]``: the table, or a block a report."""
    device.agent.refresh()
    chosen = _chosen_reports(device, selector)
    features = _feature_names(device)
    if not detail:
        out = ["Smart Licensing Usage Report:", "=============================", ""]
        out.append(f"{'Report Id':<14}{'State':<15}{'Flag':<6}Feature Name")
        for report in chosen:
            state = REPORT_STATES[report.state][0]
            out.append(f"{report.id:<14}{state:<15}{'N':<6}{features.get(report.tag, report.tag)}")
        return "\n".join(out)
    out = ["Smart Licensing Usage Report Detail:", "===================================="]
    every = device.agent.state.reports
    for report in chosen:
        same = [r.id for r in every if r.tag == report.tag]
        position = same.index(report.id)
        previous = same[position - 1] if position > 0 else 0
        following = same[position + 1] if position + 1 < len(same) else 0
        state, reason = REPORT_STATES[report.state]
        out += [
            f"Report Id: {report.id}",
            "  Metric Name: ENTITLEMENT",
            f"  Feature Name: {features.get(report.tag, report.tag)}",
            f"  Metric Value: {report.tag}",
            f"  UDI: {device.active_unit().udi}",
            f"  Previous Report Id: {previous}, Next Report Id: {following}",
            f"  State: {state}, State Change Reason: {reason}",
            f"  Start Time: {_month_date(device, report.start)}, End Time: {_month_date(device, report.end)}",
            "  Storage State: EXIST",
            "  Transaction ID: 0",
            "  Transaction Message: <none>",
            "",
        ]
    return "\n".join(out[:-1] if chosen else out)


# ---------------------------------------------------------------- show license eventlog
def _events(device: Device) -> list[tuple[datetime, str, str]]:
    """(moment, event, attributes) of everything the state remembers, oldest first."""
    state = device.agent.state
    events: list[tuple[datetime, str, str]] = []
    for report in state.reports:
        events.append(
            (report.start, "SAEVT_ENDPOINT_USAGE", f'count="{report.count}" entitlementTag="{report.tag}"')
        )
    for udi, installed in state.trust.items():
        events.append((installed, "SAEVT_TRUST_INSTALL_SUCCESS", f'udi="{udi}"'))
    for udi, slac in state.slacs.items():
        events.append((slac.installed, "SAEVT_RESERVE_INSTALL_START", f'udi="{udi}"'))
        events.append(
            (slac.installed, "SAEVT_TAG_AUTHORIZED", f'count="1" entitlementTag="{slac.entitlement}"')
        )
    if state.policy_installed is not None:
        events.append((state.policy_installed, "SAEVT_POLICY_INSTALL", ""))
    if state.reporting.last_ack is not None:
        events.append((state.reporting.last_ack, "SAEVT_ACK_RECEIVED", ""))
    events.sort(key=lambda event: event[0])
    return events


def show_license_eventlog(device: Device, days: int | None) -> str:
    """``show license eventlog [days]``: every event, or those of the last ``days`` days."""
    device.agent.refresh()
    since = device.now() - timedelta(days=days) if days is not None else None
    out = ["**** Event Log ****"]
    for moment, event, attributes in _events(device):
        if since is None or moment >= since:
            out.append(" ".join(part for part in (_iso_date(device, moment), event, attributes) if part))
    return "\n".join(out)


# ---------------------------------------------------------------- show license history message
def show_license_history_message(device: Device) -> str:
    """``show license history message``: the last usage report sent, and what came back."""
    device.agent.refresh()
    state = device.agent.state
    peer = "CSSM" if settings.transport(device) == "smart" else "CSLU"
    messages: list[tuple[datetime, str, str]] = []
    if state.reporting.last_push is not None:
        messages.append((state.reporting.last_push, "Sent", "Usage Report"))
    if state.policy_installed is not None:
        messages.append((state.policy_installed, "Received", "Policy"))
    if state.reporting.last_ack is not None:
        messages.append((state.reporting.last_ack, "Received", "Acknowledgement"))
    messages.sort(key=lambda message: message[0])
    out = ["Message History:", "================"]
    for moment, direction, kind in messages:
        out += [
            f"Time: {_month_date(device, moment)}",
            f"  Direction: {direction}",
            f"  Type: {kind}",
            f"  Peer: {peer}",
            "  Result: Success",
            "",
        ]
    return "\n".join(out[:-1] if messages else out)
