"""A virtual Catalyst 9000: a stack of switches, a chassis with supervisors, or a standalone switch.

The device owns its hardware (units, spares), configuration, logging buffer and life cycle (reload,
switchover, stack add/merge); the licensing behaviour lives in :mod:`virtual_devices.licensing`. State that a
real switch keeps across a power cycle (startup configuration, members, licensing state) is persisted as one
JSON file per device in the lab's state folder, written only when something changes.

Topology entry (``devices:`` in the lab YAML)::

    name: c9300x-stack            # inventory name and hostname
    platform: C9300X              # C9200 C9300 C9300X C9400 C9500X C9600 (see platforms.py)
    release: 17.6.2               # gates HSECK9 (17.6.2 / 17.8.1 / 17.11.1 per family)
    generation: agent5            # sl16 | agent5 | agent6 (default from the release)
    boot_level: network-advantage addon dna-advantage
    transport: smart              # smart | cslu | off | callhome | automatic
    url: https://smartreceiver-stage.cisco.com/licservice/license
    smart_account: Eg-SA          # default: the SSM's first account
    virtual_account: Eg-VA
    trust: true                   # trust codes installed (default: true unless transport off)
    timezone: PDT -7              # `clock timezone PDT -7 0`: license dates and syslog in local time
    slacs: none                   # none | active | all: SLACs obtained from the SSM when first built
    crypto: false                 # cryptographic feature configured (Tunnel10 IPsec / WAN MACsec)
    dna_renewal: false            # the account renewed DNA: NA + DE is accepted (see licensing/boot_level.py)
    hsec_release_required: false  # the key stays IN USE after unconfiguring until forcibly released
    members:                      # stack: switches; chassis (svl: true): one entry per chassis
      - {number: 1, pid: C9300X-24HX, serial: FOC2519L8R7, mac: b08b.d02b.5b80, priority: 15, hw: P2B}
    spares:                       # switches that can be plugged in / powered on later (stack add)
      - {number: 3, pid: C9300X-48HX, serial: FOC2516LC92, mac: f87a.414b.5580, priority: 1, hw: PP}
    chassis: {pid: C9606R, serial: FXS241201WP}           # chassis platforms, one chassis
    supervisors: [{slot: 3, pid: C9600X-SUP-2, serial: X}, {slot: 4, pid: C9600X-SUP-2, serial: Y}]
    linecards: {1: C9600X-LC-32CD, 2: C9600-LC-48YL}     # C9600: WAN MACsec only on capable cards
    faults: {ssm_unreachable: false}
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from virtual_devices.clock import LabClock
from virtual_devices.config import Config
from virtual_devices.faults import Faults
from virtual_devices.licensing.agent import LicensingAgent
from virtual_devices.platforms import (
    ADDON_LEVELS,
    BASE_LEVELS,
    Platform,
    Release,
    parse_release,
    platform_for,
)

__all__ = ["Device", "LabClock", "LabContext", "Unit"]

READY = "Ready"
ABSENT_STATES = ("Removed", "Provisioned")
ACTIVE, STANDBY, MEMBER = "Active", "Standby", "Member"
LOG_BUFFER = 1000
GENERATIONS = ("sl16", "agent5", "agent6")
TRANSPORTS = ("smart", "cslu", "off", "callhome", "automatic")


@dataclass
class LabContext:
    """What every device of a lab shares."""

    clock: LabClock
    ssm: Any  # virtual_devices.ssm.SimulatedSSM (Any: keeps device.py importable without sqlite state)
    state_dir: Path
    reload_delay: float = 2.0
    username: str = "admin"
    password: str = "lab-pass-1"
    secret: str = "lab-enable-1"
    remote_dir: Path | None = None  # stands in for tftp:// and scp:// servers (None: see file_server_root)
    _account: dict[str, Any] | None = field(default=None, repr=False)

    def default_account(self) -> dict[str, Any]:
        """The SSM's first account (looked up once per lab: 1,000 devices must not each query sqlite)."""
        if self._account is None:
            try:
                self._account = self.ssm.account_info() if self.ssm is not None else {}
            except LookupError:  # an SSM without accounts: switches stay unregistered
                self._account = {}
        return self._account


