"""What the workflow tests share: a lab from a topology in code, Nornir on its inventory, lab-side facts."""

from __future__ import annotations

import copy
import json
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.task import Result

from nornir_catlic.transport import use_recommended_options
from virtual_devices.lab import Lab

GUIDE_STACK = [
    {
        "number": 1,
        "pid": "C9300X-24HX",
        "serial": "FOC2519L8R7",
        "mac": "b08b.d02b.5b80",
        "priority": 15,
        "hw": "P2B",
    },
    {
        "number": 2,
        "pid": "C9300X-48HXN",
        "serial": "FOC2524L39P",
        "mac": "b08b.d08d.bb00",
        "priority": 14,
        "hw": "P2B",
    },
]
GUIDE_MEMBER_3 = {
    "number": 3,
    "pid": "C9300X-48HX",
    "serial": "FOC2516LC92",
    "mac": "f87a.414b.5580",
    "priority": 1,
    "hw": "PP",
}
REMOVED_3 = {**GUIDE_MEMBER_3, "mac": "0000.0000.0000", "priority": 0, "state": "Removed"}
SUPERVISORS_C9400 = ["C9400X-SUP-2"]
SUPERVISORS_C9600 = ["C9600X-SUP-2"]


def c9300x_stack(name: str, serial_prefix: str, *, members: int = 2, **extra: Any) -> dict[str, Any]:
    """A C9300X stack with its own serials (``<prefix>01``...), so that SSM keys one reservation per UDI."""
    pids = ["C9300X-24HX", "C9300X-48HXN", "C9300X-48HX"]
    units = [
        {
            "number": n,
            "pid": pids[(n - 1) % 3],
            "serial": f"{serial_prefix}{n:02d}",
            "mac": f"b08b.d0{n:02d}.{zlib.crc32(name.encode()) % 10000:04d}",
            "priority": 16 - n,
            "hw": "P2B",
        }
        for n in range(1, members + 1)
    ]
    spec = {"name": name, "platform": "C9300X", "release": "17.9.4", "transport": "smart", "members": units}
    spec.update(extra)
    return spec


def topology(devices: list[dict[str, Any]], *, keys: int = 50) -> dict[str, Any]:
    return {
        "lab": {
            "reload_delay": 0.3,
            "ssm": {
                "accounts": [
                    {"smart_account": "Eg-SA", "virtual_account": "Eg-VA", "pools": {"C9K HSEC": keys}}
                ]
            },
        },
        "devices": copy.deepcopy(devices),
    }


@contextmanager
def running_lab(state_dir: Path, devices: list[dict[str, Any]], *, keys: int = 50) -> Iterator[Lab]:
    with Lab.from_dict(topology(devices, keys=keys), state_dir) as lab:
        yield lab


def nornir_for(lab: Lab, supervisors: dict[str, list[str]] | None = None) -> Nornir:
    """Nornir from the lab's generated inventory, threaded, with our recommended netmiko options."""
    nr = use_recommended_options(InitNornir(config_file=str(lab.nornir_config)))
    for name, pids in (supervisors or {}).items():
        nr.inventory.hosts[name].data["supervisor_pids"] = pids
    return nr


def run_one(nr: Nornir, host: str, task: Any, **params: Any) -> Result:
    """Run ``task`` on one host; the host's first Result (failed ones too: the caller asserts)."""
    results = nr.filter(name=host).run(task=task, on_failed=True, **params)
    return results[host][0]


def close_sessions(nr: Nornir) -> None:
    nr.close_connections(on_failed=True, on_good=True)


def device_snapshot(lab: Lab, name: str) -> str:
    """Everything the lab keeps about a device and the SSM, to assert a dry run changed nothing."""
    device = lab.devices[name]

    def take() -> str:
        return json.dumps(
            {
                "agent": device.agent.to_dict(),
                "running": device.config.to_dict(),
                "startup": device.startup.to_dict(),
                "bootflash": sorted(p.name for p in device.bootflash.iterdir())
                if device.bootflash.exists()
                else [],
                "reservations": lab.context.ssm.reservations(active_only=False),
            },
            sort_keys=True,
            default=str,
        )

    return lab.call(take)


def issued(lab: Lab, udis: list[str], since: int = 0) -> dict[str, int]:
    """UDI -> number of SLACs SSM issued for it (event log, events with id > ``since``)."""
    counts = {udi: 0 for udi in udis}
    for event in lab.context.ssm.events(limit=100000):
        if event["id"] > since and event["kind"] == "authorization_issued" and event["udi"] in counts:
            counts[event["udi"]] += 1
    return counts


def last_event_id(lab: Lab) -> int:
    events = lab.context.ssm.events(limit=1)
    return int(events[-1]["id"]) if events else 0


def device_codes(lab: Lab, name: str) -> dict[str, str]:
    """UDI -> confirmation code of the SLACs the lab device holds (its own truth, not our parser's)."""
    from virtual_devices import licfiles

    agent = lab.devices[name].agent
    return lab.call(lambda: {udi: licfiles.confirmation_code(s.code) for udi, s in agent.state.slacs.items()})


def logged(lab: Lab, name: str) -> str:
    return "\n".join(lab.call(lab.devices[name].logging_lines))


def udi(pid: str, serial: str) -> str:
    return f"PID:{pid},SN:{serial}"
