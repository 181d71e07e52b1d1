"""The breaking-change gate ``make check`` runs on the public GraphQL schema.

Clients generate code from the SDL (GraphQL Code Generator, relay-compiler) and keep
operations for years, so a change that breaks an existing operation must be a decision,
not an accident. The gate compares ``schema/schema.graphql`` with the SDL of the last
release (``schema/releases/<version>.graphql``, the highest version) using graphql-core's
``find_breaking_changes``, and fails unless every breaking change is listed in
``CHANGELOG.md``: under ``## [Unreleased]``, in its ``### Breaking`` list, by its schema
coordinate in backticks (``Type``, ``Type.field``, ``Type.field(arg:)``, ``Enum.VALUE``,
``@directive``). Dangerous changes (an enum value or an optional argument added, a default
changed) are printed, not refused.

It also fails when the changelog names a release whose SDL is not kept: without it the next
comparison would be against an older release and miss what changed in between.

Releasing: copy ``schema/schema.graphql`` to ``schema/releases/<version>.graphql`` and rename
the changelog's ``[Unreleased]`` heading to ``[<version>] — <date>`` (then open a new empty
``[Unreleased]``).

``python -m core.kit.schema_gate [--sdl FILE] [--releases DIR] [--changelog FILE]`` prints
every finding and exits 1 when there is one. Paths are relative to the working directory
(``make check`` runs from the repository's root).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    BreakingChange,
    BreakingChangeType,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
)

SDL = Path("schema/schema.graphql")
RELEASES = Path("schema/releases")
CHANGELOG = Path("CHANGELOG.md")

_VERSION = re.compile(r"^\d+(?:\.\d+)*$")
_HEADING = re.compile(r"^##\s+\[([^\]]+)\]", re.MULTILINE)
#: A schema coordinate as graphql-core writes it in a change's description.
_COORDINATE = re.compile(r"@\w+(?:\(\w+:\))?|\b[A-Za-z_]\w*\.[A-Za-z_]\w*(?:\(\w+:\))?")
_TICKED = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Change:
    coordinate: str
    description: str

    def __str__(self) -> str:
        return f"`{self.coordinate}`: {self.description}"


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def coordinate(change: BreakingChange) -> str:
    """The schema coordinate a change is about, as the changelog must name it."""
    text = change.description
    kind = change.type
    if kind in (BreakingChangeType.TYPE_REMOVED, BreakingChangeType.TYPE_CHANGED_KIND):
        return text.removeprefix("Standard scalar ").split(" ", 1)[0]
    if kind is BreakingChangeType.TYPE_REMOVED_FROM_UNION:  # "<Member> was removed from union type <Union>."
        return text.rstrip(".").rsplit(" ", 1)[1]
    if kind is BreakingChangeType.IMPLEMENTED_INTERFACE_REMOVED:  # "<Type> no longer implements interface <I>."
        return text.split(" ", 1)[0]
    found = _COORDINATE.search(text)
    return found.group(0) if found else text


def last_release(releases: Path) -> Path | None:
    """The SDL of the highest released version kept in ``releases``, if any."""
    kept = [p for p in releases.glob("*.graphql") if _VERSION.match(p.stem)]
    return max(kept, key=lambda p: version_key(p.stem)) if kept else None


def changelog_sections(text: str) -> dict[str, str]:
    """The changelog's ``## [name]`` sections by name (``Unreleased``, ``0.1.0`` …)."""
    heads = list(_HEADING.finditer(text))
    return {h.group(1).strip(): text[h.end(): heads[i + 1].start() if i + 1 < len(heads) else len(text)]
            for i, h in enumerate(heads)}


def listed_as_breaking(section: str) -> set[str]:
    """Every backticked name in the section's ``### Breaking`` list."""
    found = re.search(r"^###\s+Breaking\b.*?$(.*?)(?=^###?\s|\Z)", section, re.MULTILINE | re.DOTALL | re.IGNORECASE)
    return set(_TICKED.findall(found.group(1))) if found else set()


def changes(old_sdl: str, new_sdl: str) -> tuple[list[Change], list[str]]:
    """Breaking changes (with their coordinates) and dangerous ones from ``old`` to ``new``."""
    old, new = build_schema(old_sdl), build_schema(new_sdl)
    breaking = [Change(coordinate(c), c.description) for c in find_breaking_changes(old, new)]
    return breaking, [c.description for c in find_dangerous_changes(old, new)]


def check(sdl: Path = SDL, releases: Path = RELEASES, changelog: Path = CHANGELOG) -> tuple[list[str], list[str]]:
    """Findings that fail the gate, and warnings that do not."""
    if not changelog.exists():
        return [f"{changelog} is missing: the schema's changelog lists every breaking change"], []
    sections = changelog_sections(changelog.read_text(encoding="utf-8"))
    findings = [f"{changelog} names release {name} but {releases / (name + '.graphql')} is not kept: copy the "
                "SDL of that release there" for name in sections
                if _VERSION.match(name) and not (releases / f"{name}.graphql").exists()]
    release = last_release(releases)
    if release is None:
        return [*findings, f"no released SDL in {releases}/: keep a copy of each release's schema there"], []
    breaking, dangerous = changes(release.read_text(encoding="utf-8"), sdl.read_text(encoding="utf-8"))
    listed = listed_as_breaking(sections.get("Unreleased", ""))
    for change in breaking:
        if change.coordinate not in listed:
            findings.append(f"breaking change since {release.stem} not listed in {changelog}: {change}. "
                            f"List `{change.coordinate}` under `## [Unreleased]` → `### Breaking` (or deprecate "
                            "instead of removing: see the deprecation policy there)")
    return findings, [f"dangerous change since {release.stem}: {d}" for d in dangerous]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.kit.schema_gate", description=__doc__.split("\n")[0])
    parser.add_argument("--sdl", type=Path, default=SDL)
    parser.add_argument("--releases", type=Path, default=RELEASES)
    parser.add_argument("--changelog", type=Path, default=CHANGELOG)
    args = parser.parse_args(argv)
    findings, warnings = check(args.sdl, args.releases, args.changelog)
    for w in warnings:
        print(w)
    for f in findings:
        print(f, file=sys.stderr)
    print(f"schema gate: {len(findings)} finding(s)" if findings else "schema gate: ok")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
