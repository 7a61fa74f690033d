"""The real captures live in the repository with their provenance: a clone needs nothing beside it."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from parsing_cases import CORPUS_DIR, REPO_ROOT

SOURCE_BY_PREFIX = {"ntc": "networktocode/ntc-templates", "genie": "CiscoTestAutomation/genieparser"}


def manifest_rows() -> list[dict[str, str]]:
    with (CORPUS_DIR / "MANIFEST.tsv").open(newline="") as manifest:
        return list(csv.DictReader(manifest, delimiter="\t"))


def test_the_corpus_is_inside_the_repository() -> None:
    assert CORPUS_DIR.is_dir(), f"the real-device corpus is missing: expected {CORPUS_DIR}"
    assert CORPUS_DIR.resolve().is_relative_to(REPO_ROOT)


def test_every_capture_is_in_the_manifest_and_every_row_is_a_capture() -> None:
    captures = {path.relative_to(CORPUS_DIR).as_posix() for path in CORPUS_DIR.glob("*/*") if path.is_file()}
    listed = [row["file"] for row in manifest_rows()]
    assert len(listed) == len(set(listed)) == 27
    assert set(listed) == captures


def test_each_row_names_the_project_its_file_prefix_says() -> None:
    for row in manifest_rows():
        prefix, source_name = row["file"].split("/")[1].split("__", 1)
        assert row["source_repository"] == SOURCE_BY_PREFIX[prefix], row
        assert row["path_in_source"].rsplit("/", 1)[1] == source_name, row
        assert row["command"].replace(" ", "_") == row["file"].split("/")[0], row
        assert row["path_in_source"].startswith(("tests/", "src/")), row


def test_the_notice_carries_the_origin_and_the_apache_licence() -> None:
    notice = (CORPUS_DIR / "NOTICE").read_text()
    for repository in SOURCE_BY_PREFIX.values():
        assert repository in notice
    assert "Apache License, Version 2.0" in notice
    licence = (CORPUS_DIR / "LICENSE-Apache-2.0").read_text()
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    assert "END OF TERMS AND CONDITIONS" in licence


def test_no_test_or_benchmark_reads_beside_the_repository() -> None:
    """A clone with nothing beside it runs every test: no path climbs out to a ``shared`` folder."""
    outside = re.compile(r"\.\./shared/corpus|parents?(\[\d+\])?\s*/\s*[\"']shared[\"']")
    sources = [*(REPO_ROOT / "tests").rglob("*.py"), *(REPO_ROOT / "benchmarks").rglob("*.py")]
    assert len(sources) > 50
    offenders = [
        f"{path.relative_to(REPO_ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if outside.search(line) and path != Path(__file__)
    ]
    assert offenders == []
