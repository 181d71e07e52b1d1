"""GraphQL subscriptions over WebSocket (`graphql-transport-ws`): the event feed, live.

One poller per worker (:class:`FeedHub`) reads the feed every
``PARTNERSHIPS_EVENTS_POLL_INTERVAL_S`` seconds — one statement, however many subscriptions
are open — and hands each event to every subscriber it concerns, in memory: its partnership
and types, and what the subscriber may see (the read policy, the same test the feed makes
in SQL). That is correct with any number of server processes: every worker's poller reads
the same ordered feed, so every subscriber sees every event it may see, once, in order —
and a client that reconnects with the last cursor it received misses nothing. A subscriber
that starts behind the poller (``after:`` an old cursor) or falls behind it (a slow
client) catches up with reads of its own, then rejoins. Subscribers whose operations give an
event the same result (same document and variables, same visibility) share one execution
of it and one encoding of its data (:func:`share_event_results`) and, over a WebSocket, one
pass through strawberry's result handling (:class:`SharedDelivery`).

Authentication: send ``{"authorization": "Bearer <token>"}`` as the ``connection_init``
payload. A bad token closes the connection with 4403; none means the public. The poller
re-checks the subscribers' tokens (all in one statement) whenever one may have lapsed: it
reaches its expiry, or the feed records a write about tokens (a revocation does, in the
same transaction). Once a token is revoked or expires, its subscriptions end with an
``UNAUTHENTICATED`` error instead of delivering what only that token could see — nothing
that poll read is delivered to them.

Every operation sent on a connection (queries and mutations too) is authorised as of the
moment it arrives (operations with one token arriving together share the re-check:
:class:`TokenChecks`; one that cannot start gets an ``error`` message with a code), gets
its own loaders (it reads what is committed by then, not what an earlier operation
cached), and is held to the limits of an HTTP request: body size, the
text guard, the client's rate limit, the time limit; and a connection, and a client over
all its connections, may have only so many operations in flight (:class:`OperationsHandler`).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import json
import logging
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated

import orjson
import strawberry
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import (
    Executor,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationType,
    Visitor,
    get_operation_ast,
    parse,
    visit,
)
from graphql.language import SKIP
from sqlalchemy import select
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.types import Info
from strawberry.types.execution import ExecutionResult, PreExecutionError

from core.auth import MalformedAuthorization, Principal, bearer_token
from core.errors import InvalidInput
from core.models import AuditEvent, Partnership
from core.models.base import utcnow
from core.read_policy import ReadPolicy
from core.services import events as ev
from core.services import identity
from core.services.identity import AuthenticationError, authenticate, recheck
from core.services.webhooks import get_integration_settings
from schema.errors import (
    INTERNAL,
    MASKED_PREFIX,
    BadArgument,
    PublicError,
    RequestError,
    is_outage,
    outage_error,
)
from schema.integrations.types import Event, EventType
from schema.limits import BadRequest, check_operation, client_key
from schema.loaders import Loaders
from schema.structure.queries import partnership_by_code

#: Events read per poll; a subscriber far behind catches up in batches of this size.
BATCH = 100


async def authenticate_connection(context) -> None:
    """``on_ws_connect``: take the bearer token from the ``connection_init`` payload."""
    params = getattr(context, "connection_params", None) or {}
    value = params.get("authorization") or params.get("Authorization") or ""
    if not isinstance(value, str):
        raise ConnectionRejectionError({"message": "authorization must be a string: 'Bearer <token>'"})
    try:
        bearer = bearer_token(value)
    except MalformedAuthorization as exc:
        raise ConnectionRejectionError({"message": str(exc), "code": "UNAUTHENTICATED"}) from None
    if not bearer:
        return  # the public
    try:
        async with context.state.sessions() as session, session.begin():
            principal = await authenticate(session, bearer)
    except AuthenticationError as exc:
        raise ConnectionRejectionError({"message": str(exc), "code": "UNAUTHENTICATED"}) from None
    context.principal = principal
    context.loaders = Loaders(context.state.sessions, principal)


def poll_interval(info: Info) -> float:
    configured = getattr(info.context.settings, "events_poll_interval_s", None)
    return float(configured if configured is not None else get_integration_settings().events_poll_interval_s)


#: The feed's entity type for writes about API tokens (read by the poller, never delivered).
TOKEN_ENTITY = "ApiToken"
assert TOKEN_ENTITY in ev.INTERNAL_ENTITY_TYPES

#: Polls' worth of events a subscriber may have waiting before it leaves the poller and
#: catches up on its own (a client reading slower than the feed is written).
BACKLOG = 20

log = logging.getLogger("partnerships.subscriptions")


class _FellBehind(Exception):
    """Put in a subscriber's queue when it has too much waiting: it catches up on its own."""


