"""Check Nornir's YAML files before Nornir reads them, so a mistake is reported as ``file:line: what``.

Nornir's SimpleInventory fails on a bad file with a bare ``AttributeError`` or ``KeyError`` and no
position. These checks walk the YAML node tree (which keeps line numbers) and describe the first problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from nornir_catlic.cli.errors import CliError

_ELEMENT_KEYS = frozenset(
    {"hostname", "port", "username", "password", "platform", "data", "connection_options"}
)
_HOST_KEYS = _ELEMENT_KEYS | {"groups"}
_CONNECTION_KEYS = frozenset({"hostname", "port", "username", "password", "platform", "extras"})
_CONFIG_SECTIONS = frozenset({"inventory", "ssh", "logging", "core", "runner", "user_defined"})


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
    """Raise :class:`CliError` naming the file and line of the first problem in a SimpleInventory."""
    if not files.hosts.is_file():
        raise CliError(f"{files.hosts}: no such inventory file")
    group_names: set[str] = set()
    if files.groups.is_file():
        groups = _load_mapping(files.groups)
        if groups is not None:
            group_names = {_key_text(key) for key, _ in groups.value}
            for key, node in groups.value:
                _check_element(files.groups, "group", key, node, _HOST_KEYS, group_names)
    if files.defaults.is_file():
        defaults = _load_mapping(files.defaults)
        if defaults is not None:
            _check_keys(files.defaults, "defaults", defaults, _ELEMENT_KEYS)
            _check_element_values(files.defaults, "defaults", defaults, group_names)
    hosts = _load_mapping(files.hosts)
    if hosts is None or not hosts.value:
        raise CliError(f"{files.hosts}: the inventory holds no host")
    for key, node in hosts.value:
        _check_element(files.hosts, "host", key, node, _HOST_KEYS, group_names)


def check_config_file(path: Path) -> SimpleInventoryFiles | None:
    """Check a Nornir config file; return its SimpleInventory files (as Nornir resolves them), if any."""
    if not path.is_file():
        raise CliError(f"{path}: no such Nornir config file")
    root = _load_mapping(path)
    if root is None:
        raise CliError(f"{path}: the Nornir config file is empty")
    for key, _ in root.value:
        if _key_text(key) not in _CONFIG_SECTIONS:
            raise CliError(
                f"{_where(path, key)}: unknown section {_key_text(key)!r} "
                f"(Nornir knows {', '.join(sorted(_CONFIG_SECTIONS))})"
            )
    inventory = _child(root, "inventory")
    if inventory is None:
        return _simple_files({})
    if not isinstance(inventory, yaml.MappingNode):
        raise CliError(f"{_where(path, inventory)}: 'inventory' must be a mapping")
    plugin = _child(inventory, "plugin")
    plugin_name = plugin.value if isinstance(plugin, yaml.ScalarNode) else "SimpleInventory"
    if plugin_name != "SimpleInventory":
        return None
    options = _child(inventory, "options")
    if options is not None and not isinstance(options, yaml.MappingNode):
        raise CliError(f"{_where(path, options)}: 'inventory.options' must be a mapping")
    values = {} if options is None else {_key_text(k): v.value for k, v in options.value}
    return _simple_files(values)


def _simple_files(options: dict[str, object]) -> SimpleInventoryFiles:
    # Nornir resolves these against the working directory, not the config file's folder.
    return SimpleInventoryFiles(
        Path(str(options.get("host_file", "hosts.yaml"))).expanduser(),
        Path(str(options.get("group_file", "groups.yaml"))).expanduser(),
        Path(str(options.get("defaults_file", "defaults.yaml"))).expanduser(),
    )


def _load_mapping(path: Path) -> yaml.MappingNode | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"{path}: cannot read: {error}") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise not_valid_yaml(path, error) from None
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
        return None
    if not isinstance(node, yaml.MappingNode):
        raise CliError(f"{_where(path, node)}: expected a mapping of names to settings")
    _check_unique_keys(path, node)
    return node


def not_valid_yaml(path: Path, error: yaml.YAMLError) -> CliError:
    """``file:line: not valid YAML: what``; the line only when YAML marked one (a bad character has none)."""
    if isinstance(error, yaml.MarkedYAMLError):
        return CliError(f"{path}{_yaml_error_line(error)}: not valid YAML: {_yaml_problem(error)}")
    return CliError(f"{path}: not valid YAML: {error}")


def _yaml_error_line(error: yaml.MarkedYAMLError) -> str:
    # An unclosed bracket or quote is reported at the end of the file; where it was opened helps more.
    at_end = "<stream end>" in (error.problem or "")
    mark = (error.context_mark if at_end else None) or error.problem_mark or error.context_mark
    return f":{mark.line + 1}" if mark is not None else ""


def _yaml_problem(error: yaml.MarkedYAMLError) -> str:
    return " ".join(part for part in (error.context, error.problem) if part)


def _check_element(
    path: Path, kind: str, key: yaml.Node, node: yaml.Node, allowed: frozenset[str], group_names: set[str]
) -> None:
    name = _key_text(key)
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        return  # `sw1:` with nothing under it is a host with every setting inherited
    if not isinstance(node, yaml.MappingNode):
        raise CliError(f"{_where(path, node)}: {kind} {name!r} must be a mapping of settings")
    _check_keys(path, f"{kind} {name!r}", node, allowed)
    _check_element_values(path, f"{kind} {name!r}", node, group_names)


def _check_keys(path: Path, owner: str, node: yaml.MappingNode, allowed: frozenset[str]) -> None:
    _check_unique_keys(path, node)
    for key, _ in node.value:
        if _key_text(key) not in allowed:
            raise CliError(
                f"{_where(path, key)}: {owner}: unknown setting {_key_text(key)!r} "
                f"(known: {', '.join(sorted(allowed))})"
            )


def _check_element_values(path: Path, owner: str, node: yaml.MappingNode, group_names: set[str]) -> None:
    for key, value in node.value:
        setting = _key_text(key)
        if setting == "port" and not _is_int(value):
            raise CliError(f"{_where(path, value)}: {owner}: port must be a number")
        elif setting == "groups":
            _check_groups(path, owner, value, group_names)
        elif setting == "data" and not (isinstance(value, yaml.MappingNode) or _is_null(value)):
            raise CliError(f"{_where(path, value)}: {owner}: data must be a mapping")
        elif setting == "connection_options":
            _check_connection_options(path, owner, value)


def _check_groups(path: Path, owner: str, value: yaml.Node, group_names: set[str]) -> None:
    if not isinstance(value, yaml.SequenceNode):
        raise CliError(f"{_where(path, value)}: {owner}: groups must be a list of group names")
    for item in value.value:
        if not isinstance(item, yaml.ScalarNode):
            raise CliError(f"{_where(path, item)}: {owner}: a group is named by a plain word")
        if item.value not in group_names:
            known = ", ".join(sorted(group_names)) or "none defined"
            raise CliError(f"{_where(path, item)}: {owner}: no group {item.value!r} (groups: {known})")


def _check_connection_options(path: Path, owner: str, value: yaml.Node) -> None:
    if not isinstance(value, yaml.MappingNode):
        raise CliError(f"{_where(path, value)}: {owner}: connection_options must be a mapping")
    for plugin, options in value.value:
        label = f"{owner} connection {_key_text(plugin)!r}"
        if not isinstance(options, yaml.MappingNode):
            raise CliError(f"{_where(path, options)}: {label} must be a mapping")
        _check_keys(path, label, options, _CONNECTION_KEYS)
        for key, item in options.value:
            if _key_text(key) == "extras" and not isinstance(item, yaml.MappingNode):
                raise CliError(f"{_where(path, item)}: {label}: extras must be a mapping")
            if _key_text(key) == "port" and not _is_int(item):
                raise CliError(f"{_where(path, item)}: {label}: port must be a number")


def _check_unique_keys(path: Path, node: yaml.MappingNode) -> None:
    seen: dict[str, yaml.Node] = {}
    for key, _ in node.value:
        name = _key_text(key)
        if name in seen:
            first = seen[name].start_mark.line + 1
            raise CliError(f"{_where(path, key)}: {name!r} is defined twice (first on line {first})")
        seen[name] = key


def _children(node: yaml.MappingNode) -> Iterator[tuple[str, yaml.Node]]:
    for key, value in node.value:
        yield _key_text(key), value


def _child(node: yaml.MappingNode, name: str) -> yaml.Node | None:
    return next((value for key, value in _children(node) if key == name), None)


def _key_text(key: yaml.Node) -> str:
    return str(key.value) if isinstance(key, yaml.ScalarNode) else "<complex key>"


def _is_int(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":int")


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def _where(path: Path, node: yaml.Node) -> str:
    return f"{path}:{node.start_mark.line + 1}"
