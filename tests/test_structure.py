"""The package's shape: module names that are modules, and an import graph without cycles."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import territory

PACKAGE = Path(territory.__file__).parent


def submodules() -> list[str]:
    found = ["territory"]
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="territory."):
        found.append(info.name)
    return sorted(found)


def test_a_package_attribute_named_after_a_submodule_is_that_module() -> None:
    for name in submodules()[1:]:
        module = importlib.import_module(name)
        parent, _, short = name.rpartition(".")
        attribute = getattr(importlib.import_module(parent), short, module)
        assert attribute is module, f"{parent}.{short} is {attribute!r}, not the module"


def imports_of(name: str, known: set[str]) -> set[str]:
    """Modules of the package that ``name`` imports, anywhere in its code (functions too)."""
    path = PACKAGE.parent / (name.replace(".", "/") + ".py")
    if not path.exists():
        path = PACKAGE.parent / name.replace(".", "/") / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m in known and m != name}


def test_no_import_cycle_among_the_modules() -> None:
    known = set(submodules())
    graph = {name: imports_of(name, known) for name in known}
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = "open"
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycle = path[path.index(target) :] + [target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_the_graph_reader_sees_imports_inside_functions() -> None:
    known = set(submodules())
    assert "territory.render" in imports_of("territory.cli.maps", known)  # on first use


#: The most lines a module of the package may have: past it, a module does several jobs.
MODULE_LINES = 600


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE.parent)): count
        for path in PACKAGE.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MODULE_LINES
    }
    assert not long, long


#: In-function imports of the package's own modules: only where one keeps ``import
#: territory`` light (or loads an optional dependency), each with its reason beside it.
MAX_LATE_IMPORTS = 8


def test_imports_of_our_modules_sit_at_the_top_but_for_a_stated_few() -> None:
    late = []
    for path in PACKAGE.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith(
                    "territory"
                ):
                    reason = lines[inner.lineno - 2].strip() + lines[inner.lineno - 1]
                    assert "#" in reason, f"{path.name}:{inner.lineno}: say why it is late"
                    late.append(f"{path.name}:{inner.lineno}")
    assert len(late) <= MAX_LATE_IMPORTS, late


def test_the_command_line_uses_only_public_names_of_the_library() -> None:
    """The command line is a thin layer over the library's public API: it imports no
    private module (``territory._stats``) and no private name (``from x import _y``)."""
    borrowed = []
    for name in submodules():
        if not name.startswith("territory.cli"):
            continue
        path = PACKAGE.parent / (name.replace(".", "/") + ".py")
        if not path.exists():
            path = PACKAGE.parent / name.replace(".", "/") / "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module not in (None, "__future__"):
                assert node.module is not None
                private = [a.name for a in node.names if a.name.startswith("_")]
                if any(part.startswith("_") for part in node.module.split(".")) or private:
                    borrowed.append(f"{name}: from {node.module} import {private or '...'}")
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "territory"
                and node.attr.startswith("_")
                and not node.attr.startswith("__")  # __version__ is public
            ):
                borrowed.append(f"{name}: territory.{node.attr}")
    assert borrowed == []


def test_architecture_names_every_module_with_its_job() -> None:
    text = (PACKAGE.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = []
    for name in submodules()[1:]:
        folder = PACKAGE.parent / name.replace(".", "/")
        named = f"`{name.replace('.', '/')}/`" if folder.is_dir() else f"`{folder.name}.py`"
        if named not in text:
            missing.append(name)
    assert missing == []