class _Mailbox:
    """What the poller handed a subscriber and it has not yet taken, and the one task that
    waits for it: an ``asyncio.Queue`` without what a queue of one reader and one
    never-blocking writer does not need (its four deques were ~3 KB of each of ten thousand
    subscriptions)."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list = []
        self._waiter: asyncio.Future | None = None

    def qsize(self) -> int:
        return len(self._items)

    def put_nowait(self, item) -> None:
        self._items.append(item)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def get(self):
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.pop(0)


@dataclass(eq=False)
class _Subscriber:
    """One open ``events`` subscription, as the poller sees it."""

    principal: Principal
    partnership_id: int | None
    types: frozenset[ev.EventType] | None
    queue: _Mailbox = field(default_factory=_Mailbox)

    def __post_init__(self) -> None:
        self.policy = ReadPolicy(self.principal)
        #: What decides the events it wants (:meth:`wants`): subscribers alike in it want the same.
        self.interest = (self.partnership_id, self.types, self.principal.scope)

    def wants(self, event: _LiveEvent) -> bool:
        """What ``events.read`` would return this subscriber, decided for an event in hand:
        a function of its partnership, its types and its principal's scope alone."""
        return ((self.partnership_id is None or event.partnership_pk == self.partnership_id)
                and (self.types is None or event.type in self.types)
                and self.policy.sees_event(event.partnership_pk, event.confidential))


class _LiveEvent(Event):
    """An event as the poller delivers it: one object for every subscriber it goes to, so
    subscribers whose operations would give it the same result share one execution of their
    selection on it (:func:`share_event_results`): ``results`` holds each, by
    :func:`result_group`, for as long as some subscriber's queue holds the event; and, over a
    WebSocket, one pass through strawberry's result handling: ``messages`` holds each group's
    finished ``next`` payload (:class:`SharedDelivery`)."""

    results: dict
    messages: dict

    @classmethod
    def of(cls, feed_event: ev.FeedEvent) -> _LiveEvent:
        event = cls.from_feed(feed_event)
        event.results = {}
        event.messages = {}
        return event


