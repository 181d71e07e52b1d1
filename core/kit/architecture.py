"""The architecture rules ``make check`` enforces, read off the source with ``ast``.

1. No import cycle among the modules of ``core/`` and of ``schema/``. Every import counts,
   a function-level one too: an import moved into a function to dodge a cycle at start-up
   is still a cycle for whoever reads the code. Imports under ``if TYPE_CHECKING:`` do not
   count (they never run).
2. Nothing in ``core/`` imports ``schema/`` (one direction: schema → core).
3. A borough plugin imports from core only through ``core.plugin_api``, so core's inside
   can change without breaking a borough.
4. Every ``@hookimpl`` function in a plugin's modules reaches its plugin manager (a hookimpl
   that is defined but never registered is silently never asked).

``python -m core.kit.architecture`` prints every finding and exits 1 when there is one.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_PLUGIN_API = "core.plugin_api"


@dataclass(frozen=True)
class Finding:
    rule: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.rule}]"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path, name: str, is_package: bool) -> list[tuple[str, int]]:
    """Every module ``path`` imports (absolute names) with its line, TYPE_CHECKING blocks aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[str, int]] = []
    package = name if is_package else name.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.extend((a.name, child.lineno) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (child.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                found.append((base, child.lineno))
                # ``from pkg import mod`` imports the submodule pkg.mod when there is one
                found.extend((f"{base}.{a.name}", child.lineno) for a in child.names)
            visit(child)

    visit(tree)
    return found


def module_graph(root: Path, packages: Iterable[str]) -> dict[str, dict[str, int]]:
    """``{module: {imported module: line}}`` for every module of ``packages`` under ``root``;
    only edges to modules of those packages are kept."""
    files: dict[str, tuple[Path, bool]] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            files[module_name(path, root)] = (path, path.name == "__init__.py")
    graph: dict[str, dict[str, int]] = {}
    for name, (path, is_package) in files.items():
        edges: dict[str, int] = {}
        for target, line in imports_of(path, name, is_package):
            if target in files and target != name:
                edges.setdefault(target, line)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def strongconnect(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    return sorted(found)


def _is_ancestor_edge(a: str, b: str) -> bool:
    """``pkg`` → ``pkg.mod`` (a package importing its own submodule) is not a cycle with
    ``pkg.mod`` → ``pkg`` importing a sibling through the package."""
    return b.startswith(a + ".") or a.startswith(b + ".")


def import_cycles(root: Path = ROOT, packages: Iterable[str] = ("core", "schema")) -> list[Finding]:
    graph = module_graph(root, packages)
    graph = {m: {t: line for t, line in edges.items() if not _is_ancestor_edge(m, t)} for m, edges in graph.items()}
    out = []
    for component in cycles(graph):
        members = set(component)
        edges = [f"{m} → {t} (line {line})" for m in component for t, line in graph[m].items() if t in members]
        out.append(Finding("import-cycle", component[0],
                           f"{len(component)} modules import each other: " + "; ".join(edges)))
    return out


def upward_imports(root: Path = ROOT) -> list[Finding]:
    """``core`` importing ``schema`` (the only allowed direction is schema → core)."""
    out = []
    for path in sorted((root / "core").rglob("*.py")):
        name = module_name(path, root)
        seen: set[int] = set()
        for target, line in imports_of(path, name, path.name == "__init__.py"):
            if (target == "schema" or target.startswith("schema.")) and line not in seen:
                seen.add(line)
                out.append(Finding("core-imports-schema", f"{path.relative_to(root)}:{line}",
                                   f"core must not import {target}; inject it from the schema side"))
    return out


def plugin_imports(root: Path = ROOT, plugins: str = "plugins") -> list[Finding]:
    """Plugin modules importing core anywhere but the public plugin API."""
    out = []
    for path in sorted((root / plugins).rglob("*.py")):
        name = module_name(path, root)
        seen: set[int] = set()
        for target, line in imports_of(path, name, path.name == "__init__.py"):
            if target.split(".")[0] == "core" and target != PUBLIC_PLUGIN_API and target != "core" \
                    and not target.startswith(PUBLIC_PLUGIN_API + ".") and line not in seen:
                seen.add(line)
                out.append(Finding("plugin-imports-core-internals", f"{path.relative_to(root)}:{line}",
                                   f"imports {target}; import it from {PUBLIC_PLUGIN_API} instead"))
    return out


def unregistered_hookimpls(module: ModuleType, pm, project: str = "partnerships") -> list[Finding]:
    """Functions marked ``@hookimpl`` in ``module`` (and, for a package, its modules) that the
    plugin manager ``pm`` never registered."""
    from core.plugins import hook_modules

    marker = f"{project}_impl"
    registered = {id(impl.function) for caller in pm.hook.__dict__.values()
                  if hasattr(caller, "get_hookimpls") for impl in caller.get_hookimpls()}
    out = []
    for part in hook_modules(module):
        for attr, value in vars(part).items():
            fn = getattr(value, "__func__", value)
            if callable(fn) and hasattr(fn, marker) and getattr(fn, "__module__", None) == part.__name__ \
                    and id(fn) not in registered:
                out.append(Finding("unregistered-hookimpl", f"{part.__name__}.{attr}",
                                   "marked @hookimpl but never registered, so it is never asked"))
    return out


def plugin_registration(registry=None) -> list[Finding]:
    """Every installed borough's hookimpls reach its plugin manager."""
    from core.plugins import discover

    registry = registry or discover()
    return [f for rules in registry if rules.module is not None
            for f in unregistered_hookimpls(rules.module, rules.pm)]


def check(root: Path = ROOT) -> list[Finding]:
    return [*import_cycles(root), *upward_imports(root), *plugin_imports(root), *plugin_registration()]


def main() -> int:
    findings = check()
    for f in findings:
        print(f)
    print(f"architecture: {len(findings)} finding(s)" if findings else "architecture: ok")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
