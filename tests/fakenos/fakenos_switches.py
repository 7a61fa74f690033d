"""The switches FakeNOS serves in these tests: real captures from ``tests/corpus/real/``, none written here.

Each switch answers the commands of the read side (``show version``, ``show license all``, and
``show switch detail`` on a stack) with a capture copied from a real device (see the corpus's NOTICE). The
corpus holds two ``show license all`` captures only, so a switch pairs captures from several devices of the
same kind, as the names say. A command without a capture gets FakeNOS's own ``cisco_ios`` answers: its
canned ``show inventory`` (a 3640 router's), and for anything else its reply to an unknown command,
``% Invalid input detected at '^' marker.``.

FakeNOS lands the login in user EXEC (``name>``) and ``enable`` asks no password; it answers netmiko's
``terminal width 511`` and ``terminal length 0`` with nothing. The prompt is the host's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "real"

USERNAME = "fakenos-reader"
PASSWORD = "fakenos-pass-1"
SECRET = "fakenos-enable-1"
"""The enable secret catlic types after ``enable`` if asked; FakeNOS's ``enable`` never asks."""

LISTEN_ADDRESS = "127.0.0.1"


@dataclass(frozen=True)
class FakeSwitch:
    """One FakeNOS host: its name (also its prompt), the capture answering each command, its Nornir data."""

    name: str
    captures: Mapping[str, str]
    data: Mapping[str, Any] = field(default_factory=dict)
    slow_commands: Mapping[str, float] = field(default_factory=dict)
    """Commands answered (with FakeNOS's own empty reply) only after this many seconds: a busy switch."""

    def output(self, command: str) -> str:
        return (CORPUS / self.captures[command]).read_text()


C9300_STACK = FakeSwitch(
    "c9300-stack",
    {
        # ssr-cat9300: C9300-24P on 17.6.1, network-advantage + dna-advantage
        "show version": "show_version/genie__golden_output_c9300_output.txt",
        # a stack of three C9300 on agent 5.3.10: Using Policy, Callhome, no ACK yet, no SLAC
        "show license all": "show_license_all/genie__golden_output_output.txt",
        # three members Active / Standby / Member, all Ready (a C3850 stack's capture)
        "show switch detail": "show_switch_detail/genie__golden_output_c3850_output.txt",
    },
)

_C9600_CAPTURES = {
    # intrepid-2: C9606R on a 17.8 build
    "show version": "show_version/genie__golden_output_8_output.txt",
    # a dual-supervisor chassis on agent 5.11.2: Smart transport through a proxy, trust codes, dates in PDT
    "show license all": "show_license_all/genie__golden_output_2_output.txt",
}

BUSY_PREPARATION_SECONDS = 0.5

C9300_BUSY = FakeSwitch(
    "c9300-busy",
    C9300_STACK.captures,
    # Its prompt after netmiko's `terminal length 0` comes late, after netmiko stopped reading for it.
    slow_commands={"terminal length 0": BUSY_PREPARATION_SECONDS},
)

C9600_DUAL_SUP = FakeSwitch(
    "c9606-dual-sup",
    _C9600_CAPTURES,
    # What PDT means, as an operator writes it: the device's `clock timezone` has no capture.
    data={"clock_zones": {"PDT": -7}},
)

C9600_ZONES_UNKNOWN = FakeSwitch("c9606-no-zones", _C9600_CAPTURES)
"""The same chassis without ``clock_zones``: catlic asks the device for its clock configuration."""

C9500_NO_LICENSE_ALL = FakeSwitch(
    "c9500-17-3",
    # C9500-24Y4C on 17.3.1: the corpus has no `show license all` from a 17.3 box
    {"show version": "show_version/genie__golden_output_c9500_1_output.txt"},
)

SWITCHES = (C9300_STACK, C9300_BUSY, C9600_DUAL_SUP, C9600_ZONES_UNKNOWN, C9500_NO_LICENSE_ALL)


def fakenos_inventory(switches: tuple[FakeSwitch, ...], ports: Mapping[str, int]) -> dict[str, Any]:
    """FakeNOS's inventory: each switch a ``cisco_ios`` host on ``ports[name]`` of 127.0.0.1 only."""
    both_modes = ["{base_prompt}>", "{base_prompt}#"]
    return {
        "default": {
            "username": USERNAME,
            "password": PASSWORD,
            "server": {"plugin": "ParamikoSshServer", "configuration": {"address": LISTEN_ADDRESS}},
            "nos": {"plugin": "cisco_ios"},
        },
        "hosts": {
            switch.name: {
                "port": ports[switch.name],
                "platform": "cisco_ios",
                "nos": {
                    "plugin": "cisco_ios",
                    "configuration": {
                        "commands": {
                            **{
                                command: {
                                    "output": switch.output(command),
                                    "prompt": both_modes,
                                    "help": command,
                                }
                                for command in switch.captures
                            },
                            # fakenos_server.py turns `delay_seconds` into a callable output that waits
                            **{
                                command: {
                                    "output": "",
                                    "delay_seconds": delay,
                                    "prompt": both_modes,
                                    "help": command,
                                }
                                for command, delay in switch.slow_commands.items()
                            },
                        }
                    },
                },
            }
            for switch in switches
        },
    }


def nornir_inventory(switches: tuple[FakeSwitch, ...], ports: Mapping[str, int]) -> dict[str, Any]:
    """A Nornir SimpleInventory (``hosts``, ``groups``, ``defaults``) reaching the switches over SSH."""
    hosts = {
        switch.name: {
            "hostname": LISTEN_ADDRESS,
            "port": ports[switch.name],
            "groups": ["fakenos"],
            "data": dict(switch.data),
        }
        for switch in switches
    }
    defaults = {
        "platform": "cisco_xe",
        "username": USERNAME,
        "password": PASSWORD,
        "connection_options": {"netmiko": {"platform": "cisco_xe", "extras": {"secret": SECRET}}},
    }
    return {"hosts": hosts, "groups": {"fakenos": {"data": {"simulator": "fakenos"}}}, "defaults": defaults}