class FeedHub:
    """A worker's one poller of the event feed, fanned out to its subscribers in memory.

    Each poll is one statement for the events after the poller's cursor (every event
    written, whoever may see it; writes about access are read, to notice a revoked token,
    and never delivered) and, only when something about the subscribers' tokens may have
    changed, one for the tokens' state; then each event goes to the queue of every subscriber that :meth:`_Subscriber.wants`
    it. The poller runs while anyone is subscribed and stops with the last one."""

    def __init__(self, sessions, interval: float, batch: int = BATCH):
        self.sessions = sessions
        self.interval = interval
        self.batch = batch
        self.polls = 0
        self.cursor: int | None = None
        #: When each subscriber's token expires, as of its last check (valid until then).
        self._expiries: dict[int, dt.datetime | None] = {}
        self._subscribers: set[_Subscriber] = set()
        self._task: asyncio.Task | None = None
        #: A subscriber joins between polls, never during one: it gets every event after the
        #: cursor it was given, from the next poll on.
        self._lock = asyncio.Lock()
        self._latest: asyncio.Future | None = None

    @classmethod
    def of(cls, state, interval: float) -> FeedHub:
        if state.feed_hub is None:
            state.feed_hub = cls(state.sessions, interval)
        return state.feed_hub

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    async def latest(self) -> int:
        """The newest event's id: where a subscription "from now" starts. Subscriptions that
        start together (thousands of clients reconnecting after a restart) share one read
        instead of queueing for the pool one statement each; one that joins a read already
        under way may start a few events early, never late."""
        if self._latest is None or self._latest.done():
            self._latest = asyncio.ensure_future(self._read_latest())
        return await asyncio.shield(self._latest)

    async def _read_latest(self) -> int:
        async with self.sessions() as session:
            return await ev.latest_id(session)

    async def join(self, subscriber: _Subscriber) -> int:
        """Start delivering to ``subscriber``; returns the cursor after which it gets events."""
        async with self._lock:
            if self.cursor is None:
                self.cursor = await self.latest()
            self._subscribers.add(subscriber)
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._run(), name="event feed poller")
            return self.cursor

    def leave(self, subscriber: _Subscriber) -> None:
        self._subscribers.discard(subscriber)

    async def _run(self) -> None:
        try:
            while self._subscribers:
                try:
                    async with self._lock:
                        full = await self.poll()
                except Exception as exc:  # the database is unwell: end the subscriptions, as each poll did
                    log.exception("event feed poll failed")
                    for subscriber in list(self._subscribers):
                        subscriber.queue.put_nowait(exc)
                    self._subscribers.clear()
                    break
                if not full:
                    await asyncio.sleep(self.interval)
        finally:
            if not self._subscribers:
                self._expiries = {}
                self.cursor = None  # the next subscriber starts from the feed's end, not an old cursor

    async def poll(self) -> bool:
        """One read of the feed, delivered; True when the batch was full (read again at once)."""
        subscribers = list(self._subscribers)
        tokens = {s.principal.token_id for s in subscribers if s.principal.token_id is not None}
        async with self.sessions() as session:
            rows = (await session.execute(
                select(AuditEvent, Partnership.code).outerjoin(Partnership, Partnership.id == AuditEvent.partnership_id)
                .where(AuditEvent.id > self.cursor).order_by(AuditEvent.id).limit(self.batch))).all()
            # After the events: a token still valid now was valid when they were committed.
            refused = {}
            if tokens and self._tokens_to_check(tokens, rows):
                refused, self._expiries = await identity.lapsed(session, tokens)
        self.polls += 1
        if rows:
            self.cursor = rows[-1][0].id
        batch = [_LiveEvent.of(ev.to_feed_event(row, code)) for row, code in rows if ev.is_feed_event(row.entity_type)]
        if not batch and not refused:
            return len(rows) >= self.batch  # nothing to hand anyone (most polls): no pass over them
        # What each subscriber wants of the batch follows from its filters and what it may see:
        # decided once per such interest, not once per subscriber (thousands share a few).
        wanted_by_interest: dict[tuple, list[_LiveEvent]] = {}
        for subscriber in subscribers:
            if subscriber not in self._subscribers:
                continue  # left while the poll was reading
            if subscriber.principal.token_id in refused:
                self._subscribers.discard(subscriber)
                subscriber.queue.put_nowait(PublicError(str(refused[subscriber.principal.token_id]),
                                                        code="UNAUTHENTICATED"))
                continue
            wanted = wanted_by_interest.get(subscriber.interest)
            if wanted is None:
                wanted = wanted_by_interest[subscriber.interest] = [e for e in batch if subscriber.wants(e)]
            if not wanted:
                continue
            if subscriber.queue.qsize() >= BACKLOG:
                self._subscribers.discard(subscriber)
                subscriber.queue.put_nowait(_FellBehind())
                continue
            subscriber.queue.put_nowait(wanted)
        return len(rows) >= self.batch

    def _tokens_to_check(self, tokens: set[int], rows) -> bool:
        """Whether this poll must read the subscribers' tokens: one is new to the poller, one
        may have expired since, or the feed just recorded a write about tokens (a revocation
        is one: ``identity.revoke_token`` records it in the same transaction). Otherwise
        nothing about them has changed, and the poll stays one statement."""
        if not tokens <= self._expiries.keys():
            return True
        now = utcnow()
        if any(self._expiries[t] is not None and self._expiries[t] <= now for t in tokens):
            return True
        return any(row.entity_type == TOKEN_ENTITY for row, _ in rows)


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Domain events as they happen, in feed order, with the same visibility "
                             "as `events`. Pass `after` (a cursor) to replay from there first; without it, "
                             "events from the moment of subscribing.")
    async def events(
        self, info: Info,
        after: Annotated[str | None, strawberry.argument(
            description="Start after this cursor; omit to receive only new events.")] = None,
        partnership: Annotated[str | None, strawberry.argument(
            description="Only events of the partnership with this code.")] = None,
        types: Annotated[list[EventType] | None, strawberry.argument(
            description="Only events of these types.")] = None,
    ) -> AsyncGenerator[Event, None]:
        ctx = info.context
        try:
            cursor = ev.decode_cursor(after) if after else None
        except InvalidInput as exc:
            raise BadArgument(exc.message) from None
        pid = (await partnership_by_code(info, partnership)).pk if partnership is not None else None
        hub = FeedHub.of(ctx.state, poll_interval(info))
        if cursor is None:
            cursor = await hub.latest()
        subscriber = _Subscriber(ctx.principal, pid, frozenset(types) if types else None)
        shared: SharedDelivery | None = ctx.delivery
        # Before each event (``ctx.loaders.forget()``), the loaders let go of what they read:
        # they live as long as the subscription, and what they held from an earlier event (a
        # partnership since renamed, a read that failed) must not answer for a later one.
        try:
            while True:
                live_from = await hub.join(subscriber)
                # Behind the poller (an old `after`, or fell behind): catch up with reads of
                # our own up to where its deliveries start, checking the token before each.
                while cursor < live_from:
                    async with ctx.sessions() as session:
                        try:
                            await recheck(session, ctx.principal)
                        except AuthenticationError as exc:
                            raise PublicError(str(exc), code="UNAUTHENTICATED") from None
                        batch = await ev.read(session, ctx.principal, after=cursor, partnership_id=pid,
                                              types=types, limit=BATCH, upto=live_from)
                    for item in batch:
                        cursor = item.id
                        ctx.loaders.forget()
                        yield Event.from_feed(item)
                    if len(batch) < BATCH:
                        cursor = live_from
                while True:
                    delivered = await subscriber.queue.get()
                    if isinstance(delivered, _FellBehind):
                        break
                    if isinstance(delivered, Exception):
                        raise delivered
                    for item in delivered:
                        if item.pk <= cursor:
                            continue
                        cursor = item.pk
                        if shared is not None and await shared.relayed(item):
                            continue  # sent: another subscriber of the group made the message
                        ctx.loaders.forget()
                        try:
                            yield item
                        finally:
                            if shared is not None:
                                shared.abandon()
        finally:
            hub.leave(subscriber)


