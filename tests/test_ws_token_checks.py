"""A WebSocket operation's token is re-checked as it arrives: a burst of operations with one
token shares the checks (one statement at a time per token, not one each), each still as of
the moment its operation arrived; an operation that cannot start gets an `error` message with
a code, not a bare `complete`."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import event

from core.db import session_factory
from core.enums import Role
from core.services.identity import revoke_token
from schema import subscriptions
from tests.test_subscription_fanout import poll_interval, until  # noqa: F401 (autouse: fast polls here too)
from tests.test_ws_auth import EVENTS, Socket, served, token_row


def token_reads(engine) -> list[str]:
    """The statements that read API tokens, from now on."""
    seen: list[str] = []

    def on(_conn, _cursor, statement, *_args):
        if "FROM api_token" in statement:
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", on)
    return seen


async def next_message(socket: Socket, op: str) -> dict:
    while True:
        message = json.loads(await asyncio.wait_for(socket.ws.recv(), 10))
        if message.get("id") == op:
            return message


async def test_a_burst_of_subscriptions_with_one_token_shares_its_rechecks(api, registry):
    """60 subscriptions sent at once with one token: a handful of token reads, not 60; every
    one of them starts."""
    member = await api.token("merton", Role.MEMBER)
    async with served(api, registry, max_subscriptions_per_connection=50, max_subscriptions_per_client=100) as server, \
            Socket(server, member) as first, Socket(server, member) as second:
        reads = token_reads(server.app.state.partnerships.engine)
        for _ in range(30):
            await first.subscribe(EVENTS)
            await second.subscribe(EVENTS)
        await until(lambda: server.app.state.partnerships.feed_hub is not None
                    and server.app.state.partnerships.feed_hub.subscribers == 60)
        assert len(reads) <= 8, reads  # the re-checks, shared, and the poller's one read of the new token


async def test_a_shared_recheck_is_never_older_than_the_operation(api, registry, monkeypatch):
    """A check already reading when the token is revoked answers only the operations that
    arrived before it began: one sent after the revocation waits for a check of its own, and
    is refused."""
    member = await api.token("merton", Role.MEMBER, lifetime_days=1)  # its own token: revoked below
    real, held, release = subscriptions.recheck, asyncio.Event(), asyncio.Event()

    async def held_after_reading(session, principal):
        await real(session, principal)
        if not held.is_set():  # the first check has read a valid token; hold it there
            held.set()
            await release.wait()

    monkeypatch.setattr(subscriptions, "recheck", held_after_reading)
    async with served(api, registry) as server, Socket(server, member) as socket:
        before = await socket.subscribe(EVENTS)
        await asyncio.wait_for(held.wait(), 10)
        async with session_factory(api.app.state.partnerships.engine)() as session, session.begin():
            assert await revoke_token(session, await token_row(api, member), actor="test")
        after = await socket.subscribe(EVENTS)
        await asyncio.sleep(0.1)  # it waits for the check under way to end, then has its own
        release.set()
        refused = await next_message(socket, after)
        assert refused["type"] == "error", refused
        assert refused["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED", refused
        # the one that arrived first started, as of its arrival; the poller then ends it
        ended = await next_message(socket, before)
        assert ended["type"] == "next" and ended["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_subscription_that_cannot_start_gets_an_error_with_a_code(api, registry):
    """No free database connection to check the token: the subscription is answered with an
    `error` message (SERVICE_UNAVAILABLE, retry), not a `complete` that reads as success."""
    if api.url.startswith("sqlite"):
        pytest.skip("the pool's size and timeout are PostgreSQL's settings")
    member = await api.token("merton", Role.MEMBER)
    async with served(api, registry, pool_size=1, pool_timeout_s=0.2) as server, Socket(server, member) as socket:
        engine, held = server.app.state.partnerships.engine, []
        try:
            while True:  # take every pooled connection (the pool's size and its overflow)
                held.append(await engine.connect())
        except Exception:
            pass
        try:
            op = await socket.subscribe(EVENTS)
            message = await next_message(socket, op)
        finally:
            for conn in held:
                await conn.close()
        assert message["type"] == "error", message
        assert message["payload"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE", message
        assert not (await socket.run("{ partnerships { totalCount } }")).get("errors")  # the connection carries on
