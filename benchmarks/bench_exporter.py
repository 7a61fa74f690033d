"""``catlic exporter`` at fleet scale: series per switch, the refresh-side build, a scrape of 10,000 switches.

    .venv/bin/python benchmarks/bench_exporter.py              # 10,000 switches
    .venv/bin/python benchmarks/bench_exporter.py --fleet 1000

Two fleets of snapshots made in code (no SSH): a typical one (two-member stacks with SLAC on the active only,
five license entries, two findings) and the worst case the labels allow (eight members, seventeen license
entries, every finding code at once). Prints the series per switch and for the fleet, the time to build the
families after a refresh (off the scrape path), and the time and size of one scrape (prometheus_client's text
exposition, as its HTTP server serves it).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from metrics.samples import stack_snapshot  # noqa: E402
from prometheus_client import generate_latest  # noqa: E402

from nornir_catlic.history.snapshot import HostSnapshot  # noqa: E402
from nornir_catlic.metrics import MetricsExporter  # noqa: E402
from nornir_catlic.models.common import Role  # noqa: E402
from nornir_catlic.models.license import SlacStatus, UsageStatus  # noqa: E402
from nornir_catlic.models.state import LicensedMember, LicenseUsageEntry  # noqa: E402
from nornir_catlic.rules.codes import FindingCode  # noqa: E402
from nornir_catlic.rules.findings import Finding, Severity  # noqa: E402

STACK_MEMBERS = 8  # the largest Catalyst 9000 stack
PIDS = [
    *("C9300X-24HX", "C9300X-48HXN", "C9300X-48HX", "C9300X-12Y"),
    *("C9300X-24Y", "C9300-24T", "C9300-48P", "C9300-48U"),
]


def worst_snapshot(host: str) -> HostSnapshot:
    """Every label set the exporter can give a switch: 8 members, 2 licenses per PID and HSEC, every code."""
    typical = stack_snapshot(host)
    assert typical.state is not None
    members = {
        f"{host}{n}": LicensedMember(
            serial=f"{host}{n}",
            pid=PIDS[n],
            roles=[Role.ACTIVE if n == 0 else Role.MEMBER],
            slac_status=SlacStatus.INSTALLED if n % 2 else SlacStatus.NOT_INSTALLED,
        )
        for n in range(STACK_MEMBERS)
    }
    usage = [
        LicenseUsageEntry(name=name, entitlement_tag=f"{pid} {name}", count=1, status=UsageStatus.IN_USE)
        for pid in PIDS
        for name in ("network-advantage", "dna-advantage")
    ] + [LicenseUsageEntry(name="C9K HSEC", entitlement_tag="Cat9K HSEC", count=1, status=UsageStatus.IN_USE)]
    findings = [
        Finding(code=code, severity=Severity.ERROR, subject=host, message="m") for code in FindingCode
    ]
    state = typical.state.model_copy(update={"members": members, "usage": usage})
    return typical.model_copy(update={"state": state, "findings": findings})


def measure(name: str, snapshots: dict[str, HostSnapshot]) -> None:
    exporter = MetricsExporter(lambda: snapshots, interval=900)
    began = time.perf_counter()
    assert exporter.refresher.refresh()
    build = time.perf_counter() - began
    began = time.perf_counter()
    text = generate_latest(exporter.registry)
    scrape = time.perf_counter() - began
    lines = [line for line in text.decode().splitlines() if line and not line.startswith("#")]
    per_host = [line for line in lines if 'host="' in line]
    print(
        f"{name:8} {len(snapshots):>6} switches: {len(per_host) / len(snapshots):5.1f} series/switch, "
        f"{len(lines):>8,} series; refresh-side build {build:5.2f} s; scrape {scrape:5.2f} s, "
        f"{len(text) / 1e6:6.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fleet", type=int, default=10_000)
    fleet = parser.parse_args().fleet
    measure("typical", {f"sw{n:05d}": stack_snapshot(f"sw{n:05d}") for n in range(fleet)})
    measure("worst", {f"sw{n:05d}": worst_snapshot(f"sw{n:05d}") for n in range(fleet)})


if __name__ == "__main__":
    main()
