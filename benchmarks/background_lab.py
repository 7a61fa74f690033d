"""The lab in its own process, for benchmarks: so every CPU second and descriptor of the measuring process is
the library's, Nornir's or netmiko's."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml


class BackgroundLab:
    """``python -m virtual_devices up --background`` with ``count`` generated switches, ``down`` on exit.

    Args:
        lab: the topology's ``lab:`` settings (credentials, SSM accounts, reload delay).
        fleet: the topology's ``fleet:`` entry (platform, release, transport, name prefix).
    """

    def __init__(self, count: int, folder: Path, *, lab: dict[str, Any], fleet: dict[str, Any]) -> None:
        self.count = count
        self.state_dir = folder / f"lab-{count}"
        self.topology = folder / f"fleet-{count}.yaml"
        self._settings = {"lab": lab, "fleet": {**fleet, "count": 0}}

    def __enter__(self) -> BackgroundLab:
        self.topology.write_text(yaml.safe_dump(self._settings))
        started = time.perf_counter()
        self._lab("up", str(self.topology), "--background", "--fleet", str(self.count))
        print(f"  lab: {self.count} switches up in {time.perf_counter() - started:.1f} s (own process)")
        return self

    def __exit__(self, *exc: object) -> None:
        self._lab("down")

    def _lab(self, *arguments: str) -> None:
        command = [sys.executable, "-m", "virtual_devices", *arguments, "--state-dir", str(self.state_dir)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def cpu_seconds(self) -> float:
        """CPU the lab process has used so far (user + system), from /proc."""
        pid = (self.state_dir / "lab.pid").read_text().strip()
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    @property
    def nornir_config(self) -> Path:
        return self.state_dir / "nornir.yaml"

    @property
    def ssm_database(self) -> Path:
        return self.state_dir / "ssm.sqlite"

    def hosts(self) -> dict[str, dict[str, Any]]:
        text = (self.state_dir / "inventory" / "hosts.yaml").read_text()
        hosts: dict[str, dict[str, Any]] = yaml.safe_load(text)
        return hosts
