"""The abuse corpus: hostile documents are rejected at validation, quickly, with bounded
memory — before any resolver or database work."""

from __future__ import annotations

import asyncio
import time
import tracemalloc

import pytest

from tests.conftest import make_api

FIELDS = "code name"


def deep(n: int) -> str:
    inner = "name"
    for _ in range(n):
        inner = f"subgroups {{ {inner} }}"
    return f'{{ partnership(code: "merton") {{ group(code: "mscp") {{ {inner} }} }} }}'


CORPUS = {
    "depth 50": deep(50),
    "1,000 aliases": "{ " + " ".join(f"a{i}: partnerships {{ totalCount }}" for i in range(1000)) + " }",
    "circular fragments": "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
    "amplifying fragments": (
        "query { partnerships { nodes { ...F1 } } } "
        + " ".join(f"fragment F{i} on Partnership {{ a{i}: groups {{ nodes {{ partnership {{ ...F{i + 1} }} }} }} }}"
                   for i in range(1, 30))
        + " fragment F30 on Partnership { code }"
    ),
    "20k tokens": "{ " + " ".join("partnerships { totalCount }" for _ in range(5000)) + " }",
    "first: 1000000000": "{ partnerships(first: 1000000000) { totalCount } }",
}


@pytest.mark.parametrize("name", list(CORPUS))
async def test_hostile_documents_are_rejected_quickly_with_bounded_memory(api, name):
    with api.count_statements() as counter:
        tracemalloc.start()
        started = time.perf_counter()
        response = await api.post(CORPUS[name])
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert response.status_code in (200, 400, 413)
    body = response.json() if response.status_code == 200 else {"errors": [{"message": response.text}]}
    assert body.get("data") is None and body["errors"], body
    assert elapsed < 2.0, f"{name}: {elapsed:.2f}s"
    assert peak < 64 * 1024 * 1024, f"{name}: {peak / 1e6:.0f} MB"
    assert counter.count <= 1  # at most the cache's version check: no resolver ran


async def test_a_batch_of_100_operations_is_refused(api):
    batch = [{"query": "{ partnerships { totalCount } }"} for _ in range(100)]
    response = await api.client.post("/graphql", json=batch)
    assert response.status_code == 400


@pytest.fixture
async def production(api, registry):
    prod = await make_api(api.backend, api.url, registry, production=True)
    yield prod
    await prod.client.aclose()
    await prod.app.state.partnerships.engine.dispose()


async def test_with_introspection_off_the_schema_and_field_suggestions_are_hidden(api, registry):
    closed = await make_api(api.backend, api.url, registry, production=True, introspection=False)
    try:
        body = (await closed.post("{ __schema { types { name } } }")).json()
        assert body.get("data") is None and "introspection" in body["errors"][0]["message"].lower()
        body = (await closed.post("{ partnerships { nodes { nam } } }")).json()
        message = body["errors"][0]["message"]
        assert "Cannot query field 'nam'" in message
        assert "Did you mean" not in message
    finally:
        await closed.client.aclose()
        await closed.app.state.partnerships.engine.dispose()


async def test_production_mode_masks_internal_errors_and_keeps_client_errors(production):
    body = (await production.post('{ partnership(code: "nowhere") { name } }')).json()
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_production_mode_serves_no_graphiql(production):
    response = await production.client.get("/graphql", headers={"accept": "text/html"})
    assert "graphiql" not in response.text.lower()


async def test_reads_batched_with_undecodable_input_do_not_fail(api):
    """A partnership code the driver cannot encode (a lone surrogate, a NUL) is refused on
    its own; the reads that share the response cache's version statement with it answer."""
    attacks = [
        b'{"query": "query ($c: String!) { partnership(code: $c) { name } }", "variables": {"c": "\\ud800"}}',
        b'{"query": "{ partnership(code: \\"a\\\\u{0}\\") { name } }"}',
    ]

    async def attacker(i: int):
        return await api.client.post("/graphql", content=attacks[i % 2], headers={"content-type": "application/json"})

    async def innocent(i: int):
        code = ["merton", "lewisham", "sefton", "sandwell"][i % 4]
        return await api.post("query ($c: String!) { partnership(code: $c) { name } }", {"c": code})

    for _ in range(3):
        results = await asyncio.gather(*[attacker(i) for i in range(20)], *[innocent(i) for i in range(40)])
        attacked, innocents = results[:20], results[20:]
        assert [r.status_code for r in innocents] == [200] * 40, [r.text[:200] for r in innocents if r.status_code != 200]
        assert all(not r.json().get("errors") for r in innocents)
        assert {r.status_code for r in attacked} == {400}


async def test_the_version_statement_ignores_codes_no_partnership_can_have(api):
    """Defence in depth behind the input guard: the shared statement only ever carries
    well-formed codes, and a failing statement is not every waiter's failure."""
    cache = api.app.state.partnerships.cache
    versions = await asyncio.gather(cache.version("merton"), cache.version("\ud800"), cache.version("a\x00"),
                                    cache.version("lewisham"))
    assert all(isinstance(v, int) for v in versions)


async def test_a_failing_shared_version_statement_fails_only_the_read_that_broke_it(api, monkeypatch):
    """Should a value the driver cannot encode reach the shared statement after all, only
    the read that brought it fails; the reads batched with it get their versions."""
    import re

    from schema import cache as cache_module

    monkeypatch.setattr(cache_module, "_CODE", re.compile(r".*", re.S), raising=False)  # no filter in front
    cache = api.app.state.partnerships.cache
    for _ in range(3):
        merton, bad, lewisham = await asyncio.gather(cache.version("merton"), cache.version("\ud800"),
                                                     cache.version("lewisham"), return_exceptions=True)
        assert isinstance(merton, int) and isinstance(lewisham, int), (merton, lewisham)
        assert isinstance(bad, Exception)
