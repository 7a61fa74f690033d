"""Keep the `parsed_sample:` block of every license `.yml` equal to what the template yields.

ntc-templates tests a template by running it on `<name>.raw` and comparing with `parsed_sample` in
`<name>.yml` (lower-cased value names). Our `.yml` files carry that block after the hand-read `model:`,
so each pair can be contributed upstream as is. Regenerate after a deliberate template change, review
the diff, commit:

    .venv/bin/python tests/parsing/ntc_samples.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from nornir_catlic.parsers.base import compiled_template  # noqa: E402
from nornir_catlic.parsing import template_for  # noqa: E402

MARKER = "# parsed_sample: the template's records, ntc-templates' test format (tests/parsing/ntc_samples.py)"
LICENSE_FOLDERS = ("guide", "facts")
COMMAND_FOLDERS = ("show_license_*", "show_version", "show_switch*", "show_logging")


def sample_files() -> list[Path]:
    """Every `.raw` of a license or platform command that has a `.yml` beside it."""
    return [
        raw
        for folder in LICENSE_FOLDERS
        for pattern in COMMAND_FOLDERS
        for raw in sorted((HERE / folder).glob(f"{pattern}/*.raw"))
        if raw.with_suffix(".yml").exists()
    ]


def parsed_sample(raw: Path) -> list[dict[str, Any]]:
    template = template_for(raw.parent.name.replace("_", " "))
    assert template is not None, raw
    records = compiled_template(template).parse(raw.read_text())
    return [{key.lower(): value for key, value in record.items()} for record in records]


def rewrite(raw: Path) -> None:
    yml = raw.with_suffix(".yml")
    head = yml.read_text().split(MARKER)[0].rstrip("\n")
    block = yaml.safe_dump({"parsed_sample": parsed_sample(raw)}, sort_keys=False, width=1000)
    yml.write_text(f"{head}\n{MARKER}\n{block}")


if __name__ == "__main__":
    for raw in sample_files():
        rewrite(raw)
        print(f"updated {raw.with_suffix('.yml').relative_to(HERE)}")
