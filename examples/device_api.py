"""A switch from a script without Nornir: read its licensing state, plan the SLAC install, install it.

python examples/device_api.py

As written it licenses the examples' lab switch `c9300x-online` (`catlic lab up --topology
examples/lab-topology.yaml`, whose ports are in ./lab-state/ports.json); for a switch of yours, give its
address and login instead. Running it again installs nothing: the switch already holds its SLAC.
"""

import json
import os
from pathlib import Path

from nornir_catlic import CatalystSwitch, CatlicError
from nornir_catlic.journal import Journal

lab_ports = json.loads((Path(os.environ.get("CATLIC_LAB_STATE", "lab-state")) / "ports.json").read_text())

try:
    with CatalystSwitch(
        host="127.0.0.1",
        port=lab_ports["c9300x-online"],
        username="admin",
        password=os.environ.get("SWITCH_PASSWORD", "lab-pass-1"),
        secret=os.environ.get("SWITCH_SECRET", "lab-enable-1"),
        name="c9300x-online",  # the name the journal and the switch lock know it by
    ) as switch:
        state = switch.license_state()
        for serial, member in state.members.items():
            print(f"{serial}: SLAC {member.slac_status.value if member.slac_status else '-'}")

        plan = switch.install_slac(mode="online", dry_run=True)  # reads the switch, changes nothing
        print("would type:", *plan.commands or ["nothing"], sep="\n  ")

        install = switch.install_slac(mode="online", journal=Journal("catlic-journal.jsonl"))
        for udi, code in install.codes.items():
            print(f"{udi}: confirmation code {code}{' (new)' if udi in install.requested else ''}")
except CatlicError as error:  # the device's own words and the guide's remedy
    raise SystemExit(f"failed: {error}") from None
