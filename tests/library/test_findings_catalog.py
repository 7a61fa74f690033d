"""Findings come from one catalog: every code has its text there, and the package builds none by hand."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

import nornir_catlic
from nornir_catlic.domain import GuideSection
from nornir_catlic.rules.catalog import CATALOG, DEFAULT, finding
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.findings import Severity

PACKAGE = Path(nornir_catlic.__file__).parent
CATALOG_MODULE = PACKAGE / "rules" / "catalog.py"

# A value for every placeholder any template names.
PLACEHOLDERS = (
    "pid name release release_name min_release reason now after level command role host when label status "
    "event add_all return_code zone first"
)
VALUES: dict[str, object] = dict.fromkeys(PLACEHOLDERS.split(" "), "x") | {
    "minimum": 1,
    "recommended": 2,
    "every": 3,
    "holding": 0,
    "days": 4,
    "count": 2,
    "deadline": dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc),
    "local": dt.datetime(2024, 5, 1),
}


def test_every_code_has_its_text_in_the_catalog() -> None:
    assert {code for code, _ in CATALOG} == set(FindingCode)


@pytest.mark.parametrize(("code", "variant"), sorted(CATALOG))
def test_every_entry_builds_a_finding_with_its_severity_and_section(code: FindingCode, variant: str) -> None:
    entry = CATALOG[(code, variant)]
    built = finding(code, "sw1", variant=variant, **VALUES)
    assert built.code is code and built.subject == "sw1" and built.severity is entry.severity
    assert built.message and "{" not in built.message.replace("{x: <hours>}", "")
    assert built.reference == (entry.section.value if entry.section else "")
    assert entry.section is None or isinstance(entry.section, GuideSection)


def test_a_finding_dumps_the_code_as_the_plain_text_the_audit_json_carries() -> None:
    built = finding(FindingCode.NO_UDI, "sw1")
    assert built.model_dump(mode="json")["code"] == "NO_UDI"
    assert built.severity is Severity.ERROR and built.blocking


def test_an_unknown_variant_or_missing_value_is_refused() -> None:
    with pytest.raises(KeyError):
        finding(FindingCode.NO_UDI, "sw1", variant="no-such-variant")
    with pytest.raises(KeyError):
        finding(FindingCode.SUPERVISOR_UNKNOWN, "sw1")  # names {pid}
    assert (FindingCode.NO_UDI, DEFAULT) in CATALOG


def _package_trees() -> list[tuple[Path, ast.AST]]:
    return [(path, ast.parse(path.read_text(), str(path))) for path in sorted(PACKAGE.rglob("*.py"))]


def test_only_the_catalog_builds_a_finding() -> None:
    builders = sorted(
        str(path.relative_to(PACKAGE))
        for path, tree in _package_trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Finding"
    )
    assert builders == [str(CATALOG_MODULE.relative_to(PACKAGE))]


def test_no_finding_code_is_compared_as_a_string() -> None:
    def is_code(node: ast.expr) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "code"

    def holds_text(node: ast.expr) -> bool:
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str)
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return any(holds_text(element) for element in node.elts)
        return False

    offending = sorted(
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path, tree in _package_trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(is_code(side) for side in (node.left, *node.comparators))
        and any(holds_text(side) for side in (node.left, *node.comparators))
    )
    assert offending == []
