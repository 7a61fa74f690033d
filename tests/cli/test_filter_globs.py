"""``--filter`` with shell-style globs on host names, group names and values, from real inventory files."""

from __future__ import annotations

from pathlib import Path

import pytest

from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.inventory import InventoryChoice, load_nornir

HOSTS = """\
c9300-a1: {hostname: 10.0.0.1, groups: [site-paris]}
c9300-a2: {hostname: 10.0.0.2, groups: [site-lyon]}
c9300x-core: {hostname: 10.0.0.3, groups: [core], data: {role: core-1}}
c9200-edge: {hostname: 10.0.0.4, groups: [edge]}
"""
GROUPS = """\
campus: {}
site-paris: {groups: [campus]}
site-lyon: {groups: [campus]}
core: {}
edge: {}
"""


@pytest.fixture
def inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> InventoryChoice:
    monkeypatch.setenv("CATLIC_USERNAME", "admin")
    monkeypatch.setenv("CATLIC_PASSWORD", "pw")
    monkeypatch.setenv("CATLIC_SECRET", "en")
    folder = tmp_path / "inventory"
    folder.mkdir()
    (folder / "hosts.yaml").write_text(HOSTS)
    (folder / "groups.yaml").write_text(GROUPS)
    (folder / "defaults.yaml").write_text("platform: cisco_xe\n")
    return InventoryChoice(folder=folder)


def selected(inventory: InventoryChoice, *filters: str) -> list[str]:
    return sorted(load_nornir(inventory, filters=filters).inventory.hosts)


@pytest.mark.parametrize(
    ("filters", "hosts"),
    [
        (("c9300-*",), ["c9300-a1", "c9300-a2"]),
        (("c9300?-*",), ["c9300x-core"]),
        (("c9[23]00-*",), ["c9200-edge", "c9300-a1", "c9300-a2"]),
        (("site-*",), ["c9300-a1", "c9300-a2"]),  # a plain word matches group names too
        (("group=site-*",), ["c9300-a1", "c9300-a2"]),
        (("group=campus",), ["c9300-a1", "c9300-a2"]),  # through the parent group
        (("group=c*",), ["c9300-a1", "c9300-a2", "c9300x-core"]),
        (("c9*", "group=site-p*"), ["c9300-a1"]),  # names: union; key=value: intersection
        (("role=core-*",), ["c9300x-core"]),
        (("hostname=10.0.0.[12]",), ["c9300-a1", "c9300-a2"]),
        (("c9200-edge", "c9300x-core"), ["c9200-edge", "c9300x-core"]),  # exact names still work
    ],
)
def test_globs_select_names_groups_and_values(
    inventory: InventoryChoice, filters: tuple[str, ...], hosts: list[str]
) -> None:
    assert selected(inventory, *filters) == hosts


def test_a_glob_that_matches_nothing_is_an_error_naming_it(inventory: InventoryChoice) -> None:
    with pytest.raises(CliError, match="--filter 'c9500-\\*': no host or group"):
        selected(inventory, "c9500-*")
    with pytest.raises(CliError, match="selects no host"):
        selected(inventory, "group=site-rome*")


def test_globs_are_case_sensitive_like_host_names(inventory: InventoryChoice) -> None:
    with pytest.raises(CliError, match="no host or group"):
        selected(inventory, "C9300-*")
