"""The response cache's shared tier (Redis): a page one worker computed is a hit on every
other, a write through any of them invalidates all, and Redis being down fails nothing."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from bench.queries import PAGE as FULL_PAGE
from core.enums import Role
from tests.conftest import IN_CI, PG_SERVER, _pg_reachable
from tests.test_limits import client_at, fresh_address

REDIS = "redis://127.0.0.1:6379/0"
PAGE = """query Page($code: String!) {
  partnership(code: $code) { code name groups(first: 100) { totalCount nodes { code seats(first: 100) { totalCount } } } }
}"""
ADD = """mutation ($input: AddSeatInput!) { addSeat(input: $input) { __typename } }"""


@pytest.fixture
def workers(apps_on):
    """Apps on the same database (like the workers of one server, or several hosts), each
    with its own in-process tier; those made in one test share one namespace of Redis."""
    namespace = uuid.uuid4().hex[:8]  # this test's entries only, whatever earlier runs left

    def make(**settings):
        return apps_on(**{"response_cache_url": REDIS, "response_cache_namespace": namespace, **settings})

    return make


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seats(response) -> int:
    return sum(g["seats"]["totalCount"] for g in response.json()["data"]["partnership"]["groups"]["nodes"])


async def test_a_page_cached_by_one_worker_is_a_hit_on_another(workers):
    one, two = await workers(), await workers()
    first = await one.post(PAGE, {"code": "lewisham"})
    assert first.headers["x-cache"] == "miss"
    with two.count_statements() as counter:
        other = await two.post(PAGE, {"code": "lewisham"})
    assert other.headers["x-cache"] == "hit"
    assert other.content == first.content and other.headers["etag"] == first.headers["etag"]
    assert counter.count == 1  # the version, nothing executed
    assert (await two.post(PAGE, {"code": "lewisham"})).headers["x-cache"] == "hit"  # now from its own tier


async def test_a_write_through_either_worker_invalidates_both(workers, api):
    one, two = await workers(), await workers()
    token = await api.token("lewisham", Role.BUSINESS_UNIT)
    body = await api.gql('{ partnership(code: "lewisham") { groups(first: 1) { nodes { id } } } }')
    group = body["data"]["partnership"]["groups"]["nodes"][0]["id"]
    for i, (writer, reader) in enumerate([(one, two), (two, one)]):
        before = await one.post(PAGE, {"code": "lewisham"})
        assert (await two.post(PAGE, {"code": "lewisham"})).headers["x-cache"] == "hit"
        code = f"shared-{api.backend}-{uuid.uuid4().hex[:6]}-{i}"
        result = await writer.gql(ADD, {"input": {"groupId": group, "code": code, "role": "CO_OPTED",
                                                  "post": "Observer"}}, token=token)
        assert result["data"]["addSeat"]["__typename"] == "SeatPayload"
        after = await reader.post(PAGE, {"code": "lewisham"})
        assert after.headers["x-cache"] == "miss" and seats(after) == seats(before) + 1
        # the reader put the new answer in the shared tier: the writer's own copy is old, the shared one is not
        again = await writer.post(PAGE, {"code": "lewisham"})
        assert again.headers["x-cache"] == "hit" and again.content == after.content


async def test_with_redis_down_answers_are_right_and_the_outage_is_logged_once(workers, api, caplog):
    down = await workers(response_cache_url=f"redis://127.0.0.1:{closed_port()}/0")
    expected = (await api.post(PAGE, {"code": "sefton"})).json()
    with caplog.at_level(logging.WARNING):
        responses = [await down.post(PAGE, {"code": "sefton"}) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert all(r.json() == expected for r in responses)
    assert [r.headers["x-cache"] for r in responses] == ["miss", "hit", "hit"]  # the worker's own tier still works
    assert sum("shared response cache unavailable" in r.getMessage() for r in caplog.records) == 1


async def test_an_answer_over_the_entry_bound_is_not_shared(workers):
    one, two = await workers(response_cache_entry_kb=1), await workers(response_cache_entry_kb=1)
    big = await one.post(FULL_PAGE, {"code": "merton"})
    assert big.status_code == 200 and len(big.content) > 1024
    assert (await two.post(FULL_PAGE, {"code": "merton"})).headers["x-cache"] == "miss"
    small = '{ partnership(code: "merton") { name } }'
    await one.post(small)
    assert (await two.post(small)).headers["x-cache"] == "hit"


async def test_one_client_holds_only_its_share_of_the_shared_tier(workers):
    """With 8 entries and a share of a quarter, a client's third answer pushes out its first:
    in the shared tier too, not only in its worker's."""
    one = await workers(response_cache_entries=8, response_cache_client_share=0.25)
    two = await workers(response_cache_entries=8, response_cache_client_share=0.25)
    queries = [f'{{ partnership(code: "sandwell") {{ name }} a{i}: __typename }}' for i in range(3)]
    async with client_at(one.app, fresh_address()) as flood:
        for query in queries:
            assert (await flood.post("/graphql", json={"query": query})).headers["x-cache"] == "miss"
    async with client_at(two.app, fresh_address()) as reader:
        outcomes = [(await reader.post("/graphql", json={"query": q})).headers["x-cache"] for q in queries]
    assert outcomes == ["miss", "hit", "hit"]


