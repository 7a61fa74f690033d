"""The lab never imports the library (a misunderstanding shared by both must not hide), and the YAML helper
they share (yaml_lines) imports neither."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("virtual_devices", ("nornir_catlic",)), ("yaml_lines", ("nornir_catlic", "virtual_devices"))],
)
def test_no_module_imports_what_it_must_not(package: str, forbidden: tuple[str, ...]) -> None:
    modules = imported_modules(package)
    assert modules, f"no module found in {package}"
    offending = {
        module: sorted(name for name in names if name.split(".")[0] in forbidden)
        for module, names in modules.items()
    }
    assert {module: names for module, names in offending.items() if names} == {}


def test_the_lab_front_end_loads_no_library_module() -> None:
    probe = (
        "import sys, virtual_devices.__main__, virtual_devices.lab, virtual_devices.ssm\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'nornir_catlic'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
