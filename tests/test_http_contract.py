"""One error contract at every layer, the GraphQL-over-HTTP spec (the graphql-http audit,
run by Node against the real server), a public schema, cache headers beside every ETag,
and one parse of each request's document."""

from __future__ import annotations

import asyncio
import json
import shutil
import uuid
from pathlib import Path

import pytest

from tests.conftest import IN_CI, make_api
from tests.test_integrations import LocalServer

ROOT = Path(__file__).resolve().parent.parent
AUDIT = ROOT / "tests" / "js" / "graphql_http_audit.mjs"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def _node_or_skip() -> str:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "graphql-http").is_dir():
        message = "Node and the graphql-http package are needed: `make install` runs `npm ci` (apt-get install nodejs npm)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return node


async def test_the_graphql_http_audit_passes_every_must_and_should(api, registry):
    node = _node_or_skip()
    from core.config import Settings
    from schema.app import create_app

    app = create_app(Settings(database_url=api.url), registry=registry)
    server = await LocalServer(app).start()
    try:
        proc = await asyncio.create_subprocess_exec(node, str(AUDIT), f"{server.url}/graphql", cwd=ROOT,
                                                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), 120)
    finally:
        await server.stop()
        await app.state.partnerships.engine.dispose()
    assert proc.returncode == 0, err.decode()
    results = json.loads(out)
    assert len(results) >= 60  # the audit ran in full
    failed = [f"{r['id']} {r['name']}: {r['reason']}" for r in results
              if r["status"] == "error" or (r["status"] == "warn" and r["name"].startswith("SHOULD"))]
    assert failed == []
    assert [r for r in results if r["status"] != "ok"] == []  # the MAYs too


# -- every error has a code, every refusal is JSON ---------------------------------------------


async def _post(api, body: dict | bytes, accept: str | None = None, **headers):
    if accept:
        headers["accept"] = accept
    if isinstance(body, bytes):
        return await api.client.post("/graphql", content=body, headers={"content-type": "application/json", **headers})
    return await api.client.post("/graphql", json=body, headers=headers)


REQUEST_ERRORS = {
    "syntax": ({"query": "{ partnerships { "}, "GRAPHQL_PARSE_FAILED"),
    "validation": ({"query": "{ partnerships { noSuchField } }"}, "GRAPHQL_VALIDATION_FAILED"),
    "depth limit": ({"query": "{ partnership(code: \"merton\") { group(code: \"mscp\") { " + "subgroups { " * 14
                     + "name" + " }" * 14 + " } } }"}, "GRAPHQL_VALIDATION_FAILED"),
    "variable": ({"query": "query ($n: Int) { partnerships(first: $n) { totalCount } }", "variables": {"n": "x"}},
                 "BAD_USER_INPUT"),
    "cost": ({"query": "{ partnerships(first: 100) { nodes { groups(first: 100) { nodes { seats(first: 100) { "
                       "nodes { group { partnership { code } } } } } } } } }"}, "COST_LIMIT_EXCEEDED"),
}


@pytest.mark.parametrize("kind", list(REQUEST_ERRORS))
async def test_request_errors_carry_a_code_and_the_status_the_media_type_calls_for(api, kind):
    body, code = REQUEST_ERRORS[kind]
    plain = await _post(api, body, "application/json")
    assert plain.status_code == 200 and plain.headers["content-type"].startswith("application/json")
    assert plain.json()["data"] is None
    assert [e["extensions"]["code"] for e in plain.json()["errors"]][:1] == [code], plain.json()

    spec = await _post(api, body, GRAPHQL_RESPONSE)
    assert spec.status_code == 400 and spec.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "data" not in spec.json()  # a request error: nothing executed
    assert spec.json()["errors"][0]["extensions"]["code"] == code


async def test_a_field_error_keeps_its_data_and_200_under_either_media_type(api):
    for accept in ("application/json", GRAPHQL_RESPONSE):
        response = await _post(api, {"query": '{ partnership(code: "atlantis") { name } }'}, accept)
        assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
        body = response.json()
        assert "data" in body and body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_an_internal_error_is_coded_in_the_answer(api, monkeypatch):
    import schema.structure.queries as structure

    async def broken(info, code):
        raise RuntimeError("a bug")

    monkeypatch.setattr(structure, "unknown_partnership", broken)
    body = (await _post(api, {"query": '{ partnership(code: "nowhere") { name } }'})).json()
    assert body["errors"][0]["message"].startswith("Internal error")
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


