"""Check the guide's HSECK9 prerequisites on every switch: which are ready, and which UDIs need a key.

python examples/scripts/check_hseck9.py
"""

from __future__ import annotations

from lab_inventory import lab_nornir

from nornir_catlic.tasks.check import HseckCheck, catlic_check_hseck9


def main() -> int:
    nr = lab_nornir()
    results = nr.run(task=catlic_check_hseck9)
    for host, multi in results.items():
        if multi.failed:
            print(f"{host}: FAILED {multi[0].exception}")
            continue
        check: HseckCheck = multi[0].result
        keys = ", ".join(check.key_plan.recommended) if check.key_plan else "none (no HSECK9 here)"
        print(f"{host}: {'ready' if check.ready else 'NOT ready'}; keys: {keys}")
        for finding in check.findings:
            print(f"    [{finding.severity.value}] {finding.message}")
    return 1 if results.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
