"""Integrations: the event feed, subscriptions over a real WebSocket, signed webhooks.

Writes use the structure `addSeat` mutation (a business-unit token); the governance
"decision" mutation is built elsewhere, and a recorded decision travels the same road (it is
an audited write like any other; its action maps to DECISION_RECORDED).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import socket
import time
import uuid

import pytest
import uvicorn
from sqlalchemy import select
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from core.config import Settings
from core.db import session_factory
from core.enums import Role
from core.models import ApiToken
from core.services import audit
from core.services import webhooks as wh
from core.services.events import EventType, decode_cursor, event_type, global_id
from schema.types.common import from_global_id

# -- helpers --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self):  # leave pytest's signal handlers alone
        yield


class LocalServer:
    """An ASGI app served by uvicorn on 127.0.0.1, in the test's event loop."""

    def __init__(self, app, port: int | None = None):
        self.app = app
        self.port = port or free_port()
        self.server: _Server | None = None
        self.task: asyncio.Task | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> LocalServer:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = _Server(config)
        self.task = asyncio.create_task(self.server.serve())
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert not self.task.done(), "server failed to start"
            assert time.monotonic() < deadline, "server did not start"
            await asyncio.sleep(0.01)
        return self

    async def stop(self) -> None:
        self.server.should_exit = True
        await self.task


class Receiver:
    """A webhook receiver: records what it is sent; refuses the first `refuse` requests."""

    def __init__(self, refuse: int = 0):
        self.refuse = refuse
        self.requests = 0
        self.received: list[tuple[dict, bytes]] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        self.requests += 1
        status = 503 if self.requests <= self.refuse else 200
        if status == 200:
            self.received.append(({k.decode().lower(): v.decode() for k, v in scope["headers"]}, body))
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"busy" if status == 503 else b"ok"})

    def payloads(self) -> list[dict]:
        return [json.loads(b) for _, b in self.received]


class Subscriber:
    """A graphql-transport-ws client subscribed to `events`."""

    def __init__(self, server: LocalServer, *, token: str | None = None, **variables):
        self.uri = f"ws://127.0.0.1:{server.port}/graphql"
        self.token = token
        self.variables = variables
        self.ws = None

    async def __aenter__(self) -> Subscriber:
        self.ws = await connect(self.uri, subprotocols=["graphql-transport-ws"], proxy=None)
        payload = {"authorization": f"Bearer {self.token}"} if self.token else {}
        await self.ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        await self.ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
            "query": """subscription ($after: String, $partnership: String, $types: [EventType!]) {
              events(after: $after, partnership: $partnership, types: $types) {
                cursor type action partnershipCode entityType entityId confidential after
              }}""",
            "variables": self.variables}}))
        return self

    async def __aexit__(self, *exc) -> None:
        with contextlib.suppress(Exception):
            await self.ws.send(json.dumps({"id": "1", "type": "complete"}))
        await self.ws.close()

    async def next(self, timeout: float = 10) -> dict:
        message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        assert message["type"] == "next", message
        assert not message["payload"].get("errors"), message["payload"]["errors"]
        return message["payload"]["data"]["events"]

    async def until(self, predicate, timeout: float = 10) -> list[dict]:
        """Events received until one satisfies `predicate` (inclusive)."""
        seen, deadline = [], time.monotonic() + timeout
        while True:
            event = await self.next(max(0.01, deadline - time.monotonic()))
            seen.append(event)
            if predicate(event):
                return seen


