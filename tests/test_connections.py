"""Every connection is Relay-complete: `edges { cursor node }`, `pageInfo`, and paging both ways
(`first`/`after`, `last`/`before`), so relay-compiler's `@connection` and
`usePaginationFragment` work on each (issue 19)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from graphql import GraphQLNonNull, GraphQLObjectType, build_schema, get_named_type

from core.enums import Role
from core.services import webhooks as wh
from tests.test_integrations import add_seat, deactivate, register

SDL = Path(__file__).resolve().parents[1] / "schema" / "schema.graphql"


@pytest.fixture(autouse=True)
def local_receivers(monkeypatch):
    """The webhook endpoint here points at 127.0.0.1 (see tests/test_integrations.py)."""
    monkeypatch.setenv("PARTNERSHIPS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "true")
    wh.get_integration_settings.cache_clear()
    yield
    wh.get_integration_settings.cache_clear()


def _connections():
    schema = build_schema(SDL.read_text(encoding="utf-8"))
    for type_name, named in schema.type_map.items():
        if not isinstance(named, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in named.fields.items():
            target = get_named_type(field.type)
            if target.name.endswith("Connection"):
                yield f"{type_name}.{field_name}", field, target


def test_every_connection_has_edges_page_info_and_pages_both_ways():
    problems = []
    for where, field, connection in _connections():
        fields = connection.fields
        edge = get_named_type(fields["edges"].type) if "edges" in fields else None
        if edge is None or not {"cursor", "node"} <= set(edge.fields):
            problems.append(f"{connection.name} has no `edges {{ cursor node }}`")
        elif not isinstance(edge.fields["cursor"].type, GraphQLNonNull):
            problems.append(f"{edge.name}.cursor may be null")
        page_info = get_named_type(fields["pageInfo"].type) if "pageInfo" in fields else None
        if page_info is None or not {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"} <= set(page_info.fields):
            problems.append(f"{connection.name} has no complete `pageInfo`")
        missing = {"first", "after", "last", "before"} - set(field.args)
        if missing:
            problems.append(f"{where} cannot page with {', '.join(sorted(missing))}")
    assert not problems, "\n".join(sorted(set(problems)))


SEATS = """query ($first: Int, $after: String, $last: Int, $before: String) {
  partnership(code: "merton") { seats(first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } } }"""


async def _walk(api, query, path, *, forward: bool, size: int, variables=None, token=None):
    """Every node, walking a connection page by page (forward with first/after, backward
    with last/before), in the list's order."""
    seen, cursor = [], None
    for _ in range(500):
        args = {"first": size, "after": cursor} if forward else {"last": size, "before": cursor}
        body = await api.gql(query, {**(variables or {}), **args}, token=token)
        page = body["data"]
        for key in path:
            page = page[key]
        ids = [e["node"]["id"] for e in page["edges"]]
        assert len(ids) <= size
        info = page["pageInfo"]
        if ids:
            assert info["startCursor"] == page["edges"][0]["cursor"] and info["endCursor"] == page["edges"][-1]["cursor"]
        if forward:
            seen += ids
            cursor = info["endCursor"]
            more = info["hasNextPage"]
        else:
            seen = ids + seen
            cursor = info["startCursor"]
            more = info["hasPreviousPage"]
        if not more:
            return seen
    raise AssertionError("did not reach the end")


async def test_a_list_pages_backward_exactly_as_it_pages_forward(api):
    everything = (await api.gql(SEATS, {"first": 100}))["data"]["partnership"]["seats"]
    all_ids = [e["node"]["id"] for e in everything["edges"]]
    assert everything["totalCount"] == len(all_ids) > 20
    forward = await _walk(api, SEATS, ["partnership", "seats"], forward=True, size=7)
    backward = await _walk(api, SEATS, ["partnership", "seats"], forward=False, size=7)
    assert forward == backward == all_ids
    last = (await api.gql(SEATS, {"last": 3}))["data"]["partnership"]["seats"]
    assert [e["node"]["id"] for e in last["edges"]] == all_ids[-3:]
    assert last["pageInfo"]["hasPreviousPage"] and not last["pageInfo"]["hasNextPage"]


@pytest.mark.parametrize("last", [101, -1])
async def test_last_has_the_page_size_limit_of_first(api, last):
    body = await api.gql(SEATS, {"last": last}, errors_ok=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and "`last`" in body["errors"][0]["message"]
    literal = await api.gql('{ partnership(code: "merton") { seats(last: 101) { totalCount } } }', errors_ok=True)
    error = literal["errors"][0]
    assert "data" not in literal or literal["data"] is None  # refused at validation: nothing ran
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "page-size limit" in error["message"]


EVENTS = """query ($first: Int, $after: String, $last: Int, $before: String) {
  events(partnership: "sefton", first: $first, after: $after, last: $last, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id cursor } } } }"""


async def test_the_event_feed_pages_backward_from_its_newest_event(api):
    for _ in range(4):
        await add_seat(api, "sefton")
    forward = await _walk(api, EVENTS, ["events"], forward=True, size=5)
    backward = await _walk(api, EVENTS, ["events"], forward=False, size=5)
    assert backward == forward and len(forward) >= 4
    newest = (await api.gql(EVENTS, {"last": 2}))["data"]["events"]
    assert [e["node"]["id"] for e in newest["edges"]] == forward[-2:]
    assert newest["pageInfo"]["endCursor"] == await latest_cursor_of(api, "sefton")


async def latest_cursor_of(api, code: str) -> str:
    body = await api.gql('query ($c: String) { events(partnership: $c, last: 1) { edges { cursor } } }', {"c": code})
    return body["data"]["events"]["edges"][0]["cursor"]


DELIVERIES = """query ($endpoint: ID, $first: Int, $after: String, $last: Int, $before: String) {
  webhookDeliveries(partnership: "lewisham", endpointId: $endpoint, first: $first, after: $after, last: $last,
                    before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id eventCursor } } } }"""


async def test_webhook_deliveries_have_edges_and_page_both_ways(api):
    endpoint = await register(api, "lewisham", "http://127.0.0.1:9/hooks", f"whsec-{uuid.uuid4().hex}", ["SEAT_ADDED"])
    try:
        for _ in range(5):
            await add_seat(api, "lewisham")
        token = await api.token("lewisham", Role.ADMINISTRATOR)
        forward = await _walk(api, DELIVERIES, ["webhookDeliveries"], forward=True, size=2,
                              variables={"endpoint": endpoint}, token=token)
        backward = await _walk(api, DELIVERIES, ["webhookDeliveries"], forward=False, size=2,
                               variables={"endpoint": endpoint}, token=token)
        assert forward == backward and len(forward) == 5
    finally:
        await deactivate(api, "lewisham", endpoint)


AUDIT = """query ($first: Int, $after: String, $last: Int, $before: String) {
  auditEvents(partnership: "sandwell", first: $first, after: $after, last: $last, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }"""


async def test_the_audit_trail_pages_both_ways(api):
    await add_seat(api, "sandwell")
    token = await api.token("sandwell", Role.ADMINISTRATOR)
    forward = await _walk(api, AUDIT, ["auditEvents"], forward=True, size=2, token=token)
    backward = await _walk(api, AUDIT, ["auditEvents"], forward=False, size=2, token=token)
    assert forward == backward and len(forward) > 2
