"""Several selections from one reading of the inventory: the hosts shared, each credential asked once."""

from __future__ import annotations

from pathlib import Path

import pytest

from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.inventory import InventoryChoice, load_selections
from nornir_catlic.transport import CONNECTION_NAME


@pytest.fixture
def inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> InventoryChoice:
    for name in ("CATLIC_USERNAME", "CATLIC_PASSWORD", "CATLIC_SECRET"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "inventory"
    folder.mkdir()
    (folder / "hosts.yaml").write_text(
        "stack1: {hostname: 10.0.0.1}\nsw-alone: {hostname: 10.0.0.2}\nother: {hostname: 10.0.0.3}\n"
    )
    (folder / "defaults.yaml").write_text("platform: cisco_xe\n")
    return InventoryChoice(folder=folder)


def test_the_standalone_and_the_stack_get_the_credentials_typed_once(inventory: InventoryChoice) -> None:
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return {"Username": "admin", "Password": "s3cret", "Enable secret": "en4ble"}[text.split(" for ")[0]]

    alone, stack = load_selections(inventory, ["sw-alone"], ["stack1"], prompt=prompt)

    assert asked == [
        "Username for stack1, sw-alone",
        "Password for stack1, sw-alone",
        "Enable secret for stack1, sw-alone",
    ]
    assert list(alone.inventory.hosts) == ["sw-alone"] and list(stack.inventory.hosts) == ["stack1"]
    for host in (alone.inventory.hosts["sw-alone"], stack.inventory.hosts["stack1"]):
        parameters = host.get_connection_parameters(CONNECTION_NAME)
        assert (parameters.username, parameters.password) == ("admin", "s3cret")
        assert (parameters.extras or {})["secret"] == "en4ble"


def test_a_selection_that_matches_nothing_is_refused_before_any_prompt(inventory: InventoryChoice) -> None:
    asked: list[str] = []

    with pytest.raises(CliError, match="'missing': no host or group"):
        load_selections(inventory, ["sw-alone"], ["missing"], prompt=lambda text: asked.append(text) or "x")

    assert asked == []