@pytest.fixture(autouse=True)
def local_receivers(monkeypatch):
    """The receivers in these tests listen on 127.0.0.1, which webhooks may only reach with
    private addresses allowed (core/services/egress.py); the egress tests switch it off."""
    monkeypatch.setenv("PARTNERSHIPS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "true")
    wh.get_integration_settings.cache_clear()
    yield
    wh.get_integration_settings.cache_clear()


def only_public_addresses(monkeypatch) -> None:
    monkeypatch.setenv("PARTNERSHIPS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "false")
    wh.get_integration_settings.cache_clear()


@pytest.fixture
def fast_poll(monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_EVENTS_POLL_INTERVAL_S", "0.05")
    wh.get_integration_settings.cache_clear()
    yield
    wh.get_integration_settings.cache_clear()


@contextlib.asynccontextmanager
async def api_server(api, registry):
    """Another server process's worth of app (own engine, own cache) on the same database."""
    from schema.app import create_app

    app = create_app(Settings(database_url=api.url), registry=registry)
    server = await LocalServer(app).start()
    try:
        yield server
    finally:
        await server.stop()
        await app.state.partnerships.engine.dispose()




async def group_id(api, code: str) -> str:
    body = await api.gql("""query ($code: String!) { partnership(code: $code) { groups(first: 1) { nodes { id } } } }""",
                         {"code": code})
    return body["data"]["partnership"]["groups"]["nodes"][0]["id"]


async def partnership_pk(api, code: str) -> int:
    body = await api.gql("query ($code: String!) { partnership(code: $code) { id } }", {"code": code})
    return from_global_id(body["data"]["partnership"]["id"])[1]


ADD_SEAT = """mutation ($input: AddSeatInput!) { addSeat(input: $input) {
  __typename ... on SeatPayload { seat { id code } } ... on UserError { message } } }"""


async def add_seat(api, code: str, seat_code: str | None = None) -> str:
    seat_code = seat_code or f"int-{uuid.uuid4().hex[:10]}"
    body = await api.gql(ADD_SEAT, {"input": {"groupId": await group_id(api, code), "code": seat_code,
                                              "role": "CO_OPTED", "post": "Integration tester"}},
                         as_role=(code, Role.BUSINESS_UNIT))
    assert body["data"]["addSeat"]["__typename"] == "SeatPayload", body
    return seat_code


async def latest_cursor(api) -> str | None:
    return (await api.gql("{ latestEventCursor }"))["data"]["latestEventCursor"]


REGISTER = """mutation ($input: RegisterWebhookInput!) { registerWebhook(input: $input) {
  __typename
  ... on WebhookEndpointPayload { endpoint { id url eventTypes active } }
  ... on UserError { message } ... on ValidationError { field } } }"""

UPDATE = """mutation ($input: UpdateWebhookInput!) { updateWebhook(input: $input) {
  __typename ... on WebhookEndpointPayload { endpoint { id active } } ... on UserError { message } } }"""


async def register(api, code: str, url: str, secret: str, types=None) -> str:
    body = await api.gql(REGISTER, {"input": {"partnership": code, "url": url, "secret": secret, "eventTypes": types}},
                         as_role=(code, Role.ADMINISTRATOR))
    result = body["data"]["registerWebhook"]
    assert result["__typename"] == "WebhookEndpointPayload", result
    return result["endpoint"]["id"]


async def deactivate(api, code: str, endpoint_id: str) -> None:
    body = await api.gql(UPDATE, {"input": {"id": endpoint_id, "active": False}}, as_role=(code, Role.ADMINISTRATOR))
    assert body["data"]["updateWebhook"]["__typename"] == "WebhookEndpointPayload"


def worker_for(api, endpoint_id: str, **kwargs) -> wh.Worker:
    sessions = session_factory(api.app.state.partnerships.engine)
    kwargs.setdefault("retry_base_s", 0.01)
    kwargs.setdefault("max_backoff_s", 0.2)
    return wh.Worker(sessions, endpoint_ids=[from_global_id(endpoint_id)[1]], timeout_s=5, **kwargs)


async def drain(worker: wh.Worker, done, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "webhook deliveries did not arrive in time"
        await worker.run_once()
        await asyncio.sleep(0.01)


EVENTS = """query ($after: String, $partnership: String, $types: [EventType!], $first: Int) {
  events(after: $after, partnership: $partnership, types: $types, first: $first) {
    pageInfo { hasNextPage endCursor }
    nodes { id cursor type action partnershipCode entityType entityId confidential actor after
            partnership { code } }
  }}"""

DELIVERIES = """query ($code: String!, $endpoint: ID) { webhookDeliveries(partnership: $code, endpointId: $endpoint) {
  nodes { id status attemptCount eventType eventCursor payload
          attempts { number statusCode succeeded error attemptedAt } } } }"""


# -- the event feed -------------------------------------------------------------------------


def test_audit_actions_map_to_event_types():
    assert event_type("decision.record") is EventType.DECISION_RECORDED
    assert event_type("dispute.escalate") is EventType.DISPUTE_ESCALATED
    assert event_type("contribution.receive") is EventType.CONTRIBUTION_RECEIVED
    assert event_type("review.publish") is EventType.REVIEW_PUBLISHED
    assert event_type("risk.add") is EventType.RISK_ADDED
    assert event_type("seat.create") is EventType.SEAT_ADDED
    assert event_type("something.new") is EventType.OTHER


def test_signature_verifies_only_with_the_right_secret_body_and_a_recent_time():
    from standardwebhooks import WebhookVerificationError

    body = b'{"a":1}'
    headers = wh.signature_headers("a-secret-of-16-chars", "msg-1", body)
    assert wh.verify("a-secret-of-16-chars", headers, body) == {"a": 1}
    old = wh.signature_headers("a-secret-of-16-chars", "msg-1", body,
                               at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    for secret, sent, signed in (("another-secret-16-chars", body, headers), ("a-secret-of-16-chars", body + b" ", headers),
                                 ("a-secret-of-16-chars", body, old)):
        with pytest.raises(WebhookVerificationError):
            wh.verify(secret, signed, sent)
    assert 1 <= wh.backoff(1, 2, 100) <= 2 and 4 <= wh.backoff(3, 2, 100) <= 8 and 50 <= wh.backoff(30, 2, 100) <= 100


async def test_a_poller_pages_through_the_feed_without_gaps_or_duplicates(api):
    start = await latest_cursor(api)
    codes = [await add_seat(api, "sefton") for _ in range(5)]
    seen, after = [], start
    for _ in range(10):
        page = (await api.gql(EVENTS, {"after": after, "partnership": "sefton", "first": 2}))["data"]["events"]
        seen += page["nodes"]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    ids = [decode_cursor(e["cursor"]) for e in seen]
    assert ids == sorted(set(ids))
    assert [e["after"]["code"] for e in seen if e["type"] == "SEAT_ADDED"] == codes
    # An empty page keeps the poller where it was.
    page = (await api.gql(EVENTS, {"after": after, "partnership": "sefton"}))["data"]["events"]
    assert page["nodes"] == [] and page["pageInfo"]["endCursor"] == after
    # Types filter: only what was asked for.
    only = (await api.gql(EVENTS, {"after": start, "types": ["SEAT_REMOVED"]}))["data"]["events"]["nodes"]
    assert all(e["type"] == "SEAT_REMOVED" for e in only)
    other = (await api.gql(EVENTS, {"after": start, "types": ["OTHER"]}))["data"]["events"]["nodes"]
    assert all(e["type"] == "OTHER" for e in other)


async def test_concurrent_writes_reach_a_concurrent_poller_with_no_gaps(api):
    start = await latest_cursor(api)
    seen: list[dict] = []
    stop = asyncio.Event()

    async def poll():
        after = start
        while True:
            # Only a poll that *began* after every write was acknowledged may end the loop:
            # one already under way when the last write committed may rightly miss it.
            writes_done = stop.is_set()
            page = (await api.gql(EVENTS, {"after": after, "partnership": "sandwell", "first": 3}))["data"]["events"]
            seen.extend(page["nodes"])
            after = page["pageInfo"]["endCursor"]
            if writes_done and not page["nodes"]:
                return
            await asyncio.sleep(0.005)

    poller = asyncio.create_task(poll())
    codes = await asyncio.gather(*(add_seat(api, "sandwell") for _ in range(8)))
    stop.set()
    await asyncio.wait_for(poller, 30)
    got = [e["after"]["code"] for e in seen if e["type"] == "SEAT_ADDED"]
    assert sorted(got) == sorted(codes) and len(got) == len(set(got))
    ids = [decode_cursor(e["cursor"]) for e in seen]
    assert ids == sorted(set(ids))


async def test_a_bad_cursor_is_a_client_error_that_says_what_to_pass(api):
    body = await api.gql(EVENTS, {"after": "not-a-cursor"}, errors_ok=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "cursor" in body["errors"][0]["message"]


# -- three ways -----------------------------------------------------------------------------


async def test_a_write_arrives_by_feed_subscription_and_signed_webhook(api, registry, fast_poll):
    secret = f"whsec-{uuid.uuid4().hex}"
    receiver = Receiver()
    rx = await LocalServer(receiver).start()
    endpoint = await register(api, "merton", f"{rx.url}/hooks", secret, ["SEAT_ADDED", "DECISION_RECORDED"])
    start = await latest_cursor(api)
    try:
        async with api_server(api, registry) as server, Subscriber(server, after=start, partnership="merton") as sub:
            code = await add_seat(api, "merton")
            live = await sub.until(lambda e: e["type"] == "SEAT_ADDED")
        live_event = live[-1]
        assert live_event["after"]["code"] == code and live_event["partnershipCode"] == "merton"

        # 1. the feed
        nodes = (await api.gql(EVENTS, {"after": start, "partnership": "merton"}))["data"]["events"]["nodes"]
        [polled] = [n for n in nodes if n["type"] == "SEAT_ADDED"]
        assert polled["cursor"] == live_event["cursor"]
        assert polled["partnership"] == {"code": "merton"} and polled["actor"] is None  # actor: members only

        # 3. the webhook, signed
        async with worker_for(api, endpoint) as worker:
            await drain(worker, lambda: receiver.received)
        headers, body = receiver.received[0]
        assert wh.verify(secret, headers, body)
        assert headers["x-partnerships-event"] == "SEAT_ADDED"
        assert headers["webhook-signature"].startswith("v1,")
        payload = json.loads(body)
        assert payload["cursor"] == live_event["cursor"] and payload["after"]["code"] == code
        assert payload["id"] == polled["id"] and payload["type"] == "SEAT_ADDED"
    finally:
        await rx.stop()
        await deactivate(api, "merton", endpoint)


# -- retries and order ----------------------------------------------------------------------


async def test_a_receiver_that_refuses_three_times_gets_the_event_on_the_fourth_attempt(api):
    secret = f"whsec-{uuid.uuid4().hex}"
    receiver = Receiver(refuse=3)
    rx = await LocalServer(receiver).start()
    endpoint = await register(api, "lewisham", rx.url, secret)
    try:
        code = await add_seat(api, "lewisham")
        async with worker_for(api, endpoint, retry_base_s=0.05, max_backoff_s=1) as worker:
            await drain(worker, lambda: receiver.received)
        assert receiver.requests == 4
        [(headers, body)] = receiver.received
        assert wh.verify(secret, headers, body)
        assert json.loads(body)["after"]["code"] == code

        body = await api.gql(DELIVERIES, {"code": "lewisham", "endpoint": endpoint},
                             as_role=("lewisham", Role.ADMINISTRATOR))
        [delivery] = body["data"]["webhookDeliveries"]["nodes"]
        assert delivery["status"] == "DELIVERED" and delivery["attemptCount"] == 4
        attempts = delivery["attempts"]
        assert [a["number"] for a in attempts] == [1, 2, 3, 4]
        assert [a["statusCode"] for a in attempts] == [503, 503, 503, 200]
        assert [a["succeeded"] for a in attempts] == [False, False, False, True]
        assert all("503" in a["error"] for a in attempts[:3])
        # exponential backoff: 0.05s, 0.1s, 0.2s between attempts, each jittered down to half at most
        times = [_parse(a["attemptedAt"]) for a in attempts]
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        for gap, expected in zip(gaps, [0.05, 0.1, 0.2], strict=True):
            assert gap >= expected * 0.45, gaps

        # Other callers see no deliveries at all.
        for role in [("lewisham", Role.MEMBER), ("lewisham", Role.BUSINESS_UNIT), ("merton", Role.ADMINISTRATOR)]:
            body = await api.gql(DELIVERIES, {"code": "lewisham", "endpoint": endpoint}, as_role=role)
            assert body["data"]["webhookDeliveries"]["nodes"] == []
    finally:
        await rx.stop()
        await deactivate(api, "lewisham", endpoint)


def _parse(value: str) -> float:
    import datetime as dt

    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()


async def test_a_receiver_switched_off_gets_all_ten_events_in_order_when_it_returns(api):
    secret = f"whsec-{uuid.uuid4().hex}"
    receiver = Receiver()
    port = free_port()
    rx = await LocalServer(receiver, port).start()
    endpoint = await register(api, "sandwell", rx.url, secret, ["SEAT_ADDED"])
    await rx.stop()  # switched off
    try:
        codes = [await add_seat(api, "sandwell") for _ in range(10)]
        async with worker_for(api, endpoint) as worker:
            for _ in range(4):
                await worker.run_once()
                await asyncio.sleep(0.03)
            body = await api.gql(DELIVERIES, {"code": "sandwell", "endpoint": endpoint},
                                 as_role=("sandwell", Role.ADMINISTRATOR))
            deliveries = body["data"]["webhookDeliveries"]["nodes"]
            assert len(deliveries) == 10 and {d["status"] for d in deliveries} == {"PENDING"}
            assert deliveries[0]["attemptCount"] >= 2  # tried, refused by a closed port, retried
            assert all(d["attemptCount"] == 0 for d in deliveries[1:])  # nothing overtakes the first
            assert deliveries[0]["attempts"][0]["statusCode"] is None and deliveries[0]["attempts"][0]["error"]

            rx = await LocalServer(receiver, port).start()  # back
            await drain(worker, lambda: len(receiver.received) >= 10)
        assert [p["after"]["code"] for p in receiver.payloads()] == codes
        assert all(wh.verify(secret, h, b) for h, b in receiver.received)
        cursors = [decode_cursor(p["cursor"]) for p in receiver.payloads()]
        assert cursors == sorted(cursors)
        body = await api.gql(DELIVERIES, {"code": "sandwell", "endpoint": endpoint},
                             as_role=("sandwell", Role.ADMINISTRATOR))
        assert {d["status"] for d in body["data"]["webhookDeliveries"]["nodes"]} == {"DELIVERED"}
    finally:
        await rx.stop()
        await deactivate(api, "sandwell", endpoint)


async def test_a_write_that_is_refused_queues_no_delivery(api):
    receiver = Receiver()
    endpoint = await register(api, "sefton", "http://127.0.0.1:9/never", f"whsec-{uuid.uuid4().hex}")
    try:
        body = await api.gql(ADD_SEAT, {"input": {"groupId": await group_id(api, "sefton"), "code": "BAD CODE",
                                                  "role": "CO_OPTED", "post": "x"}}, as_role=("sefton", Role.BUSINESS_UNIT))
        assert body["data"]["addSeat"]["__typename"] == "ValidationError"
        body = await api.gql(DELIVERIES, {"code": "sefton", "endpoint": endpoint}, as_role=("sefton", Role.ADMINISTRATOR))
        assert body["data"]["webhookDeliveries"]["nodes"] == []
        assert receiver.received == []
    finally:
        await deactivate(api, "sefton", endpoint)


# -- egress: webhooks go to the public internet only ------------------------------------------


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/hooks", "http://[::1]/hooks", "http://169.254.169.254/latest/meta-data/",
    "https://10.1.2.3/hooks", "http://192.168.0.7/hooks", "http://localhost:9000/hooks", "https://db.internal/hooks",
    "http://[::ffff:127.0.0.1]/hooks", "http://0.0.0.0/hooks",
])
async def test_a_webhook_may_not_point_inside_the_deployment(api, monkeypatch, url):
    only_public_addresses(monkeypatch)
    body = await api.gql(REGISTER, {"input": {"partnership": "merton", "url": url, "secret": "s" * 20}},
                         as_role=("merton", Role.ADMINISTRATOR))
    result = body["data"]["registerWebhook"]
    assert result["__typename"] == "ValidationError" and result["field"] == "url", result
    assert "public internet" in result["message"]


async def test_a_public_webhook_url_is_accepted_when_private_ones_are_not(api, monkeypatch):
    only_public_addresses(monkeypatch)
    endpoint = await register(api, "merton", "https://hooks.example.net/partnerships", "s" * 20, None)
    await deactivate(api, "merton", endpoint)


async def test_a_delivery_to_a_name_that_now_resolves_inside_is_not_sent(api, monkeypatch):
    """Registered while the name pointed outside; by delivery time its DNS answer is a private
    address (a rebinding attack, or a misconfiguration): the attempt is refused, recorded with
    the reason, and retried later like any failed attempt."""
    import socket as socket_module

    endpoint = await register(api, "merton", "https://hooks.example.net/partnerships", f"whsec-{uuid.uuid4().hex}",
                              ["SEAT_ADDED"])
    try:
        await add_seat(api, "merton")
        only_public_addresses(monkeypatch)
        real = socket_module.getaddrinfo

        def resolver(host, port, *args, **kwargs):  # this name's DNS answer, now
            if host == "hooks.example.net":
                return [(socket_module.AF_INET, socket_module.SOCK_STREAM, 6, "", ("10.0.0.5", port))]
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket_module, "getaddrinfo", resolver)
        async with worker_for(api, endpoint) as worker:
            await worker.run_once()
        body = await api.gql(DELIVERIES, {"code": "merton", "endpoint": endpoint}, as_role=("merton", Role.ADMINISTRATOR))
        [delivery] = body["data"]["webhookDeliveries"]["nodes"]
        [attempt] = delivery["attempts"]
        assert delivery["status"] == "PENDING" and attempt["succeeded"] is False and attempt["statusCode"] is None
        assert "not sent" in attempt["error"] and "10.0.0.5" in attempt["error"]
    finally:
        await deactivate(api, "merton", endpoint)


# -- authorization --------------------------------------------------------------------------


#: A confidential event's object, as events name it: by the API's global ID.
SECRET_RISK = global_id("Risk", "r-secret")


async def test_a_lewisham_members_subscription_never_receives_a_merton_confidential_event(api, registry, fast_poll):
    start = await latest_cursor(api)
    merton = await partnership_pk(api, "merton")
    lewisham_member = await api.token("lewisham", Role.MEMBER)
    merton_member = await api.token("merton", Role.MEMBER)
    async with api_server(api, registry) as server, \
            Subscriber(server, token=lewisham_member, after=start) as lewisham_sub, \
            Subscriber(server, token=merton_member, after=start) as merton_sub:
        async with session_factory(api.app.state.partnerships.engine)() as session, session.begin():
            await audit.record(session, actor="test", action="risk.add", entity_type="Risk", entity_id="r-secret",
                               partnership_id=merton, after={"title": "confidential risk"}, confidential=True)
        code = await add_seat(api, "merton")  # a public Merton event after it

        seen_by_lewisham = await lewisham_sub.until(lambda e: e["type"] == "SEAT_ADDED" and e["after"]["code"] == code)
        assert not [e for e in seen_by_lewisham if e["confidential"] or e["entityId"] == SECRET_RISK]
        seen_by_merton = await merton_sub.until(lambda e: e["type"] == "SEAT_ADDED" and e["after"]["code"] == code)
        risks = [e for e in seen_by_merton if e["entityId"] == SECRET_RISK]
        assert [(r["type"], r["confidential"]) for r in risks] == [("RISK_ADDED", True)]

    # The feed agrees, for polling callers.
    for token, visible in [(lewisham_member, False), (None, False), (merton_member, True)]:
        nodes = (await api.gql(EVENTS, {"after": start}, token=token))["data"]["events"]["nodes"]
        assert any(n["entityId"] == SECRET_RISK for n in nodes) is visible
    merton_nodes = (await api.gql(EVENTS, {"after": start}, token=merton_member))["data"]["events"]["nodes"]
    assert [n["actor"] for n in merton_nodes if n["entityId"] == SECRET_RISK] == ["test"]


async def test_a_subscription_ends_when_its_token_is_revoked(api, registry, fast_poll):
    """A member's subscription stops, with UNAUTHENTICATED, once the token is revoked: a
    confidential event written afterwards is never delivered to it."""
    from core.services.identity import revoke_token

    start = await latest_cursor(api)
    merton = await partnership_pk(api, "merton")
    secret = await api.token("merton", Role.MEMBER, lifetime_days=1)  # a token of its own, revoked below
    async with api_server(api, registry) as server, Subscriber(server, token=secret, after=start) as sub:
        code = await add_seat(api, "merton")
        await sub.until(lambda e: e["type"] == "SEAT_ADDED" and e["after"]["code"] == code)  # it works …
        async with session_factory(api.app.state.partnerships.engine)() as session, session.begin():
            token_id = await session.scalar(select(ApiToken.id).where(ApiToken.prefix == secret.split("_")[1]))
            assert await revoke_token(session, token_id, actor="test")
            await audit.record(session, actor="test", action="risk.add", entity_type="Risk", entity_id="r-after-revoke",
                               partnership_id=merton, after={"title": "confidential risk"}, confidential=True)
        messages = []
        while True:  # … until the revocation: then an error, and nothing confidential before it
            message = json.loads(await asyncio.wait_for(sub.ws.recv(), 10))
            messages.append(message)
            errors = message.get("payload") if message["type"] == "error" else message["payload"].get("errors")
            if errors:
                break
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED" and "revoked" in errors[0]["message"]
        assert global_id("Risk", "r-after-revoke") not in json.dumps(messages)


async def test_a_bad_token_on_the_websocket_is_refused(api, registry):
    async with api_server(api, registry) as server:
        ws = await connect(f"ws://127.0.0.1:{server.port}/graphql", subprotocols=["graphql-transport-ws"], proxy=None)
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": "Bearer pgt_nope_nope"}}))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
        assert closed.value.rcvd.code == 4403


async def test_only_the_partnerships_administrators_register_webhooks_and_input_is_checked(api):
    variables = {"input": {"partnership": "merton", "url": "https://example.org/hook", "secret": "x" * 20}}
    for role in [("merton", Role.MEMBER), ("merton", Role.BUSINESS_UNIT), ("lewisham", Role.ADMINISTRATOR)]:
        body = await api.gql(REGISTER, variables, as_role=role)
        assert body["data"]["registerWebhook"]["__typename"] == "NotAuthorizedError"
    body = await api.gql(REGISTER, variables)
    assert body["data"]["registerWebhook"]["__typename"] == "NotAuthorizedError"
    for bad, field in [({"url": "ftp://example.org"}, "url"), ({"secret": "short"}, "secret"),
                       ({"eventTypes": []}, "eventTypes")]:
        body = await api.gql(REGISTER, {"input": {**variables["input"], **bad}}, as_role=("merton", Role.ADMINISTRATOR))
        result = body["data"]["registerWebhook"]
        assert result["__typename"] == "ValidationError" and result["field"] == field, result
    endpoint = await register(api, "merton", "https://example.org/hook", "s" * 20, None)
    try:
        body = await api.gql("""query { webhookEndpoints(partnership: "merton") { id url eventTypes active } }""",
                             as_role=("merton", Role.ADMINISTRATOR))
        assert {"id": endpoint, "url": "https://example.org/hook", "eventTypes": None, "active": True} in \
            body["data"]["webhookEndpoints"]
        body = await api.gql("""query { webhookEndpoints(partnership: "merton") { id } }""",
                             as_role=("merton", Role.MEMBER))
        assert body["data"]["webhookEndpoints"] == []
        # Registering is audited, without the secret, and is not itself a domain event.
        body = await api.gql("""query { auditEvents(partnership: "merton", first: 5) { nodes { action after } } }""",
                             as_role=("merton", Role.ADMINISTRATOR))
        created = [n for n in body["data"]["auditEvents"]["nodes"] if n["action"] == "webhook.create"]
        assert created and "secret" not in json.dumps(created)
    finally:
        await deactivate(api, "merton", endpoint)


# -- several server workers -----------------------------------------------------------------


async def test_every_subscriber_on_every_server_worker_sees_every_event_in_order(api, registry, fast_poll):
    """Two server processes' worth of app on the same database (PostgreSQL: the production
    shape); a subscriber on each sees the same events, in the same order."""
    start = await latest_cursor(api)
    async with api_server(api, registry) as one, api_server(api, registry) as two, \
            Subscriber(one, after=start, partnership="sefton", types=["SEAT_ADDED"]) as a, \
            Subscriber(two, after=start, partnership="sefton", types=["SEAT_ADDED"]) as b:
        codes = [await add_seat(api, "sefton") for _ in range(3)]
        got_a = await a.until(lambda e: e["after"]["code"] == codes[-1])
        got_b = await b.until(lambda e: e["after"]["code"] == codes[-1])
    assert [e["after"]["code"] for e in got_a] == codes
    assert [e["cursor"] for e in got_a] == [e["cursor"] for e in got_b]


async def test_an_event_in_flight_holds_back_later_ones_so_a_poller_never_skips_it(api):
    """Ids are handed out in commit order (PostgreSQL: the feed lock; SQLite: one writer), so
    a later event can never be visible while an earlier id is still uncommitted."""
    start = await latest_cursor(api)
    sefton = await partnership_pk(api, "sefton")
    sessions = session_factory(api.app.state.partnerships.engine)

    async def write(name: str) -> None:
        async with sessions() as session, session.begin():
            await audit.record(session, actor="test", action="risk.add", entity_type="Risk", entity_id=name,
                               partnership_id=sefton, after={"title": name})

    first = sessions()
    await first.begin()
    await audit.record(first, actor="test", action="risk.add", entity_type="Risk", entity_id="first",
                       partnership_id=sefton, after={"title": "first"})
    second = asyncio.create_task(write("second"))
    await asyncio.sleep(0.3)
    assert not second.done(), "a later write must wait for the earlier one's commit"
    nodes = (await api.gql(EVENTS, {"after": start, "partnership": "sefton"}))["data"]["events"]["nodes"]
    assert [n["entityId"] for n in nodes if n["type"] == "RISK_ADDED"] == []
    await first.commit()
    await first.close()
    await asyncio.wait_for(second, 30)
    nodes = (await api.gql(EVENTS, {"after": start, "partnership": "sefton"}))["data"]["events"]["nodes"]
    assert [n["entityId"] for n in nodes if n["type"] == "RISK_ADDED"] == [global_id("Risk", "first"), global_id("Risk", "second")]


async def test_the_cli_worker_runs_beside_the_server_and_stops_cleanly(api):
    import os
    import signal
    import sys
    from pathlib import Path

    secret = f"whsec-{uuid.uuid4().hex}"
    receiver = Receiver(refuse=1)
    rx = await LocalServer(receiver).start()
    endpoint = await register(api, "lewisham", rx.url, secret, ["SEAT_ADDED"])
    code = await add_seat(api, "lewisham")
    cli = Path(sys.executable).with_name("partnerships")
    env = {**os.environ, "PARTNERSHIPS_DATABASE_URL": api.url, "PARTNERSHIPS_WEBHOOK_RETRY_BASE_S": "0.05"}
    proc = await asyncio.create_subprocess_exec(str(cli), "webhooks", "worker", "--interval", "0.05", env=env,
                                                stderr=asyncio.subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not any(json.loads(b)["after"]["code"] == code for _, b in receiver.received):
            assert proc.returncode is None, (await proc.stderr.read()).decode()
            assert time.monotonic() < deadline, "the worker process delivered nothing"
            await asyncio.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 15) == 0
        assert b"stopped" in await proc.stderr.read()
        [(headers, body)] = [(h, b) for h, b in receiver.received if json.loads(b)["after"]["code"] == code]
        assert wh.verify(secret, headers, body)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await rx.stop()
        await deactivate(api, "lewisham", endpoint)
