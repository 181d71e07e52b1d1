"""Subscriptions at scale: one poll of the event feed per worker, fanned out in memory.

The `events` subscription is executed by the app's own schema, in-process, with the
context a WebSocket operation gets; the oracle for what each subscriber may receive is the
polling `events` query, asked with the same token and filters.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import event, select

from core.db import session_factory
from core.enums import Role
from core.models import ApiToken
from core.services import audit
from core.services import webhooks as wh
from core.services.events import global_id
from core.services.identity import authenticate, revoke_token
from schema import subscriptions
from schema.context import Context
from schema.root import build_schema
from schema.types.common import from_global_id

SUBSCRIBE = """subscription ($after: String, $partnership: String, $types: [EventType!]) {
  events(after: $after, partnership: $partnership, types: $types) { cursor entityId confidential actor } }"""
FEED = """query ($after: String, $partnership: String, $types: [EventType!]) {
  events(after: $after, partnership: $partnership, types: $types, first: 100) { nodes { cursor } } }"""
INTERVAL = 0.1


@pytest.fixture(autouse=True)
def poll_interval(monkeypatch):
    """Polls every INTERVAL seconds (the subscription test modules import this fixture)."""
    monkeypatch.setenv("PARTNERSHIPS_EVENTS_POLL_INTERVAL_S", str(INTERVAL))
    wh.get_integration_settings.cache_clear()
    yield
    wh.get_integration_settings.cache_clear()


class Sub:
    """One open `events` subscription, read in the background into `received`."""

    def __init__(self, api, token: str | None, **variables):
        self.api, self.token, self.variables = api, token, variables
        self.received: list[dict] = []
        self.errors: list[dict] = []
        self.task: asyncio.Task | None = None
        self.stream = None

    async def open(self, schema, *, read: bool = True) -> Sub:
        state = self.api.app.state.partnerships
        async with state.sessions() as session, session.begin():
            principal = await authenticate(session, self.token)
        stream = await schema.subscribe(SUBSCRIBE, variable_values=self.variables,
                                        context_value=Context(state=state, principal=principal))
        self.stream = stream
        if read:
            self.task = asyncio.create_task(self._read(stream))
        return self

    async def _read(self, stream) -> None:
        async for result in stream:
            if result.errors:
                self.errors.extend(e.formatted for e in result.errors)
                return
            self.received.append(result.data["events"])

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        await self.stream.aclose()

    def cursors(self) -> list[str]:
        return [e["cursor"] for e in self.received]


async def until(predicate, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def hub_ready(api, n: int) -> None:
    """Wait until `n` subscribers are fed by the worker's poller (they joined it)."""
    state = api.app.state.partnerships
    await until(lambda: state.feed_hub is not None and state.feed_hub.subscribers == n)


async def pk(api, code: str) -> int:
    body = await api.gql("query ($code: String!) { partnership(code: $code) { id } }", {"code": code})
    return from_global_id(body["data"]["partnership"]["id"])[1]


async def write(api, *events: tuple[str, int | None, str, bool]) -> None:
    """Audited writes, one transaction: (action, partnership id, entity id, confidential)."""
    async with session_factory(api.app.state.partnerships.engine)() as session, session.begin():
        for action, partnership_id, entity_id, confidential in events:
            await audit.record(session, actor="test", action=action, entity_type="Risk", entity_id=entity_id,
                               partnership_id=partnership_id, after={"title": entity_id}, confidential=confidential)


def rid(entity_id: str) -> str:
    """A written risk as events name it: by its global ID."""
    return global_id("Risk", entity_id)


async def latest(api) -> str:
    return (await api.gql("{ latestEventCursor }"))["data"]["latestEventCursor"]


async def oracle(api, token: str | None, **variables) -> list[str]:
    body = await api.gql(FEED, variables, token=token)
    return [n["cursor"] for n in body["data"]["events"]["nodes"]]


async def statements_per_second(api, seconds: float) -> float:
    engine = api.app.state.partnerships.engine.sync_engine
    count = 0

    def on(*_args):
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", on)
    try:
        await asyncio.sleep(seconds)
    finally:
        event.remove(engine, "before_cursor_execute", on)
    return count / seconds


