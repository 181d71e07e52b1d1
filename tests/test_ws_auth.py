"""Operations over a WebSocket (`graphql-transport-ws`): each one is authorised as of the
moment it is sent, reads what is committed by then, and is held to the same limits as an
HTTP request (body size, NUL guard, rate limit), with caps on subscriptions per connection
and per client."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import uuid

import pytest
from sqlalchemy import select, update
from websockets.asyncio.client import connect

from core.config import Settings
from core.db import session_factory
from core.enums import Role
from core.models import ApiToken, AuditEvent
from core.services.identity import revoke_token
from tests.test_integrations import ADD_SEAT, LocalServer, group_id

EVENTS = "subscription { events { cursor } }"


@contextlib.asynccontextmanager
async def served(api, registry, **settings):
    from schema.app import create_app

    app = create_app(Settings(database_url=api.url, **settings), registry=registry)
    server = await LocalServer(app).start()
    try:
        yield server
    finally:
        await server.stop()
        await app.state.partnerships.engine.dispose()


class Socket:
    """A graphql-transport-ws connection that runs operations one message at a time."""

    def __init__(self, server: LocalServer, token: str | None = None):
        self.uri = f"ws://127.0.0.1:{server.port}/graphql"
        self.token = token
        self.ws = None
        self.ids = 0

    async def __aenter__(self) -> Socket:
        self.ws = await connect(self.uri, subprotocols=["graphql-transport-ws"], proxy=None)
        payload = {"authorization": f"Bearer {self.token}"} if self.token else {}
        await self.ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def subscribe(self, query: str, variables: dict | None = None, *, raw: str | None = None) -> str:
        self.ids += 1
        op = str(self.ids)
        message = raw or json.dumps({"id": op, "type": "subscribe",
                                     "payload": {"query": query, "variables": variables or {}}})
        await self.ws.send(message.replace('"id": "?"', f'"id": "{op}"'))
        return op

    async def run(self, query: str, variables: dict | None = None, *, raw: str | None = None) -> dict:
        """Send one operation; its `next` payload, or `{"errors": …}` for an `error` message."""
        op = await self.subscribe(query, variables, raw=raw)
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
            if message.get("id") != op:
                continue
            if message["type"] == "next":
                return message["payload"]
            if message["type"] == "error":
                return {"errors": message["payload"]}
            raise AssertionError(message)

    async def refusals(self) -> list[dict]:
        """The `error` messages that arrive before the answer to a ping."""
        await self.ws.send(json.dumps({"type": "ping"}))
        errors = []
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
            if message["type"] == "pong":
                return errors
            if message["type"] == "error":
                errors.append(message)


def code_of(payload: dict) -> str | None:
    errors = payload.get("errors") or []
    return errors[0].get("extensions", {}).get("code") if errors else None


async def token_row(api, secret: str) -> int:
    async with session_factory(api.app.state.partnerships.engine)() as session:
        return await session.scalar(select(ApiToken.id).where(ApiToken.prefix == secret.split("_")[1]))


@pytest.mark.parametrize("lapse", ["revoked", "expired"])
async def test_a_lapsed_token_stops_queries_and_mutations_on_an_open_socket(api, registry, lapse):
    secret = await api.token("merton", Role.BUSINESS_UNIT, lifetime_days=1)  # its own token, lapsed below
    token_id = await token_row(api, secret)
    group = await group_id(api, "merton")
    seat = f"ws-{uuid.uuid4().hex[:8]}"
    async with served(api, registry) as server, Socket(server, secret) as socket:
        assert not (await socket.run("{ partnerships { totalCount } }")).get("errors")
        async with session_factory(api.app.state.partnerships.engine)() as session, session.begin():
            if lapse == "revoked":
                assert await revoke_token(session, token_id, actor="test")
            else:
                await session.execute(update(ApiToken).where(ApiToken.id == token_id).values(
                    expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
        query = await socket.run("{ partnerships { totalCount } }")
        assert code_of(query) == "UNAUTHENTICATED" and lapse in query["errors"][0]["message"], query
        mutation = await socket.run(ADD_SEAT, {"input": {"groupId": group, "code": seat, "role": "CO_OPTED",
                                                         "post": "After the token lapsed"}})
        assert code_of(mutation) == "UNAUTHENTICATED", mutation
    async with session_factory(api.app.state.partnerships.engine)() as session:
        written = await session.scalar(select(AuditEvent.id).where(AuditEvent.actor.like(f"token:{token_id} %"),
                                                                   AuditEvent.action != "token.revoke"))
    assert written is None
    body = await api.gql("query ($g: ID!) { node(id: $g) { ... on Group { seats { nodes { code } } } } }", {"g": group})
    assert seat not in json.dumps(body)


async def test_a_query_on_a_long_lived_socket_sees_later_writes(api, registry):
    from tests.test_integrations import add_seat

    query = '{ partnership(code: "sefton") { seats { totalCount } } }'
    async with served(api, registry) as server, Socket(server) as socket:
        before = (await socket.run(query))["data"]["partnership"]["seats"]["totalCount"]
        await add_seat(api, "sefton")
        after = (await socket.run(query))["data"]["partnership"]["seats"]["totalCount"]
    assert after == before + 1


async def test_websocket_operations_get_the_body_limit_and_the_nul_guard(api, registry):
    async with served(api, registry) as server, Socket(server) as socket:
        padding = " " * (api.app.state.partnerships.settings.max_body_bytes + 1)
        assert code_of(await socket.run("{ partnerships { totalCount } }" + padding)) == "PAYLOAD_TOO_LARGE"
        nul = await socket.run("query ($c: String!) { partnership(code: $c) { name } }", {"c": "mer\u0000ton"})
        assert code_of(nul) == "BAD_USER_INPUT", nul
        surrogate = ('{"id": "?", "type": "subscribe", "payload": {"query": '
                     '"query ($c: String!) { partnership(code: $c) { name } }", "variables": {"c": "\\ud800"}}}')
        assert code_of(await socket.run("", raw=surrogate)) == "BAD_USER_INPUT"
        assert code_of(await socket.run('{ partnership(code: "\\u{0}") { name } }')) == "BAD_USER_INPUT"
        # the connection is still usable
        assert not (await socket.run("{ partnerships { totalCount } }")).get("errors")


async def test_subscriptions_are_capped_per_connection_and_per_client(api, registry):
    async with served(api, registry, max_subscriptions_per_connection=3, max_subscriptions_per_client=5) as server:
        async with Socket(server) as first, Socket(server) as second:
            for _ in range(4):
                await first.subscribe(EVENTS)
            refused = await first.refusals()
            assert len(refused) == 1 and refused[0]["payload"][0]["extensions"]["code"] == "SUBSCRIPTION_LIMIT", refused
            assert "3" in refused[0]["payload"][0]["message"]
            for _ in range(3):
                await second.subscribe(EVENTS)
            refused = await second.refusals()
            assert len(refused) == 1 and refused[0]["payload"][0]["extensions"]["code"] == "SUBSCRIPTION_LIMIT", refused
            assert "5" in refused[0]["payload"][0]["message"]
        # closing the connections gives the client its allowance back
        await asyncio.sleep(0.2)
        async with Socket(server) as third:
            for _ in range(3):
                await third.subscribe(EVENTS)
            assert await third.refusals() == []


async def test_websocket_operations_count_against_the_clients_rate_limit(api, registry):
    async with served(api, registry, rate_limit="2/minute") as server, Socket(server) as socket:
        assert not (await socket.run("{ partnerships { totalCount } }")).get("errors")
        assert not (await socket.run("{ partnerships { totalCount } }")).get("errors")
        assert code_of(await socket.run("{ partnerships { totalCount } }")) == "RATE_LIMITED"


async def test_websocket_queries_get_the_time_limit_and_subscriptions_do_not(api, registry):
    async with served(api, registry, request_time_limit_s=0.001, response_cache=False) as server, \
            Socket(server) as socket:
        slow = await socket.run("{ compare { rows { title cells { summary } } } }")
        assert code_of(slow) == "TIMEOUT", slow
        subscription = await socket.subscribe(EVENTS)
        await asyncio.sleep(0.3)  # a subscription outlives the limit: nothing ends it
        await socket.ws.send(json.dumps({"type": "ping"}))
        while (message := json.loads(await asyncio.wait_for(socket.ws.recv(), 10)))["type"] != "pong":
            if message.get("id") == subscription:
                assert message["type"] == "next" and not message["payload"].get("errors"), message


async def test_the_request_limits_hold_over_a_websocket_too(api, registry):
    """The token, depth, alias and page-size limits are set as each operation is parsed
    (schema.root.RequestLimits), over a WebSocket as over HTTP. A document over the token
    limit does not parse: strawberry closes the socket with 4400 and the reason (it used to
    be completed with no word of why)."""
    from websockets.exceptions import ConnectionClosedError

    deep = "{ partnerships { nodes { " + "groups { nodes { partnership { " * 6 + "code" + " } } }" * 6 + " } } }"
    many = "{ " + " ".join(f"a{i}: partnerships {{ totalCount }}" for i in range(60)) + " }"
    async with served(api, registry, max_query_tokens=400, max_aliases=30) as server:
        with pytest.raises(ConnectionClosedError) as closed:
            async with Socket(server) as socket:
                await socket.run("{ " + " ".join("partnerships { totalCount }" for _ in range(150)) + " }")
        assert closed.value.rcvd.code == 4400 and "400 tokens" in closed.value.rcvd.reason
        async with Socket(server) as socket:
            for query, code in ((deep, "GRAPHQL_VALIDATION_FAILED"), (many, "GRAPHQL_VALIDATION_FAILED"),
                                ("{ partnerships(first: 1000) { totalCount } }", "BAD_USER_INPUT")):
                refused = await socket.run(query)
                assert refused.get("errors") and not refused.get("data"), (query, refused)
                assert code_of(refused) == code, (query, refused)
            answer = await socket.run("{ partnerships(first: 2) { totalCount } }")
            assert answer["data"]["partnerships"]["totalCount"] >= 4
