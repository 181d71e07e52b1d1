"""Operability: structured request logs, Prometheus metrics, health and readiness."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import socket
import uuid

import httpx
import pytest

from core.config import Settings
from core.logging import configure_logging, request_id_from
from core.migrate import upgrade
from tests.conftest import PG_SERVER, _pg_admin, _pg_reachable, make_api

QUERY = """query PartnershipByCode($code: String!) { partnership(code: $code) { name } }"""


@pytest.fixture
def log_lines(api):
    """Capture the JSON log lines written while the test runs; restore the app's logging after."""
    buffer = io.StringIO()
    configure_logging(Settings(log_format="json", log_level="DEBUG"), stream=buffer)

    def lines() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]

    lines.text = buffer.getvalue  # type: ignore[attr-defined]
    yield lines
    configure_logging(api.app.state.partnerships.settings, force=True)


async def _request(api, query: str, variables: dict, *, request_id: str | None = None,
                   operation_name: str | None = None) -> httpx.Response:
    headers = {"X-Request-ID": request_id} if request_id else {}
    body = {"query": query, "variables": variables}
    if operation_name:
        body["operationName"] = operation_name
    return await api.client.post("/graphql", json=body, headers=headers)


# --------------------------------------------------------------------------- logs


async def test_request_log_line_has_request_id_operation_and_document_hash_but_no_variables(api, log_lines):
    secret = f"SECRET-{uuid.uuid4().hex}"
    request_id = f"req-{uuid.uuid4().hex[:12]}"
    response = await _request(api, QUERY, {"code": secret}, request_id=request_id)
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == request_id  # propagated from the caller
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    mine = [line for line in log_lines() if line.get("request_id") == request_id]
    request_lines = [line for line in mine if line["event"] == "request"]
    assert len(request_lines) == 1, mine
    line = request_lines[0]
    assert line["operation"] == "PartnershipByCode"
    assert line["operation_type"] == "query"
    assert line["document_sha256"] == hashlib.sha256(QUERY.encode()).hexdigest()
    assert line["status"] == 200 and line["outcome"] == "error" and line["error_codes"] == ["NOT_FOUND"]
    assert line["path"] == "/graphql" and line["level"] == "info" and "timestamp" in line
    assert secret not in log_lines.text()  # type: ignore[attr-defined]
    assert "variables" not in log_lines.text()  # type: ignore[attr-defined]


async def test_a_resolver_failure_is_logged_with_the_request_id_and_without_its_message(api, log_lines, monkeypatch):
    import schema.structure.queries as structure

    secret = f"SECRET-{uuid.uuid4().hex}"

    async def broken(info, code):
        raise RuntimeError(f"database said something about {code}")

    monkeypatch.setattr(structure, "unknown_partnership", broken)
    response = await _request(api, QUERY, {"code": secret})
    request_id = response.headers["X-Request-ID"]
    assert response.json()["errors"][0]["message"].startswith("Internal error")

    mine = [line for line in log_lines() if line.get("request_id") == request_id]
    events = {line["event"] for line in mine}
    assert {"request", "unexpected error in a resolver"} <= events, mine
    failure = next(line for line in mine if line["event"] == "unexpected error in a resolver")
    assert failure["error_type"] == "builtins.RuntimeError"
    assert failure["graphql_path"] == "partnership"
    assert any("broken" in frame for frame in failure["frames"])
    request = next(line for line in mine if line["event"] == "request")
    assert request["error_codes"] == ["INTERNAL_SERVER_ERROR"]
    assert secret not in log_lines.text()  # type: ignore[attr-defined]


async def test_invalid_variable_values_stay_out_of_the_logs(api, log_lines):
    secret = f"SECRET{uuid.uuid4().hex}"
    query = "query Page($first: Int) { partnerships(first: $first) { totalCount } }"
    response = await _request(api, query, {"first": secret})
    assert response.json()["errors"]  # graphql-core quotes the bad value back to the caller …
    assert secret not in log_lines.text()  # type: ignore[attr-defined]  # … but not into the logs
    request = [line for line in log_lines() if line["event"] == "request"][-1]
    assert request["operation"] == "Page" and request["request_id"] == response.headers["X-Request-ID"]


async def test_operation_name_comes_from_operationName_when_the_document_has_several(api, log_lines):
    document = "query A { partnerships { totalCount } } query B { partnerships { totalCount } }"
    response = await _request(api, document, {}, operation_name="B")
    assert response.status_code == 200, response.text
    line = [line for line in log_lines() if line.get("request_id") == response.headers["X-Request-ID"]
            and line["event"] == "request"][0]
    assert line["operation"] == "B" and line["operation_type"] == "query"


