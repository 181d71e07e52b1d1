"""The plugin contract as data: every hookspec in :mod:`core.hookspecs`, read at run time.

The scaffold, the hook reference (``docs/hooks.md``) and the conformance kit all read the
hooks from here, so a hook added to ``core/hookspecs.py`` appears in each of them without
anyone editing the kit.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from types import ModuleType

from core import hookspecs as _hookspecs

_SECTION = re.compile(r"^# -+ (\w[\w ]*?) hooks\s*$")


@dataclass(frozen=True)
class HookSpec:
    """One hook of the contract: its name, arguments, kind and documentation."""

    name: str
    function: object
    firstresult: bool
    historic: bool
    section: str  # "core", "governance", "disputes", ... (the marker line above it)
    parameters: tuple[inspect.Parameter, ...]
    returns: str | None
    doc: str
    line: int

    @property
    def argnames(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    @property
    def kind(self) -> str:
        return "rule (firstresult)" if self.firstresult else "collecting (returns a list per plugin)"

    @property
    def signature(self) -> str:
        """The parameter list as written in the hookspec, e.g. ``*, group: GroupFacts``."""
        params = []
        star_done = False
        for p in self.parameters:
            if p.kind is inspect.Parameter.KEYWORD_ONLY and not star_done:
                params.append("*")
                star_done = True
            text = p.name
            if p.annotation is not inspect.Parameter.empty:
                text += f": {_annotation(p.annotation)}"
            if p.default is not inspect.Parameter.empty:
                text += f" = {p.default!r}"
            params.append(text)
        return ", ".join(params)

    @property
    def summary(self) -> str:
        return self.doc.strip().split("\n\n", 1)[0].replace("\n", " ").strip() if self.doc else ""


def _annotation(value: object) -> str:
    if isinstance(value, str):
        return value
    return getattr(value, "__name__", None) or repr(value)


def hookspecs(module: ModuleType = _hookspecs) -> list[HookSpec]:
    """Every hookspec in *module*, in the order they are written there."""
    project = getattr(module, "PROJECT", "partnerships")
    marker = f"{project}_spec"
    sections = _sections(module)
    found: list[HookSpec] = []
    for name, fn in vars(module).items():
        opts = getattr(fn, marker, None)
        if opts is None or not callable(fn):
            continue
        try:
            line = inspect.getsourcelines(fn)[1]
        except (OSError, TypeError):
            line = 0
        sig = inspect.signature(fn)
        returns = None if sig.return_annotation is inspect.Signature.empty else _annotation(sig.return_annotation)
        found.append(HookSpec(
            name=name,
            function=fn,
            firstresult=bool(opts.get("firstresult")),
            historic=bool(opts.get("historic")),
            section=_section_at(sections, line),
            parameters=tuple(sig.parameters.values()),
            returns=returns,
            doc=inspect.getdoc(fn) or "",
            line=line,
        ))
    found.sort(key=lambda s: s.line)
    return found


def hookspec(name: str, module: ModuleType = _hookspecs) -> HookSpec | None:
    """The hookspec called *name*, or ``None`` while no one has written it."""
    for spec in hookspecs(module):
        if spec.name == name:
            return spec
    return None


def overridable(module: ModuleType = _hookspecs) -> list[HookSpec]:
    """The hooks a borough implements only where its document departs from the baseline."""
    return [s for s in hookspecs(module) if s.name != "partnership_arrangements"]


def _sections(module: ModuleType) -> list[tuple[int, str]]:
    try:
        lines = inspect.getsource(module).splitlines()
    except (OSError, TypeError):
        return []
    marks = []
    for number, text in enumerate(lines, start=1):
        m = _SECTION.match(text.strip())
        if m:
            marks.append((number, m.group(1).strip()))
    return marks


def _section_at(marks: list[tuple[int, str]], line: int) -> str:
    current = "core"
    for number, name in marks:
        if number < line:
            current = name
    return current
