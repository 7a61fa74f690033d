"""Faults a lab user can inject per device, from the topology YAML or at run time."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass
class Faults:
    drop_after_commands: int | None = None  # close the SSH session after this many commands in it
    drop_on_command: str | None = None  # close the session when a command line matches this regex
    latency: float = 0.0  # seconds added before every reply
    ssm_unreachable: bool = False  # online requests fail with %SMART_LIC-3-COMM_FAILED
    corrupt_import: bool = False  # `license smart import` finds a damaged file
    flood_bytes: int = 0  # every `show` answers with one unbroken line of this many characters first

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Faults:
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown fault(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**data)
