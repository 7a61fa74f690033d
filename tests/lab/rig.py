"""A small licensing test rig: real devices, a real SSM in a temporary sqlite file, a frozen lab clock set to
the guide's own dates, and terminals driven through the real CLI engine (no sockets)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from virtual_devices.cli import CliSession
from virtual_devices.device import Device, LabClock, LabContext
from virtual_devices.ssm import SimulatedSSM

STACK_MEMBERS = [
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
    {
        "number": 3,
        "pid": "C9300X-48HX",
        "serial": "FOC2516LC92",
        "priority": 0,
        "hw": "PP",
        "state": "Removed",
    },
]
SPARE_3 = {
    "number": 3,
    "pid": "C9300X-48HX",
    "serial": "FOC2516LC92",
    "mac": "f87a.414b.5580",
    "priority": 1,
    "hw": "PP",
}
STAGE_URL = "https://smartreceiver-stage.cisco.com/licservice/license"


def stack_spec(**extra: Any) -> dict[str, Any]:
    spec = {
        "name": "stack",
        "platform": "C9300X",
        "release": "17.6.2",
        "url": STAGE_URL,
        "members": [dict(m) for m in STACK_MEMBERS],
        "spares": [dict(SPARE_3)],
    }
    spec.update(extra)
    return spec


def standalone_spec(**extra: Any) -> dict[str, Any]:
    spec = {
        "name": "standalone",
        "platform": "C9300X",
        "release": "17.6.2",
        "url": STAGE_URL,
        "members": [
            {
                "number": 1,
                "pid": "C9300X-24HX",
                "serial": "FOC2519L8R7",
                "priority": 0,
                "hw": "",
                "state": "Provisioned",
            },
            {
                "number": 2,
                "pid": "C9300X-48HXN",
                "serial": "FOC2524L39P",
                "priority": 0,
                "hw": "",
                "state": "Provisioned",
            },
            {
                "number": 3,
                "pid": "C9300X-48HX",
                "serial": "FOC2516LC92",
                "mac": "f87a.414b.5580",
                "priority": 1,
                "hw": "PP",
            },
        ],
    }
    spec.update(extra)
    return spec


def svl_spec(**extra: Any) -> dict[str, Any]:
    spec = {
        "name": "svl",
        "platform": "C9400",
        "svl": True,
        "release": "17.11.1",
        "members": [
            {
                "number": 1,
                "pid": "C9407R",
                "serial": "FXS221500CT",
                "priority": 15,
                "supervisor": "C9400X-SUP-2",
            },
            {
                "number": 2,
                "pid": "C9407R",
                "serial": "FXS221500BN",
                "priority": 14,
                "supervisor": "C9400X-SUP-2",
            },
        ],
    }
    spec.update(extra)
    return spec


def dual_sup_spec(**extra: Any) -> dict[str, Any]:
    spec = {
        "name": "c9606r",
        "platform": "C9600",
        "release": "17.8.1",
        "chassis": {"pid": "C9606R", "serial": "FXS241201WP"},
        "supervisors": [{"slot": 3, "pid": "C9600X-SUP-2"}, {"slot": 4, "pid": "C9600X-SUP-2"}],
    }
    spec.update(extra)
    return spec


class Terminal:
    """One CLI session; ``run`` returns what the command printed, without the echo and the prompt."""

    def __init__(self, device: Device) -> None:
        self.session = CliSession(device)
        self.run("enable")
        self.run("lab-enable-1")

    def run(self, line: str) -> str:
        raw = self.session.feed(line + "\r").replace("\r\n", "\n")
        body = raw.split("\n", 1)[1] if "\n" in raw else ""
        lines = body.split("\n")
        return "\n".join(lines[:-1]).rstrip("\n")  # the last line is the next prompt

    def configure(self, *lines: str) -> list[str]:
        outputs = [self.run("configure terminal")]
        outputs += [self.run(line) for line in lines]
        self.run("end")
        return outputs


class Rig:
    def __init__(self, tmp_path: Path, start: datetime, pools: int = 10) -> None:
        self.clock = LabClock(start, frozen=True)
        self.ssm = SimulatedSSM(tmp_path / "ssm.sqlite", clock=self.clock.now)
        self.ssm.add_account("Eg-SA", "Eg-VA", {"C9K HSEC": pools})
        self.tftp = tmp_path / "tftp"
        self.ctx = LabContext(
            clock=self.clock, ssm=self.ssm, state_dir=tmp_path, reload_delay=0, remote_dir=self.tftp
        )

    def device(self, spec: dict[str, Any]) -> Device:
        return Device.from_spec(spec, self.ctx)

    def at(self, *when: int) -> None:
        """Move the frozen clock to a moment of the guide (it only moves forward)."""
        delta = (guide_time(*when) - self.clock.now()).total_seconds()
        assert delta >= 0, "the lab clock only moves forward"
        self.clock.advance(seconds=delta)


def guide_time(*when: int) -> datetime:
    return datetime(*when, tzinfo=timezone.utc)  # type: ignore[misc]


_CONFIRMATION = re.compile(r"((?:Last )?Confirmation code: )[0-9a-f]{8}")


def squash(text: str, *, mask_codes: bool = True) -> list[str]:
    """Lines with runs of blanks collapsed and empty lines dropped: the guide's PDF lost its column
    alignment and many blank lines, so its samples compare with device output only this way."""
    if mask_codes:
        text = _CONFIRMATION.sub(r"\1<code>", text)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def syslog_messages(device: Device, tag: str) -> list[str]:
    """The text after ``tag: `` in each logging line carrying it."""
    marker = f"{tag}: "
    return [line.split(marker, 1)[1] for line in device.logging_lines() if marker in line]
