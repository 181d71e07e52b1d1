"""What one request may cost: a static cost limit before execution, a cap on the answer's
size, a time limit, per-client rate limits, slow bodies, and the response cache's share
per client (docs/limits.md)."""

from __future__ import annotations

import asyncio
import time
import tracemalloc
import uuid

import httpx

from bench.queries import PAGE
from core.enums import Role

#: The seat → group → partnership loop, within the depth limit: a few hundred characters
#: that, executed, answer hundreds of megabytes.
LOOP = "{ " + " ".join(
    f"a{i}: partnerships {{ nodes {{ seats {{ nodes {{ group {{ partnership {{ seats {{ nodes {{ group {{ "
    "partnership { name } } } } } } } } } }" for i in range(6)) + " }"


def client_at(app, address: str) -> httpx.AsyncClient:
    """A client of the in-process app that connects from ``address``."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 4000)), base_url="http://test")


def fresh_address() -> str:
    """An address no other test (or earlier run, for a shared store) has used."""
    raw = uuid.uuid4().bytes
    return f"10.{raw[0]}.{raw[1]}.{raw[2] or 1}"


# -- static cost ------------------------------------------------------------------------------


async def test_the_seat_group_partnership_loop_is_refused_at_validation_stating_cost_and_limit(api):
    with api.count_statements() as counter:
        tracemalloc.start()
        started = time.perf_counter()
        response = await api.post(LOOP)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert response.status_code == 200
    body = response.json()
    assert body.get("data") is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "COST_LIMIT_EXCEEDED", error
    limit = api.app.state.partnerships.settings.max_query_cost
    assert error["extensions"]["limit"] == limit and error["extensions"]["cost"] > limit
    assert str(limit) in error["message"].replace(",", "")
    assert counter.count <= 1  # at most the cache's version check: nothing executed
    assert elapsed < 0.5, f"{elapsed * 1000:.0f} ms"
    assert peak < 20 * 1024 * 1024, f"{peak / 1e6:.1f} MB"
    one_alias = (await api.post(LOOP.split(" a1:")[0] + " }")).json()
    assert one_alias["errors"][0]["extensions"]["code"] == "COST_LIMIT_EXCEEDED"


async def test_every_answer_reports_its_cost_and_the_benchmark_page_is_within_the_limit(api):
    body = await api.gql(PAGE, {"code": "merton"})
    cost = body["extensions"]["cost"]
    assert 0 < cost["requested"] <= cost["limit"] == api.app.state.partnerships.settings.max_query_cost
    small = await api.gql('{ partnership(code: "merton") { name } }')
    assert small["extensions"]["cost"]["requested"] < cost["requested"]


async def test_a_page_size_multiplies_the_cost_whether_literal_or_variable(api):
    query = "query ($n: Int) { partnerships(first: $n) { nodes { groups(first: %s) { nodes { name } } } } }"
    costs = {}
    for outer, inner in [(1, "1"), (10, "1"), (10, "10"), (None, "10")]:
        body = await api.gql(query % inner, {"n": outer})
        costs[(outer, inner)] = body["extensions"]["cost"]["requested"]
    assert costs[(10, "1")] > costs[(1, "1")]
    assert costs[(10, "10")] > costs[(10, "1")]
    # no `first`: the default page size, the largest there is
    assert costs[(None, "10")] > costs[(10, "10")]


async def test_the_cost_limit_is_a_setting(apps_on):
    strict = await apps_on(max_query_cost=50)
    body = (await strict.post(PAGE, {"code": "merton"})).json()
    assert body["errors"][0]["extensions"]["code"] == "COST_LIMIT_EXCEEDED"
    assert body["errors"][0]["extensions"]["limit"] == 50
    assert not (await strict.post('{ partnership(code: "merton") { name } }')).json().get("errors")


# -- the answer's size, the time a request may take -------------------------------------------------


async def test_an_answer_over_the_response_cap_is_refused_with_its_size(apps_on):
    capped = await apps_on(max_response_bytes=10_000)
    response = await capped.post(PAGE, {"code": "merton"})
    assert response.status_code == 200 and len(response.content) < 2_000
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "RESPONSE_TOO_LARGE"
    assert error["extensions"]["limit"] == 10_000 and error["extensions"]["bytes"] > 10_000
    assert response.json()["data"] is None
    assert not (await capped.post('{ partnership(code: "merton") { name } }')).json().get("errors")


async def test_a_request_over_the_time_limit_is_stopped_with_a_typed_error(apps_on):
    hurried = await apps_on(request_time_limit_s=0.001, response_cache=False)
    response = await hurried.post("{ compare { rows { title cells { summary } } } }")
    assert response.status_code == 504, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "TIMEOUT"
    assert "0.001" in error["message"]


async def test_a_slow_request_body_times_out(apps_on):
    patient = await apps_on(body_timeout_s=0.3)

    async def trickle():
        yield b'{"query": "{ partnerships '
        await asyncio.sleep(3)
        yield b'{ totalCount } }"}'

    started = time.monotonic()
    response = await patient.client.post("/graphql", content=trickle(), headers={"content-type": "application/json"})
    assert time.monotonic() - started < 2
    assert response.status_code == 408
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TIMEOUT"


async def test_the_depth_limit_is_the_number_of_levels(api):
    def levels(n: int) -> str:
        inner = "name"
        for _ in range(n - 3):
            inner = f"accountableTo {{ {inner} }}"
        return f'{{ partnership(code: "merton") {{ group(code: "mscp") {{ {inner} }} }} }}'

    limit = api.app.state.partnerships.settings.max_query_depth
    assert not (await api.post(levels(limit))).json().get("errors")
    body = (await api.post(levels(limit + 1))).json()
    assert body["data"] is None and "depth" in body["errors"][0]["message"]


# -- rate limits ----------------------------------------------------------------------------------


async def test_each_client_has_its_own_rate_limit_with_ratelimit_headers(apps_on):
    limited = await apps_on(rate_limit="3/minute")
    address = fresh_address()
    async with client_at(limited.app, address) as client:
        for remaining in (2, 1, 0):
            response = await client.post("/graphql", json={"query": "{ partnerships { totalCount } }"})
            assert response.status_code == 200
            assert response.headers["ratelimit-limit"] == "3"
            assert response.headers["ratelimit-remaining"] == str(remaining)
            assert 0 < int(response.headers["ratelimit-reset"]) <= 60
        response = await client.post("/graphql", json={"query": "{ partnerships { totalCount } }"})
        assert response.status_code == 429
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "RATE_LIMITED" and "3 per 1 minute" in error["message"]
        assert 0 < int(response.headers["retry-after"]) <= 60
        assert response.headers["ratelimit-remaining"] == "0"
        # a token is a client of its own, wherever it connects from
        token = await limited.token("merton", Role.MEMBER, lifetime_days=1)
        response = await client.post("/graphql", json={"query": "{ partnerships { totalCount } }"},
                                     headers={"authorization": f"Bearer {token}"})
        assert response.status_code == 200 and response.headers["ratelimit-remaining"] == "2"
    # and so is another address
    async with client_at(limited.app, fresh_address()) as other:
        assert (await other.post("/graphql", json={"query": "{ partnerships { totalCount } }"})).status_code == 200


async def test_the_export_routes_count_against_the_same_rate_limit(apps_on):
    """A chart is drawn by Graphviz and a CSV built from a whole snapshot: each export is a
    request like a GraphQL one, counted against the client's one limit, with the same
    headers and the same 429 — a token-guessing request included."""
    limited = await apps_on(rate_limit="3/minute")
    async with client_at(limited.app, fresh_address()) as client:
        assert (await client.post("/graphql", json={"query": "{ partnerships { totalCount } }"})).status_code == 200
        for path, remaining in (("/partnerships/merton/structure.svg", "1"), ("/partnerships/merton/seats.csv", "0")):
            response = await client.get(path)
            assert response.status_code == 200, path
            assert response.headers["ratelimit-limit"] == "3" and response.headers["ratelimit-remaining"] == remaining
        for path in ("/partnerships/merton/popolo.json", "/partnerships/merton/rulebook.md",
                     "/partnerships/nowhere/seats.csv", "/", "/schema.graphql"):
            response = await client.get(path)
            assert response.status_code == 429, path
            assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
            assert 0 < int(response.headers["retry-after"]) <= 60
    async with client_at(limited.app, fresh_address()) as guesser:
        for _ in range(3):
            response = await guesser.get("/partnerships/merton/seats.csv", headers={"authorization": "Bearer pg_nope_x"})
            assert response.status_code == 401
        response = await guesser.get("/partnerships/merton/seats.csv", headers={"authorization": "Bearer pg_nope_x"})
        assert response.status_code == 429


async def test_rate_limits_hold_across_workers_through_redis(apps_on):
    redis = "redis://127.0.0.1:6379/0"
    first = await apps_on(rate_limit="3/minute", rate_limit_storage_url=redis)
    second = await apps_on(rate_limit="3/minute", rate_limit_storage_url=redis)
    address = fresh_address()
    async with client_at(first.app, address) as one, client_at(second.app, address) as two:
        statuses = [(await c.post("/graphql", json={"query": "{ partnerships { totalCount } }"})).status_code
                    for c in (one, two, one, two)]
    assert statuses == [200, 200, 200, 429]


async def test_the_default_rate_limit_is_documented_and_counts_every_request(api):
    from pathlib import Path

    default = api.app.state.partnerships.settings.rate_limit
    assert default and f"`{default}`" in (Path(__file__).parents[1] / "docs" / "limits.md").read_text()
    response = await api.post("{ partnerships { totalCount } }")
    assert int(response.headers["ratelimit-limit"]) > 0


# -- the response cache: one entry, one client -----------------------------------------------------


async def test_one_client_cannot_evict_everyone_elses_cached_answers(apps_on):
    small = await apps_on(response_cache_entries=20)
    async with client_at(small.app, fresh_address()) as owner, client_at(small.app, fresh_address()) as flood:
        page = {"query": PAGE, "variables": {"code": "merton"}}
        assert (await owner.post("/graphql", json=page)).headers["x-cache"] == "miss"
        assert (await owner.post("/graphql", json=page)).headers["x-cache"] == "hit"
        for i in range(60):
            response = await flood.post("/graphql", json={"query": f"{{ partnerships(first: {i % 90 + 1}) {{ totalCount }} a{i}: __typename }}"})
            assert response.status_code == 200
        assert (await owner.post("/graphql", json=page)).headers["x-cache"] == "hit"


async def test_an_answer_over_the_entry_bound_is_served_but_not_cached(apps_on):
    bounded = await apps_on(response_cache_entry_kb=10)
    page = {"query": PAGE, "variables": {"code": "merton"}}
    for _ in range(2):
        response = await bounded.client.post("/graphql", json=page)
        assert response.status_code == 200 and len(response.content) > 10 * 1024
        assert response.headers["x-cache"] == "miss"
    small = {"query": '{ partnership(code: "merton") { name } }'}
    await bounded.client.post("/graphql", json=small)
    assert (await bounded.client.post("/graphql", json=small)).headers["x-cache"] == "hit"
