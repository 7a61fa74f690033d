"""Read every switch's licensing state: boot level, transport, HSECK9, each member's SLAC and codes.

python examples/scripts/license_state.py
"""

from __future__ import annotations

from lab_inventory import lab_nornir

from nornir_catlic.models.state import LicenseState
from nornir_catlic.tasks.state import catlic_get_license_state


def main() -> int:
    nr = lab_nornir()
    results = nr.run(task=catlic_get_license_state)
    for host, multi in results.items():
        if multi.failed:
            print(f"{host}: FAILED {multi[0].exception}")
            continue
        state: LicenseState = multi[0].result
        print(
            f"{host}: {state.chassis_pid} {state.release}, boot level {' + '.join(state.boot_level.current)}"
        )
        for serial, member in state.members.items():
            roles = "/".join(role.value for role in member.roles)
            code = member.confirmation_code or "-"
            status = member.slac_status.value if member.slac_status else "-"
            print(f"  {serial} {member.pid:<14} {roles:<8} SLAC {status} (code {code})")
    return 1 if results.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
