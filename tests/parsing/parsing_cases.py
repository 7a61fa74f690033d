"""Helpers shared by the data-driven parser tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from netmiko.utilities import get_structured_data_textfsm

from textfsm_templates import template_path

GUIDE_DIR = Path(__file__).parent / "guide"
FACTS_DIR = Path(__file__).parent / "facts"
REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = REPO_ROOT / "tests" / "corpus" / "real"
LAB_TOPOLOGY = REPO_ROOT / "virtual_devices" / "topologies" / "default.yaml"

LICENSE_COMMANDS = (
    "show license summary",
    "show license status",
    "show license authorization",
    "show license udi",
    "show license usage",
    "show license all",
)


def guide_cases(folder: Path = GUIDE_DIR) -> list[tuple[str, Path]]:
    """(command, .raw path) for every capture under <folder>/<command_with_underscores>/."""
    cases = []
    for raw in sorted(folder.glob("*/*.raw")):
        cases.append((raw.parent.name.replace("_", " "), raw))
    return cases


def load_expected(raw: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(raw.with_suffix(".yml").read_text())
    return data


def dump_for_comparison(model: Any) -> dict[str, Any]:
    """The model as JSON without defaults: equal dumps mean equal models, with short expectation files."""
    dumped: dict[str, Any] = model.model_dump(mode="json", exclude_defaults=True)
    dumped.pop("command", None)
    return dumped


def netmiko_records(template: str, text: str) -> list[dict[str, Any]]:
    """A template handed to netmiko directly, as its users do; a template error raises."""
    records = get_structured_data_textfsm(
        text, template=str(template_path(template)), raise_parsing_error=True
    )
    assert isinstance(records, list), records
    return records
