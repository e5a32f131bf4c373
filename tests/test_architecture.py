"""The layers of docs/architecture.md, read from every import in the package (lazy ones too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mentormap"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    name = ".".join(("mentormap", *parts))
    return name.removesuffix(".__init__")


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    """The mentormap modules `name` imports anywhere in its body (module level or in functions)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.rsplit(".", node.level)[0]
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "mentormap"


# Which layers each layer may import (storage = models, db, migrations, settings, errors).
ALLOWED = {
    "domain": {"domain", "errors"},
    "interop": {"interop", "domain", "errors"},
    "models": {"models", "domain", "errors"},
    "services": {"services", "interop", "domain", "models", "db", "settings", "errors"},
    "render": {"render", "services", "domain", "errors"},
}


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) in ALLOWED))
def test_each_module_imports_only_the_layers_below_it(name: str) -> None:
    wrong = sorted(m for m in GRAPH[name] if layer(m) not in ALLOWED[layer(name)])
    assert not wrong, f"{name} reaches up or across into {wrong}"


def strongly_connected(nodes: set[str]) -> list[set[str]]:
    """Tarjan's algorithm over GRAPH restricted to `nodes`: the import circles among them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v] & nodes:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                circles.append(group)

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return circles


def test_no_services_module_takes_part_in_an_import_circle() -> None:
    services = {n for n in MODULES if layer(n) == "services"}
    assert strongly_connected(services) == []


def test_a_circle_would_be_found() -> None:
    """The check above can fail: two modules importing each other are a circle."""
    today, standing = "mentormap.services.clock.today", "mentormap.services.clock.standing"
    saved = {today: set(GRAPH[today]), standing: set(GRAPH[standing])}
    GRAPH[today].add(standing)
    GRAPH[standing].add(today)
    try:
        assert any({today, standing} <= c for c in strongly_connected(set(GRAPH)))
    finally:
        GRAPH.update(saved)


def test_services_are_grouped_by_capability() -> None:
    services = PACKAGE / "services"
    loose = sorted(p.name for p in services.glob("*.py") if p.name != "__init__.py")
    assert loose == [
        "context.py",
        "owned.py",
        "preferences.py",
        "secrets.py",
        "sql.py",
        "unit.py",
        "views.py",
    ]
    for folder in ("people", "clock", "conversations", "health", "travel", "interop", "demo"):
        assert (services / folder / "__init__.py").exists(), folder
