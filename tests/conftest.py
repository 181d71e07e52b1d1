"""Test fixtures: every API test runs on the embedded SQLite default and on PostgreSQL.

PostgreSQL is the local server (PARTNERSHIPS_TEST_PG, default 127.0.0.1:5432, trust auth);
each test session creates its own throwaway databases and drops them afterwards. Under
CI=true a PostgreSQL that cannot be reached fails the run instead of skipping it.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy import event

from core.config import Settings
from core.db import create_engine, session_factory
from core.enums import Role
from core.migrate import upgrade
from core.plugins import Registry, discover
from core.services.identity import create_token
from core.services.load import load_partnership

PG_SERVER = os.environ.get("PARTNERSHIPS_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BACKENDS = ["sqlite", "postgresql"]


async def _pg_admin() -> asyncpg.Connection:
    return await asyncpg.connect(f"{PG_SERVER}/postgres", timeout=5)


async def _pg_reachable() -> str | None:
    try:
        conn = await _pg_admin()
    except (OSError, asyncpg.PostgresError) as exc:
        return f"{type(exc).__name__}: {exc}"
    await conn.close()
    return None


class Databases:
    """Creates empty, migrated databases on either backend and drops them at the end."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.pg_names: list[str] = []

    async def new(self, backend: str) -> str:
        if backend == "sqlite":
            url = f"sqlite+aiosqlite:///{self.tmp / (uuid.uuid4().hex + '.db')}"
        else:
            problem = await _pg_reachable()
            if problem:
                if IN_CI:
                    pytest.fail(f"PostgreSQL is required under CI and is not reachable at {PG_SERVER}: {problem}")
                pytest.skip(f"PostgreSQL not reachable at {PG_SERVER}: {problem}")
            name = f"pg_test_{uuid.uuid4().hex[:12]}"
            conn = await _pg_admin()
            await conn.execute(f'CREATE DATABASE "{name}"')
            await conn.close()
            self.pg_names.append(name)
            url = f"{PG_SERVER.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"
        await asyncio.to_thread(upgrade, url)
        return url

    async def drop_all(self) -> None:
        if not self.pg_names:
            return
        conn = await _pg_admin()
        for name in self.pg_names:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


@pytest.fixture(scope="session")
async def databases(tmp_path_factory) -> AsyncIterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("db"))
    yield dbs
    await dbs.drop_all()


@pytest.fixture(scope="session")
def registry() -> Registry:
    return discover()


async def load_all(url: str, registry: Registry) -> None:
    engine = create_engine(Settings(database_url=url), url)
    async with session_factory(engine)() as session, session.begin():
        for rules in registry:
            await load_partnership(session, rules)
    await engine.dispose()


@dataclass
class Api:
    """A client for the app in-process, with tokens per role and a statement counter."""

    backend: str
    url: str
    app: object
    client: httpx.AsyncClient
    tokens: dict[tuple[str | None, Role], str] = field(default_factory=dict)
    statements: list[str] = field(default_factory=list)

    async def post(self, query: str, variables: dict | None = None, token: str | None = None,
                   operation_name: str | None = None) -> httpx.Response:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        body = {"query": query, "variables": variables or {}}
        if operation_name:
            body["operationName"] = operation_name
        return await self.client.post("/graphql", json=body, headers=headers)

    async def gql(self, query: str, variables: dict | None = None, *, token: str | None = None,
                  as_role: tuple[str | None, Role] | None = None, errors_ok: bool = False) -> dict:
        if as_role is not None:
            token = await self.token(*as_role)
        response = await self.post(query, variables, token)
        assert response.status_code == 200, response.text
        body = response.json()
        if not errors_ok:
            assert not body.get("errors"), body["errors"]
        return body

    async def token(self, partnership: str | None, role: Role, **kwargs) -> str:
        key = (partnership, role)
        if key not in self.tokens or kwargs:
            engine = self.app.state.partnerships.engine
            async with session_factory(engine)() as session, session.begin():
                issued = await create_token(session, role=role, partnership_code=partnership,
                                            label=f"test {role.value}", **kwargs)
            if kwargs:
                return issued.secret
            self.tokens[key] = issued.secret
        return self.tokens[key]

    def count_statements(self) -> _Counter:
        return _Counter(self)


class _Counter:
    def __init__(self, api: Api):
        self.api = api
        self.engine = api.app.state.partnerships.engine.sync_engine
        self.statements: list[str] = []

    def _on(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._on)

    @property
    def count(self) -> int:
        return len(self.statements)


async def make_api(backend: str, url: str, registry: Registry, **settings) -> Api:
    from schema.app import create_app

    app = create_app(Settings(database_url=url, **settings), registry=registry)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    return Api(backend=backend, url=url, app=app, client=client)


@pytest.fixture(scope="session", params=BACKENDS)
async def api(request, databases, registry) -> AsyncIterator[Api]:
    """The four boroughs loaded into a database of each backend, served in-process."""
    url = await databases.new(request.param)
    await load_all(url, registry)
    api = await make_api(request.param, url, registry)
    yield api
    await api.client.aclose()
    await api.app.state.partnerships.engine.dispose()


@pytest.fixture
async def apps_on(api, registry):
    """More apps on the ``api`` fixture's database, each with settings of its own (another
    worker or host, another configuration); closed when the test ends."""
    made = []

    async def make(**settings):
        other = await make_api(api.backend, api.url, registry, **settings)
        made.append(other)
        return other

    yield make
    for other in made:
        await other.client.aclose()
        await other.app.state.partnerships.engine.dispose()


@pytest.fixture(params=BACKENDS)
async def empty_db(request, databases) -> str:
    """A new, migrated, empty database of each backend, for tests that need a clean slate."""
    return await databases.new(request.param)
