"""Issue 9: statement counts stay constant as the number of partnerships grows.

A synthetic dataset (bench/dataset.py, the benchmark's own generator, made small) is loaded
into a fresh database of each backend through the project's services; the nested page of 2
and of 20 partnerships, and `compare` over 1 and over every partnership, must cost the same
number of SQL statements.
"""

from __future__ import annotations

import pytest

from bench.dataset import Shape, load_dataset, write_dataset
from bench.synthetic import registry_for
from tests.conftest import make_api
from tests.test_statement_counts import NESTED

PARTNERSHIPS = 20
#: Small partnerships: the counts must not depend on size, so the test need not be big.
SHAPE = Shape(agencies=8, groups=5, seats_per_group=4, contributions=2, meetings=2, decisions=1, reviews=1)

COMPARE = """
query ($codes: [String!]) {
  compare(codes: $codes) {
    financialYear
    rows { aspect cells { value summary sources { section } partnership { code } } }
  }
}"""


@pytest.fixture
async def synthetic(empty_db, tmp_path):
    paths = write_dataset(tmp_path / "data", PARTNERSHIPS, seed=7, shape=SHAPE)
    registry = registry_for(paths)
    summary = await load_dataset(empty_db, registry, seed=7, shape=SHAPE)
    assert summary.partnerships == PARTNERSHIPS
    backend = "sqlite" if empty_db.startswith("sqlite") else "postgresql"
    api = await make_api(backend, empty_db, registry, response_cache=False)
    try:
        yield api, registry.codes()
    finally:
        await api.client.aclose()
        await api.app.state.partnerships.engine.dispose()


async def _count(api, query: str, variables: dict) -> tuple[int, dict]:
    await api.gql(query, variables)  # warm: parser and validation caches
    with api.count_statements() as counter:
        body = await api.gql(query, variables)
    return counter.count, body


async def test_nested_page_of_2_and_of_20_partnerships_costs_the_same_statements(synthetic):
    api, _ = synthetic
    two, small = await _count(api, NESTED, {"codes": 2})
    twenty, big = await _count(api, NESTED, {"codes": PARTNERSHIPS})
    seats = [sum(g["seats"]["totalCount"] for p in body["data"]["partnerships"]["nodes"] for g in p["groups"]["nodes"])
             for body in (small, big)]
    assert len(big["data"]["partnerships"]["nodes"]) == PARTNERSHIPS
    assert seats[1] > 5 * seats[0]  # the result really is ten times bigger …
    assert two == twenty  # … and the statements are not more
    assert twenty <= 15


async def test_compare_over_one_and_over_every_partnership_costs_the_same_statements(synthetic):
    api, codes = synthetic
    one, single = await _count(api, COMPARE, {"codes": codes[:1]})
    every, full = await _count(api, COMPARE, {"codes": None})
    assert {len(r["cells"]) for r in single["data"]["compare"]["rows"]} == {1}
    assert {len(r["cells"]) for r in full["data"]["compare"]["rows"]} == {PARTNERSHIPS}
    assert one == every


async def test_concurrent_cache_version_reads_share_a_statement_started_after_them(api):
    """The response cache's version read: concurrent requests share one statement, and a
    read never gets a version from a statement that began before it was asked for."""
    import asyncio

    from core.models import AuditEvent

    cache = api.app.state.partnerships.cache
    before = await cache.version()
    with api.count_statements() as counter:
        versions = await asyncio.gather(*(cache.version() for _ in range(20)))
    assert set(versions) == {before}
    assert counter.count <= 2  # twenty reads, one or two statements

    first = asyncio.ensure_future(cache.version())  # its statement starts on the next loop turn
    await asyncio.sleep(0)
    async with api.app.state.partnerships.sessions() as session, session.begin():  # a write lands meanwhile
        session.add(AuditEvent(actor="test", action="perf.probe", entity_type="Probe", entity_id="0"))
    after = await cache.version()  # asked after the write committed: must see it
    assert after > before
    assert await first >= before


async def test_a_request_frees_the_rows_it_loaded_when_it_ends(synthetic):
    """Peak memory (issue 9): what a request loaded is freed by reference counting as soon
    as its answer is sent, not left for the cyclic collector, which with the server's
    thresholds runs a full pass only every few dozen requests (a full ``compare`` of 150
    partnerships left ~14 MB each time before this was so)."""
    import gc

    from schema.structure import types as structure

    api, codes = synthetic
    loaded = (structure.Seat, structure.Agency, structure.Group)
    await api.gql(COMPARE, {"codes": None})
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # unreachable objects are kept in gc.garbage for inspection
    try:
        page = await api.gql(NESTED, {"codes": PARTNERSHIPS})
        full = await api.gql(COMPARE, {"codes": None})
        gc.collect()
        stranded = [o for o in gc.garbage if isinstance(o, loaded)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert page["data"]["partnerships"]["nodes"] and full["data"]["compare"]["rows"]
    assert stranded == []