async def test_statements_per_poll_do_not_grow_with_the_number_of_subscriptions(api):
    """1 subscription or 200 (public, members of two partnerships, an administrator, with
    filters): the database sees the same statements a second — one read of the feed a poll
    (the tokens are re-read only when one may have lapsed) — and every subscriber still gets
    what it may see."""
    schema = build_schema(api.app.state.partnerships.settings)
    merton, lewisham = await pk(api, "merton"), await pk(api, "lewisham")
    callers = [await api.token("merton", Role.MEMBER), None, await api.token("lewisham", Role.MEMBER),
               await api.token(None, Role.ADMINISTRATOR)]
    rates = {}
    for n in (1, 200):
        start = await latest(api)
        subs = [await Sub(api, callers[i % len(callers)], after=start,
                          **({"partnership": "merton"} if i % 5 == 4 else {})).open(schema) for i in range(n)]
        try:
            tag = f"fanout-{n}"
            await write(api, ("risk.add", merton, f"{tag}-warm", False))  # every subscription is live once
            await until(lambda tag=tag, subs=subs: all(any(e["entityId"] == rid(f"{tag}-warm") for e in s.received) or s.errors
                                                       for s in subs))
            for s in subs:
                s.received.clear()
            rates[n] = await statements_per_second(api, 1.5)
            await write(api, ("risk.add", merton, f"{tag}-secret", True), ("risk.add", lewisham, f"{tag}-public", False))
            await until(lambda tag=tag, subs=subs: all(
                any(e["entityId"] == rid(f"{tag}-public") for e in s.received) or s.variables.get("partnership") == "merton"
                for s in subs))
            await asyncio.sleep(3 * INTERVAL)
            for s in subs:
                got = {e["entityId"] for e in s.received}
                expected = set()
                if s.token in (callers[0], callers[3]):  # a Merton member, an administrator
                    expected.add(rid(f"{tag}-secret"))
                if s.variables.get("partnership") != "merton":
                    expected.add(rid(f"{tag}-public"))
                assert got == expected, (s.token, s.variables, got)
        finally:
            for s in subs:
                await s.close()
        assert not any(s.errors for s in subs)
    polls_a_second = 1 / INTERVAL
    assert rates[200] <= polls_a_second * 1.2, rates  # one statement a poll
    assert rates[200] <= rates[1] * 1.25 + 2, rates


async def test_each_subscriber_receives_exactly_what_the_polling_feed_shows_it(api):
    """The fan-out decides in memory what the feed decides in SQL: for the public, members
    of two partnerships and an administrator, with and without partnership and type
    filters, live and replaying from an older cursor, the events received are the events
    `events(after:)` lists for the same caller — in order, once each."""
    schema = build_schema(api.app.state.partnerships.settings)
    merton, sefton = await pk(api, "merton"), await pk(api, "sefton")
    before = await latest(api)
    await write(api, ("risk.add", merton, "old-secret", True), ("risk.add", sefton, "old-public", False))
    start = await latest(api)
    callers = [None, await api.token("merton", Role.MEMBER), await api.token("sefton", Role.MEMBER),
               await api.token(None, Role.ADMINISTRATOR)]
    filters = [{}, {"partnership": "merton"}, {"types": ["RISK_ADDED"]}, {"partnership": "sefton", "types": ["OTHER"]}]
    subs = []
    for token in callers:
        for f in filters:
            subs.append(await Sub(api, token, **f).open(schema))  # from now
            subs.append(await Sub(api, token, after=before, **f).open(schema))  # replaying first
    try:
        await hub_ready(api, len(subs))
        await write(api, ("risk.add", merton, "new-secret", True), ("risk.add", sefton, "new-public", False),
                    ("dispute.raise", merton, "new-dispute", True), ("something.else", sefton, "new-other", False))
        await write(api, ("risk.add", None, "new-none", False))
        end = await latest(api)
        expected = {s: await oracle(api, s.token, **{**s.variables, "after": s.variables.get("after", start)})
                    for s in subs}
        # Until every subscriber has as many events as the feed lists for it (a deadline, not a
        # fixed wait: a loaded machine polls late), then two more polls, for any extra to show.
        await until(lambda: all(len(s.cursors()) >= len(expected[s]) or s.errors for s in subs))
        hub = api.app.state.partnerships.feed_hub
        polls = hub.polls
        await until(lambda: hub.polls >= polls + 2)
        for s in subs:
            assert s.cursors() == expected[s], (s.token, s.variables)
            assert not s.errors
        everything = await oracle(api, callers[3], after=start)
        assert everything[-1] == end and len(everything) == 5
        admin_sees = {e["entityId"] for s in subs if s.token == callers[3] for e in s.received}
        public_sees = {e["entityId"] for s in subs if s.token is None for e in s.received}
        assert {rid("new-secret"), rid("new-dispute")} <= admin_sees
        assert not {rid("new-secret"), rid("new-dispute"), rid("old-secret")} & public_sees
    finally:
        for s in subs:
            await s.close()


