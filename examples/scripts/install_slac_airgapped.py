"""Install the HSECK9 SLACs on the air-gapped stack, through a file-drop portal for the operator.

First run: the stack saves its SLAC request; the file waits in ./catlic-portal/outbox/ for you to upload to
Cisco SSM (OPERATOR.txt says where SSM's files go). Run again once they are in the inbox: each SLAC file is
copied to bootflash: and imported, one at a time, and every UDI's code is verified.

With --lab-ssm the lab's simulated SSM plays the operator at once (a rehearsal).

    python examples/scripts/install_slac_airgapped.py [--lab-ssm]
"""

from __future__ import annotations

import sys
from pathlib import Path

from lab_inventory import lab_nornir, lab_ssm

from nornir_catlic.errors import WaitingForPortal
from nornir_catlic.journal import Journal
from nornir_catlic.portal import FileDropPortal, relay_through
from nornir_catlic.tasks.slac import SlacInstall, catlic_install_slac


def main() -> int:
    nr = lab_nornir().filter(name="c9300x-stack")
    portal = FileDropPortal("catlic-portal")
    journal = Journal("catlic-journal.db")
    for _attempt in range(2):
        results = nr.run(task=catlic_install_slac, mode="offline", portal=portal, journal=journal)
        multi = results["c9300x-stack"]
        if not multi.failed:
            install: SlacInstall = multi[0].result
            for udi, code in install.codes.items():
                print(f"{udi}: confirmation code {code}")
            return 0
        if not isinstance(multi[0].exception, WaitingForPortal):
            print(f"FAILED: {multi[0].exception}")
            return 1
        print(f"waiting for Cisco SSM: see {Path('catlic-portal', 'OPERATOR.txt')}")
        if "--lab-ssm" not in sys.argv[1:]:
            return 4
        relay_through(portal, lab_ssm(), "c9300x-stack")
        nr.data.reset_failed_hosts()
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
