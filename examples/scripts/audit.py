"""Audit the fleet and print the findings with the guide's remedies, then the fleet summary.

python examples/scripts/audit.py
"""

from __future__ import annotations

from lab_inventory import lab_nornir

from nornir_catlic.rules.findings import Severity
from nornir_catlic.tasks.audit import catlic_audit, summarize_audit


def main() -> int:
    nr = lab_nornir()
    results = nr.run(task=catlic_audit, warn_days=30)
    summary = summarize_audit(results)
    for host, device in summary.devices.items():
        for finding in device.findings:
            print(f"{host}: [{finding.severity.value}] {finding.code}: {finding.message}")
            if finding.remedy:
                print(f"    remedy: {finding.remedy}")
    for host, reason in summary.hosts_failed.items():
        print(f"{host}: not audited: {reason}")
    counts = ", ".join(f"{count} {severity.value}" for severity, count in summary.by_severity.items())
    print(f"{len(summary.hosts_audited)}/{summary.hosts_total} audited; findings: {counts}")
    if summary.hosts_failed:
        return 1
    return 2 if summary.by_severity.get(Severity.CRITICAL) else 0


if __name__ == "__main__":
    raise SystemExit(main())