@pytest.mark.parametrize("incoming", ["", "has space", "x" * 129, "new\nline", "<script>", "ünïcode"])
async def test_an_insane_incoming_request_id_is_replaced(api, incoming):
    response = await api.client.get("/healthz", headers={"X-Request-ID": incoming.encode("utf-8")})
    assert response.headers["X-Request-ID"] != incoming
    assert len(response.headers["X-Request-ID"]) == 32


def test_sane_request_ids_are_kept():
    for value in ("abc", "3f2c-11ee:be56@edge/1", "Root=1-5759e988-bd862e3fe1be46a994272793"):
        assert request_id_from(value) == value


def test_console_logs_in_development_and_json_in_production():
    buffer = io.StringIO()
    configure_logging(Settings(production=False), stream=buffer)
    import structlog

    structlog.get_logger("t").info("hello", answer=42)
    configure_logging(Settings(production=True), stream=buffer)
    structlog.get_logger("t").info("hello", answer=43)
    configure_logging(Settings(), force=True)
    first, second = buffer.getvalue().splitlines()[-2:]
    assert "hello" in first and "answer" in first and not first.startswith("{")
    assert json.loads(second)["answer"] == 43


# --------------------------------------------------------------------------- metrics


def _samples(text: str, name: str) -> dict[str, float]:
    out = {}
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            key, value = line.rsplit(" ", 1)
            out[key] = float(value)
    return out


async def test_metrics_expose_requests_latency_errors_pool_and_cache(api):
    operation = f"Metrics{uuid.uuid4().hex[:8]}"
    for _ in range(3):
        await _request(api, f"query {operation} {{ partnerships {{ totalCount }} }}", {})
    await _request(api, f"query {operation}Missing {{ partnership(code: \"nowhere\") {{ name }} }}", {})
    denied = await api.client.post("/graphql", json={"query": f"query {operation} {{ __typename }}"},
                                   headers={"authorization": "Bearer not-a-token"})
    assert denied.status_code == 401
    response = await api.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text

    requests = _samples(text, "partnerships_requests_total")
    assert requests[f'partnerships_requests_total{{operation="{operation}",outcome="ok",route="/graphql"}}'] == 3
    assert requests[f'partnerships_requests_total{{operation="{operation}Missing",outcome="error",route="/graphql"}}'] == 1
    latency = _samples(text, "partnerships_request_duration_seconds_count")
    assert latency[f'partnerships_request_duration_seconds_count{{operation="{operation}",outcome="ok",route="/graphql"}}'] == 3
    errors = _samples(text, "partnerships_graphql_errors_total")
    assert errors['partnerships_graphql_errors_total{code="NOT_FOUND"}'] >= 1
    assert errors['partnerships_graphql_errors_total{code="UNAUTHENTICATED"}'] >= 1
    assert requests[f'partnerships_requests_total{{operation="{operation}",outcome="rejected",route="/graphql"}}'] == 1
    for gauge in ("partnerships_db_pool_in_use", "partnerships_db_pool_waiting", "partnerships_db_pool_size"):
        assert _samples(text, gauge), f"{gauge} missing"
    assert _samples(text, "partnerships_db_pool_in_use")["partnerships_db_pool_in_use"] == 0  # all returned
    assert _samples(text, "partnerships_db_pool_size")["partnerships_db_pool_size"] >= 1
    cache = _samples(text, "partnerships_response_cache_total")
    assert cache.get('partnerships_response_cache_total{outcome="hit"}', 0) >= 1  # the 2nd and 3rd were hits
    assert cache.get('partnerships_response_cache_total{outcome="miss"}', 0) >= 1
    assert "partnerships_webhook_deliveries_total" in text


async def test_client_chosen_operation_names_cannot_explode_the_label_set(api):
    from core import metrics

    assert metrics.operation_label("not a name!") == "other"
    assert metrics.operation_label("Fine_1") == "Fine_1"
    assert metrics.counter("test_things_total", "Things.", ("kind",)) is metrics.counter("test_things", "Things.", ("kind",))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_metrics_can_be_turned_off_or_moved_off_the_public_listener(api, registry):
    off = await make_api(api.backend, api.url, registry, metrics_enabled=False)
    port = _free_port()
    moved = await make_api(api.backend, api.url, registry, metrics_port=port)
    try:
        assert (await off.client.get("/metrics")).status_code == 404
        assert (await moved.client.get("/metrics")).status_code == 404
        async with moved.app.router.lifespan_context(moved.app):
            async with httpx.AsyncClient() as client:
                scraped = await client.get(f"http://127.0.0.1:{port}/metrics")
            assert scraped.status_code == 200 and "partnerships_requests_total" in scraped.text
    finally:
        for extra in (off, moved):
            await extra.client.aclose()
            await extra.app.state.partnerships.engine.dispose()


# --------------------------------------------------------------------------- health


async def test_healthz_answers_while_the_process_runs(api):
    response = await api.client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"