async def test_a_shared_entry_is_served_only_at_its_version():
    from schema.cache import SharedTier

    tier = SharedTier(REDIS, f"test:{uuid.uuid4().hex}", ttl_s=60, max_entries=10, max_bytes=10_000,
                      client_entries=10, client_bytes=10_000)
    await tier.put("d", 7, b'{"data":{}}', '"etag"', None)
    assert await tier.get("d", 7) == (b'{"data":{}}', '"etag"')
    assert await tier.get("d", 8) is None and await tier.get("other", 7) is None


async def test_across_the_workers_of_a_real_server_every_fresh_connection_hits():
    """`python -m bench.shared_tier`, shortened: `partnerships serve --workers 2` with the shared
    tier; once one connection has warmed a page, a new connection to any worker is a hit."""
    problem = await _pg_reachable()
    if problem:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required under CI and is not reachable at {PG_SERVER}: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_SERVER}: {problem}")
    done = subprocess.run(
        [sys.executable, "-m", "bench.shared_tier", "--partnerships", "2", "--duration", "0.6", "--warmup", "0.2",
         "--rounds", "1", "--concurrency", "2", "--workers", "2", "--no-single", "--redis", REDIS],
        cwd=Path(__file__).resolve().parent.parent, env={**os.environ, "PARTNERSHIPS_BENCH_PG": PG_SERVER},
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    hits, asked = map(int, re.search(r"then (\d+) of (\d+) fresh connections", done.stdout).groups())
    assert asked > 0 and hits == asked, done.stdout
    assert "| raw-SQL floor | " in done.stdout and "2 workers, shared tier |" in done.stdout


async def test_the_shared_tier_keeps_its_bounds_and_forgets_after_its_ttl():
    import asyncio

    from schema.cache import SharedTier

    tier = SharedTier(REDIS, f"test:{uuid.uuid4().hex}", ttl_s=1, max_entries=2, max_bytes=40, client_entries=2,
                      client_bytes=40)  # an entry is its body and 6 bytes of version and ETag here
    for digest in ("a", "b", "c"):
        await tier.put(digest, 1, b"0123456789", '"e"', None)
    assert await tier.get("a", 1) is None  # three entries over a bound of two: the first put goes
    assert await tier.get("b", 1) and await tier.get("c", 1)
    await tier.put("d", 1, b"0123456789" * 2, '"e"', None)  # 26 bytes: with c's 16, over 40
    assert await tier.get("b", 1) is None and await tier.get("c", 1) is None and await tier.get("d", 1)
    await asyncio.sleep(1.1)
    assert await tier.get("d", 1) is None
