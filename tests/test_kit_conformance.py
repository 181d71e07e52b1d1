"""The conformance kit: the four built-in boroughs pass it, and breaking a scaffolded borough in
each checked way gives exactly one clear failure naming the file, the path and the fix."""

from __future__ import annotations

import datetime as dt
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.financial_year import FinancialYear
from core.hookspecs import hookimpl
from core.kit.conformance import CHECKS, check_module, check_rules, rule_hooks
from core.kit.scaffold import new_plugin
from core.plugins import discover
from core.rules.common import Citation, Ruling, stated
from tests.test_kit_scaffold import transcribe

BUILT_IN = ["lewisham", "merton", "sandwell", "sefton"]
THIS_YEAR = FinancialYear.containing(dt.date.today())


@pytest.fixture(scope="module")
def builtin():
    return discover()


@pytest.mark.parametrize("code", BUILT_IN)
def test_the_built_in_boroughs_pass_the_kit(builtin, code):
    report = check_rules(builtin.rules_for(code))
    assert report.ok, report.format(notes=True)


def test_merton_s_panel_of_statutory_partners_is_the_documented_second_root(builtin):
    # Merton §7.9, §8.2: the Panel of Statutory Safeguarding Partners receives the scrutiny and
    # reviews the Partnership's work; it does not report to the Partnership.
    report = check_rules(builtin.rules_for("merton"), checks=["group-hierarchy"])
    assert report.ok
    assert any("statutory-partners-panel" in n and "accepted" in n for n in report.notes)


@pytest.fixture
def scaffold(tmp_path):
    made = new_plugin("breakshire", tmp_path / "p", name="Breakshire")
    transcribe(made.data_file)  # as an author would first: the kit fails the scaffold's placeholders
    return made


def _module(data_file: Path, **impls) -> types.ModuleType:
    module = types.ModuleType(f"breakshire_{len(impls)}")

    @hookimpl
    def partnership_arrangements():
        return data_file

    module.partnership_arrangements = partnership_arrangements
    for name, fn in impls.items():
        setattr(module, name, hookimpl(fn))
    return module


def test_the_scaffold_with_its_placeholders_replaced_passes(scaffold):
    report = check_module(_module(scaffold.data_file), "breakshire")
    assert report.ok, report.format(notes=True)


POLICE_PARTNER = '[[statutory_partners]]\nagency = "police"\nlead_role = "Borough Commander"\nsource = "§2"\n'
DATA_BREAKS = {
    "placeholder-left-in": (lambda s: s.replace("https://www.breakshire-scp.org.uk/arrangements.pdf",
                                                "https://example.org/breakshire.pdf"),
                            "placeholders", "partnership.document.url"),
    "missing-partner": (lambda s: s.replace(POLICE_PARTNER, ""), "statutory-partners", "statutory_partners"),
    "fourth-partner-without-reason": (
        lambda s: s + '\n[[statutory_partners]]\nagency = "schools"\nlead_role = "Head teacher"\n',
        "statutory-partners", "statutory_partners[3].reason"),
    "cycle": (lambda s: s.replace("# accountable_to is left out: this is the root of the hierarchy",
                                  'accountable_to = "learning-reviews"'), "group-hierarchy", "accountable_to"),
    "second-root": (lambda s: s.replace('accountable_to = "executive"\n', ""), "group-hierarchy",
                    "groups[2].accountable_to"),
    "rotation-in-the-future": (lambda s: s.replace(f'rotation_start = "{THIS_YEAR}"', f'rotation_start = "{THIS_YEAR + 3}"'),
                               "chairs", "groups[1].chair.rotation_start"),
    "rotation-of-a-non-partner": (lambda s: s.replace('rotation = ["council", "icb", "police"]',
                                                      'rotation = ["council", "icb", "schools"]'),
                                  "chairs", "groups[1].chair.rotation"),
    "seat-of-an-unknown-agency": (
        lambda s: s.replace('post = "Detective Inspector, Public Protection"\nagency = "police"',
                            'post = "Detective Inspector, Public Protection"\nagency = "constabulary"'),
        "seat-agencies", "seats[10].agency"),
    "partner-seat-of-a-non-partner": (
        lambda s: s.replace('role = "RELEVANT_AGENCY"\npost = "Head teacher representative"',
                            'role = "STATUTORY_PARTNER_LEAD"\npost = "Head teacher representative"'),
        "seat-agencies", "seats[5].agency"),
}


@pytest.mark.parametrize("case", sorted(DATA_BREAKS))
def test_each_way_of_breaking_the_data_gives_one_clear_failure(scaffold, case):
    edit, check, path = DATA_BREAKS[case]
    text = scaffold.data_file.read_text()
    broken = edit(text)
    assert broken != text, "the edit must apply to the scaffolded file"
    scaffold.data_file.write_text(broken)
    report = check_module(_module(scaffold.data_file), "breakshire")
    assert len(report.problems) == 1, report.format()
    [problem] = report.problems
    assert problem.check == check
    assert str(scaffold.data_file) in problem.file
    assert path in problem.path
    assert problem.fix and "fix:" in str(problem)


@dataclass(frozen=True)
class Stage:
    name: str
    source: Citation
    actions: tuple[str, ...] = ()


def _raise(**_):
    raise ValueError("no rule for this")


def _hook_breaks() -> dict:
    cite = stated("Breakshire Safeguarding Children Partnership Arrangements", "§9", "the words of §9")
    wanted = {
        "chair-rule-raises": ("chairs", lambda: _raise),
        "quorate-with-nobody": ("quorum", lambda: lambda **_: Ruling(True, ("always quorate",), cite)),
        "ladder-that-loops": ("dispute-ladders", lambda: lambda **_: [Stage("meet", cite), Stage("meet", cite)]),
        "ladder-that-never-ends": ("dispute-ladders", lambda: lambda **_: [
            Stage("meet", cite, ("MEET", "ESCALATE")), Stage("mediate", cite, ("MEDIATE", "ESCALATE"))]),
        "host-rule-raises": ("host", lambda: _raise),
        "answer-without-citation": ("host", lambda: lambda **_: ("the council hosts",)),
    }
    return wanted


HOOK_BREAKS = _hook_breaks()


@pytest.mark.parametrize("case", sorted(HOOK_BREAKS))
def test_each_way_of_breaking_a_rule_gives_one_clear_failure(scaffold, case):
    category, make = HOOK_BREAKS[case]
    hooks = rule_hooks(category)
    if not hooks:
        pytest.skip(f"no {category} hook in core/hookspecs.py yet")
    expected = "citations" if case == "answer-without-citation" else category
    report = check_module(_module(scaffold.data_file, **{hooks[0].name: make()}), "breakshire")
    assert len(report.problems) == 1, report.format()
    [problem] = report.problems
    assert problem.check == expected
    assert hooks[0].name in problem.message
    assert str(scaffold.data_file) in problem.file and problem.fix


def test_every_check_is_exercised_by_a_break():
    covered = {c for _, c, _ in DATA_BREAKS.values()} | {c for c, _ in HOOK_BREAKS.values()} | {"citations"}
    assert covered == set(CHECKS)


def test_a_plugin_that_fails_to_load_is_one_problem_with_its_name(scaffold):
    module = _module(scaffold.data_file, partnership_arangements=lambda: None)
    report = check_module(module, "breakshire-typo")
    assert [p.check for p in report.problems] == ["plugin"]
    assert "breakshire-typo" in report.problems[0].message
