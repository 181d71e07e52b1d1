"""``docs/hooks.md``: the hook reference, generated from the docstrings in ``core/hookspecs.py``.

Regenerate with ``partnerships hooks-doc`` (``--check`` fails when the file has drifted);
``tests/test_kit_docs.py`` fails when the checked-in reference and the hookspecs differ.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from core import hookspecs as _hookspecs
from core.kit.specs import HookSpec, hookspecs

DOCS_DIR = Path(__file__).resolve().parent.parent.parent / "docs"
HOOKS_FILE = DOCS_DIR / "hooks.md"
REGENERATE = "partnerships hooks-doc"


def render(module=_hookspecs) -> str:
    """The whole reference as Markdown (deterministic: same hookspecs, same text)."""
    specs = hookspecs(module)
    out: list[str] = [
        "# Hook reference",
        "",
        f"<!-- Generated from core/hookspecs.py by `{REGENERATE}`; do not edit by hand. -->",
        "",
        _dedent(inspect.getdoc(module) or ""),
        "",
        "Every hook is called with keyword arguments only. A **rule** hook is `firstresult`: the",
        "first non-`None` answer wins, the borough's before the Working Together 2018 baseline",
        "(`trylast`), so returning `None` hands the question back to the baseline. A",
        "**collecting** hook gathers one answer from every plugin into a list.",
        "",
        "| hook | section | kind | summary |",
        "| --- | --- | --- | --- |",
    ]
    for spec in specs:
        out.append(f"| [`{spec.name}`](#{_anchor(spec.name)}) | {spec.section} | {spec.kind} | {_cell(spec.summary)} |")
    current = None
    for spec in specs:
        if spec.section != current:
            current = spec.section
            out += ["", f"## {current.capitalize()} hooks" if current != "core" else "## Core hooks"]
        out += _one(spec)
    return "\n".join(out).rstrip() + "\n"


def _one(spec: HookSpec) -> list[str]:
    lines = [
        "",
        f"### {spec.name}",
        "",
        "```python",
        "@hookimpl",
        f"def {spec.name}({spec.signature}){' -> ' + spec.returns if spec.returns else ''}: ...",
        "```",
        "",
        f"*Kind:* {spec.kind}." + (" *Historic.*" if spec.historic else ""),
        "",
    ]
    lines.append(_dedent(spec.doc) if spec.doc else "**Undocumented** — add a docstring to the hookspec.")
    return lines


def _dedent(text: str) -> str:
    # Docstrings use reST's "Example::" blocks; show them as Python code in Markdown.
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.rstrip().endswith("::"):
            out.append(line.rstrip()[:-1])
            i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            block = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith((" ", "\t"))):
                block.append(lines[i])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            out += ["", "```python", inspect.cleandoc("\n".join(block)), "```", ""]
            continue
        out.append(line)
        i += 1
    return "\n".join(out).strip()


def _anchor(name: str) -> str:
    return name.lower()


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def write(path: Path = HOOKS_FILE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path


def is_current(path: Path = HOOKS_FILE) -> bool:
    return path.exists() and path.read_text(encoding="utf-8") == render()
