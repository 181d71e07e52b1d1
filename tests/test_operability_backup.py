"""Backup and restore: a loaded database, backed up and restored into an empty one, reads
back identical, table by table (every table in the models, whichever domains exist)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from core.cli import main
from core.config import Settings, get_settings
from core.db import create_engine, session_factory
from core.enums import Role
from core.models import AuditEvent, Base, Partnership, Seat
from core.services.identity import create_token
from tests.conftest import PG_SERVER, _pg_admin, _pg_reachable


async def _blank(backend: str, databases, tmp_path: Path) -> str:
    """A database with nothing in it (not even migrations)."""
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / (uuid.uuid4().hex + '.db')}"
    if await _pg_reachable():
        pytest.skip(f"PostgreSQL not reachable at {PG_SERVER}")
    name = f"pg_test_{uuid.uuid4().hex[:12]}"
    conn = await _pg_admin()
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    databases.pg_names.append(name)
    return f"{PG_SERVER.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"


async def _cli(url: str, *args: str):
    """Run the CLI against ``url`` (in a thread: the commands run their own event loop)."""
    def invoke():
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(main, list(args), env={"PARTNERSHIPS_DATABASE_URL": url})
        finally:
            get_settings.cache_clear()

    return await asyncio.to_thread(invoke)


async def _contents(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, ordered by primary key; and the migration revisions."""
    engine = create_engine(Settings(database_url=url), url)
    try:
        async with engine.connect() as conn:
            out = {}
            for table in Base.metadata.sorted_tables:
                order = list(table.primary_key.columns) or list(table.columns)
                out[table.name] = [tuple(r) for r in (await conn.execute(select(table).order_by(*order))).all()]
            out["alembic_version"] = sorted(
                tuple(r) for r in (await conn.execute(text("SELECT version_num FROM alembic_version"))).all())
            return out
    finally:
        await engine.dispose()


async def test_backup_then_restore_into_an_empty_database_gives_identical_tables(api, databases, tmp_path):
    # Make sure there is something of everything the issue names (more rows come from other tests).
    await api.token("merton", Role.BUSINESS_UNIT, lifetime_days=30)
    before = await _contents(api.url)
    engine = api.app.state.partnerships.engine
    async with session_factory(engine)() as session:
        for model in (Partnership, Seat, AuditEvent):
            assert await session.scalar(select(func.count()).select_from(model)) > 0, model.__name__

    dump = tmp_path / f"partnerships-{api.backend}.backup"
    result = await _cli(api.url, "backup", str(dump))
    assert result.exit_code == 0, result.output
    assert dump.stat().st_size > 0 and "wrote" in result.output

    target = await _blank(api.backend, databases, tmp_path)
    result = await _cli(target, "restore", str(dump))
    assert result.exit_code == 0, result.output
    after = await _contents(target)

    assert set(after) == set(before)
    for table, rows in before.items():
        assert after[table] == rows, f"table {table} differs after restore"
    assert before["partnership"] and before["seat"] and before["audit_event"]

    # The restored database is a working one: its id sequences continue past the restored rows.
    restored = create_engine(Settings(database_url=target), target)
    try:
        async with session_factory(restored)() as session, session.begin():
            issued = await create_token(session, role=Role.MEMBER, partnership_code="merton", label="after restore")
        assert issued.id > max(row[0] for row in before["api_token"])
    finally:
        await restored.dispose()


async def test_restore_refuses_a_database_that_holds_tables_unless_clean(api, databases, tmp_path):
    dump = tmp_path / "again.backup"
    assert (await _cli(api.url, "backup", str(dump))).exit_code == 0
    result = await _cli(api.url, "backup", str(dump))
    assert result.exit_code == 2 and "exists" in result.output  # never overwritten by accident

    target = await _blank(api.backend, databases, tmp_path)
    assert (await _cli(target, "restore", str(dump))).exit_code == 0
    refused = await _cli(target, "restore", str(dump))
    assert refused.exit_code == 2 and "--clean" in refused.output
    replaced = await _cli(target, "restore", "--clean", str(dump))
    assert replaced.exit_code == 0, replaced.output
    assert await _contents(target) == await _contents(api.url)


async def test_a_backup_cannot_be_restored_into_the_other_backend(api, tmp_path):
    dump = tmp_path / "cross.backup"
    assert (await _cli(api.url, "backup", str(dump))).exit_code == 0
    other = ("postgresql+asyncpg://postgres@127.0.0.1:5432/unused" if api.backend == "sqlite"
             else f"sqlite+aiosqlite:///{tmp_path / 'other.db'}")
    result = await _cli(other, "restore", str(dump))
    assert result.exit_code == 2
    assert f"is a {api.backend} backup" in result.output


async def test_backup_explains_a_missing_pg_dump(api, tmp_path, monkeypatch):
    if api.backend != "postgresql":
        pytest.skip("pg_dump is PostgreSQL's")
    monkeypatch.setenv("PARTNERSHIPS_PG_BIN_DIR", str(tmp_path))  # no pg_dump here
    result = await _cli(api.url, "backup", str(tmp_path / "x.backup"))
    assert result.exit_code == 2 and "pg_dump not found" in result.output
    assert not (tmp_path / "x.backup").exists()


async def test_after_a_restore_no_cached_answer_or_feed_cursor_from_before_it_stands_for_what_follows(api, tmp_path):
    """Restoring an older backup over a database moves its newest event back. The response
    cache versions its answers by event ids, and integrations page the feed by them: were
    the events written after the restore to take ids issued before it, an answer cached
    before would be served for a different state (to running workers and the shared tier
    alike), and a client holding a cursor from before would never see the new events.
    `partnerships restore --clean` numbers the events that follow past every one issued."""
    from schema.types.common import from_global_id
    from tests.test_integrations import add_seat

    page = '{ partnership(code: "sefton") { seats(first: 100) { totalCount nodes { id code } } } }'
    feed = "query ($after: String) { events(after: $after) { nodes { entityId after } } }"
    await add_seat(api, "sefton")  # the business unit's token is issued before the backup
    dump = tmp_path / f"older-{api.backend}.backup"
    assert (await _cli(api.url, "backup", str(dump))).exit_code == 0
    undone = await add_seat(api, "sefton")  # after the backup: the restore takes it away
    before = (await api.post(page)).json()["data"]["partnership"]["seats"]["nodes"]  # … and its answer is cached
    undone_id = next(s["id"] for s in before if s["code"] == undone)
    cursor = (await api.gql("{ latestEventCursor }"))["data"]["latestEventCursor"]

    restored = await _cli(api.url, "restore", "--clean", str(dump))
    assert restored.exit_code == 0, restored.output
    await api.app.state.partnerships.engine.dispose()  # the tables were replaced under the pool
    recorded = await add_seat(api, "sefton")
    answer = await api.post(page)
    assert recorded in answer.text and undone not in answer.text, answer.headers.get("X-Cache")
    # the seat written after the restore does not take the id the undone one was given
    recorded_id = next(s["id"] for s in answer.json()["data"]["partnership"]["seats"]["nodes"] if s["code"] == recorded)
    assert from_global_id(recorded_id)[1] > from_global_id(undone_id)[1]
    events = (await api.gql(feed, {"after": cursor}))["data"]["events"]["nodes"]
    assert any(recorded in str(e["after"]) for e in events), events