# -- operations over a WebSocket --------------------------------------------------------------


class TokenChecks:
    """The token re-check every WebSocket operation makes as it arrives, shared.

    A burst of subscriptions with one token (a client reconnecting with thousands) asked one
    statement each, and queued for the pool behind one another. An operation joins the next
    check of its token to *start* — never one already under way, which began before the
    operation arrived and could miss a revocation committed since — so the answer is still as
    of the moment it arrived; operations that arrive while a check runs share the one after
    it. One statement per token at a time, however many operations wait."""

    def __init__(self, sessions):
        self.sessions = sessions
        self._running: dict[int, asyncio.Task] = {}
        self._next: dict[int, asyncio.Task] = {}

    @classmethod
    def of(cls, state) -> TokenChecks:
        if state.token_checks is None:
            state.token_checks = cls(state.sessions)
        return state.token_checks

    async def check(self, principal: Principal) -> None:
        """Raise :class:`AuthenticationError` if ``principal``'s token has lapsed, as read by
        a statement begun after this call."""
        token = principal.token_id
        task = self._next.get(token)
        if task is None:
            task = self._next[token] = asyncio.create_task(self._check(principal, self._running.get(token)))
            task.add_done_callback(lambda t: t.cancelled() or t.exception())  # retrieved if every waiter left
        refusal = await asyncio.shield(task)
        if refusal is not None:
            raise AuthenticationError(refusal)

    async def _check(self, principal: Principal, previous: asyncio.Task | None) -> str | None:
        token, me = principal.token_id, asyncio.current_task()
        if previous is not None:
            await asyncio.wait([previous])
        del self._next[token]  # starting now: operations that arrive from here on wait for the next
        self._running[token] = me
        try:
            async with self.sessions() as session:
                await recheck(session, principal)
            return None
        except AuthenticationError as exc:
            return str(exc)
        finally:
            if self._running.get(token) is me:
                del self._running[token]


def _refusal(error: GraphQLError):
    """A stream whose only result is a refusal: sent as the operation's ``error`` message."""

    async def stream():
        yield PreExecutionError(data=None, errors=[error])

    return stream()


