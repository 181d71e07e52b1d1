"""CORS from the `cors_allowed_origins` setting: a page on an allowed origin may call the
API (and read the request id, ETag and rate-limit headers); any other is refused."""

from __future__ import annotations

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from core.config import Settings
from tests.conftest import make_api
from tests.test_ws_auth import served

ALLOWED = "https://frontend.example.org"
PREFLIGHT = {"access-control-request-method": "POST",
             "access-control-request-headers": "authorization, content-type"}


@pytest.fixture
async def cors(api, registry):
    server = await make_api(api.backend, api.url, registry, cors_allowed_origins=[ALLOWED])
    yield server
    await server.client.aclose()
    await server.app.state.partnerships.engine.dispose()


async def test_a_preflight_from_an_allowed_origin_succeeds(cors):
    response = await cors.client.options("/graphql", headers={"origin": ALLOWED, **PREFLIGHT})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert "POST" in response.headers["access-control-allow-methods"]


async def test_a_preflight_from_another_origin_is_refused_in_json(cors):
    response = await cors.client.options("/graphql", headers={"origin": "https://elsewhere.example", **PREFLIGHT})
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    assert response.json()["errors"][0]["extensions"]["code"] == "CORS_REFUSED"


async def test_an_allowed_origin_may_read_the_request_id_etag_and_rate_limit_headers(cors):
    response = await cors.client.get("/graphql", params={"query": "{ partnerships { totalCount } }"},
                                     headers={"origin": ALLOWED})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == ALLOWED
    exposed = {h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")}
    assert {"x-request-id", "etag", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset",
            "retry-after"} <= exposed
    other = await cors.client.get("/graphql", params={"query": "{ partnerships { totalCount } }"},
                                  headers={"origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers  # the browser keeps the answer from that page


async def test_no_origin_is_allowed_unless_configured(api):
    response = await api.client.options("/graphql", headers={"origin": ALLOWED, **PREFLIGHT})
    assert response.status_code == 400 and "access-control-allow-origin" not in response.headers


def test_the_setting_takes_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_CORS_ALLOWED_ORIGINS", f"{ALLOWED}/, https://b.example")
    assert Settings().cors_allowed_origins == [ALLOWED, "https://b.example"]
    monkeypatch.setenv("PARTNERSHIPS_CORS_ALLOWED_ORIGINS", '["*"]')
    assert Settings().cors_allowed_origins == ["*"]


async def test_websocket_handshakes_follow_the_same_origins(api, registry):
    async with served(api, registry, cors_allowed_origins=[ALLOWED]) as server:
        uri = f"ws://127.0.0.1:{server.port}/graphql"
        async with connect(uri, subprotocols=["graphql-transport-ws"], origin=ALLOWED, proxy=None):
            pass
        with pytest.raises(InvalidStatus) as refused:
            async with connect(uri, subprotocols=["graphql-transport-ws"], origin="https://elsewhere.example",
                               proxy=None):
                pass
        assert refused.value.response.status_code == 403
