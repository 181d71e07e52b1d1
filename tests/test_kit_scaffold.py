"""The plugin author kit end to end: scaffold a fictional borough outside the core, install it
with pip, load it through the entry point like any borough, and read it through the API.

The install goes into a private prefix (``pip install --prefix``) that only this test process
puts on its path, so other pytest runs sharing the virtual environment never see the
fictional borough, and a crash leaves nothing installed behind.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
import importlib.util
import re
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from core.financial_year import FinancialYear
from core.kit.conformance import check_installed
from core.kit.scaffold import CORE_ROOT, ScaffoldError, new_plugin
from core.plugins import ENTRY_POINT_GROUP, discover
from tests.conftest import load_all, make_api

CODE = "fictional-vale"


def transcribe(data_file: Path) -> None:
    """What an author does first: the scaffold's placeholders (a document at example.org, a
    chair called "A. N. Example") replaced with what the borough's document says. Until then
    the conformance kit fails the borough."""
    text = data_file.read_text(encoding="utf-8")
    edited = re.sub(r'url = "https://example\.org/([a-z0-9-]+)-arrangements\.pdf"',
                    r'url = "https://www.\1-scp.org.uk/arrangements.pdf"', text)
    edited = edited.replace('name = "A. N. Example"', 'name = "Dr Jane Holloway"')
    assert "https://example.org" not in edited and 'name = "A. N. Example"' not in edited, "the placeholders have changed"
    data_file.write_text(edited, encoding="utf-8")


def _can_build_offline() -> bool:
    """setuptools can build an editable wheel from what is installed (no download)."""
    if importlib.util.find_spec("wheel") is not None:
        return True
    import setuptools

    major, minor = (int(x) for x in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1)  # bdist_wheel moved into setuptools in 70.1


def _pip_install(project: Path, prefix: Path) -> None:
    cmd = [sys.executable, "-m", "pip", "install", "--no-deps", "--prefix", str(prefix), "-e", str(project)]
    if _can_build_offline():
        cmd.insert(4, "--no-build-isolation")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}"


class _Installed:
    """Puts a pip prefix on this process's path (its .pth files included) and takes it off again."""

    def __init__(self, prefix: Path):
        self.site_dir = Path(sysconfig.get_path("purelib", vars={"base": str(prefix), "platbase": str(prefix)}))
        self.path = list(sys.path)
        self.meta_path = list(sys.meta_path)
        self.modules = set(sys.modules)

    def __enter__(self):
        site.addsitedir(str(self.site_dir))
        importlib.invalidate_caches()
        return self

    def __exit__(self, *exc):
        sys.path[:] = self.path
        sys.meta_path[:] = self.meta_path
        for name in set(sys.modules) - self.modules:
            del sys.modules[name]
        importlib.invalidate_caches()


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The scaffolded fictional borough, pip-installed for the duration of this module."""
    root = tmp_path_factory.mktemp("kit")
    made = new_plugin(CODE, root / f"partnerships-{CODE}", name="Fictional Vale")
    transcribe(made.data_file)
    _pip_install(made.directory, root / "prefix")
    with _Installed(root / "prefix"):
        yield made
    assert CODE not in discover().codes(), "uninstalled: the fictional borough is gone again"


def test_the_scaffold_is_written_outside_the_core_and_refuses_to_write_inside_it(tmp_path):
    made = new_plugin("outside", tmp_path / "p")
    assert all(CORE_ROOT not in f.parents for f in made.files)
    names = {f.relative_to(made.directory).as_posix() for f in made.files}
    assert {"pyproject.toml", "src/partnerships_outside/arrangements.toml", "src/partnerships_outside/hooks.py",
            "tests/test_conformance.py"} <= names
    assert '[project.entry-points."partnerships.plugins"]' in (made.directory / "pyproject.toml").read_text()
    with pytest.raises(ScaffoldError, match="inside the core repository"):
        new_plugin("inside", CORE_ROOT / "build" / "inside")
    with pytest.raises(ScaffoldError, match="not empty"):
        new_plugin("outside", tmp_path / "p")
    with pytest.raises(ScaffoldError, match="not a partnership code"):
        new_plugin("Not A Code", tmp_path / "q")


def test_an_installed_scaffold_is_discovered_through_its_entry_point(installed):
    eps = {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    assert eps[CODE].value == installed.package
    registry = discover()
    assert CODE in registry.codes()
    rules = registry.rules_for(CODE)
    assert rules.data_file == installed.data_file  # the file outside the core, not a copy
    assert Path(rules.module.__file__).resolve().is_relative_to(installed.directory)
    assert {"merton", "lewisham", "sefton", "sandwell"} <= set(registry.codes())


def test_the_installed_scaffold_passes_the_conformance_kit(installed):
    [report] = check_installed([CODE])
    assert report.ok, report.format(notes=True)


def test_plugin_check_fails_an_installed_scaffold_until_its_placeholders_are_replaced(installed):
    from click.testing import CliRunner

    from core.cli import main

    transcribed = installed.data_file.read_text(encoding="utf-8")
    new_plugin(CODE, installed.directory.parent / "unedited", name="Fictional Vale")
    unedited = (installed.directory.parent / "unedited" / "src" / installed.package / "arrangements.toml").read_text()
    try:
        installed.data_file.write_text(unedited, encoding="utf-8")  # an editable install: read from here
        refused = CliRunner().invoke(main, ["plugin", "check", CODE])
        assert refused.exit_code == 1, refused.output
        assert "[placeholders]" in refused.output and "example.org" in refused.output
    finally:
        installed.data_file.write_text(transcribed, encoding="utf-8")
    passed = CliRunner().invoke(main, ["plugin", "check", CODE])
    assert passed.exit_code == 0, passed.output


def test_the_scaffolds_own_tests_run_the_kit_and_pass(installed, tmp_path):
    site_dir = _Installed(tmp_path).site_dir  # only for the layout; the real prefix is below
    site_dir = Path(str(site_dir).replace(str(tmp_path), str(installed.directory.parent / "prefix")))
    runner = "import site, sys; site.addsitedir(sys.argv[1]); import pytest; sys.exit(pytest.main(sys.argv[2:]))"
    done = subprocess.run([sys.executable, "-c", runner, str(site_dir), "-q", "-p", "no:cacheprovider", "tests"],
                          cwd=installed.directory, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "passed" in done.stdout and "failed" not in done.stdout


async def test_the_installed_borough_appears_in_the_api(installed, empty_db):
    registry = discover()
    await load_all(empty_db, registry)
    api = await make_api("sqlite" if empty_db.startswith("sqlite") else "postgresql", empty_db, registry)
    try:
        body = await api.gql("""{
          partnerships(first: 50) { nodes { code name } }
          partnership(code: "fictional-vale") {
            name
            statutoryPartners { kind source { document section } }
            rootGroups { name subgroups { name } }
          }}""")
        compared = await _comparisons(api)
    finally:
        await api.client.aclose()
        await api.app.state.partnerships.engine.dispose()
    for field, codes in compared.items():  # every cross-borough comparison includes it
        assert CODE in codes and "merton" in codes, field
    codes = [n["code"] for n in body["data"]["partnerships"]["nodes"]]
    assert CODE in codes and "merton" in codes
    p = body["data"]["partnership"]
    assert p["name"] == "Fictional Vale Safeguarding Children Partnership"
    assert sorted(sp["kind"] for sp in p["statutoryPartners"]) == ["HEALTH_COMMISSIONER", "LOCAL_AUTHORITY", "POLICE"]
    assert {sp["source"]["document"] for sp in p["statutoryPartners"]} == {
        "Fictional Vale Safeguarding Children Partnership Arrangements"}
    assert [g["name"] for g in p["rootGroups"]] == ["Fictional Vale Safeguarding Children Partnership"]
    assert [g["name"] for g in p["rootGroups"][0]["subgroups"]] == ["Executive Group"]


async def _comparisons(api) -> dict[str, list[str]]:
    """Every root `...Comparison` field whose rows have a partnership, called with this year."""
    schema = await api.gql("""{ __schema { queryType { fields {
        name args { name defaultValue type { kind } }
        type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }""")
    year = str(FinancialYear.containing(dt.date.today()))
    out = {}
    for field in schema["data"]["__schema"]["queryType"]["fields"]:
        if not field["name"].endswith("Comparison"):
            continue
        args, usable = [], True
        for arg in field["args"]:
            if arg["name"] == "financialYear":
                args.append(f'financialYear: "{year}"')
            elif arg["type"]["kind"] == "NON_NULL" and arg["defaultValue"] is None:
                usable = False
        if not usable:
            continue
        call = f"{field['name']}({', '.join(args)})" if args else field["name"]
        body = await api.gql(f"{{ {call} {{ partnership {{ code }} }} }}")
        out[field["name"]] = [row["partnership"]["code"] for row in body["data"][field["name"]] or []]
    return out