@dataclass(frozen=True)
class _Operation:
    """What the handler needs to know of an operation's document before running it."""

    type: OperationType
    #: The variables a subscription's results depend on (see :func:`result_group`).
    result_variables: tuple[str, ...]


@lru_cache(maxsize=256)
def _operation(query: str, operation_name: str | None) -> _Operation | None:
    """The operation's type and, for a subscription, the variables its results depend on:
    all it uses except those only in its root fields' arguments. Those choose the events; an
    event's result is the root field's selection executed on it (strawberry resolves a
    subscription's root field to the event itself), so ``after`` — a different cursor for
    every client that reconnects — does not split subscribers that would get the same
    result. None when the document does not parse or has no such operation (strawberry
    answers that)."""
    try:
        document = parse(query)
    except GraphQLError:
        return None
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    if operation.operation != OperationType.SUBSCRIPTION:
        return _Operation(operation.operation, ())
    root_arguments = {id(argument) for selection in operation.selection_set.selections
                      if isinstance(selection, FieldNode) for argument in selection.arguments or ()}
    used: set[str] = set()

    class Uses(Visitor):
        def enter_argument(self, node, *_):
            return SKIP if id(node) in root_arguments else None

        def enter_variable(self, node, *_):
            used.add(node.name.value)

    for node in [*(operation.directives or ()), operation.selection_set, *(
            d for d in document.definitions if isinstance(d, FragmentDefinitionNode))]:
        visit(node, Uses())
    return _Operation(operation.operation, tuple(sorted(used)))


def result_group(query: str, operation_name: str | None, variables: dict | None, principal: Principal) -> tuple:
    """Subscriptions whose results for one event are the same: the document, the operation,
    the values of the variables the results depend on, and what the caller may see (the
    read policy's scope: the public, a member of which partnerships in which role, an
    administrator — every resolver's visibility follows it, as the response cache's does)."""
    operation = _operation(query, operation_name)
    variables = variables or {}
    values = tuple((name, json.dumps(variables[name], sort_keys=True)) if name in variables else (name,)
                   for name in (operation.result_variables if operation is not None else ()))
    return query, operation_name, values, principal.scope


def share_event_results(schema) -> None:
    """Execute a subscription's selection on a live event once per :func:`result_group`.

    Ten thousand identical subscriptions would otherwise execute the same selection on the
    same event ten thousand times, and encode the same JSON as often — the worker's whole
    time at one event a second. A WebSocket subscription's context carries its group
    (``_PerOperation.stream``); the first subscriber to reach an event executes it, with its
    own context, and stores the result on the event, its data already encoded (an
    ``orjson.Fragment``, so each ``next`` message only copies it in); the others of the
    group take it from there, or await it while it runs. Everything after execution —
    strawberry's error masking and codes, the message and its size limit — still happens per
    subscriber. Replayed events (``after`` an old cursor) and operations without a group
    execute as before."""
    base = schema.execution_context_class or Executor

    class SharingExecutor(base):
        def build_per_event_executor(self, payload):
            group = getattr(self.context_value, "result_group", None)
            if group is None or not isinstance(payload, _LiveEvent):
                return super().build_per_event_executor(payload)
            return _SharedExecution(self, payload, group, super().build_per_event_executor)

    schema.execution_context_class = SharingExecutor


class _SharedExecution:
    """The per-event executor graphql-core asks for, answering from the event's results."""

    __slots__ = ("build", "event", "executor", "group")

    def __init__(self, executor, event: _LiveEvent, group: tuple, build):
        self.executor, self.event, self.group, self.build = executor, event, group, build

    def execute_operation(self, *args):
        results = self.event.results
        shared = results.get(self.group)
        if shared is None:
            result = self.build(self.event).execute_operation(*args)
            if self.executor.is_awaitable(result):
                shared = results[self.group] = asyncio.ensure_future(_encoded_later(result))
            else:
                shared = results[self.group] = _encoded(result)
        if isinstance(shared, asyncio.Future):
            return asyncio.shield(shared)  # one subscriber leaving does not cancel it for the others
        return shared


def _encoded(result: GraphQLExecutionResult) -> GraphQLExecutionResult:
    """The result with its data encoded once, for every subscriber's message to include."""
    if result.data is None:
        return result
    try:
        data = orjson.Fragment(orjson.dumps(result.data))
    except TypeError:  # what orjson refuses: each message encodes it its own way (GraphQLApp.encode_json)
        return result
    return GraphQLExecutionResult(data=data, errors=result.errors, extensions=result.extensions)


