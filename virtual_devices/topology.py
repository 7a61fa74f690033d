"""A lab's topology YAML as pydantic models: a misspelt key or a wrong value is refused with its line before
any device is built (a typo must not silently start a lab without its settings).

``lab:`` (the lab's own settings), ``devices:`` (entries documented in :mod:`virtual_devices.device`) and
``fleet:`` (``count`` generated devices named ``<name_prefix>0001``..., sharing one device entry).
"""

from __future__ import annotations

import copy
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat, NonNegativeInt, field_validator

from virtual_devices.faults import Faults
from virtual_devices.platforms import platform_for
from yaml_lines import LinedYaml, Loc, Owner, YamlFileError, read_yaml, validate


class TopologyError(ValueError):
    """A topology file the lab cannot build."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Credentials(_Strict):
    username: str | None = None
    password: str | None = None
    secret: str | None = None


class Account(_Strict):
    smart_account: str
    virtual_account: str
    pools: dict[str, NonNegativeInt] = {}


class SsmSettings(_Strict):
    accounts: list[Account] = []


class ClockSettings(_Strict):
    """``clock: {start: 2021-12-03T18:57:27Z, frozen: true}``: the guide's own dates, still or running."""

    start: datetime | None = None
    frozen: bool = False

    @field_validator("start")
    @classmethod
    def _utc_unless_said(cls, start: datetime | None) -> datetime | None:
        return start.replace(tzinfo=timezone.utc) if start is not None and start.tzinfo is None else start


class LabSettings(_Strict):
    state_dir: str | None = None
    credentials: Credentials | None = None
    reload_delay: NonNegativeFloat = 2.0
    ssm: SsmSettings | None = None
    file_server: str | None = None
    clock: ClockSettings | None = None


class UnitSpec(_Strict):
    """A switch of a stack, a chassis of an SVL pair, or a spare."""

    number: int | None = None
    pid: str | None = None
    serial: str | None = None
    mac: str | None = None
    priority: int | None = None
    hw: str | None = None
    state: str | None = None
    supervisor: str | None = None
    supervisor_serial: str | None = None


class ChassisSpec(_Strict):
    pid: str | None = None
    serial: str | None = None


class SupervisorSpec(_Strict):
    slot: int | None = None
    pid: str | None = None
    serial: str | None = None
    mac: str | None = None
    hw: str | None = None


class DeviceSettings(_Strict):
    """Every key of a device entry but its name (the fleet's entry shares them); see device.py."""

    platform: str | None = None
    release: str | None = None
    generation: str | None = None
    boot_level: str | None = None
    transport: str | None = None
    url: str | None = None
    smart_account: str | None = None
    virtual_account: str | None = None
    hostname: str | None = None
    timezone: str | None = None
    usage_interval: int | None = None
    port: NonNegativeInt | None = None
    svl: bool | None = None
    trust: bool | None = None
    crypto: bool | None = None
    dna_renewal: bool | None = None
    hsec_release_required: bool | None = None
    rest_api: bool | None = None
    """Serve the switch's own ``/smartlic-service`` REST API (HTTPS on 127.0.0.1, the lab's CA)."""
    slacs: Literal["none", "active", "all"] | None = None
    members: list[UnitSpec] | None = None
    spares: list[UnitSpec] | None = None
    chassis: ChassisSpec | None = None
    supervisors: list[SupervisorSpec] | None = None
    linecards: dict[int, str] | None = None
    faults: Faults | None = None

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, platform: str | None) -> str | None:
        if platform is not None:
            platform_for(platform)  # ValueError naming the platforms the lab models
        return platform


class DeviceSpec(DeviceSettings):
    name: str = Field(min_length=1)


class FleetSpec(DeviceSettings):
    count: NonNegativeInt = 0
    name_prefix: str = "fleet-"


class Topology(_Strict):
    lab: LabSettings = LabSettings()
    devices: list[DeviceSpec] = []
    fleet: FleetSpec | None = None


