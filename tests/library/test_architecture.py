"""The layers of the house, read from the package's own imports (ast, nothing imported).

Data flows one way: domain -> models -> rules -> tasks -> cli. The vocabulary (``nornir_catlic.domain``)
and the typed models sit below the rules and the workflows and never reach up to them; and no module
imports itself back through others.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import nornir_catlic

PACKAGE = Path(nornir_catlic.__file__).parent
ROOT = "nornir_catlic"
ABOVE_THE_MODELS = ("rules", "tasks", "cli", "transport", "store", "runners", "history", "metrics", "report")
"""Layers that use the models: the models and the domain import none of them."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import the module runs (at import time or in a function); ``if TYPE_CHECKING:`` ones excepted."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def imports_of(module: str) -> set[str]:
    """The package's modules ``module`` imports (``from pkg import sub`` counts as importing ``pkg.sub``)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            targets.add(submodule if submodule in MODULES else base)
    return {target for target in targets if target == ROOT or target.startswith(ROOT + ".")}


GRAPH = {module: imports_of(module) for module in MODULES}


def layer(module: str) -> str:
    """``nornir_catlic.models.state`` -> ``models``; a top-level module is its own layer."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_the_package_is_read() -> None:
    assert {"domain", "models", "rules", "tasks", "cli"} <= {layer(module) for module in MODULES}
    assert "nornir_catlic.domain" in GRAPH["nornir_catlic.models.state"] or any(
        target.startswith("nornir_catlic.domain") for target in GRAPH["nornir_catlic.models.state"]
    )


@pytest.mark.parametrize("lower", ["domain", "models"])
def test_the_vocabulary_and_the_models_never_import_the_layers_above(lower: str) -> None:
    offending = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if layer(module) == lower
        for target in targets
        if layer(target) in ABOVE_THE_MODELS
    )
    assert offending == []


def test_the_domain_imports_nothing_of_the_package_but_itself() -> None:
    offending = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if layer(module) == "domain"
        for target in targets
        if layer(target) != "domain"
    )
    assert offending == []


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``graph`` as the path that closes it, or ``[]``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module)
            if cycle:
                return cycle
    return []


def test_no_module_imports_itself_back() -> None:
    assert find_cycle(GRAPH) == []


def test_a_cycle_would_be_found() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


# Names of netmiko's or paramiko's internals, or of locking only one OS has: the transport uses netmiko's
# public API and the store does the locking, so none of these may come back.
INTERNALS = ("remote_conn", "eof_received", "_catlic_privileged", "fcntl", "_QUIET_NS")


def test_no_module_reaches_into_netmiko_internals_or_os_only_locks() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        for name in INTERNALS
        if name in line
    ]
    assert found == []
