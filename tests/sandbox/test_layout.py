"""The sandbox package's structure: no import cycle, no import placed inside a function,
no module over 400 lines.

The graph is the one import-linter reads (grimp), so ``TYPE_CHECKING`` imports count as
edges too: a cycle hidden behind one is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

import c66tui.sandbox

PACKAGE = Path(c66tui.sandbox.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The groups of two or more modules that import one another (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_among_the_sandbox_modules():
    graph = grimp.build_graph("c66tui")
    names = {m for m in graph.modules if m.startswith("c66tui.sandbox.")}
    edges = {m: graph.find_modules_directly_imported_by(m) & names for m in names}
    assert len(names) == len(MODULES) - 1  # every module but the package's __init__
    assert _cycles(edges) == []


def test_the_cycle_finder_sees_a_cycle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(edges) == [["a", "b", "c"]]


def test_no_import_inside_a_function():
    inner = [
        f"{path.name}:{node.lineno}"
        for path in MODULES
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert inner == []


def test_every_module_is_under_400_lines():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    assert {name: n for name, n in sizes.items() if n >= 400} == {}
