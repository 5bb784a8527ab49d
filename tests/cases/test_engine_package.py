"""The vignette engine's package keeps its contract: pure Python (no Django, no Wagtail, nothing of
the project but the pure ``assessments.engine``), imports at module level only, each module
importing only those its package docstring lists before it, and modules small enough to read."""

import ast
from pathlib import Path

import pytest

import cases.engine

PACKAGE = Path(cases.engine.__file__).parent
ORDER = ["graph", "bounds", "validation", "play", "loading", "diagram"]
# What each module may import from the engine (the direction stated in __init__'s docstring).
ALLOWED = {
    "graph": set(),
    "bounds": {"graph"},
    "validation": {"graph", "bounds"},
    "play": {"graph"},
    "loading": {"graph"},
    "diagram": {"graph", "bounds", "validation"},
}
MODULES = sorted(PACKAGE.glob("*.py"))


def _imports(tree: ast.Module):
    """(absolute module, relative module, whether at module level) for every import."""
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, id(node) in top
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                yield None, node.module or "", id(node) in top
            else:
                yield node.module, None, id(node) in top


def test_the_package_has_the_modules_its_docstring_names():
    assert sorted(p.stem for p in MODULES) == sorted([*ORDER, "__init__"])
    for name in ORDER:
        assert f"``{name}``" in cases.engine.__doc__


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_an_engine_module_imports_nothing_impure_and_only_at_module_level(path):
    tree = ast.parse(path.read_text())
    for absolute, relative, at_top in _imports(tree):
        assert at_top, f"{path.name}: an import inside a function or class"
        if absolute is not None:
            root = absolute.split(".")[0]
            assert root not in {"django", "wagtail"}, f"{path.name} imports {absolute}"
            project = {"assessments", "cases", "curriculum", "home", "progress", "supervision"}
            if root in project:
                assert absolute.startswith("assessments.engine"), f"{path.name}: {absolute}"
        elif path.stem != "__init__":
            assert relative in ALLOWED[path.stem], f"{path.name} imports .{relative}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_an_engine_module_stays_short(path):
    assert len(path.read_text().splitlines()) <= 300


def test_the_names_callers_use_are_re_exported():
    for name in cases.engine.__all__:
        assert getattr(cases.engine, name) is not None
    graph = cases.engine.graph_from_data(
        [
            {"id": "a", "kind": "scene", "next": "b"},
            {"id": "b", "kind": "ending", "outcome": "good"},
        ]
    )
    assert cases.engine.validate(graph).ok
    assert cases.engine.best_path(graph) == [("a", None), ("b", None)]
