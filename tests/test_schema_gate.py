"""The public schema is guarded: ``make check`` fails on a breaking change the changelog does not
list (core/kit/schema_gate.py), and the repository's own schema passes it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from graphql import build_schema, find_breaking_changes

from core.kit import schema_gate

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _gate_command() -> str:
    """The gate's line in the Makefile's `check` recipe, as make would run it."""
    recipe = re.search(r"^check:.*?\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert recipe, "the Makefile has no `check` target"
    lines = [line.strip() for line in recipe.group(1).splitlines() if "schema_gate" in line]
    assert lines, "`make check` does not run the breaking-change gate (core.kit.schema_gate)"
    return lines[0].replace("$(BIN)", str(BIN))


def _project(tmp_path: Path, sdl: str, changelog: str | None = None) -> Path:
    """A working copy with the files the gate reads: the SDL, the kept releases, the changelog."""
    (tmp_path / "schema").mkdir(parents=True)
    (tmp_path / "schema" / "schema.graphql").write_text(sdl)
    shutil.copytree(ROOT / "schema" / "releases", tmp_path / "schema" / "releases")
    (tmp_path / "CHANGELOG.md").write_text(changelog or (ROOT / "CHANGELOG.md").read_text())
    return tmp_path


def _run_gate(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(_gate_command(), shell=True, cwd=cwd, capture_output=True, text=True, timeout=120)


def _without_field(sdl: str, type_name: str, field: str) -> str:
    block = re.search(rf"^type {type_name}\b[^{{]*\{{\n(.*?)^\}}", sdl, re.MULTILINE | re.DOTALL)
    body = re.sub(rf'(?:  """(?:(?!""").)*"""\n|  "[^\n]*"\n)?  {field}\b[^\n]*\n', "", block.group(1), count=1,
                  flags=re.DOTALL)
    assert body != block.group(1), f"{type_name}.{field} not found in the SDL"
    return sdl[:block.start(1)] + body + sdl[block.end(1):]


def _list_breaking(changelog: str, line: str) -> str:
    head = "## [Unreleased]\n"
    start = changelog.index(head)
    breaking = changelog.index("### Breaking\n", start) + len("### Breaking\n")
    return changelog[:breaking] + f"\n{line}\n" + changelog[breaking:]


def test_make_check_fails_on_a_breaking_change_the_changelog_does_not_list(tmp_path):
    sdl = (ROOT / "schema" / "schema.graphql").read_text()
    broken = _without_field(sdl, "Partnership", "localAuthority")
    assert find_breaking_changes(build_schema(sdl), build_schema(broken)), "the edit must be a breaking change"

    refused = _run_gate(_project(tmp_path / "unlisted", broken))
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "`Partnership.localAuthority`" in refused.stderr and "not listed in CHANGELOG.md" in refused.stderr

    changelog = _list_breaking((ROOT / "CHANGELOG.md").read_text(),
                               "- `Partnership.localAuthority` removed: read `Partnership.name`.")
    listed = _run_gate(_project(tmp_path / "listed", broken, changelog))
    assert listed.returncode == 0, listed.stdout + listed.stderr


def test_a_breaking_change_listed_under_another_heading_or_release_does_not_count(tmp_path):
    sdl = _without_field((ROOT / "schema" / "schema.graphql").read_text(), "Partnership", "localAuthority")
    changelog = (ROOT / "CHANGELOG.md").read_text().replace(
        "### Added\n", "### Added\n\n- `Partnership.localAuthority` removed.\n", 1)
    refused = _run_gate(_project(tmp_path, sdl, changelog))
    assert refused.returncode == 1 and "`Partnership.localAuthority`" in refused.stderr


def test_the_repository_schema_passes_the_gate():
    findings, _ = schema_gate.check(ROOT / "schema" / "schema.graphql", ROOT / "schema" / "releases",
                                    ROOT / "CHANGELOG.md")
    assert not findings, "\n".join(findings)


def test_a_release_in_the_changelog_needs_its_sdl_kept(tmp_path):
    sdl = (ROOT / "schema" / "schema.graphql").read_text()
    changelog = (ROOT / "CHANGELOG.md").read_text().replace("## [0.1.0]", "## [0.1.1] — 2026-12-01\n\n## [0.1.0]", 1)
    refused = _run_gate(_project(tmp_path, sdl, changelog))
    assert refused.returncode == 1 and "0.1.1.graphql is not kept" in refused.stderr


OLD = """
directive @tag(name: String!, note: String) repeatable on FIELD_DEFINITION | OBJECT
interface Node { id: ID! }
type A implements Node { id: ID! f(x: Int, y: Int): Int g: String }
type B { h: Int }
union U = A | B
enum E { ONE TWO }
input I { a: Int }
scalar S
type Query { a: A u: U e: E b(i: I): B }
"""


@pytest.mark.parametrize("new, expected", [
    (OLD.replace("scalar S", ""), "S"),
    (OLD.replace("input I { a: Int }", "enum I { X }"), "I"),
    (OLD.replace("union U = A | B", "union U = A"), "U"),
    (OLD.replace("enum E { ONE TWO }", "enum E { ONE }"), "E.TWO"),
    (OLD.replace("input I { a: Int }", "input I { a: Int c: Int! }"), "I.c"),
    (OLD.replace("type A implements Node", "type A"), "A"),
    (OLD.replace(" g: String", ""), "A.g"),
    (OLD.replace(" g: String", " g: Int"), "A.g"),
    (OLD.replace("f(x: Int, y: Int)", "f(x: Int, y: Int, z: Int!)"), "A.f(z:)"),
    (OLD.replace("f(x: Int, y: Int)", "f(x: Int)"), "A.f(y:)"),
    (OLD.replace("f(x: Int, y: Int)", "f(x: String, y: Int)"), "A.f(x:)"),
    (OLD.replace("directive @tag(name: String!, note: String) repeatable on FIELD_DEFINITION | OBJECT", ""), "@tag"),
    (OLD.replace("note: String)", ")").replace("(name: String!, )", "(name: String!)"), "@tag(note:)"),
    (OLD.replace("note: String)", "note: String, level: Int!)"), "@tag(level:)"),
    (OLD.replace(" repeatable", ""), "@tag"),
    (OLD.replace(" | OBJECT", ""), "@tag"),
])
def test_each_kind_of_breaking_change_is_named_by_its_schema_coordinate(new, expected):
    found = [schema_gate.coordinate(c) for c in find_breaking_changes(build_schema(OLD), build_schema(new))]
    assert found == [expected]
