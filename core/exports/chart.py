"""Structure charts: a partnership's groups, accountability lines and chairs, laid out by
Graphviz (`dot`, from Debian's graphviz package) and rendered as SVG."""

from __future__ import annotations

import re
import shutil
import textwrap

import graphviz

from core.arrangements import Arrangements
from core.enums import ChairBasis

BASIS = {
    ChairBasis.INDEPENDENT_APPOINTMENT: "independent",
    ChairBasis.ANNUAL_ROTATION: "rotates annually",
    ChairBasis.ROTATION: "rotates",
    ChairBasis.FIXED_OFFICE: "fixed office",
    ChairBasis.ELECTION: "elected",
    ChairBasis.JOINT: "joint chairs",
    ChairBasis.UNKNOWN: "not stated",
}


class ChartUnavailable(RuntimeError):
    """Graphviz is not installed; the message says how to install it."""


def chair_label(a: Arrangements, group_code: str) -> str:
    g = next(g for g in a.groups if g.code == group_code)
    if g.chair is None:
        return "chair: not stated"
    office = g.chair.office or ""
    if office and g.chair.basis == ChairBasis.UNKNOWN:
        return f"chair: {office}"
    return f"chair: {office} ({BASIS[g.chair.basis]})" if office else f"chair: {BASIS[g.chair.basis]}"


def _wrap(text: str, width: int = 36) -> str:
    return "\n".join(textwrap.fill(line, width) for line in text.split("\n"))


def structure_dot(a: Arrangements) -> graphviz.Digraph:
    dot = graphviz.Digraph(
        name=a.partnership.code,
        graph_attr={"rankdir": "TB", "label": a.partnership.name, "labelloc": "t", "fontname": "Helvetica"},
        node_attr={"shape": "box", "style": "rounded,filled", "fillcolor": "#eef3fb", "fontname": "Helvetica"},
        edge_attr={"dir": "back", "arrowtail": "none"},
    )
    for g in a.groups:
        shared = f"\nshared with {', '.join(g.shared_with)}" if g.shared_with else ""
        label = f"{g.name}\n{g.kind.value.replace('_', ' ').lower()}\n{chair_label(a, g.code)}{shared}"
        dot.node(g.code, _wrap(label),
                 tooltip=g.purpose or g.name)
    for g in a.groups:
        if g.accountable_to:
            dot.edge(g.accountable_to, g.code)
    return dot


#: The root element's fixed size as Graphviz writes it (``width="1758pt" height="263pt"``).
_FIXED_SIZE = re.compile(rb'(<svg\b[^>]*?)\s+width="[^"]*"\s+height="[^"]*"')


def render_svg(a: Arrangements) -> bytes:
    """The chart, scaling to its window: Graphviz sizes the drawing in points (1,400 to 2,300
    wide for the four boroughs, wider than most screens); without that size the SVG fills the
    width it is shown in and keeps its proportions through its ``viewBox``."""
    if shutil.which("dot") is None:
        raise ChartUnavailable("Graphviz's `dot` is not installed: `apt-get install graphviz`")
    svg = structure_dot(a).pipe(format="svg")
    return _FIXED_SIZE.sub(rb'\1 width="100%" preserveAspectRatio="xMidYMin meet"', svg, count=1)
