"""GraphQL subscriptions over WebSocket (`graphql-transport-ws`): the event feed, live.

Each subscription polls the feed from its own last cursor, every
``PARTNERSHIPS_EVENTS_POLL_INTERVAL_S`` seconds. That is simple and correct with any number
of server processes: every subscriber, on whichever worker, reads the same ordered feed, so
it sees every event it may see, once, in order — and a client that reconnects with the last
cursor it received misses nothing.

Authentication: send ``{"authorization": "Bearer <token>"}`` as the ``connection_init``
payload. A bad token closes the connection with 4403; none means the public. The token is
checked again before every poll: once it is revoked or expires, the subscription ends with
an ``UNAUTHENTICATED`` error instead of delivering what only that token could see.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types import Info

from core.errors import InvalidInput
from core.services import events as ev
from core.services.identity import AuthenticationError, authenticate, recheck
from core.services.webhooks import get_integration_settings
from schema.errors import BadArgument, PublicError
from schema.loaders import Loaders
from schema.queries.structure import partnership_by_code
from schema.types.integrations import Event, EventType

#: Events read per poll; a subscriber far behind catches up in batches of this size.
BATCH = 100


async def authenticate_connection(context) -> None:
    """``on_ws_connect``: take the bearer token from the ``connection_init`` payload."""
    params = getattr(context, "connection_params", None) or {}
    value = params.get("authorization") or params.get("Authorization") or ""
    if not isinstance(value, str):
        raise ConnectionRejectionError({"message": "authorization must be a string: 'Bearer <token>'"})
    bearer = value[7:].strip() if value.lower().startswith("bearer ") else (value.strip() or None)
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
        if cursor is None:
            async with ctx.sessions() as session:
                cursor = await ev.latest_id(session)
        interval = poll_interval(info)
        while True:
            async with ctx.sessions() as session:
                try:
                    await recheck(session, ctx.principal)
                except AuthenticationError as exc:
                    raise PublicError(str(exc), code="UNAUTHENTICATED") from None
                # Every id up to the newest one is settled (the feed lock orders commits), so
                # after a short batch the cursor may jump past events this subscriber cannot
                # see instead of re-reading them on every poll.
                newest = await ev.latest_id(session)
                batch = await ev.read(session, ctx.principal, after=cursor, partnership_id=pid,
                                      types=types, limit=BATCH, upto=newest)
            for item in batch:
                cursor = item.id
                yield Event.from_feed(item)
            if len(batch) < BATCH:
                cursor = max(cursor, newest)
                await asyncio.sleep(interval)
