"""Every show output of the lab, in every generation and arrangement, parses strictly with the library's
templates, and the parsed facts are the lab's own state. The lab never imports the library; this test joins
the two from outside, so a drift on either side shows here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nornir_catlic.parsing import parse
from virtual_devices.device import Device
from virtual_devices.licfiles import confirmation_code

from .rig import Rig, Terminal, dual_sup_spec, guide_time, stack_spec, svl_spec

SHOW_COMMANDS = [
    "show license summary",
    "show license authorization",
    "show license udi",
    "show license status",
    "show license usage",
    "show license all",
    "show version",
    "show switch",
    "show switch detail",
    "show switch stack-ports",
]
AGENT_RECORD_COMMANDS = [  # Smart Licensing Using Policy only: 16.x has no RUM reports
    "show license rum id all detail",
    "show license eventlog",
    "show license history message",
]


def _returned_stack(rig: Rig) -> Device:
    device = rig.device(stack_spec(name="returned", slacs="active", crypto=True))
    term = Terminal(device)
    term.configure("interface Tunnel10", "no tunnel mode")
    term.run("license smart authorization return local offline")
    return device


SCENARIOS: dict[str, Callable[[Rig], Device]] = {
    "stack agent5, keys in use": lambda rig: rig.device(stack_spec(slacs="all", crypto=True)),
    "stack agent5, returned": _returned_stack,
    "stack agent6": lambda rig: rig.device(stack_spec(name="six", release="17.15.1", slacs="all")),
    "stack cslu": lambda rig: rig.device(stack_spec(name="cslu", transport="cslu")),
    "16.x registered": lambda rig: rig.device({"name": "old", "platform": "C9300", "release": "16.12.4"}),
    "16.x eval": lambda rig: rig.device(
        {"name": "eval", "platform": "C9300", "release": "16.9.5", "transport": "off"}
    ),
    "svl": lambda rig: rig.device(svl_spec(slacs="active")),
    "dual supervisor, PDT": lambda rig: rig.device(dual_sup_spec(slacs="all", timezone="PDT -7")),
    "c9500x": lambda rig: rig.device(
        {"name": "x", "platform": "C9500X", "release": "17.8.1", "slacs": "active"}
    ),
    "c9200 offline": lambda rig: rig.device(
        {
            "name": "c9200",
            "platform": "C9200",
            "release": "17.9.4",
            "transport": "off",
            "boot_level": "network-essentials addon dna-essentials",
        }
    ),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_every_show_output_parses_strictly(tmp_path: Path, scenario: str) -> None:
    rig = Rig(tmp_path, guide_time(2021, 12, 3, 18, 34, 3))
    device = SCENARIOS[scenario](rig)
    term = Terminal(device)
    parsed: dict[str, Any] = {}
    for command in SHOW_COMMANDS:
        parsed[command] = parse(command, term.run(command), strict=True)
    if device.generation == "sl16":
        return
    for command in AGENT_RECORD_COMMANDS:
        parse(command, term.run(command), strict=True)
    authorization = parsed["show license authorization"]
    for unit in device.ha_units():
        member = authorization.members[unit.serial]
        slac = device.agent.state.slacs.get(unit.udi)
        assert member.last_confirmation_code == (confirmation_code(slac.code) if slac else None)
        assert member.last_return_code == device.agent.state.last_return.get(unit.udi)
    rows = {(row.license, row.count) for row in parsed["show license summary"].licenses}
    assert rows == {(row.license, row.count) for row in device.agent.usage_rows()}