async def test_a_revoked_token_ends_only_its_own_subscriptions(api):
    """The poller re-checks every subscriber's token; the one revoked ends with
    UNAUTHENTICATED and none of the events read with it, the others carry on."""
    schema = build_schema(api.app.state.partnerships.settings)
    merton = await pk(api, "merton")
    secret = await api.token("merton", Role.MEMBER, lifetime_days=1)
    kept = await api.token("merton", Role.MEMBER)
    doomed, other, public = [await Sub(api, t).open(schema) for t in (secret, kept, None)]
    try:
        await hub_ready(api, 3)
        async with session_factory(api.app.state.partnerships.engine)() as session, session.begin():
            token_id = await session.scalar(select(ApiToken.id).where(ApiToken.prefix == secret.split("_")[1]))
            assert await revoke_token(session, token_id, actor="test")
            await audit.record(session, actor="test", action="risk.add", entity_type="Risk", entity_id="after-revoke",
                               partnership_id=merton, after={"title": "x"}, confidential=True)
        await until(lambda: doomed.errors and any(e["entityId"] == rid("after-revoke") for e in other.received))
        assert doomed.errors[0]["extensions"]["code"] == "UNAUTHENTICATED" and "revoked" in doomed.errors[0]["message"]
        assert doomed.received == [] and public.received == [] and not other.errors
        await write(api, ("risk.add", merton, "later", False))
        await until(lambda: any(e["entityId"] == rid("later") for e in public.received))
        await until(lambda: any(e["entityId"] == rid("later") for e in other.received))
        assert api.app.state.partnerships.feed_hub.subscribers == 2
    finally:
        for s in (doomed, other, public):
            await s.close()


async def test_a_subscriber_that_falls_behind_catches_up_without_a_gap(api, monkeypatch):
    """A client that reads slower than the feed is written leaves the poller, reads what it
    missed on its own and rejoins: it still gets every event, once, in order."""
    monkeypatch.setattr(subscriptions, "BACKLOG", 2)
    schema = build_schema(api.app.state.partnerships.settings)
    sefton = await pk(api, "sefton")
    start = await latest(api)
    slow = await Sub(api, None, partnership="sefton").open(schema, read=False)
    state = api.app.state.partnerships
    # The subscription starts (and joins the poller) on its first read.
    first = asyncio.create_task(anext(slow.stream))
    await hub_ready(api, 1)
    for i in range(8):
        await write(api, ("risk.add", sefton, f"slow-{i}", False))
        await asyncio.sleep(1.5 * INTERVAL)  # a poll each
    results = [await first]
    await until(lambda: state.feed_hub.subscribers == 0)  # it fell behind and left the poller
    while len(results) < 8:
        results.append(await asyncio.wait_for(anext(slow.stream), 10))
    got = [r.data["events"]["cursor"] for r in results]
    assert got == await oracle(api, None, after=start, partnership="sefton")
    assert [r.data["events"]["entityId"] for r in results] == [rid(f"slow-{i}") for i in range(8)]
    await slow.stream.aclose()


async def test_a_subscription_ends_when_its_token_expires(api):
    """A token's expiry ends its subscriptions when the clock reaches it, with no write to
    announce it: the poller knows when each token expires and re-checks it then."""
    import datetime as dt

    from sqlalchemy import update

    schema = build_schema(api.app.state.partnerships.settings)
    secret = await api.token("sefton", Role.MEMBER, lifetime_days=1)
    async with session_factory(api.app.state.partnerships.engine)() as session, session.begin():
        await session.execute(update(ApiToken).where(ApiToken.prefix == secret.split("_")[1])
                              .values(expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)))
    sub = await Sub(api, secret).open(schema)
    try:
        await until(lambda: sub.errors, timeout=10)
        assert sub.errors[0]["extensions"]["code"] == "UNAUTHENTICATED" and "expired" in sub.errors[0]["message"]
    finally:
        await sub.close()
