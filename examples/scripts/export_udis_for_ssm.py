"""Write the CSV that Cisco SSM's "Multiple Devices" SLAC generation takes: every UDI still without a SLAC.

For sites where CSLU or SSM On-Prem pulls from the switches: upload the CSV to SSM, let the pull apply the
codes, then run this again: the file is empty when every UDI got its code.

    python examples/scripts/export_udis_for_ssm.py > udis.csv
"""

from __future__ import annotations

import sys

from lab_inventory import lab_nornir

from nornir_catlic.tasks.reporting import export_udis_csv
from nornir_catlic.tasks.state import catlic_get_license_state


def main() -> int:
    results = lab_nornir().run(task=catlic_get_license_state)
    sys.stdout.write(export_udis_csv(results, missing_only=True))
    return 1 if results.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
