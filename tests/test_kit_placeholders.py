"""An unedited plugin scaffold (the fictional borough, example.org, "A. N. Example") fails the
conformance kit: `partnerships plugin check` must not pass a borough nobody transcribed."""

from __future__ import annotations

from core.kit.conformance import check_module
from core.kit.scaffold import new_plugin
from tests.test_kit_conformance import _module
from tests.test_kit_scaffold import transcribe


def test_the_unedited_scaffold_fails_naming_each_placeholder(tmp_path):
    made = new_plugin("breakshire", tmp_path / "p", name="Breakshire")
    report = check_module(_module(made.data_file), "breakshire")
    assert not report.ok
    found = {p.path: p for p in report.by_check("placeholders")}
    assert {"partnership.document.url", "people[0].name", "(file)"} <= set(found), report.format()
    assert "example.org" in found["partnership.document.url"].message
    assert all(p.fix and str(made.data_file) in p.file for p in found.values())
    assert not [p for p in report.problems if p.check != "placeholders"], report.format()


def test_a_transcribed_file_passes_and_one_leftover_placeholder_fails(tmp_path):
    made = new_plugin("breakshire", tmp_path / "p", name="Breakshire")
    transcribe(made.data_file)
    assert check_module(_module(made.data_file), "breakshire").ok
    text = made.data_file.read_text()
    made.data_file.write_text(text.replace('name = "Breakshire Police"\nkind = "POLICE"\nsource = "§2"',
                                           'name = "Breakshire Police"\nkind = "POLICE"\n'
                                           'source = "https://www.example.com/police.pdf"', 1))
    [problem] = check_module(_module(made.data_file), "breakshire").problems
    assert problem.check == "placeholders" and problem.path == "agencies[2].source"
