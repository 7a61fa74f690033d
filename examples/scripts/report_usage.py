"""Send the usage report where it is due within 30 days, and show each switch's next ACK deadline.

python examples/scripts/report_usage.py
"""

from __future__ import annotations

from lab_inventory import lab_nornir

from nornir_catlic.tasks.reporting import UsageReport, catlic_report_usage


def main() -> int:
    nr = lab_nornir().filter(filter_func=lambda host: host.name in ("c9300x-online", "c9500x"))
    results = nr.run(task=catlic_report_usage, mode="online", if_due_within_days=30)
    for host, multi in results.items():
        if multi.failed:
            print(f"{host}: FAILED {multi[0].exception}")
            continue
        report: UsageReport = multi[0].result
        print(f"{host}: reported {report.reported}, next ACK deadline {report.next_ack_deadline}")
    return 1 if results.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