@dataclass
class Unit:
    """A stack member, or a supervisor in a chassis. ``pid``/``serial`` are the UDI: the switch's own, or the
    chassis' (both supervisors of a chassis share one UDI)."""

    number: int  # switch number, or supervisor slot
    pid: str
    serial: str
    mac: str = "0000.0000.0000"
    priority: int = 1
    hw: str = "V01"
    role: str = MEMBER
    state: str = READY
    module_pid: str | None = None  # the supervisor's PID in a chassis
    module_serial: str | None = None
    chassis: int = 1  # StackWise Virtual: the chassis (switch) number

    @property
    def udi(self) -> str:
        return f"PID:{self.pid},SN:{self.serial}"

    @property
    def present(self) -> bool:
        return self.state not in ABSENT_STATES

    @property
    def hardware_pid(self) -> str:
        return self.module_pid or self.pid

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Unit:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


class Device:
    """One virtual switch. See the module docstring for the topology entry it is built from."""

    def __init__(
        self,
        name: str,
        platform: Platform,
        units: list[Unit],
        ctx: LabContext,
        *,
        release: Release = (17, 9, 4),
        generation: str | None = None,
        svl: bool = False,
        spares: list[Unit] | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.hostname = name
        self.platform = platform
        self.units = units
        self.spares = spares or []
        self.ctx = ctx
        self.release = release
        self.generation = generation or default_generation(release)
        self.svl = svl
        self.settings = settings or {}
        self.username, self.password, self.enable_secret = ctx.username, ctx.password, ctx.secret
        self.config = Config()
        self._startup = Config()
        self.faults = Faults()
        self.monitors: list[Callable[[str], None]] = []
        self.on_restart: list[Callable[[], None]] = []
        self._logging: deque[str] = deque(maxlen=LOG_BUFFER)
        self._down_until = 0.0
        self.merged_into: str | None = None
        self.boot_time = ctx.clock.now()
        self.last_reload_reason = "Reload Command"
        self.agent = LicensingAgent(self)
        ctx.clock.listeners.append(self._clock_advanced)

    # ------------------------------------------------------------ the interface the engine and server use
    @property
    def startup(self) -> Config:
        return self._startup

    @startup.setter
    def startup(self, config: Config) -> None:
        """``write memory``: a switch keeps its startup configuration across power cycles."""
        self._startup = config
        self.save_state()

    @property
    def bootflash(self) -> Path:
        path = self.ctx.state_dir / "bootflash" / self.name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def now(self) -> datetime:
        return self.ctx.clock.now()

    def zone(self) -> tuple[str, timedelta]:
        """``clock timezone PDT -7 0`` -> ("PDT", -7 h); UTC when none is configured."""
        for line in self.config.lines_starting("clock timezone"):
            words = line.split()
            try:
                hours, minutes = int(words[3]), int(words[4]) if len(words) > 4 else 0
            except (IndexError, ValueError):
                break
            sign = -1 if words[3].startswith("-") else 1
            return words[2], timedelta(hours=hours, minutes=sign * minutes)
        return "UTC", timedelta()

    def log(self, tag: str, text: str, at: datetime | None = None) -> None:
        """Add a syslog line (``tag`` like ``%SMART_LIC-6-AGENT_READY``; empty for a bare console line),
        stamped in local time, with the zone's name when one is configured (``*Sep  6 16:58:25.528 PDT:``)."""
        name, offset = self.zone()
        stamp = (at or self.now()) + offset
        zone = f" {name}" if offset or name != "UTC" else ""
        prefix = f"*{stamp:%b} {stamp.day:>2} {stamp:%H:%M:%S}.{stamp.microsecond // 1000:03d}{zone}: "
        line = prefix + (f"{tag}: {text}" if tag else text)
        self._logging.append(line)
        for monitor in list(self.monitors):
            monitor(line)

    def logging_lines(self) -> list[str]:
        return list(self._logging)

    def available(self) -> bool:
        return self.merged_into is None and time.monotonic() >= self._down_until

    # ------------------------------------------------------------ hardware views
    def present_units(self) -> list[Unit]:
        return [unit for unit in self.units if unit.present]

    def ha_units(self) -> list[Unit]:
        """Present units as the HA UDI list orders them: Active, Standby, then members by number."""
        order = {ACTIVE: 0, STANDBY: 1, MEMBER: 2}
        return sorted(self.present_units(), key=lambda u: (order.get(u.role, 3), u.number))

    def active_unit(self) -> Unit:
        for unit in self.units:
            if unit.role == ACTIVE and unit.present:
                return unit
        return self.ha_units()[0]

    def standby_unit(self) -> Unit | None:
        return next((u for u in self.units if u.role == STANDBY and u.present), None)

    @property
    def is_stack(self) -> bool:
        return self.platform.arrangement == "stack"

    @property
    def is_chassis(self) -> bool:
        return self.platform.arrangement == "chassis"

    @property
    def dual_supervisor(self) -> bool:
        return self.is_chassis and not self.svl and len(self.present_units()) > 1

    @property
    def has_ha(self) -> bool:
        return len(self.present_units()) > 1

    def udis(self) -> list[str]:
        """Distinct UDIs in HA order (a dual-supervisor chassis has one)."""
        seen: list[str] = []
        for unit in self.ha_units():
            if unit.udi not in seen:
                seen.append(unit.udi)
        return seen

    def modules(self) -> list[str]:
        return [unit.hardware_pid for unit in self.present_units()]

    def hsec_supported(self) -> bool:
        if not self.platform.supports_hsec(self.release, self.modules()):
            return False
        return self.platform.hsec_in_ha or not self.has_ha

    # ------------------------------------------------------------ life cycle
    def _go_down(self, delay: float | None = None) -> None:
        self._down_until = time.monotonic() + (self.ctx.reload_delay if delay is None else delay)
        for callback in list(self.on_restart):
            callback()

    def reload(self, reason: str = "Reload Command") -> None:
        """Drop the sessions, restart from the startup configuration, come back after the reload delay."""
        self._go_down()
        self.last_reload_reason = reason
        self.boot_time = self.now()
        self._elect_roles()
        self.config = self._startup.clone()
        for line in self.config.lines_starting("hostname"):  # an unsaved hostname is lost
            self.hostname = line.split()[1]
        self.agent.boot()
        self.log("%SYS-5-RESTART", "System restarted --")
        self.save_state()

    def switchover(self) -> str:
        """``redundancy force-switchover``: '' when done, else the refusal IOS prints."""
        standby = self.standby_unit()
        if standby is None:
            return "% Standby not ready for switchover"
        old_active = self.active_unit()
        same_chassis = self.dual_supervisor
        standby.role, old_active.role = ACTIVE, STANDBY
        if self.is_stack and len(self.present_units()) > 2:  # the old active reloads and rejoins as a member
            old_active.role = MEMBER
            candidates = [u for u in self.present_units() if u.role == MEMBER and u is not old_active]
            best = max(candidates, key=lambda u: (u.priority, -u.number))
            best.role = STANDBY
        self._go_down()
        if not same_chassis and not self.agent.switchover_authorized():
            self.log(
                "%PLATFORM_IPSEC_HSEC-3-UNAUTHORIZED_HSEC",
                "Switchover happened with IPsec configured but HSEC unauthorized, reloading.",
            )
            self.log(
                "%PMAN-5-EXITACTION", "F0/0: pvp: Process manager is exiting: reload fp action requested"
            )
            self.log(
                "%PMAN-5-EXITACTION",
                "R0/0: pvp: Process manager is exiting: rp processes exit with reload switch code",
            )
            self.reload("Redundancy Switchover")
            return ""
        self.agent.refresh()
        self.save_state()
        return ""

    def _elect_roles(self) -> None:
        """Stack or SVL boot: the highest priority becomes active (ties: lowest number), the next standby."""
        if self.dual_supervisor:
            return
        present = sorted(self.present_units(), key=lambda u: (-u.priority, u.number))
        for index, unit in enumerate(present):
            unit.role = ACTIVE if index == 0 else STANDBY if index == 1 else MEMBER

    # ------------------------------------------------------------ stack add, both methods of the guide
    def plug_member(self, serial: str) -> str:
        """Power on / cable a spare switch into the stack (method 1: it joins without a SLAC). Returns ''
        when it joined, else why not (also logged, as the stack manager does)."""
        spare = next((s for s in self.spares if s.serial == serial), None)
        if spare is None:
            raise ValueError(f"{self.name} has no spare switch {serial}")
        refusal = self._join_refusal(spare)
        if refusal:
            return refusal
        self.spares.remove(spare)
        self._join(spare)
        if self.agent.trust_established():
            self.agent.install_trust(spare.udi, announce=True)
        self.agent.refresh()
        self.save_state()
        return ""

    def merge_standalone(self, standalone: Device) -> str:
        """Cable a standalone into this stack (method 2): the standalone reloads with reason stack merge,
        joins as a member and keeps its SLAC and trust code. Returns '' or the refusal."""
        unit = standalone.active_unit()
        refusal = self._join_refusal(unit)
        if refusal:
            return refusal
        number = unit.number
        standalone.log("", f"Chassis {number} reloading, reason - stack merge")
        standalone.log(
            "%STACKMGR-6-STACK_LINK_CHANGE",
            f"Switch {number} R0/0: stack_mgr: Stack port 1 on Switch {number} is up",
        )
        standalone.log(
            "%STACKMGR-1-RELOAD", f"Switch {number} R0/0: stack_mgr: Reloading due to reason stack merge"
        )
        standalone.log(
            "%PMAN-5-EXITACTION", "F0/0: pvp: Process manager is exiting: reload fp action requested"
        )
        standalone.log(
            "%PMAN-5-EXITACTION",
            "R0/vp: Process manager is exiting: rp processes exit with reload switch code",
        )
        standalone._go_down(delay=0)
        standalone.merged_into = self.name
        standalone.save_state()
        joining = Unit(**{**asdict(unit), "role": MEMBER, "state": READY})
        self.spares = [s for s in self.spares if s.serial != unit.serial]  # the same box, now cabled in
        self._join(joining)
        self.agent.adopt(standalone.agent, joining.udi)
        self.agent.refresh()
        self.save_state()
        return ""

    # ------------------------------------------------------------ hardware replacement (C9400, C9600)
    def replace_supervisor(self, slot: int, serial: str | None = None, *, pid: str | None = None) -> str:
        """Swap the supervisor in ``slot`` (a chassis slot, or an SVL chassis number) for another module.

        Licensing information lives on the active supervisor and is synchronised to the standby, so it
        survives as long as another supervisor holds it: replacing one of two keeps it (replacing the active
        switches over first); replacing a single supervisor loses the SLACs and trust codes, and putting the
        *same* supervisor back (``serial`` unchanged or None) loses nothing. Returns '' or why not.
        """
        if not self.is_chassis:
            return f"% {self.platform.family} has no supervisor modules"
        unit = next((u for u in self.present_units() if u.number == slot), None)
        if unit is None:
            return f"% No supervisor in slot {slot}"
        same_module = serial is None or serial == unit.module_serial
        others = [u for u in self.present_units() if u is not unit]
        if unit.role == ACTIVE and others:
            self.switchover()
        unit.module_serial = serial or unit.module_serial
        unit.module_pid = pid or unit.module_pid
        if not others:
            if not same_module:
                self.agent.forget_licensing_information()
            self.reload("Reload Command")
        self.save_state()
        return ""

    def linecard(self, slot: int) -> str | None:
        """The line card PID in ``slot`` (topology ``linecards: {1: C9600X-LC-32CD}``); None: not modelled."""
        cards = self.settings.get("linecards") or {}
        value = cards.get(slot, cards.get(str(slot)))
        return None if value is None else str(value)

    def _join_refusal(self, unit: Unit) -> str:
        prefix = self.platform.train_pid_prefix
        compatible = unit.pid.startswith(prefix) and (prefix != "C9300" or not unit.pid.startswith("C9300X"))
        if not self.is_stack:
            return f"% {self.platform.family} does not stack"
        if not compatible:  # mixed stacking is not supported: the switch does not join
            self.log(
                "%STACKMGR-4-SWITCH_ADDED_INCOMPATIBLE",
                f"Switch 1 R0/0: stack_mgr: Switch {unit.number} ({unit.pid}) is not compatible with the "
                f"stack ({prefix}) and has not been added",
            )
            return f"{unit.pid} cannot join a {prefix} stack: mixed stacking is not supported"
        if len(self.present_units()) >= self.platform.max_members:
            self.log(
                "%STACKMGR-4-STACK_FULL",
                f"Switch 1 R0/0: stack_mgr: Stack is full, switch {unit.number} not added",
            )
            return f"the stack already has {self.platform.max_members} members"
        if any(u.serial == unit.serial and u.present for u in self.units):
            return f"{unit.serial} is already in the stack"
        return ""

    def _join(self, unit: Unit) -> None:
        taken = {u.number for u in self.present_units()}
        if unit.number in taken:  # the stack renumbers a newcomer whose number is taken
            unit.number = min(n for n in range(1, 9) if n not in taken)
        self.units = [u for u in self.units if u.number != unit.number]
        unit.role, unit.state = MEMBER, READY
        self.units.append(unit)
        self.units.sort(key=lambda u: u.number)
        # The guide's sequence: the chain's free ends come up, every switch announces the newcomer, the
        # newcomer's config is applied, then its own ports come up and it announces itself.
        existing = [u.number for u in self.present_units() if u.number != unit.number]
        link = "%STACKMGR-6-STACK_LINK_CHANGE"
        ends = [(existing[-1], 2), (existing[0], 1)] if existing else []
        for number, port in ends:
            self.log(link, f"Switch {number} R0/0: stack_mgr: Stack port {port} on Switch {number} is up")
        added = f"Switch {unit.number} has been added to the stack."
        for number in existing:
            self.log("%STACKMGR-4-SWITCH_ADDED", f"Switch {number} R0/0: stack_mgr: {added}")
        self.log("", f"Applying config on Switch {unit.number}...[DONE]")
        for port in (1, 2):
            n = unit.number
            self.log(link, f"Switch {n} R0/0: stack_mgr: Stack port {port} on Switch {n} is up")
        self.log("%STACKMGR-4-SWITCH_ADDED", f"Switch {unit.number} R0/0: stack_mgr: {added}")

    # ------------------------------------------------------------ the lab clock
    def _clock_advanced(self, now: datetime) -> None:
        if self.merged_into is None:
            self.agent.catch_up(now)

    # ------------------------------------------------------------ persistence
    def state_file(self) -> Path:
        return self.ctx.state_dir / "devices" / f"{self.name}.json"

    def save_state(self) -> None:
        data = {
            "hostname": self.hostname,
            "release": list(self.release),
            "generation": self.generation,
            "svl": self.svl,
            "units": [asdict(u) for u in self.units],
            "spares": [asdict(u) for u in self.spares],
            "startup": self._startup.to_dict(),
            "agent": self.agent.to_dict(),
            "merged_into": self.merged_into,
            "last_reload_reason": self.last_reload_reason,
        }
        path = self.state_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
        os.replace(tmp, path)

    def _load_state(self, data: dict[str, Any]) -> None:
        self.hostname = str(data.get("hostname", self.name))
        self.release = parse_release(".".join(str(x) for x in data.get("release", self.release)))
        self.generation = str(data.get("generation", self.generation))
        self.svl = bool(data.get("svl", self.svl))
        self.units = [Unit.from_dict(u) for u in data.get("units", [])] or self.units
        self.spares = [Unit.from_dict(u) for u in data.get("spares", [])]
        self._startup = Config.from_dict(data.get("startup", {}))
        self.config = self._startup.clone()
        self.merged_into = data.get("merged_into")
        self.last_reload_reason = str(data.get("last_reload_reason", "Reload Command"))
        self.agent.load(data.get("agent", {}))

    # ------------------------------------------------------------ construction from the topology
    @classmethod
    def from_spec(cls, spec: dict[str, Any], ctx: LabContext) -> Device:
        name = str(spec["name"])
        platform = platform_for(str(spec.get("platform", "C9300X")))
        release = parse_release(str(spec.get("release", "17.9.4")))
        svl = bool(spec.get("svl", False))
        if svl and not platform.svl_allowed:
            raise ValueError(f"{name}: StackWise Virtual is modelled on C9400 only")
        units = _units_from_spec(name, platform, spec, svl)
        spares = [
            _switch_unit(name, platform, s, len(units) + i + 1) for i, s in enumerate(spec.get("spares", []))
        ]
        for spare in spares:
            spare.role, spare.state = MEMBER, READY
        device = cls(
            name,
            platform,
            units,
            ctx,
            release=release,
            generation=spec.get("generation"),
            svl=svl,
            spares=spares,
            settings=dict(spec),
        )
        if device.generation not in GENERATIONS:
            raise ValueError(f"generation {device.generation!r}: one of {', '.join(GENERATIONS)}")
        device.hostname = str(spec.get("hostname", name))
        device.faults = Faults.from_dict(spec.get("faults"))
        state = device.state_file()
        if state.exists():
            device._load_state(json.loads(state.read_text()))
            device.agent.boot(quiet=True)
        else:
            if platform.arrangement != "chassis" or svl:
                device._elect_roles()
            else:
                _chassis_roles(device)
            device._startup = _initial_config(spec, platform)
            device.config = device._startup.clone()
            device.agent.provision(spec)
            if device.agent.state.slacs:  # SSM issued codes: a restarted lab must find the same ones
                device.save_state()
        return device


def default_generation(release: Release) -> str:
    if release[0] < 17 or release[:2] <= (17, 2):
        return "sl16"
    return "agent6" if release[:2] >= (17, 15) else "agent5"


def _made_up_serial(prefix: str, device: str, number: int) -> str:
    """A stable serial for a generated device (``hash()`` changes per process; the state file must not)."""
    digest = hashlib.sha1(f"{device}/{number}".encode()).hexdigest().upper()
    return prefix + digest[:4] + "L" + digest[4:7]


def _mac_for(seed: str) -> str:
    digest = hashlib.sha1(seed.encode()).hexdigest()
    return f"{digest[0:4]}.{digest[4:8]}.{digest[8:12]}"


def _switch_unit(device: str, platform: Platform, data: dict[str, Any], number: int) -> Unit:
    serial = str(data.get("serial") or _made_up_serial("FOC", device, number))
    return Unit(
        number=int(data.get("number", number)),
        pid=str(data.get("pid") or platform.default_pid),
        serial=serial,
        mac=str(data.get("mac") or _mac_for(serial)),
        priority=int(data.get("priority", 1)),
        hw=str(data.get("hw", "V01")),
        state=str(data.get("state", READY)),
        module_pid=data.get("supervisor"),
        module_serial=data.get("supervisor_serial"),
        chassis=int(data.get("number", number)),
    )


def _units_from_spec(name: str, platform: Platform, spec: dict[str, Any], svl: bool) -> list[Unit]:
    if platform.arrangement == "chassis" and not svl:
        chassis = dict(spec.get("chassis") or {})
        pid = str(chassis.get("pid") or platform.default_pid)
        serial = str(chassis.get("serial") or _made_up_serial("FXS", name, 0))
        sups = spec.get("supervisors") or [{"slot": 1}]
        units = []
        for index, sup in enumerate(sups):
            module_serial = str(sup.get("serial") or _made_up_serial("CAT", name, index))
            units.append(
                Unit(
                    number=int(sup.get("slot", index + 1)),
                    pid=pid,
                    serial=serial,
                    mac=str(sup.get("mac") or _mac_for(module_serial)),
                    priority=1,
                    hw=str(sup.get("hw", "V02")),
                    module_pid=str(sup.get("pid") or platform.default_supervisor),
                    module_serial=module_serial,
                )
            )
        return units
    members = spec.get("members") or [{}]
    if (
        platform.arrangement == "standalone"
        and len([m for m in members if m.get("state", READY) == READY]) > 1
    ):
        raise ValueError(f"{name}: {platform.family} is modelled standalone only")
    units = [_switch_unit(name, platform, m, i + 1) for i, m in enumerate(members)]
    if svl:
        for unit in units:
            unit.module_pid = unit.module_pid or platform.default_supervisor
            unit.module_serial = unit.module_serial or _made_up_serial("CAT", name, unit.number)
    if platform.arrangement == "stack":
        prefix = platform.train_pid_prefix
        for unit in units:
            if unit.present and not unit.pid.startswith(prefix):
                raise ValueError(f"{name}: {unit.pid} cannot be in a {prefix} stack (mixed stacking)")
    return units


def _chassis_roles(device: Device) -> None:
    for index, unit in enumerate(device.units):
        unit.role = ACTIVE if index == 0 else STANDBY


def _initial_config(spec: dict[str, Any], platform: Platform) -> Config:
    config = Config()
    level = str(spec.get("boot_level", "network-advantage addon dna-advantage"))
    words = level.split()
    valid = (
        words[:1]
        and words[0] in BASE_LEVELS
        and (len(words) == 1 or (len(words) == 3 and words[1] == "addon"))
    )
    if not valid or (len(words) == 3 and words[2] not in ADDON_LEVELS):
        raise ValueError(f"boot_level {level!r}: e.g. 'network-advantage addon dna-advantage'")
    config.set(f"license boot level {level}", replacing="license boot level")
    transport = str(spec.get("transport", "smart"))
    if transport not in TRANSPORTS:
        raise ValueError(f"transport {transport!r}: one of {', '.join(TRANSPORTS)}")
    config.set(f"license smart transport {transport}", replacing="license smart transport")
    if spec.get("url"):
        config.set(f"license smart url smart {spec['url']}", replacing="license smart url")
    if spec.get("timezone"):  # "PDT -7" or "IST 5 30"
        words = str(spec["timezone"]).split()
        config.set(f"clock timezone {' '.join(words + ['0'] * (3 - len(words)))}", replacing="clock timezone")
    if spec.get("usage_interval"):
        config.set(f"license smart usage interval {int(spec['usage_interval'])}")
    return config
