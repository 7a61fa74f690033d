"""Install the HSECK9 SLAC on a switch that reaches Cisco SSM: request, sync, wait, verify the code.

python examples/scripts/install_slac_online.py
"""

from __future__ import annotations

from lab_inventory import lab_nornir

from nornir_catlic.journal import Journal
from nornir_catlic.tasks.slac import SlacInstall, catlic_install_slac


def main() -> int:
    nr = lab_nornir().filter(name="c9300x-online")
    journal = Journal("catlic-journal.db")  # every step, codes first: a rerun resumes from it
    results = nr.run(task=catlic_install_slac, mode="online", scope="all", journal=journal)
    for host, multi in results.items():
        if multi.failed:
            print(f"{host}: FAILED {multi[0].exception}")
            continue
        install: SlacInstall = multi[0].result
        for udi, code in install.codes.items():
            print(f"{host}: {udi} confirmation code {code}{' (new)' if udi in install.requested else ''}")
    return 1 if results.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
