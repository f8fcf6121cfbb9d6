"""The tree is the architecture: every module stands in one of the five layer packages, and the
import graph has no circle (import-linter's contracts, run by `make lint`, keep imports going
down; a circle inside one package is what they cannot see)."""

from __future__ import annotations

from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("adapters", "actions", "edges", "core", "model")


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("xlsrc")


def test_every_module_stands_in_a_layer_package() -> None:
    outside = [
        m
        for m in _graph().modules
        if m != "xlsrc" and not any(m.startswith(f"xlsrc.{layer}") for layer in LAYERS)
    ]
    assert not outside, f"modules outside the five layer packages: {sorted(outside)}"


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_circle_finder_finds_a_planted_circle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(edges) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_has_no_circle() -> None:
    graph = _graph()
    edges = {
        m: {n for n in graph.find_modules_directly_imported_by(m) if n.startswith("xlsrc")}
        for m in graph.modules
        if m.startswith("xlsrc")
    }
    # A package's __init__ re-exporting its own modules is not a circle of ideas.
    for m, targets in edges.items():
        edges[m] = {n for n in targets if not m.startswith(n + ".")}
    assert not _circles(edges)
