"""show inventory: the supervisors of a chassis, as real Catalyst 9000 devices print them."""

from __future__ import annotations

import pytest

from nornir_catlic.errors import ParseError
from nornir_catlic.models.inventory import ShowInventory
from nornir_catlic.parsing import parse

C9606R_DUAL_SUP = """\
NAME: "Chassis", DESCR: "Cisco Catalyst 9600 Series 6 Slot Chassis"
PID: C9606R            , VID: V01  , SN: FXS241201WP

NAME: "Slot 3 Supervisor", DESCR: "Cisco Catalyst 9600 Series Supervisor 2 Module"
PID: C9600X-SUP-2      , VID: V01  , SN: CAT2411L0AB

NAME: "Slot 4 Supervisor", DESCR: "Cisco Catalyst 9600 Series Supervisor 2 Module"
PID: C9600X-SUP-2      , VID: V01  , SN: CAT2411L0CD

NAME: "Slot 1 Linecard", DESCR: "Cisco Catalyst 9600 Series 40-Port 50GE/25GE/10GE, 2-Port 400GE Line Card"
PID: C9600-LC-40YL4CD  , VID: V01  , SN: CAT2412L1EF

NAME: "Power Supply Module 1", DESCR: "Cisco Catalyst 9600 Series 2000W AC Power Supply"
PID: C9600-PWR-2KWAC   , VID:      , SN:

NAME: "HundredGigE1/0/41", DESCR: "QSFP 100GE SR"
PID: QSFP-100G-SR4-S     , VID: V03  , SN: AVF2215S0GH
"""


def test_supervisors_and_every_item_are_read() -> None:
    inventory = parse("show inventory", C9606R_DUAL_SUP)
    assert isinstance(inventory, ShowInventory)
    assert inventory.unparsed_lines == []
    assert inventory.supervisor_pids == ["C9600X-SUP-2", "C9600X-SUP-2"]
    assert inventory.items[0].pid == "C9606R"
    linecard = inventory.items[3]
    assert linecard.description == "Cisco Catalyst 9600 Series 40-Port 50GE/25GE/10GE, 2-Port 400GE Line Card"
    power = inventory.items[4]
    assert (power.vid, power.serial) == (None, None)
    assert len(inventory.items) == 6


def test_a_line_it_does_not_know_is_reported() -> None:
    inventory = parse("sh inv", C9606R_DUAL_SUP + "Module 7 is powered off\n")
    assert inventory.unparsed_lines == ["Module 7 is powered off"]


def test_other_output_is_refused() -> None:
    with pytest.raises(ParseError):
        parse("show inventory", "Switch/Stack Mac Address : b08b.d02b.5b80 - Local Mac Address\n")