async def _encoded_later(result) -> GraphQLExecutionResult:
    return _encoded(await result)


#: The WebSocket operation whose task is running (set by :meth:`OperationsHandler.run_operation`).
_ws_operation: contextvars.ContextVar[Operation | None] = contextvars.ContextVar("ws_operation", default=None)


class SharedDelivery:
    """A WebSocket subscription's part in its :func:`result_group`'s deliveries of live events.

    Executing an event once per group (:func:`share_event_results`) left, per subscriber,
    strawberry's handling of each result — its extensions' hooks, error masking, the stream's
    layers — most of a worker's time at ten thousand subscriptions. The result is the same for
    the whole group, so it is handled once: the first subscriber of the group to reach an event
    (its leader) yields it through strawberry as any subscription does, and :func:`_bounded`
    keeps the finished ``next`` payload (masked, as strawberry sends it) on the event; every
    other subscriber of the group sends that payload under its own operation id, straight to
    its socket, and its strawberry stream simply waits for the next event that is not shared.
    Each message is still encoded, and held to the response size limit, by the app's
    ``encode_json``. If the leader never finishes the payload (its client left mid-way), the
    next subscriber to reach the event leads instead."""

    __slots__ = ("group", "leading", "operation")

    def __init__(self, group: tuple, operation: Operation):
        self.group, self.operation = group, operation
        self.leading: asyncio.Future | None = None

    async def relayed(self, event: _LiveEvent) -> bool:
        """Send the group's message for ``event`` if there is one (awaiting a leader's);
        False when this subscriber must lead: yield the event and let strawberry handle it."""
        while True:
            message = event.messages.get(self.group)
            if message is None or (message.done() and (message.cancelled() or message.exception() is not None)):
                self.leading = event.messages[self.group] = asyncio.get_running_loop().create_future()
                return False
            if not message.done():
                await asyncio.wait([message])  # a leader's, on its way: not cancelled if this one leaves
                continue
            await self.operation.send_operation_message(
                {"id": self.operation.id, "type": "next", "payload": message.result()})
            return True

    def finished(self, result: ExecutionResult) -> None:
        """The leader's result, as strawberry hands it to the transport: the payload strawberry's
        ``send_next`` makes of it, for the rest of the group."""
        if self.leading is None:
            return  # not a shared live event: a replayed one, or an error ending the stream
        payload: dict = {"data": result.data}
        if result.errors:
            payload["errors"] = [error.formatted for error in result.errors]
        if result.extensions:
            payload["extensions"] = result.extensions
        self.leading.set_result(payload)
        self.leading = None

    def abandon(self) -> None:
        """The leader moved on (or left) without a payload: the group's next subscriber leads."""
        if self.leading is not None:
            self.leading.cancel()
            self.leading = None


class _PerOperation:
    """The schema as a WebSocket handler sees it: each ``stream`` (one operation) gets a
    context of its own, authorised now, and a query or mutation the request time limit."""

    def __init__(self, schema):
        self._schema = schema

    def __getattr__(self, name):
        return getattr(self._schema, name)

    async def stream(self, query, variable_values=None, context_value=None, root_value=None, operation_name=None,
                     **kwargs):
        connection = context_value
        if connection.principal.token_id is not None:
            try:
                await TokenChecks.of(connection.state).check(connection.principal)
            except AuthenticationError as exc:
                return _refusal(PublicError(str(exc), code="UNAUTHENTICATED"))
            except Exception as exc:  # answered with an `error` message and a code, not a bare `complete`
                if is_outage(exc):
                    return _refusal(outage_error(exc))
                log.exception("checking a WebSocket operation's token failed")
                return _refusal(PublicError(f"{MASKED_PREFIX}; the operation could not start", code=INTERNAL))
        context = connection.for_operation(connection.principal)
        operation = _operation(query, operation_name) if isinstance(query, str) else None
        if operation is not None and operation.type == OperationType.SUBSCRIPTION:
            context.result_group = result_group(query, operation_name, variable_values, context.principal)
            ws_operation = _ws_operation.get()
            if ws_operation is not None:
                context.delivery = SharedDelivery(context.result_group, ws_operation)
        source = await self._schema.stream(query, variable_values=variable_values, context_value=context,
                                           root_value=root_value, operation_name=operation_name, **kwargs)
        limit = None
        if isinstance(query, str) and (operation is None or operation.type != OperationType.SUBSCRIPTION):
            limit = connection.settings.request_time_limit_s
        return _bounded(source, context, limit)