def load_topology(path: Path | str) -> dict[str, Any]:
    """The topology file's data, checked whole; :class:`TopologyError` gives each problem's file and line."""
    try:
        document = read_yaml(Path(path))
    except YamlFileError as error:
        raise TopologyError(str(error)) from None
    if document.data is not None and not isinstance(document.data, dict):
        raise TopologyError(f"{document.where()}: a topology is a mapping with lab:, devices: and fleet:")
    data = dict(document.data or {})
    checked_topology(data, document)
    return data


def checked_topology(topology: dict[str, Any], document: LinedYaml | None = None) -> Topology:
    """``topology`` as its model; ``document`` (the file it was read from, if any) gives the lines."""
    document = document if document is not None else LinedYaml.of_data(topology, "topology")
    try:
        checked = validate(Topology, document, owner=_device_owner(topology))
    except YamlFileError as error:
        raise TopologyError(str(error)) from None
    _check_names(checked, document)
    return checked


def check_topology(topology: dict[str, Any]) -> None:
    """Refuse a topology given in code that the lab cannot build (misspelt keys, wrong values)."""
    checked_topology(topology)


def expand_fleet(topology: dict[str, Any]) -> list[dict[str, Any]]:
    """``devices:`` plus ``fleet: {count: N, ...}`` as N generated entries named ``<prefix>0001``...

    Each entry holds the keys written in the topology, as its model read them.
    """
    checked = checked_topology(topology)
    specs = [device.model_dump(exclude_unset=True) for device in checked.devices]
    if checked.fleet is None:
        return specs
    shared = checked.fleet.model_dump(exclude_unset=True, exclude={"count", "name_prefix"})
    width = max(4, len(str(checked.fleet.count)))
    for index in range(1, checked.fleet.count + 1):
        spec = copy.deepcopy(shared)
        spec["name"] = f"{checked.fleet.name_prefix}{index:0{width}d}"
        spec.setdefault("port", 0)
        specs.append(spec)
    _check_unique([str(spec["name"]) for spec in specs], "topology")
    return specs


def device_line(source: Path | str | None, name: str) -> str:
    """``file:line: `` of the entry that made device ``name`` (a fleet's device: ``fleet:``), or nothing
    when the topology was given in code; for a device the lab could not build from a valid entry."""
    if source is None:
        return ""
    try:
        document = read_yaml(Path(source))
    except YamlFileError:
        return ""
    devices = document.data.get("devices") if isinstance(document.data, dict) else None
    names = [entry.get("name") if isinstance(entry, dict) else None for entry in devices or []]
    return f"{document.where(('devices', names.index(name)) if name in names else ('fleet',))}: "


def _check_names(topology: Topology, document: LinedYaml) -> None:
    seen: dict[str, int] = {}
    for index, device in enumerate(topology.devices):
        if device.name in seen:
            first = document.line_of(("devices", seen[device.name]))
            also = f" (first on line {first})" if first is not None else ""
            raise TopologyError(
                f"{document.where(('devices', index, 'name'))}: duplicate device names: {device.name}{also}"
            )
        seen[device.name] = index


def _check_unique(names: list[str], source: str) -> None:
    duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
    if duplicates:
        raise TopologyError(f"{source}: duplicate device names: {', '.join(duplicates)}")


def _device_owner(topology: dict[str, Any]) -> Owner:
    """``device 'c9300x-stack'`` for a path inside ``devices:``, by name when it has one."""
    devices = topology.get("devices")

    def owner(loc: Loc) -> tuple[str, Loc]:
        if len(loc) >= 2 and loc[0] == "devices" and isinstance(loc[1], int):
            entry = devices[loc[1]] if isinstance(devices, list) and loc[1] < len(devices) else None
            name = entry.get("name") if isinstance(entry, dict) else None
            return (f"device {name!r}" if name else f"device {loc[1] + 1}"), loc[2:]
        return "", loc

    return owner
