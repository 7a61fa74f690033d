"""Return the online switch's SLAC; the return code is journaled before anything else happens.

python examples/scripts/return_slac.py
"""

from __future__ import annotations

from lab_inventory import lab_nornir

from nornir_catlic.journal import Journal
from nornir_catlic.tasks.slac import SlacReturn, catlic_return_slac


def main() -> int:
    nr = lab_nornir().filter(name="c9300x-online")
    results = nr.run(task=catlic_return_slac, mode="online", journal=Journal("catlic-journal.db"))
    multi = results["c9300x-online"]
    if multi.failed:
        print(f"FAILED: {multi[0].exception}")
        return 1
    returned: SlacReturn = multi[0].result
    for udi, code in returned.return_codes.items():
        print(f"{udi}: return code {code}")
    if not returned.return_codes:
        print("nothing to return")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
