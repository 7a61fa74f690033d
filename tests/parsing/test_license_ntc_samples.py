"""The ntc-templates half of every license `.raw`/`.yml` pair: the template's own records."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from ntc_samples import parsed_sample, sample_files


@pytest.mark.parametrize("raw", sample_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_template_records_match_parsed_sample(raw: Path) -> None:
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text())
    assert "parsed_sample" in expected, "run: .venv/bin/python tests/parsing/ntc_samples.py"
    assert parsed_sample(raw) == expected["parsed_sample"]
