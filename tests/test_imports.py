"""The generator's modules import each other without a cycle, function-level imports included.

A cycle hidden by an import inside a function still ties two modules together: neither can be
read, tested or moved without the other. Every module of generator/ is parsed with ast (nothing
is imported), each `import generator…` / `from generator… import …` / relative import becomes an
edge, wherever it stands, except under `if TYPE_CHECKING:` (never executed).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import ROOT

PACKAGE = "generator"


def module_names(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    names = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(node: ast.AST):
    """Every Import / ImportFrom under `node`, skipping `if TYPE_CHECKING:` bodies."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for orelse in child.orelse:
                yield from _import_nodes(orelse)
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _import_nodes(child)


def _base(name: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a `from … import` names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    parts = name.split(".") if is_package else name.split(".")[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, node.module] if node.module else parts)


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that module `name` imports."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = _base(name, is_package, node)
            # `from pkg import mod` imports the submodule; `from mod import name`, the module.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                       for a in node.names]
        for target in targets:
            while target and target not in modules:  # `import generator.x.y` → nearest module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    modules = module_names(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component (Tarjan), each closed: [a, b, a]."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_through(graph, set(c)) for c in sorted(components)]


def _cycle_through(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest path from the component's first module back to itself."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for succ in sorted(graph[node] & component):
            if succ == start:
                return [*paths[node], start]
            if succ not in paths:
                paths[succ] = [*paths[node], succ]
                queue.append(succ)
    raise AssertionError(f"no cycle in component {sorted(component)}")


def test_the_generator_has_no_import_cycle():
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles in generator/:\n" + "\n".join(
        "  " + " → ".join(cycle) for cycle in cycles)


# --------------------------------------------------------------------------- the check can fail


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / PACKAGE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("files, cycle", [
    ({"__init__.py": "", "a.py": "from generator.b import x\n",
      "b.py": "def f():\n    from generator import a\n"},
     ["generator.a", "generator.b", "generator.a"]),
    ({"__init__.py": "", "a.py": "from . import b\n",
      "b.py": "import generator.c.d\n", "c/__init__.py": "",
      "c/d.py": "def f():\n    if True:\n        from ..a import y\n"},
     ["generator.a", "generator.b", "generator.c.d", "generator.a"]),
])
def test_a_cycle_is_found_and_printed(tmp_path: Path, files: dict[str, str], cycle: list[str]):
    assert find_cycles(import_graph(_package(tmp_path, files))) == [cycle]


def test_type_checking_imports_and_chains_are_not_cycles(tmp_path: Path):
    root = _package(tmp_path, {
        "__init__.py": "", "a.py": "from generator.b import x\nimport os\n",
        "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from generator import a\n",
    })
    assert import_graph(root)["generator.a"] == {"generator.b"}
    assert find_cycles(import_graph(root)) == []
