"""Identical subscriptions share each event's execution, over the real WebSocket protocol.

Subscribers whose operations give an event the same result — the same document and
operation, the same values of the variables the result depends on (not ``after``: it only
chooses where the events start), and the same visibility scope — get one execution of their
selection per event; subscribers who may see different things never share one.
"""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace

from sqlalchemy import event

from core.enums import Role
from tests.test_subscription_fanout import INTERVAL, pk, poll_interval, rid, until, write  # noqa: F401 (autouse)
from tests.test_ws_auth import Socket, served

WITH_PARTNERSHIP = "subscription ($after: String) { events(after: $after) { entityId partnership { code } } }"
WITH_ACTOR = "subscription { events { entityId confidential actor } }"


class Listener:
    """A connection's `next` payloads, by operation id, read in the background."""

    def __init__(self, socket: Socket):
        self.socket = socket
        self.received: dict[str, list[dict]] = {}
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for raw in self.socket.ws:
            message = json.loads(raw)
            assert message["type"] == "next" and not message["payload"].get("errors"), message
            self.received.setdefault(message["id"], []).append(message["payload"]["data"]["events"])

    def of(self, entity: str) -> dict[str, dict]:
        """Each operation's delivery of the event about ``entity``."""
        return {op: e for op, events in self.received.items() for e in events if e["entityId"] == rid(entity)}

    async def stop(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


def partnership_reads(engine) -> list[str]:
    """Records the statements the `partnership` field's loader sends (the feed's poll joins
    the partnership table too; it is not one of them)."""
    seen: list[str] = []

    def on(_conn, _cursor, statement, *_args):
        if "FROM partnership" in statement and "audit_event" not in statement:
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", on)
    return seen


async def joined(server, n: int) -> None:
    """Wait until all `n` subscriptions are fed by the worker's poller."""
    await until(lambda: server.app.state.partnerships.feed_hub is not None
                and server.app.state.partnerships.feed_hub.subscribers == n)


async def write_and_wait(api, listeners: list[Listener], n: int, tag: str, partnership_id: int) -> None:
    """Write a public event about `tag`; wait until `n` subscriptions have it."""
    await write(api, ("risk.add", partnership_id, tag, False))
    await until(lambda: sum(len(listener.of(tag)) for listener in listeners) == n)


async def test_identical_subscriptions_execute_each_event_once(api, registry):
    """40 subscriptions of one document by the public, over two connections, half of them
    replaying from a cursor (`after` chooses the events, not their result): each event's
    `partnership` is loaded once — one execution of the selection — not once a subscription
    (each operation's loaders would read it for the first event it executes). A Merton
    member's 10 subscriptions of the same document are a second execution."""
    merton = await pk(api, "merton")
    start = (await api.gql("{ latestEventCursor }"))["data"]["latestEventCursor"]
    member = await api.token("merton", Role.MEMBER)
    async with served(api, registry, max_subscriptions_per_connection=50) as server, \
            Socket(server) as first, Socket(server) as second, Socket(server, member) as third:
        for i in range(20):
            await first.subscribe(WITH_PARTNERSHIP, {"after": start} if i % 2 else {})
            await second.subscribe(WITH_PARTNERSHIP, {} if i % 2 else {"after": start})
        for _ in range(10):
            await third.subscribe(WITH_PARTNERSHIP)
        listeners = [Listener(s) for s in (first, second, third)]
        try:
            await joined(server, 50)
            reads = partnership_reads(server.app.state.partnerships.engine)
            await write_and_wait(api, listeners, 50, "sharing-once", merton)
            assert len(reads) == 2, reads  # the public's execution and the member's
            delivered = [e for listener in listeners for e in listener.of("sharing-once").values()]
            assert {e["partnership"]["code"] for e in delivered} == {"merton"}
        finally:
            for listener in listeners:
                await listener.stop()


async def test_subscribers_who_see_differently_never_share_a_result(api, registry):
    """The same document for the public and for a Merton member: the member gets a
    members-only event and, on a public one, who made it; the public gets neither — not
    even when the member's execution of that event came first."""
    merton = await pk(api, "merton")
    member = await api.token("merton", Role.MEMBER)
    async with served(api, registry) as server, Socket(server, member) as insider, Socket(server) as outsider:
        for _ in range(3):
            await insider.subscribe(WITH_ACTOR)
        for _ in range(3):
            await outsider.subscribe(WITH_ACTOR)
        listeners = [Listener(insider), Listener(outsider)]
        try:
            await joined(server, 6)
            await write(api, ("risk.add", merton, "scope-secret", True), ("risk.add", merton, "scope-public", False))
            await until(lambda: len(listeners[0].of("scope-public")) == 3 and len(listeners[1].of("scope-public")) == 3)
            await asyncio.sleep(3 * INTERVAL)
            inside, outside = listeners
            assert len(inside.of("scope-secret")) == 3 and outside.of("scope-secret") == {}
            assert {e["actor"] for e in inside.of("scope-public").values()} == {"test"}
            assert {e["actor"] for e in outside.of("scope-public").values()} == {None}
            assert all(e["confidential"] for e in inside.of("scope-secret").values())
        finally:
            for listener in listeners:
                await listener.stop()


class FakeOperation:
    """An operation as :class:`SharedDelivery` sees it: an id and the messages it sent."""

    def __init__(self, op: str):
        self.id, self.sent = op, []

    async def send_operation_message(self, message: dict) -> None:
        self.sent.append(message)


async def test_a_group_whose_leader_leaves_mid_event_still_gets_the_event():
    """The first subscriber of a group to reach an event leads (strawberry handles its result);
    the others wait for its payload. If it leaves before finishing (its client went away), the
    next one leads instead of everyone waiting for a payload that never comes; the rest get
    that one's payload, under their own ids."""
    from strawberry.types.execution import ExecutionResult

    from schema.subscriptions import SharedDelivery

    event, group = SimpleNamespace(messages={}), ("doc", None, (), "public")  # a live event's group messages
    first, second, third = (SharedDelivery(group, FakeOperation(op)) for op in ("1", "2", "3"))
    assert await first.relayed(event) is False  # it leads
    waiting = asyncio.create_task(second.relayed(event))
    await asyncio.sleep(0)
    assert not waiting.done()  # the leader's payload is on its way
    first.abandon()  # the leader left without one
    assert await asyncio.wait_for(waiting, 1) is False  # so the second leads
    second.finished(ExecutionResult(data={"events": {"cursor": "c1"}}, errors=None))
    assert await third.relayed(event) is True
    assert third.operation.sent == [{"id": "3", "type": "next", "payload": {"data": {"events": {"cursor": "c1"}}}}]
    assert first.operation.sent == [] and second.operation.sent == []  # leaders send through strawberry


async def test_an_event_that_fails_to_execute_is_masked_and_coded_like_any_other_error(api, registry, monkeypatch):
    """The error contract holds per event too: a subscription whose selection fails on an
    event (here the `partnership` lookup, as when the database drops mid-delivery) gets a
    `next` message with the masked message and `extensions.code` INTERNAL_SERVER_ERROR, as an
    HTTP answer would — not the bare, uncoded error it used to get — and stays open."""
    from schema.errors import MASKED_PREFIX
    from schema.loaders import Loaders
    from tests.test_ws_auth import Socket as Plain

    merton = await pk(api, "merton")
    failing = {"on": True}
    original = Loaders._partnerships_by_id

    async def flaky(self, keys):
        if failing["on"]:
            raise RuntimeError("connection to the database was lost (a secret detail)")
        return await original(self, keys)

    monkeypatch.setattr(Loaders, "_partnerships_by_id", flaky)
    async with served(api, registry) as server, Plain(server) as socket:
        op = await socket.subscribe(WITH_PARTNERSHIP)
        await joined(server, 1)
        await write(api, ("risk.add", merton, "event-fails", False))
        message = json.loads(await asyncio.wait_for(socket.ws.recv(), 10))
        assert message["type"] == "next" and message["id"] == op, message
        error = message["payload"]["errors"][0]
        assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR", message
        assert "secret detail" not in json.dumps(message) and error["message"].startswith(MASKED_PREFIX)
        failing["on"] = False
        await write(api, ("risk.add", merton, "event-works", False))
        message = json.loads(await asyncio.wait_for(socket.ws.recv(), 10))
        assert message["payload"]["data"]["events"]["partnership"] == {"code": "merton"}, message
