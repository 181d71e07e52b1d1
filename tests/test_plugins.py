"""Plugins: third-party boroughs through the entry point, validation of their data and
hooks, and idempotent loading."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from core.arrangements import ArrangementsError, parse_arrangements
from core.enums import Role
from core.plugins import PluginError, discover
from tests.conftest import load_all, make_api

FIXTURES = Path(__file__).with_name("fixtures")


def install_distribution(site: Path, module: str, hooks: str = "", data: str | None = None) -> None:
    """Lay out an installed distribution (package + dist-info with entry_points.txt) in
    ``site``: exactly what pip leaves in site-packages, which importlib.metadata scans."""
    pkg = site / module
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(textwrap.dedent('''
        from pathlib import Path
        from core.hookspecs import hookimpl

        @hookimpl
        def partnership_arrangements():
            return Path(__file__).with_name("arrangements.toml")
    ''') + hooks)
    if data is None:
        shutil.copy(FIXTURES / "testshire.toml", pkg / "arrangements.toml")
    else:
        (pkg / "arrangements.toml").write_text(data)
    info = site / f"{module}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[partnerships.plugins]\n{module} = {module}\n")


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith("testshire")]:
        del sys.modules[name]


async def test_an_installed_borough_plugin_appears_with_no_change_to_core(site, empty_db):
    install_distribution(site, "testshire_plugin")
    registry = discover()
    assert registry.codes() == ["lewisham", "merton", "sandwell", "sefton", "testshire"]
    await load_all(empty_db, registry)
    api = await make_api("x", empty_db, registry)
    try:
        body = await api.gql("{ partnerships { nodes { code plugin } } }")
        nodes = body["data"]["partnerships"]["nodes"]
        assert {"code": "testshire", "plugin": "testshire_plugin"} in nodes
        assert len(nodes) == 5

        # Its confidential panel is for its members only.
        q = '{ partnership(code: "testshire") { groups { nodes { code } } seats { totalCount } } }'
        public = (await api.gql(q))["data"]["partnership"]
        assert [g["code"] for g in public["groups"]["nodes"]] == ["board"]
        assert public["seats"]["totalCount"] == 1
        member = (await api.gql(q, as_role=("testshire", Role.MEMBER)))["data"]["partnership"]
        assert [g["code"] for g in member["groups"]["nodes"]] == ["board", "case-panel"]
        assert member["seats"]["totalCount"] == 2
        other = (await api.gql(q, as_role=("merton", Role.MEMBER)))["data"]["partnership"]
        assert other["seats"]["totalCount"] == 1
    finally:
        await api.client.aclose()
        await api.app.state.partnerships.engine.dispose()


def test_a_misspelt_hook_fails_at_start_up_naming_the_plugin(site):
    install_distribution(site, "testshire_typo", hooks=textwrap.dedent('''
        @hookimpl
        def partnership_arrangments():
            return None
    '''))
    with pytest.raises(PluginError) as exc:
        discover()
    assert "testshire_typo" in str(exc.value)
    assert "partnership_arrangments" in str(exc.value)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda s: s.replace('kind = "POLICE"', 'kind = "CONSTABULARY"'), "agencies[2].kind"),
        (lambda s: s.replace('accountable_to = "board"', 'accountable_to = "bored"'), "unknown group 'bored'"),
        (lambda s: s.replace('post = "Chief Executive"\nagency = "tcc"', 'agency = "tcc"'), "seats[0].post: Field required"),
        (lambda s: s.replace('rotation_start = "2024/25"', 'rotation_start = "2024"'), "groups[0].chair"),
        (lambda s: s.replace('code = "tpol"', 'code = "TPOL"'), "agencies[2].code"),
        (lambda s: s + "\n[[groups]]\ncode = 'board'\nname = 'Dup'\nkind = 'FORUM'\n", "duplicate code 'board'"),
        (lambda s: s.replace("[partnership]", "[partnership"), "not valid TOML"),
    ],
)
def test_malformed_data_fails_with_the_file_the_path_and_what_is_wrong(tmp_path, edit, expected):
    bad = tmp_path / "arrangements.toml"
    bad.write_text(edit((FIXTURES / "testshire.toml").read_text()))
    with pytest.raises(ArrangementsError) as exc:
        parse_arrangements(bad)
    assert str(bad) in str(exc.value)
    assert expected in str(exc.value)


def test_malformed_installed_plugin_stops_discovery_with_its_name(site):
    install_distribution(site, "testshire_broken", data=(FIXTURES / "testshire.toml").read_text().replace(
        'kind = "POLICE"', 'kind = "SHERIFF"'))
    with pytest.raises(PluginError) as exc:
        discover()
    assert "testshire_broken" in str(exc.value) and "agencies[2].kind" in str(exc.value)


async def test_loading_twice_changes_nothing(empty_db, registry):
    from core.config import Settings
    from core.db import create_engine, session_factory
    from core.services.load import load_partnership

    await load_all(empty_db, registry)
    engine = create_engine(Settings(database_url=empty_db), empty_db)
    try:
        async with session_factory(engine)() as session, session.begin():
            reports = [await load_partnership(session, rules) for rules in registry]
        assert [r.changed for r in reports] == [False] * len(reports)
    finally:
        await engine.dispose()


async def test_a_changed_data_file_updates_only_what_changed(empty_db, registry, tmp_path):
    from dataclasses import replace

    from core.config import Settings
    from core.db import create_engine, session_factory
    from core.plugins import PartnershipRules  # noqa: F401
    from core.services.load import load_partnership

    await load_all(empty_db, registry)
    rules = registry.rules_for("merton")
    edited = tmp_path / "arrangements.toml"
    edited.write_text(rules.data_file.read_text().replace('name = "Executive Group"', 'name = "Executive Board"'))
    changed = replace(rules, data_file=edited)
    engine = create_engine(Settings(database_url=empty_db), empty_db)
    try:
        async with session_factory(engine)() as session, session.begin():
            report = await load_partnership(session, changed)
        assert (report.created, report.updated, report.removed) == (0, 1, 0)
    finally:
        await engine.dispose()
