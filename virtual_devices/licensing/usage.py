"""What the switch uses (the license usage rows) and the RUM reports that measure it.

One report collects per entitlement; a changed count closes it (report on change: a push follows a few
minutes later) and opens another. Acknowledged reports beyond the newest ``KEPT_REPORTS`` are purged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from virtual_devices.licensing import settings
from virtual_devices.licensing.persistence import iso
from virtual_devices.licensing.state import LicensingState, ReportState, UsageReport, instant
from virtual_devices.licensing.switch import Switch
from virtual_devices.platforms import HSEC_DESCRIPTION, HSEC_LICENSE, HSEC_TAG_NAME

KEPT_REPORTS = 120
REPORT_ON_CHANGE_DELAY = timedelta(minutes=5)


@dataclass(frozen=True)
class UsageRow:
    license: str  # network-advantage, dna-advantage, C9K HSEC
    tag: str  # C9300-24 Network Advantage, Cat9K HSEC
    count: int
    status: str  # IN USE, NOT IN USE
    kind: str  # perpetual | subscription | export
    description: str = ""


def usage_rows(switch: Switch, state: LicensingState) -> list[UsageRow]:
    platform = switch.platform
    levels = [(state.base, "perpetual")] + ([(state.addon, "subscription")] if state.addon else [])
    rows: list[UsageRow] = []
    if switch.is_stack:
        # Members count per entitlement tag (the series and port count): one pid stands for its group.
        groups: dict[str, tuple[str, int]] = {}
        for unit in switch.ha_units():
            tag = platform.usage_tags(unit.pid, state.base)
            pid, count = groups.get(tag, (unit.pid, 0))
            groups[tag] = (pid, count + 1)
        for pid, count in groups.values():
            for level, kind in levels:
                name = platform.usage_tags(pid, level)
                rows.append(UsageRow(level, name, count, "IN USE", kind, name))
    else:
        pid = switch.active_unit().pid
        supervisors = len(switch.present_units())
        for level, kind in levels:
            count = supervisors if kind == "perpetual" else 1
            name = platform.usage_tags(pid, level)
            rows.append(UsageRow(level, name, count, "IN USE", kind, name))
    if state.slacs or state.hsec_in_use:
        in_use = state.hsec_in_use
        rows.append(
            UsageRow(
                HSEC_LICENSE,
                HSEC_TAG_NAME,
                1 if in_use else 0,
                "IN USE" if in_use else "NOT IN USE",
                "export",
                HSEC_DESCRIPTION,
            )
        )
    return rows


def refresh_reports(switch: Switch, state: LicensingState) -> None:
    """Close the open reports whose count changed and open one for every entitlement without one."""
    moment = switch.now()
    now = instant(moment)
    current = {row.tag: row.count for row in usage_rows(switch, state)}
    open_reports = {r.tag: r for r in state.reports if r.state is ReportState.COLLECTING}
    changed = False
    for tag, report in open_reports.items():
        if current.get(tag) != report.count:
            report.state = ReportState.AVAILABLE
            report.end = now
            changed = True
    if changed and settings.is_online(switch):  # report on change: the agent pushes a few minutes later
        soon = instant(moment + REPORT_ON_CHANGE_DELAY)
        due = state.reporting.next_push
        if due is None or soon < due:
            state.reporting.next_push = soon
    open_tags = {r.tag for r in state.reports if r.state is ReportState.COLLECTING}
    for tag, count in current.items():
        if tag not in open_tags:
            state.reports.append(_new_report(state, tag, count, now))


def close_reports(state: LicensingState, now: datetime) -> None:
    """End the open measurements (those that measured for some time) and start new ones."""
    for report in [r for r in state.reports if r.state is ReportState.COLLECTING]:
        if report.start == now:
            continue
        report.state = ReportState.AVAILABLE
        report.end = instant(now)
        state.reports.append(_new_report(state, report.tag, report.count, instant(now)))


def _new_report(state: LicensingState, tag: str, count: int, now: datetime) -> UsageReport:
    _purge_reports(state)
    report_id = 1 + max((r.id for r in state.reports), default=state.last_report_id)
    state.last_report_id = report_id
    return UsageReport(report_id, tag, count, ReportState.COLLECTING, now)


def _purge_reports(state: LicensingState) -> None:
    acked = [r for r in state.reports if r.state is ReportState.ACKED]
    excess = len(state.reports) - KEPT_REPORTS
    if excess > 0 and acked:
        dropped = {id(r) for r in acked[:excess]}
        state.reports[:] = [r for r in state.reports if id(r) not in dropped]  # callers hold the list
        state.purged += len(dropped)


def report_summary(state: LicensingState) -> dict[str, int]:
    states = [r.state for r in state.reports]
    counts = {kind.value: states.count(kind) for kind in ReportState}
    return {"total": len(states) + state.purged, "purged": state.purged, **counts}


def rum_payload(
    switch: Switch, state: LicensingState, reports: list[UsageReport]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The RUM header and body for ``reports``, as the SSM reads them (online or in a file)."""
    account = state.account
    header = {
        "udi": switch.active_unit().udi,
        "hostname": "" if settings.privacy(switch.config, "hostname") else switch.hostname,
        "software_version": ""
        if settings.privacy(switch.config, "version")
        else ".".join(map(str, switch.release)),
        "smart_account": account.smart_account if account else None,
        "virtual_account": account.virtual_account if account else None,
    }
    udis = switch.udis()
    body = [
        {
            "id": r.id,
            "tag": r.tag,
            "count": r.count,
            "udis": udis,
            "start": iso(r.start),
            "end": iso(r.end),
            "measurements": [{"type": "ENTITLEMENT", "value": "COUNT", "count": r.count}],
        }
        for r in reports
    ]
    return header, body