async def _bounded(source, context, limit: float | None):
    """Relay an operation's results; stop a query or mutation at the time limit; let go of
    what its loaders read once it ends."""
    try:
        if limit is None:
            async for result in source:
                if context.delivery is not None:
                    context.delivery.finished(result)
                yield result
            return
        try:
            async with asyncio.timeout(limit):
                results = [result async for result in source]
        except TimeoutError:
            yield ExecutionResult(data=None, errors=[PublicError(
                f"the operation took longer than the limit of {limit:g} s and was stopped; ask for less",
                code="TIMEOUT")])
            return
        for result in results:
            yield result
    finally:
        with contextlib.suppress(Exception):
            await source.aclose()
        context.loaders.forget()


class OperationsHandler(BaseGraphQLTransportWSHandler):
    """``graphql-transport-ws`` with each operation checked before it starts, as an HTTP
    request is: size, text the database cannot hold, operations in flight on the connection
    and for the client, the client's rate limit. A refused operation gets an ``error``
    message with a code; the connection stays open."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.schema = _PerOperation(self.schema)
        self.client: str | None = None

    async def run_operation(self, operation: Operation) -> None:
        _ws_operation.set(operation)  # the operation's own task: its subscription can send for itself
        await super().run_operation(operation)

    async def handle_subscribe(self, message) -> None:
        payload = message.get("payload")
        if (not self.connection_acknowledged or message.get("id") in self.operations
                or not isinstance(payload, dict)):
            return await super().handle_subscribe(message)  # the protocol's own answers (close codes)
        context = self.context
        settings = context.settings
        self.client = client_key(context.principal, getattr(context.request.client, "host", None))
        error = await self._refuse(payload, settings)
        if error is not None:
            await self.send_message({"id": message["id"], "type": "error", "payload": [error.formatted]})
            return
        await super().handle_subscribe(message)
        operation = self.operations.get(message["id"])
        if operation is not None and operation.task is not None:
            client, counts = self.client, context.state.ws_operations
            counts[client] += 1

            def done(_task, client=client, counts=counts):
                counts[client] -= 1
                if counts[client] <= 0:
                    del counts[client]

            operation.task.add_done_callback(done)

    async def _refuse(self, payload: dict, settings) -> GraphQLError | None:
        query, variables, name = payload.get("query"), payload.get("variables"), payload.get("operationName")
        size = len(json.dumps(payload))  # ASCII: characters are bytes
        if size > settings.max_body_bytes:
            return PublicError(f"operation of {size:,} bytes is over the limit of {settings.max_body_bytes:,}",
                               code="PAYLOAD_TOO_LARGE", bytes=size, limit=settings.max_body_bytes)
        try:
            check_operation(query, variables, name)
        except BadRequest as exc:
            return PublicError(exc.message, code=exc.code)
        persisted = getattr(self.context.state, "persisted", None)
        if persisted is not None:  # trusted documents and persisted queries hold here too (schema.documents)
            try:
                payload["query"] = persisted.resolve(payload).text
            except RequestError as exc:
                return PublicError(exc.message, code=exc.code)
        if len(self.operations) >= settings.max_subscriptions_per_connection:
            limit = settings.max_subscriptions_per_connection
            return PublicError(f"this connection already has {limit} operations in flight, the most allowed; "
                               "complete one first", code="SUBSCRIPTION_LIMIT", limit=limit)
        if self.context.state.ws_operations[self.client] >= settings.max_subscriptions_per_client:
            limit = settings.max_subscriptions_per_client
            return PublicError(f"this client already has {limit} operations in flight over its connections, the "
                               "most allowed; complete one first", code="SUBSCRIPTION_LIMIT", limit=limit)
        limiter = self.context.state.limiter
        if limiter is not None:
            verdict = await limiter.hit(self.client)
            if not verdict.allowed:
                return PublicError(verdict.message, code="RATE_LIMITED", retryAfter=verdict.reset_s)
        return None
