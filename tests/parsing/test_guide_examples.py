"""Every example output of the guide, parsed and compared with values read by hand from the guide.

Each `guide/<command>/<name>.raw` holds the output as a device prints it (the guide's PDF-damaged tables
restored to aligned columns, its `<<<<<` annotations removed); `<name>.yml` holds `model:`, the expected
model dump without defaults, and `source:`, where in the guide the example sits.
`facts/` holds the same kind of pairs for output generations the guide does not print, written from
../shared/notes/ios-xe-licensing-facts.md (not device captures: their source says so).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from parsing_cases import FACTS_DIR, dump_for_comparison, guide_cases, load_expected

from nornir_catlic import parse


@pytest.mark.parametrize(
    ("command", "raw"), guide_cases(), ids=lambda v: v.stem if isinstance(v, Path) else v
)
def test_guide_example_parses_to_hand_read_model(command: str, raw: Path) -> None:
    expected = load_expected(raw)
    result = parse(command, raw.read_text(), strict=not expected.get("unparsed_lines"))
    assert dump_for_comparison(result) == expected["model"]


@pytest.mark.parametrize(
    ("command", "raw"), guide_cases(FACTS_DIR), ids=lambda v: v.stem if isinstance(v, Path) else v
)
def test_generation_variant_parses_to_expected_model(command: str, raw: Path) -> None:
    """Shapes the guide does not show (16.x, agent 6.x, cslu, nothing in use), built from the facts note."""
    expected = load_expected(raw)
    result = parse(command, raw.read_text(), strict=True)
    assert dump_for_comparison(result) == expected["model"]
