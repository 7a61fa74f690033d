"""The lab's import graph, read from the source with ``ast``: no module of ``virtual_devices`` imports
``nornir_catlic`` (the lab is an independent model of a switch), no import circle, and the YAML helper both
share (``yaml_lines``) imports neither.

Every import counts, at the top of a module, inside a function or under ``TYPE_CHECKING``: a circle that
only type checkers follow still ties two modules into one.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import virtual_devices
import yaml_lines

LAB = Path(virtual_devices.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(LAB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_names(path: Path) -> Iterator[str]:
    """Every dotted name ``path`` imports (``from a.b import c`` yields ``a.b.c`` and ``a.b``)."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def lab_import_graph() -> dict[str, set[str]]:
    """Module -> the lab modules it imports."""
    modules = {_module_name(path): path for path in LAB.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = set()
        for imported in _imported_names(path):
            if imported in modules and imported != name:
                graph[name].add(imported)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as ``[a, b, ..., a]``, or None."""
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        return list(reversed(error.args[1]))
    return None


def test_the_lab_has_no_import_circle() -> None:
    graph = lab_import_graph()
    assert "virtual_devices.device" in graph["virtual_devices.render"] | graph["virtual_devices.lab"]
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_licensing_agent_does_not_import_the_device() -> None:
    graph = lab_import_graph()
    agent_modules = [name for name in graph if name.startswith("virtual_devices.licensing")]
    assert "virtual_devices.licensing.agent" in agent_modules
    assert not [name for name in agent_modules if "virtual_devices.device" in graph[name]]


def test_the_command_modules_do_not_import_the_engine_that_loads_them() -> None:
    """``cli.py`` imports every module of ``commands/`` by name (pkgutil), which ``ast`` cannot see: a command
    module importing ``cli`` would be a circle this graph misses."""
    graph = lab_import_graph()
    commands = [name for name in graph if name.startswith("virtual_devices.commands.")]
    assert "virtual_devices.commands.system" in commands
    assert [name for name in commands if "virtual_devices.cli" in graph[name]] == []


def _offenders(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{_module_name(path)} imports {name}"
        for path in folder.rglob("*.py")
        for name in _imported_names(path)
        if name.split(".")[0] in forbidden
    )


def test_nothing_in_the_lab_imports_the_library() -> None:
    assert _offenders(LAB, ("nornir_catlic",)) == []


def test_the_yaml_helper_imports_neither_the_library_nor_the_lab() -> None:
    assert _offenders(Path(yaml_lines.__file__).parent, ("nornir_catlic", "virtual_devices")) == []


def test_the_lab_front_end_loads_no_library_module() -> None:
    probe = (
        "import sys, virtual_devices.__main__, virtual_devices.lab, virtual_devices.ssm\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'nornir_catlic'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
