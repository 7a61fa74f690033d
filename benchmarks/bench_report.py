"""The HTML report at fleet scale: page size, time to build it, and time for Chromium to render it.

A synthetic fleet (generated license states, no SSH), audited by the real rules, with a year of weekly
runs as the compliance trend; then the page is opened in headless Chromium (network off) and timed from
navigation to charts drawn, and a table sorted and filtered.

Run: ``python benchmarks/bench_report.py [HOSTS]`` (default 10,000); ``--no-browser`` skips Chromium.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # report.headless: the tests' browser

from nornir_catlic.history import RunKind, RunSummary
from nornir_catlic.models.license import (
    LicenseUsageEntry,
    SlacStatus,
    UsageReporting,
    UsageStatus,
)
from nornir_catlic.models.state import BootLevelState, LicensedMember, LicenseState
from nornir_catlic.report import report_data, write_report
from nornir_catlic.rules.audit import audit_findings
from nornir_catlic.rules.findings import Severity, worst_severity
from nornir_catlic.tasks.audit import DeviceAudit, FleetAudit

NOW = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.timezone.utc)
PLATFORMS = [("C9300X-24HX", "C9300X"), ("C9300-48P", "C9300"), ("C9200L-24T-4G", "C9200")]
ADVANTAGE = ["network-advantage", "dna-advantage"]


def synthetic_state(index: int) -> LicenseState:
    """Switch ``index``: a standalone or a 2-3 member stack, its reporting dates spread over 90 days."""
    pid, _ = PLATFORMS[index % len(PLATFORMS)]
    members = {}
    for number in range(1, 2 + index % 3):
        serial = f"FOC{index:06d}{number:02d}"
        keyed = pid.startswith("C9300X") and (number == 1 or index % 5)
        members[serial] = LicensedMember(
            serial=serial,
            pid=pid,
            roles=[["active", "standby", "member"][min(number - 1, 2)]],  # type: ignore[list-item]
            switch_number=number,
            slac_status=SlacStatus.INSTALLED if keyed else SlacStatus.NOT_INSTALLED,
        )
    last_ack = NOW - dt.timedelta(days=index % 60, hours=index % 24)
    usage = [
        LicenseUsageEntry(
            name=f"{name} ({pid[:5]} {name})",
            entitlement_tag=f"regid.{name}",
            count=1,
            status=UsageStatus.IN_USE,
        )
        for name in ADVANTAGE
    ]
    return LicenseState(
        host=f"sw-{index:05d}",
        hostname=f"sw-{index:05d}",
        release="17.9.4",
        chassis_pid=pid,
        members=members,
        usage=usage,
        boot_level=BootLevelState(current=ADVANTAGE, next_reboot=ADVANTAGE),
        reporting=UsageReporting(
            last_ack_received=last_ack,
            next_ack_deadline=last_ack + dt.timedelta(days=90 - index % 7 * 10),
            reporting_push_interval_days=30,
            next_report_push=last_ack + dt.timedelta(days=30),
        ),
    )


def synthetic_fleet(hosts: int) -> FleetAudit:
    fleet = FleetAudit(hosts_total=hosts)
    for index in range(hosts):
        state = synthetic_state(index)
        if index % 97 == 0:
            fleet.hosts_failed[state.host] = "TCP connection to device failed"
            continue
        findings = audit_findings(
            state.to_facts(), state, NOW, warn_within=dt.timedelta(days=30), crypto=None
        )
        findings.sort(key=lambda finding: -finding.severity.rank)
        fleet.devices[state.host] = DeviceAudit(
            host=state.host, audited_at=NOW, worst=worst_severity(findings), findings=findings, state=state
        )
        fleet.hosts_audited.append(state.host)
    return fleet


def weekly_trend(hosts: int, weeks: int = 52) -> list[RunSummary]:
    return [
        RunSummary(
            run_id=week + 1,
            kind=RunKind.AUDIT,
            started_at=NOW - dt.timedelta(weeks=weeks - week),
            hosts_total=hosts,
            hosts_read=hosts - hosts // 97,
            hosts_compliant=int((hosts - hosts // 97) * (0.6 + 0.35 * week / weeks)),
            by_severity={
                severity: (weeks - week) * (severity.rank + 1) * hosts // 400 for severity in Severity
            },
        )
        for week in range(weeks)
    ]


def main() -> None:
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    hosts = int(arguments[0]) if arguments else 10_000
    began = time.perf_counter()
    fleet = synthetic_fleet(hosts)
    generated = time.perf_counter() - began

    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        began = time.perf_counter()
        data = report_data(fleet, weekly_trend(hosts), generated_at=NOW)
        computed = time.perf_counter() - began
        write_report(data, page)
        built = time.perf_counter() - began
        size = page.stat().st_size
        print(
            f"hosts: {hosts:,} ({len(fleet.hosts_failed)} unreachable), findings: {len(data.findings):,}, "
            f"HSECK9 UDIs: {len(data.coverage):,}  (fleet generated and audited in {generated:.1f} s)"
        )
        print(
            f"page: {size / 1e6:.2f} MB; built in {built:.2f} s ({computed:.2f} s computing the data, "
            f"{built - computed:.2f} s rendering and writing)"
        )
        if "--no-browser" not in sys.argv:
            browser_figures(page)


def browser_figures(page: Path) -> None:
    from report.headless import offline_chromium, page_figures

    with offline_chromium() as browser:
        figures = page_figures(browser, page)
    print(
        f"chromium: charts drawn {figures['drawn_ms']:.0f} ms after navigation start "
        f"(DOM content loaded {figures['dom_ms']:.0f} ms); the findings table: scrolled to and laid out "
        f"{figures['scroll_ms']:.0f} ms, sorted {figures['sort_ms']:.0f} ms, "
        f"filtered {figures['filter_ms']:.0f} ms (150 ms of it waiting for the typing to pause); "
        f"console errors: {len(figures['errors'])}, requests beyond the page: {len(figures['requests'])}"
    )


if __name__ == "__main__":
    main()