async def test_every_transport_refusal_is_json_with_a_code(api):
    refusals = {
        "no such route": (await api.client.get("/no/such/page"), 404, "NOT_FOUND"),
        "no such method": (await api.client.delete("/graphql"), 405, "METHOD_NOT_ALLOWED"),
        "not JSON": (await api.client.post("/graphql", content=b"query=x",
                                           headers={"content-type": "application/x-www-form-urlencoded"}),
                     415, "UNSUPPORTED_MEDIA_TYPE"),
        "no body": (await api.client.post("/graphql", headers={"content-type": "application/json"}), 400,
                    "BAD_REQUEST"),
        "no document": (await _post(api, {"qeury": "{ __typename }"}), 400, "BAD_REQUEST"),
        "unacceptable": (await _post(api, {"query": "{ __typename }"}, "text/csv"), 406, "NOT_ACCEPTABLE"),
        "mutation by GET": (await api.client.get("/graphql", params={"query": "mutation { __typename }"}), 405,
                            "METHOD_NOT_ALLOWED"),
        "unknown operation": (await _post(api, {"query": "query A { __typename }", "operationName": "B"},
                                          GRAPHQL_RESPONSE), 400, "BAD_REQUEST"),
        "too large": (await _post(api, b"{" + b" " * 200_000 + b"}"), 413, "PAYLOAD_TOO_LARGE"),
        "bad token": (await _post(api, {"query": "{ __typename }"}, authorization="Bearer nope"), 401,
                      "UNAUTHENTICATED"),
        "export not found": (await api.client.get("/partnerships/atlantis/seats.csv"), 404, "NOT_FOUND"),
    }
    for name, (response, status, code) in refusals.items():
        assert response.status_code == status, (name, response.status_code, response.text[:200])
        assert "json" in response.headers["content-type"], (name, response.headers["content-type"])
        assert response.json()["errors"][0]["extensions"]["code"] == code, (name, response.text[:200])
    assert refusals["mutation by GET"][0].headers["allow"] == "POST"


# -- a public schema -----------------------------------------------------------------------------


async def test_the_schema_is_public_by_default_in_production_too(api, registry):
    production = await make_api(api.backend, api.url, registry, production=True)
    try:
        body = (await production.post("{ __schema { queryType { name } } }")).json()
        assert body["data"]["__schema"]["queryType"]["name"] == "Query"
        sdl = await production.client.get("/schema.graphql")
        assert sdl.status_code == 200 and sdl.text == (ROOT / "schema" / "schema.graphql").read_text()
        assert sdl.headers["etag"] and "no-cache" in sdl.headers["cache-control"]
    finally:
        await production.client.aclose()
        await production.app.state.partnerships.engine.dispose()


async def test_introspection_is_a_setting(api, registry):
    closed = await make_api(api.backend, api.url, registry, introspection=False)
    try:
        body = (await closed.post("{ __schema { queryType { name } } }")).json()
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        response = await closed.client.get("/schema.graphql")
        assert response.status_code == 404 and response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    finally:
        await closed.client.aclose()
        await closed.app.state.partnerships.engine.dispose()


# -- Cache-Control and Vary beside every ETag ------------------------------------------------------


async def test_graphql_get_answers_carry_cache_control_and_vary_beside_the_etag(api):
    from core.enums import Role

    params = {"query": "{ partnerships { totalCount } }"}
    public = await api.client.get("/graphql", params=params)
    assert public.status_code == 200 and public.headers["etag"]
    assert public.headers["cache-control"] == "public, no-cache"
    assert "Authorization" in public.headers["vary"] and "Accept" in public.headers["vary"]
    again = await api.client.get("/graphql", params=params, headers={"if-none-match": public.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"] == "public, no-cache"

    token = await api.token("merton", Role.MEMBER)
    member = await api.client.get("/graphql", params=params, headers={"authorization": f"Bearer {token}"})
    assert member.headers["cache-control"] == "private, no-cache"  # no shared cache may hand it on
    failed = await api.client.get("/graphql", params={"query": '{ partnership(code: "atlantis") { name } }'})
    assert "etag" not in failed.headers and failed.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/partnerships/merton/structure.svg", "/partnerships/merton/seats.csv",
                                  "/partnerships/merton/popolo.json", "/partnerships/merton/rulebook.md"])
async def test_exports_carry_an_etag_cache_control_and_vary_and_answer_304(api, path):
    first = await api.client.get(path)
    assert first.status_code == 200, first.text[:200]
    assert first.headers["etag"] and first.headers["cache-control"] == "public, no-cache"
    assert "Authorization" in first.headers["vary"]
    again = await api.client.get(path, headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == first.headers["etag"]


async def test_max_age_is_a_setting(api, registry):
    cached = await make_api(api.backend, api.url, registry, cache_control_max_age_s=60)
    try:
        response = await cached.client.get("/partnerships/merton/seats.csv")
        assert response.headers["cache-control"] == "public, max-age=60"
    finally:
        await cached.client.aclose()
        await cached.app.state.partnerships.engine.dispose()


# -- one parse per request -----------------------------------------------------------------------


async def test_a_request_document_is_parsed_once_for_execution_cache_and_log(api, monkeypatch):
    """Execution (strawberry), the response cache and the request log line used to parse
    each document separately; now the endpoint's parse is the only one."""
    import graphql
    import strawberry.extensions.parser_cache as parser_cache
    import strawberry.schema.schema as strawberry_schema

    import schema.documents as documents

    parses = []

    def counting(source, *args, **kwargs):
        parses.append(source)
        return graphql.parse(source, *args, **kwargs)

    import schema.cache

    for module in (documents, strawberry_schema, graphql.language, graphql.language.parser, schema.cache):
        monkeypatch.setattr(module, "parse", counting, raising=False)
    monkeypatch.setattr(parser_cache, "_get_parse_cache", lambda maxsize: counting)
    name = f"Once{uuid.uuid4().hex[:8]}"  # a document no cache has seen
    query = f"query {name} {{ partnership(code: \"merton\") {{ name }} }}"
    response = await api.post(query)
    assert response.status_code == 200 and response.headers["x-cache"] == "miss"
    assert parses == [query]
    assert (await api.post(query)).headers["x-cache"] == "hit"
    assert parses == [query]  # and a document seen before is not parsed again
