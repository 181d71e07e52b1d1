"""The GraphQL layer is cut by domain (issue 16): ``schema/<domain>/`` holds the domain's types,
batch functions, the fields it adds to the structure types, root queries and mutations. These
rules keep the cut honest as domains grow; each is read off the source with ``ast``."""

from __future__ import annotations

import ast
from pathlib import Path

SCHEMA = Path(__file__).resolve().parents[1] / "schema"
MODULES = {"__init__", "types", "loaders", "fields", "queries", "mutations"}


def _domains() -> list[Path]:
    """A domain package is a package of schema/ with a types.py (rulebook, governance …)."""
    return sorted(p.parent for p in SCHEMA.glob("*/types.py") if (p.parent / "__init__.py").exists())


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_domains_are_packages_of_the_known_modules_each_saying_what_it_is():
    domains = {p.name for p in _domains()}
    assert {"governance", "disputes", "funding", "reviews", "compliance", "compare", "rulebook"} <= domains
    for package in _domains():
        modules = {p.stem for p in package.glob("*.py")}
        assert modules <= MODULES, f"{package.name}: {sorted(modules - MODULES)} is not a domain module"
        assert ast.get_docstring(ast.parse((package / "__init__.py").read_text())), f"{package.name}: no docstring"


def test_sql_is_in_a_domains_loaders_and_graphql_types_are_not():
    for package in _domains():
        for name in ("types", "fields"):
            path = package / f"{name}.py"
            if path.exists():
                sql = sorted(m for m in _imports(path) if m.split(".")[0] == "sqlalchemy")
                assert not sql, f"schema/{package.name}/{name}.py imports {sql}: SQL belongs in loaders.py"
        loaders = package / "loaders.py"
        if loaders.exists():
            graphql = sorted(m for m in _imports(loaders)
                             if m.split(".")[0] == "strawberry" or (m.startswith("schema.") and m != "schema.batch"))
            assert not graphql, f"schema/{package.name}/loaders.py imports {graphql}: loaders answer rows, types wrap them"


def test_no_mixin_on_the_structure_types_is_empty():
    """An empty ``*Fields`` mixin adds nothing but one more base class to read past."""
    empty = []
    for path in sorted(SCHEMA.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Fields"):
                members = [n for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.AnnAssign)]
                if not members:
                    empty.append(f"{path.relative_to(SCHEMA.parent)}:{node.name}")
    assert not empty, f"empty mixins: {empty}"
