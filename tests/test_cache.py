"""The response cache: repeated reads don't re-execute, and no read is ever stale or
crosses a visibility scope — across several workers."""

from __future__ import annotations

from core.enums import Role
from tests.conftest import make_api

SEATS = 'query Seats { partnership(code: "sefton") { group(code: "forum") { seats(first: 100) { totalCount nodes { code } } } } }'
ADD = """mutation ($input: AddSeatInput!) { addSeat(input: $input) { __typename } }"""


async def forum_id(api) -> str:
    body = await api.gql('{ partnership(code: "sefton") { group(code: "forum") { id } } }')
    return body["data"]["partnership"]["group"]["id"]


async def test_a_repeated_read_is_served_from_the_cache_with_one_statement(api):
    first = await api.post(SEATS)
    with api.count_statements() as counter:
        second = await api.post(SEATS)
    assert second.headers["X-Cache"] == "hit"
    assert second.json() == first.json()
    assert counter.count == 1  # the data version, nothing else


async def test_no_stale_reads_across_two_workers(api, registry):
    """Worker B caches an answer; a write through worker A is visible to B's next read."""
    other = await make_api(api.backend, api.url, registry)
    try:
        gid = await forum_id(api)
        token = await api.token("sefton", Role.BUSINESS_UNIT)
        for i in range(5):
            before = (await other.post(SEATS)).json()["data"]["partnership"]["group"]["seats"]["totalCount"]
            assert (await other.post(SEATS)).headers["X-Cache"] == "hit"
            code = f"forum-cache-{api.backend}-{i}"
            result = await api.gql(ADD, {"input": {"groupId": gid, "code": code, "role": "CO_OPTED", "post": "Observer"}},
                                   token=token)
            assert result["data"]["addSeat"]["__typename"] == "SeatPayload"
            after = (await other.post(SEATS)).json()["data"]["partnership"]["group"]["seats"]
            assert after["totalCount"] == before + 1
            assert code in [s["code"] for s in after["nodes"]]
    finally:
        await other.client.aclose()
        await other.app.state.partnerships.engine.dispose()


PAGE = """query Page($code: String!) {
  partnership(code: $code) { code seats(first: 100) { totalCount nodes { code } } }
}"""
LISTING = "{ partnerships { totalCount nodes { code } } }"


async def test_a_write_invalidates_the_partnership_it_changes_and_the_queries_over_all(api):
    """Versions per partnership: a seat added in Merton leaves Sefton's cached pages valid,
    while Merton's page and any query over every partnership are read afresh."""
    token = await api.token("merton", Role.BUSINESS_UNIT)  # issuing it is itself a write
    body = await api.gql('{ partnership(code: "merton") { group(code: "executive") { id } } }')
    executive = body["data"]["partnership"]["group"]["id"]
    before = {code: (await api.post(PAGE, {"code": code})).json() for code in ("merton", "sefton")}
    await api.post(SEATS)
    await api.post(LISTING)
    assert (await api.post(PAGE, {"code": "merton"})).headers["X-Cache"] == "hit"

    code = f"exec-cache-{api.backend}"
    result = await api.gql(ADD, {"input": {"groupId": executive, "code": code, "role": "CO_OPTED", "post": "Observer"}},
                           token=token)
    assert result["data"]["addSeat"]["__typename"] == "SeatPayload"

    sefton, seats = await api.post(PAGE, {"code": "sefton"}), await api.post(SEATS)
    assert sefton.headers["X-Cache"] == "hit" and seats.headers["X-Cache"] == "hit"
    assert sefton.json() == before["sefton"]
    merton = await api.post(PAGE, {"code": "merton"})
    assert merton.headers["X-Cache"] == "miss"
    after = merton.json()["data"]["partnership"]["seats"]
    assert after["totalCount"] == before["merton"]["data"]["partnership"]["seats"]["totalCount"] + 1
    assert (await api.post(LISTING)).headers["X-Cache"] == "miss"


async def test_only_queries_confined_to_one_partnership_get_its_version():
    """The analysis that decides which version a query is read against (a wrong "confined"
    would serve stale answers, so anything unusual is versioned by every write)."""
    from schema.cache import ResponseCache

    def confined(document: str, variables: dict | None = None) -> str | None:
        return ResponseCache.key(document, variables, None, "anonymous").partnership

    assert confined('{ partnership(code: "merton") { name } }') == "merton"
    assert confined('{ a: partnership(code: "merton") { name } __typename b: partnership(code: "merton") { code } }') \
        == "merton"
    assert confined(PAGE, {"code": "sefton"}) == "sefton"
    assert confined(PAGE, {"code": 7}) is None
    assert confined('{ a: partnership(code: "merton") { name } b: partnership(code: "sefton") { name } }') is None
    assert confined('{ partnership(code: "merton") { name } partnerships { totalCount } }') is None
    assert confined('{ partnership(code: "merton") @include(if: true) { name } }') is None
    assert confined('{ ...F } fragment F on Query { partnership(code: "merton") { name } }') is None
    assert confined("{ compare { financialYear } }") is None
    assert ResponseCache.key('mutation { __typename }', None, None, "anonymous") is None


