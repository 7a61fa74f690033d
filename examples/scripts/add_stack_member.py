"""Add the spare switch FOC2516LC92 to the stack, then request SLACs for every member (replace all).

On real hardware you cable and power the switch while the task waits for it; in the lab, the task asks the
lab to power the spare on.

    python examples/scripts/add_stack_member.py
"""

from __future__ import annotations

from lab_inventory import lab_nornir, lab_ssm, lab_state_dir

from nornir_catlic.journal import Journal
from nornir_catlic.tasks.stack import StackAddition, catlic_add_stack_member

SERIAL = "FOC2516LC92"


def power_on_spare() -> None:
    from virtual_devices.lab import send_control  # the lab's control channel stands in for your hands

    send_control(lab_state_dir(), {"op": "plug", "device": "c9300x-stack", "serial": SERIAL})


def main() -> int:
    nr = lab_nornir().filter(name="c9300x-stack")
    results = nr.run(
        task=catlic_add_stack_member,
        member_serial=SERIAL,
        member_pid="C9300X-48HX",
        method="replace-all",
        join=power_on_spare,
        mode="offline",  # the stack is air-gapped: the replace request crosses through SSM
        portal=lab_ssm(),
        journal=Journal("catlic-journal.db"),
    )
    multi = results["c9300x-stack"]
    if multi.failed:
        print(f"FAILED: {multi[0].exception}")
        return 1
    addition: StackAddition = multi[0].result
    print(f"{addition.member_udi} joined: {addition.joined}, confirmation code {addition.confirmation_code}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
