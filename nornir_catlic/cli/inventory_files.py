"""Check Nornir's YAML files before Nornir reads them, so a mistake is reported as ``file:line: what``.

Nornir's SimpleInventory fails on a bad file with a bare ``AttributeError`` or ``KeyError`` and no
position. These checks walk the YAML node tree (which keeps line numbers) and describe the first problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

from nornir_catlic.cli.errors import CliError
from yaml_lines import LinedYaml, Loc, Owner, YamlFileError, read_yaml, validate

_SETTINGS = ConfigDict(extra="forbid", coerce_numbers_to_str=True)  # `password: 123456` is a password


class HostData(BaseModel):
    """A host's ``data:``: the operator's own keys, and the ones the library reads, typed."""

    model_config = ConfigDict(extra="allow")

    clock_zones: dict[str, Annotated[float, Field(gt=-24, lt=24)]] | None = None
    """What the zone names a device prints mean, in hours from UTC (``tasks.state.ZONES_HOST_KEY``)."""
    supervisor_pids: list[StrictStr] | None = None
    """The supervisors of a chassis or SVL pair, when ``show inventory`` is not to be read
    (``tasks.check.SUPERVISORS_HOST_KEY``)."""


class _Connection(BaseModel):
    """What a host, group, defaults and each ``connection_options`` entry may set to reach a device."""

    model_config = _SETTINGS

    hostname: str | None = None
    port: StrictInt | None = None
    username: str | None = None
    password: str | None = None
    platform: str | None = None


class ConnectionSettings(_Connection):
    """One entry of ``connection_options`` (``netmiko: {...}``)."""

    extras: dict[str, Any] | None = None


class InventoryDefaults(_Connection):
    """What ``defaults.yaml`` may set; hosts and groups add ``groups``."""

    data: HostData | None = None
    connection_options: dict[str, ConnectionSettings] | None = None


class InventoryEntry(InventoryDefaults):
    """A host of ``hosts.yaml`` or a group of ``groups.yaml``."""

    groups: list[StrictStr] | None = None


class InventorySection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plugin: str = "SimpleInventory"
    options: Annotated[dict[str, Any], BeforeValidator(lambda value: value or {})] = {}
    transform_function: str | None = None
    transform_function_options: dict[str, Any] | None = None


class NornirConfigFile(BaseModel):
    """The sections of a Nornir config file; only the inventory's are read here."""

    model_config = ConfigDict(extra="forbid")

    inventory: InventorySection | None = None
    ssh: dict[str, Any] | None = None
    logging: dict[str, Any] | None = None
    core: dict[str, Any] | None = None
    runner: dict[str, Any] | None = None
    user_defined: dict[str, Any] | None = None


@dataclass(frozen=True)
class SimpleInventoryFiles:
    """The three files of a Nornir SimpleInventory; groups and defaults may be absent."""

    hosts: Path
    groups: Path
    defaults: Path

    @classmethod
    def in_folder(cls, folder: Path) -> SimpleInventoryFiles:
        return cls(folder / "hosts.yaml", folder / "groups.yaml", folder / "defaults.yaml")


def check_simple_inventory(files: SimpleInventoryFiles) -> None:
    """Raise :class:`CliError` naming the file and line of each problem in a SimpleInventory."""
    if not files.hosts.is_file():
        raise CliError(f"{files.hosts}: no such inventory file")
    try:
        _check_simple_inventory(files)
    except YamlFileError as error:
        raise CliError(str(error)) from None


def _check_simple_inventory(files: SimpleInventoryFiles) -> None:
    groups: dict[str, InventoryEntry | None] = {}
    if files.groups.is_file():
        document = _read_mapping(files.groups)
        groups = validate(
            dict[str, InventoryEntry | None], document, owner=_owner("group"), key_word="setting"
        )
        _check_group_names(document, "group", groups, set(groups))
    if files.defaults.is_file():
        defaults = _read_mapping(files.defaults)
        if defaults.data is not None:
            validate(InventoryDefaults, defaults, owner=_defaults, key_word="setting")
    document = _read_mapping(files.hosts)
    if not document.data:
        raise CliError(f"{files.hosts}: the inventory holds no host")
    hosts = validate(dict[str, InventoryEntry | None], document, owner=_owner("host"), key_word="setting")
    _check_group_names(document, "host", hosts, set(groups))


def check_config_file(path: Path) -> SimpleInventoryFiles | None:
    """Check a Nornir config file; return its SimpleInventory files (as Nornir resolves them), if any."""
    if not path.is_file():
        raise CliError(f"{path}: no such Nornir config file")
    try:
        document = _read_mapping(path)
        if document.data is None:
            raise CliError(f"{path}: the Nornir config file is empty")
        config = validate(NornirConfigFile, document, key_word=lambda loc: "section" if not loc else "key")
    except YamlFileError as error:
        raise CliError(str(error)) from None
    inventory = config.inventory or InventorySection()
    return _simple_files(inventory.options) if inventory.plugin == "SimpleInventory" else None


def _simple_files(options: dict[str, object]) -> SimpleInventoryFiles:
    # Nornir resolves these against the working directory, not the config file's folder.
    return SimpleInventoryFiles(
        Path(str(options.get("host_file", "hosts.yaml"))).expanduser(),
        Path(str(options.get("group_file", "groups.yaml"))).expanduser(),
        Path(str(options.get("defaults_file", "defaults.yaml"))).expanduser(),
    )


def _read_mapping(path: Path) -> LinedYaml:
    document = read_yaml(path)
    if document.data is not None and not isinstance(document.data, dict):
        raise CliError(f"{document.where()}: expected a mapping of names to settings")
    return document


def _owner(kind: str) -> Owner:
    def owner(loc: Loc) -> tuple[str, Loc]:
        return (f"{kind} {loc[0]!r}", loc[1:]) if loc else ("", loc)

    return owner


def _defaults(loc: Loc) -> tuple[str, Loc]:
    return "defaults", loc


def _check_group_names(
    document: LinedYaml, kind: str, entries: dict[str, InventoryEntry | None], group_names: set[str]
) -> None:
    known = ", ".join(sorted(group_names)) or "none defined"
    for name, entry in entries.items():
        for index, group in enumerate((entry.groups if entry is not None else None) or []):
            if group not in group_names:
                raise CliError(
                    f"{document.where((name, 'groups', index))}: {kind} {name!r}: no group {group!r} "
                    f"(groups: {known})"
                )
