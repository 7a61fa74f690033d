"""A switch's configuration as state: global lines and interface blocks, in IOS order.

The running configuration is the source of truth for configured behaviour (license boot level, transport,
crypto on a tunnel): the licensing agent reads it, ``write memory`` copies it to startup, and a reload
starts again from startup.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

_INTERFACE_TYPES = (
    "Tunnel",
    "GigabitEthernet",
    "TenGigabitEthernet",
    "TwentyFiveGigE",
    "FortyGigabitEthernet",
    "HundredGigE",
    "FourHundredGigE",
    "Vlan",
    "Loopback",
    "Port-channel",
    "AppGigabitEthernet",
)
_INTERFACE_NAME = re.compile(r"^([A-Za-z-]+)\s*(\d+(?:/\d+)*(?:\.\d+)?)$")


def normalize_interface(name: str) -> str | None:
    """``tu10`` -> ``Tunnel10``, ``Te1/0/4`` -> ``TenGigabitEthernet1/0/4``; ``None`` if IOS refuses it."""
    match = _INTERFACE_NAME.match(name.strip())
    if not match:
        return None
    kind, number = match.group(1).lower(), match.group(2)
    candidates = [full for full in _INTERFACE_TYPES if full.lower().startswith(kind)]
    if not candidates:
        return None
    # IOS resolves the shortest common prefixes by a fixed preference; the first listed wins.
    return f"{candidates[0]}{number}"


@dataclass
class Config:
    globals: list[str] = field(default_factory=list)
    interfaces: dict[str, list[str]] = field(default_factory=dict)

    # global lines
    def set(self, line: str, *, replacing: str | None = None) -> None:
        """Add ``line``; first remove every line that starts with ``replacing`` (default: the line itself)."""
        self.remove(replacing if replacing is not None else line)
        self.globals.append(line)

    def remove(self, prefix: str) -> bool:
        before = len(self.globals)
        self.globals = [line for line in self.globals if not _starts(line, prefix)]
        return len(self.globals) != before

    def lines_starting(self, prefix: str) -> list[str]:
        return [line for line in self.globals if _starts(line, prefix)]

    def has(self, prefix: str) -> bool:
        return bool(self.lines_starting(prefix))

    # interfaces
    def interface(self, name: str) -> list[str]:
        return self.interfaces.setdefault(name, [])

    def set_in(self, interface: str, line: str, *, replacing: str | None = None) -> None:
        self.remove_in(interface, replacing if replacing is not None else line)
        self.interface(interface).append(line)

    def remove_in(self, interface: str, prefix: str) -> bool:
        lines = self.interfaces.get(interface)
        if lines is None:
            return False
        kept = [line for line in lines if not _starts(line, prefix)]
        self.interfaces[interface] = kept
        return len(kept) != len(lines)

    def remove_interface(self, name: str) -> bool:
        return self.interfaces.pop(name, None) is not None

    def interfaces_with(self, prefix: str) -> list[str]:
        """Names of interfaces holding a line that starts with ``prefix``."""
        return [name for name, lines in self.interfaces.items() if any(_starts(x, prefix) for x in lines)]

    # whole config
    def render(self) -> list[str]:
        """The body of ``show running-config`` (without the header lines), IOS style."""
        out: list[str] = []
        for line in self.globals:
            out.append(line)
            out.append("!")
        for name, lines in self.interfaces.items():
            out.append(f"interface {name}")
            out.extend(f" {line}" for line in lines)
            out.append("!")
        out.append("end")
        return out

    @classmethod
    def from_text(cls, text: str) -> Config:
        """A saved configuration file (``show running-config`` text) as state: the inverse of ``render``."""
        config = cls()
        current: str | None = None
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith(("!", "Building", "Current")):
                continue
            if line == "end":
                break
            if raw[:1].isspace() and current is not None:
                config.interface(current).append(line)
            elif line.startswith("interface "):
                name = line.removeprefix("interface ")
                current = normalize_interface(name) or name
                config.interface(current)
            elif not line.startswith("version "):
                current = None
                config.globals.append(line)
        return config

    def clone(self) -> Config:
        return copy.deepcopy(self)

    def to_dict(self) -> dict[str, object]:
        return {"globals": list(self.globals), "interfaces": {k: list(v) for k, v in self.interfaces.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Config:
        globals_ = data.get("globals", [])
        interfaces = data.get("interfaces", {})
        assert isinstance(globals_, list) and isinstance(interfaces, dict)
        return cls([str(x) for x in globals_], {str(k): [str(x) for x in v] for k, v in interfaces.items()})


def _starts(line: str, prefix: str) -> bool:
    if line == prefix or line.startswith(prefix + " "):
        return True
    return prefix.endswith(" ") and line.startswith(prefix)
