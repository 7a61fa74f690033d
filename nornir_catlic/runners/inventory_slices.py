"""A slice of a Nornir inventory as plain data, and back: what a cluster worker builds its own Nornir from.

The slice carries the selected hosts, every group and the defaults, as Nornir's own ``dict()`` gives them,
so a task on the worker sees the same inheritance (groups, data, connection options) as on the client.
Credentials travel with it in memory only (over Dask's TLS between machines); nothing here writes a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from nornir.core.inventory import (
    ConnectionOptions,
    Defaults,
    Group,
    Groups,
    Host,
    Hosts,
    Inventory,
    ParentGroups,
)

InventoryData = dict[str, Any]


def inventory_data(hosts: Iterable[Host], groups: Mapping[str, Group], defaults: Defaults) -> InventoryData:
    """``hosts`` with all the groups and defaults they may inherit from, as plain data."""
    return {
        "hosts": {host.name: host.dict() for host in hosts},
        "groups": {name: group.dict() for name, group in groups.items()},
        "defaults": defaults.dict(),
    }


def build_inventory(data: InventoryData) -> Inventory:
    """The Nornir inventory :func:`inventory_data` described."""
    defaults = Defaults(
        data=dict(data["defaults"].get("data") or {}),
        connection_options=_connection_options(data["defaults"].get("connection_options")),
        **_base_attributes(data["defaults"]),
    )
    groups = Groups({name: _element(Group, name, item, defaults) for name, item in data["groups"].items()})
    hosts = Hosts({name: _element(Host, name, item, defaults) for name, item in data["hosts"].items()})
    for name, element in [*groups.items(), *hosts.items()]:
        parents = (
            data["groups"][name]["groups"] if element.__class__ is Group else data["hosts"][name]["groups"]
        )
        element.groups = ParentGroups(groups[parent] for parent in parents)
    return Inventory(hosts=hosts, groups=groups, defaults=defaults)


def _element(kind: type[Host], name: str, item: Mapping[str, Any], defaults: Defaults) -> Any:
    return kind(
        name=name,
        data=dict(item.get("data") or {}),
        connection_options=_connection_options(item.get("connection_options")),
        defaults=defaults,
        **_base_attributes(item),
    )


def _base_attributes(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: item.get(key) for key in ("hostname", "port", "username", "password", "platform")}


def _connection_options(options: Mapping[str, Mapping[str, Any]] | None) -> dict[str, ConnectionOptions]:
    return {
        name: ConnectionOptions(extras=option.get("extras"), **_base_attributes(option))
        for name, option in (options or {}).items()
    }