async def test_no_cross_scope_hits(api):
    audit = '{ auditEvents(partnership: "sefton") { totalCount } }'
    admin = await api.gql(audit, as_role=(None, Role.ADMINISTRATOR))
    assert admin["data"]["auditEvents"]["totalCount"] > 0
    again = await api.post(audit, token=await api.token(None, Role.ADMINISTRATOR))
    assert again.headers["X-Cache"] == "hit"
    anonymous = await api.post(audit)
    assert anonymous.headers["X-Cache"] == "miss"
    assert anonymous.json()["data"]["auditEvents"]["totalCount"] == 0
    member = await api.post(audit, token=await api.token("sefton", Role.MEMBER))
    assert member.json()["data"]["auditEvents"]["totalCount"] == 0


async def test_get_queries_honour_etags(api):
    params = {"query": "{ partnerships { totalCount } }"}
    first = await api.client.get("/graphql", params=params, headers={"accept": "application/json"})
    assert first.status_code == 200 and first.headers["ETag"]
    second = await api.client.get("/graphql", params=params,
                                  headers={"accept": "application/json", "if-none-match": first.headers["ETag"]})
    assert second.status_code == 304 and second.content == b""


async def test_mutations_and_errors_are_never_cached(api):
    bad = '{ partnership(code: "nowhere") { name } }'
    assert "X-Cache" not in (await api.post(bad)).headers
    assert "X-Cache" not in (await api.post(bad)).headers


async def test_the_cache_can_be_switched_off(api, registry):
    off = await make_api(api.backend, api.url, registry, response_cache=False)
    try:
        response = await off.post(SEATS)
        assert response.status_code == 200 and "X-Cache" not in response.headers
    finally:
        await off.client.aclose()
        await off.app.state.partnerships.engine.dispose()


def test_the_cache_is_bounded_by_bytes_as_well_as_by_count():
    """Answers differ a thousandfold in size (a name vs a partnership's 115 KB page), so a
    count alone would not bound a worker's memory: the least recently used go first."""
    from schema.cache import Key, ResponseCache

    cache = ResponseCache(sessions=None, max_entries=100, max_bytes=1000)
    a, b, c, big = (Key(name, None) for name in ("a", "b", "c", "big"))
    cache.put(a, 1, b"x" * 400)
    cache.put(b, 1, b"y" * 400)
    assert cache.get(a, 1) is not None  # a is now the most recently used
    cache.put(c, 1, b"z" * 400)  # 1,200 bytes: b, the least recently used, goes
    assert cache.get(b, 1) is None and cache.get(a, 1) is not None and cache.get(c, 1) is not None
    assert cache.bytes == 800
    served = cache.put(big, 1, b"w" * 1001)  # larger than the whole cache: served, not kept
    assert served.body == b"w" * 1001 and cache.get(big, 1) is None and cache.bytes == 800
    cache.put(a, 2, b"v" * 100)  # a newer answer replaces the old one's bytes
    assert cache.bytes == 500 and cache.get(a, 2).body == b"v" * 100


async def test_while_requests_are_in_progress_hits_read_versions_on_one_connection(api):
    """The version reader keeps its connection while requests in progress have yet to ask
    for a version (under load, the next read is a moment away): checking one out for each
    read, with the pool's ping, cost a hit more than the version statement itself. Once no
    request is left to ask, the connection is back in the pool."""
    import asyncio
    import json

    from sqlalchemy import event

    engine = api.app.state.partnerships.engine.sync_engine
    release = asyncio.Event()

    async def slow_body():  # a request in progress whose body is still on its way
        await release.wait()
        yield json.dumps({"query": SEATS}).encode()

    checkouts = []

    def on_checkout(*_):
        checkouts.append(1)

    await api.post(SEATS)
    slow = asyncio.create_task(api.client.post("/graphql", content=slow_body(),
                                               headers={"content-type": "application/json"}))
    await asyncio.sleep(0.05)
    event.listen(engine, "checkout", on_checkout)
    try:
        outcomes = [(await api.post(SEATS)).headers["X-Cache"] for _ in range(20)]
    finally:
        event.remove(engine, "checkout", on_checkout)
    release.set()
    assert (await slow).headers["X-Cache"] == "hit"
    assert outcomes == ["hit"] * 20
    assert len(checkouts) <= 4, len(checkouts)  # one (20 when given back after each read); more if the machine stalls
    await asyncio.sleep(0.05)  # the reader's last step: giving the connection back
    assert engine.pool.checkedout() == 0
