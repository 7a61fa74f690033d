"""yaml_lines: a YAML file's lines kept, and a pydantic ValidationError told as ``file:line: owner: what``."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field

from yaml_lines import (
    LinedYaml,
    Loc,
    YamlFileError,
    YamlValidationError,
    known_keys,
    parse_yaml,
    read_yaml,
    validate,
)


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: int
    serial: str = ""


class Switch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    members: list[Member] = []
    linecards: dict[int, str] = {}
    priority: int = Field(default=1, ge=0)


class Site(BaseModel):
    model_config = ConfigDict(extra="forbid")

    switches: list[Switch] = []


SITE = """\
switches:
  - name: sw1
    members:
      - {number: 1, serial: FOC1}
      - number: two
  - name: sw2
    linecards:
      1: C9600X-LC-32CD
    prioirty: 3
"""


def switch_owner(loc: Loc) -> tuple[str, Loc]:
    if len(loc) >= 2 and loc[0] == "switches" and isinstance(loc[1], int):
        return f"switch {loc[1] + 1}", loc[2:]
    return "", loc


def test_every_key_and_item_has_its_line() -> None:
    document = parse_yaml(SITE, "site.yaml")

    assert document.line_of(()) == 1
    assert document.line_of(("switches", 0)) == 2
    assert document.line_of(("switches", 0, "members", 1, "number")) == 5
    assert document.line_of(("switches", 1, "linecards", 1)) == 8  # the key as YAML reads it: the int 1
    assert document.line_of(("switches", 1, "no-such-key")) == 6  # a missing key: its mapping's line
    assert document.where(("switches", 1, "prioirty")) == "site.yaml:9"


def test_each_problem_is_named_with_its_line_owner_and_key_in_file_order() -> None:
    with pytest.raises(YamlValidationError) as refused:
        validate(Site, parse_yaml(SITE, "site.yaml"), owner=switch_owner)

    assert refused.value.messages == [
        "site.yaml:5: switch 1: members[1].number: Input should be a valid integer, not 'two'",
        "site.yaml:9: switch 2: unknown key 'prioirty' (did you mean 'priority'? known: linecards, members, "
        "name, priority)",
    ]


def test_a_missing_key_and_a_bound() -> None:
    document = parse_yaml("switches:\n  - members: []\n  - name: sw2\n    priority: -1\n", "site.yaml")

    with pytest.raises(YamlValidationError) as refused:
        validate(Site, document, owner=switch_owner, key_word="setting")

    assert refused.value.messages == [
        "site.yaml:2: switch 1: missing setting 'name'",
        "site.yaml:4: switch 2: priority: Input should be greater than or equal to 0, not -1",
    ]


def test_data_given_in_code_is_named_by_its_source_and_path() -> None:
    document = LinedYaml.of_data({"switches": [{"name": "sw1", "member": []}]}, "topology")

    with pytest.raises(
        YamlValidationError, match=r"^topology: switch 1: unknown key 'member' \(did you mean"
    ):
        validate(Site, document, owner=switch_owner)


def test_a_key_defined_twice_is_refused_with_both_lines() -> None:
    with pytest.raises(YamlFileError, match=r"^site.yaml:3: 'name' is defined twice \(first on line 2\)$"):
        parse_yaml("switches:\n  - name: sw1\n    name: sw2\n", "site.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("switches: [sw1\n", "site.yaml:1: not valid YAML"),  # an unclosed bracket: where it opened
        ("name: sw1\x07\n", "site.yaml: not valid YAML: unacceptable character"),  # no line to give
    ],
)
def test_text_that_is_not_yaml(text: str, expected: str) -> None:
    with pytest.raises(YamlFileError) as refused:
        parse_yaml(text, "site.yaml")
    assert str(refused.value).startswith(expected)


def test_a_file_is_named_by_its_path(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("switches:\n  - {name: sw1, members: [{numbr: 1}]}\n")

    with pytest.raises(YamlValidationError) as refused:
        validate(Site, read_yaml(tmp_path / "site.yaml"))

    where = f"{tmp_path / 'site.yaml'}:2: switches[0].members[0]"
    assert refused.value.messages == [  # not also "missing key 'number'": the typo's message names it
        f"{where}: unknown key 'numbr' (did you mean 'number'? known: number, serial)",
    ]
    with pytest.raises(YamlFileError, match="cannot read"):
        read_yaml(tmp_path / "missing.yaml")


def test_known_keys_follow_lists_and_mappings() -> None:
    assert known_keys(Site, ("switches", 0, "members", 3)) == ["number", "serial"]
    assert known_keys(Site, ("switches", 0, "linecards")) == []


def test_the_shared_package_imports_neither_the_library_nor_the_lab() -> None:
    sources = (Path(__file__).parents[2] / "yaml_lines").glob("*.py")
    imports = [line for path in sources for line in path.read_text().splitlines() if "import" in line]
    assert not [line for line in imports if "nornir_catlic" in line or "virtual_devices" in line]
