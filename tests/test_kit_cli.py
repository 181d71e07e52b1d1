"""The kit's commands: `partnerships plugin new`, `plugin check`, `hooks-doc`; the pytest helper."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from core.cli import main
from core.kit.pytest_plugin import assert_conformant


def test_plugin_new_writes_the_scaffold_and_says_what_next(tmp_path):
    result = CliRunner().invoke(main, ["plugin", "new", "croydon", "--dir", str(tmp_path / "c"), "--name", "Croydon"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c" / "src" / "partnerships_croydon" / "arrangements.toml").exists()
    assert "pip install -e" in result.output


def test_plugin_new_refuses_a_bad_code_or_the_core_repository(tmp_path):
    bad = CliRunner().invoke(main, ["plugin", "new", "Croydon!", "--dir", str(tmp_path / "c")])
    assert bad.exit_code == 2 and "not a partnership code" in bad.output
    inside = CliRunner().invoke(main, ["plugin", "new", "croydon", "--dir", "docs/croydon"])
    assert inside.exit_code == 2 and "inside the core repository" in inside.output


def test_plugin_check_passes_the_built_in_boroughs():
    result = CliRunner().invoke(main, ["plugin", "check", "merton", "lewisham", "sefton", "sandwell"])
    assert result.exit_code == 0, result.output
    assert result.output.count("passes the conformance kit") == 4
    unknown = CliRunner().invoke(main, ["plugin", "check", "atlantis"])
    assert unknown.exit_code == 2 and "atlantis" in unknown.output


def test_hooks_doc_check_reports_whether_the_reference_is_current():
    result = CliRunner().invoke(main, ["hooks-doc", "--check"])
    assert result.exit_code == 0, f"{result.output}: regenerate with `partnerships hooks-doc`"


def test_the_pytest_helper_passes_a_borough_and_fails_with_every_problem(tmp_path):
    assert assert_conformant("plugins.lewisham").ok
    assert assert_conformant(code="sandwell").ok
    from core.kit.scaffold import new_plugin

    made = new_plugin("croydon", tmp_path / "c")
    made.data_file.write_text(made.data_file.read_text().replace('accountable_to = "executive"\n', ""))
    import types

    from core.hookspecs import hookimpl

    module = types.ModuleType("croydon_plugin")
    module.partnership_arrangements = hookimpl(lambda: made.data_file)
    with pytest.raises(AssertionError, match=r"groups\[2\]\.accountable_to"):
        assert_conformant(module)
