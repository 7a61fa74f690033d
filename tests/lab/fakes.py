"""A small stand-in for ``virtual_devices.device.Device``: just the interface the engine and server use."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from virtual_devices.config import Config
from virtual_devices.faults import Faults


class FakeDevice:
    def __init__(self, name: str, bootflash: Path, *, reload_delay: float = 0.5) -> None:
        self.name = self.hostname = name
        self.username, self.password, self.enable_secret = "admin", "lab-pass-1", "lab-enable-1"
        self.config = Config([f"hostname {name}"])
        self.startup = self.config.clone()
        self.bootflash = bootflash
        bootflash.mkdir(parents=True, exist_ok=True)
        self.faults = Faults()
        self.monitors: list[Callable[[str], None]] = []
        self.on_restart: list[Callable[[], None]] = []
        self.release = (17, 9, 4)
        self.reload_delay = reload_delay
        self.reloads: list[str] = []
        self.switchovers = 0
        self.has_standby = True
        self._log: list[str] = []
        self._down_until = 0.0
        self._clock_offset = timedelta()

    def now(self) -> datetime:
        return datetime(2021, 12, 3, 18, 57, 27, 123000, tzinfo=timezone.utc) + self._clock_offset

    def log(self, tag: str, text: str) -> None:
        moment = self.now()
        line = f"*{moment:%b} {moment.day} {moment:%H:%M:%S}.{moment.microsecond // 1000:03d}: {tag}: {text}"
        self._log.append(line)
        for monitor in list(self.monitors):
            monitor(line)

    def logging_lines(self) -> list[str]:
        return list(self._log)

    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def reload(self, reason: str) -> None:
        self.reloads.append(reason)
        self._down_until = time.monotonic() + self.reload_delay
        for callback in list(self.on_restart):
            callback()
        self.config = self.startup.clone()
        self.hostname = self.config.lines_starting("hostname")[0].split()[1]

    def switchover(self) -> str:
        """Like the real device: '' when done, else the refusal IOS prints."""
        if not self.has_standby:
            return "% Standby not ready for switchover"
        self.switchovers += 1
        self.reload("switchover")
        return ""