def test_a_worker_leaves_the_migration_tool_unloaded_until_readiness_is_asked():
    """A worker serves requests without alembic in memory (~11 MB a worker, paid by every
    one of `serve --workers N`); only `/readyz`, which compares the database's migrations
    with the code's, loads it."""
    import subprocess
    import sys

    loaded = subprocess.run(
        [sys.executable, "-c", "import sys; from core.config import Settings; from schema.app import create_app; "
                               "create_app(Settings(database_url='sqlite+aiosqlite:///:memory:')); "
                               "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))"],
        capture_output=True, text=True, check=True, timeout=120)
    assert loaded.stdout.strip() == "[]", loaded.stdout[:300]


async def test_readyz_is_ready_on_a_migrated_database(api):
    response = await api.client.get("/readyz")
    assert response.status_code == 200 and response.json() == {"ready": True}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_readyz_is_503_while_the_database_is_unreachable(backend, registry, tmp_path):
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'no-such-dir' / 'x.db'}"
    else:
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/nowhere"
    unreachable = await make_api(backend, url, registry, pool_timeout_s=1.0)
    try:
        response = await unreachable.client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["ready"] is False
        assert response.json()["reason"].startswith("database unreachable")
        assert (await unreachable.client.get("/healthz")).status_code == 200  # alive, just not ready
    finally:
        await unreachable.client.aclose()
        await unreachable.app.state.partnerships.engine.dispose()


async def _blank_database(backend: str, databases, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / (uuid.uuid4().hex + '.db')}"
    if await _pg_reachable():
        pytest.skip(f"PostgreSQL not reachable at {PG_SERVER}")
    name = f"pg_test_{uuid.uuid4().hex[:12]}"
    conn = await _pg_admin()
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    databases.pg_names.append(name)  # dropped with the session's other databases
    return f"{PG_SERVER.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_readyz_is_503_while_migrations_are_behind_and_200_after_upgrade(backend, databases, registry, tmp_path):
    from core.migrate import head_revisions

    assert head_revisions() != {"0001"}, "the test needs heads beyond the foundation"
    url = await _blank_database(backend, databases, tmp_path)
    await asyncio.to_thread(upgrade, url, "0001")
    behind = await make_api(backend, url, registry)
    try:
        response = await behind.client.get("/readyz")
        assert response.status_code == 503
        reason = response.json()["reason"]
        assert "migrations not at head" in reason and "0001" in reason and "partnerships db upgrade" in reason

        await asyncio.to_thread(upgrade, url)
        response = await behind.client.get("/readyz")
        assert response.status_code == 200 and response.json() == {"ready": True}
    finally:
        await behind.client.aclose()
        await behind.app.state.partnerships.engine.dispose()


async def test_pool_gauge_counts_a_connection_while_it_is_held(api):
    engine = api.app.state.partnerships.engine
    async with engine.connect() as conn:
        await conn.exec_driver_sql("SELECT 1")
        held = _samples((await api.client.get("/metrics")).text, "partnerships_db_pool_in_use")
    released = _samples((await api.client.get("/metrics")).text, "partnerships_db_pool_in_use")
    assert held["partnerships_db_pool_in_use"] >= 1
    assert released["partnerships_db_pool_in_use"] == held["partnerships_db_pool_in_use"] - 1


async def test_an_unhandled_exception_answers_500_with_the_request_id_and_logs_no_message(api, log_lines, monkeypatch):
    import schema.app

    secret = f"SECRET-{uuid.uuid4().hex}"

    async def broken(state, header):
        raise RuntimeError(secret)

    monkeypatch.setattr(schema.app, "principal_for", broken)
    response = await _request(api, QUERY, {"code": "merton"}, request_id="boom-1")
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "boom-1"
    assert response.json()["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "boom-1"}
    mine = [line for line in log_lines() if line.get("request_id") == "boom-1"]
    assert {line["event"] for line in mine} == {"unhandled exception", "request"}
    assert next(line for line in mine if line["event"] == "request")["outcome"] == "failed"
    assert secret not in log_lines.text()  # type: ignore[attr-defined]


async def test_a_get_request_is_logged_without_its_query_string(api, log_lines):
    secret = f"SECRET-{uuid.uuid4().hex}"
    response = await api.client.get("/graphql", params={"query": QUERY, "variables": json.dumps({"code": secret})})
    assert response.status_code == 200
    line = [line for line in log_lines() if line.get("request_id") == response.headers["X-Request-ID"]
            and line["event"] == "request"][0]
    assert line["path"] == "/graphql" and line["method"] == "GET"
    assert line["operation"] == "PartnershipByCode"
    assert line["document_sha256"] == hashlib.sha256(QUERY.encode()).hexdigest()
    assert secret not in log_lines.text()  # type: ignore[attr-defined]
