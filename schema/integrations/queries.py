"""Root query fields for integrations: the event feed, and webhooks for administrators."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from core.enums import Role as CoreRole
from core.errors import InvalidInput
from core.models.integrations import WebhookDelivery as DeliveryModel
from core.models.integrations import WebhookEndpoint as EndpointModel
from core.services import events as ev
from schema.errors import BadArgument
from schema.integrations.types import (
    DeliveryStatus,
    Event,
    EventConnection,
    EventEdge,
    EventType,
    WebhookDelivery,
    WebhookDeliveryConnection,
    WebhookDeliveryEdge,
    WebhookEndpoint,
)
from schema.structure.queries import partnership_by_code
from schema.types.common import Before, First, Keyset, Last, PageInfo, from_global_id

EventsAfter = Annotated[str | None, strawberry.argument(
    description="Return events after this cursor (an event's `cursor` or a page's `endCursor`); omit to start "
                "at the first event.")]
EventsBefore = Annotated[str | None, strawberry.argument(
    description="Return events before this cursor (an event's `cursor` or a page's `startCursor`): with `last`, "
                "page backward from there.")]
PartnershipFilter = Annotated[str | None, strawberry.argument(
    description="Only events of the partnership with this code, e.g. `merton`.")]
PartnershipCode = Annotated[str, strawberry.argument(description="The partnership's code, e.g. `merton`.")]
TypesFilter = Annotated[list[EventType] | None, strawberry.argument(
    description="Only events of these types (OTHER: writes with no type of their own).")]


def _event_id(cursor: str | None, argument: str) -> int | None:
    if cursor is None:
        return None
    try:
        return ev.decode_cursor(cursor)
    except InvalidInput as exc:
        raise BadArgument(exc.message.replace("`after:", f"`{argument}:", 1)) from None


async def feed_page(info: Info, *, after: str | None, partnership: str | None, types: list | None,
                    first: int | None, last: int | None = None, before: str | None = None) -> EventConnection:
    """A page of the feed: forward from ``after`` (a poller's loop), or backward from
    ``before`` (or from the newest event) with ``last``."""
    window = Keyset.of(first, _event_id(after, "after"), last, _event_id(before, "before"),
                       info.context.settings.max_page_size)
    pid = (await partnership_by_code(info, partnership)).pk if partnership is not None else None
    async with info.context.sessions() as session:
        items = await ev.read(session, info.context.principal, after=window.after or 0, before=window.before,
                              partnership_id=pid, types=types, limit=window.limit, newest_first=window.backward)
    page, earlier, later = window.page(items)
    edges = [EventEdge(cursor=e.cursor, node=Event.from_feed(e)) for e in page]
    return EventConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=later,
            has_previous_page=earlier or bool(window.after),
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else (after or None),
        ),
    )


def _delivery_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"wd:{pk}".encode()).decode().rstrip("=")


def _delivery_after(cursor: str | None, argument: str = "after") -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        if not raw.startswith("wd:"):
            raise ValueError
        return int(raw[3:])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadArgument(f"`{argument}: {cursor!r}` is not a delivery cursor; pass a delivery's `cursor` "
                          "or a page's `startCursor` or `endCursor`") from None


ADMINS = (CoreRole.ADMINISTRATOR,)


@strawberry.type
class Query:
    @strawberry.field(description="The event feed: every audited write as a typed domain event, oldest first. "
                      "Page through it from any cursor without gaps or duplicates. Confidential events are "
                      "shown only to members of their partnership.")
    async def events(
        self, info: Info, after: EventsAfter = None, partnership: PartnershipFilter = None,
        types: TypesFilter = None, first: First = None, last: Last = None, before: EventsBefore = None,
    ) -> EventConnection:
        return await feed_page(info, after=after, partnership=partnership, types=types, first=first, last=last,
                               before=before)

    @strawberry.field(description="The cursor of the newest event you may see so far (null if there is none): start "
                      "a poller or a subscription here to receive only what happens from now on.")
    async def latest_event_cursor(self, info: Info) -> str | None:
        async with info.context.sessions() as session:
            latest = await ev.latest_visible_id(session, info.context.principal)
        return ev.encode_cursor(latest) if latest else None

    @strawberry.field(description="A partnership's webhook endpoints: its administrators only (others get an "
                      "empty list).")
    async def webhook_endpoints(self, info: Info, partnership: PartnershipCode) -> list[WebhookEndpoint]:
        p = await partnership_by_code(info, partnership)
        if not info.context.principal.has_role(p.pk, ADMINS):
            return []
        async with info.context.sessions() as session:
            rows = (await session.scalars(
                select(EndpointModel).where(EndpointModel.partnership_id == p.pk).order_by(EndpointModel.id)
            )).all()
        return [WebhookEndpoint.from_row(r) for r in rows]

    @strawberry.field(description="Webhook deliveries of a partnership, oldest first, each with every attempt: "
                      "its administrators only (others get an empty list).")
    async def webhook_deliveries(
        self, info: Info, partnership: PartnershipCode,
        endpoint_id: Annotated[strawberry.ID | None, strawberry.argument(
            description="Only deliveries to this endpoint.")] = None,
        status: Annotated[DeliveryStatus | None, strawberry.argument(
            description="Only deliveries in this state.")] = None,
        first: First = None,
        after: Annotated[str | None, strawberry.argument(
            description="Return deliveries after this cursor (an `endCursor`).")] = None,
        last: Last = None, before: Before = None,
    ) -> WebhookDeliveryConnection:
        window = Keyset.of(first, _delivery_after(after) or None, last, _delivery_after(before, "before") or None,
                           info.context.settings.max_page_size)
        p = await partnership_by_code(info, partnership)
        if not info.context.principal.has_role(p.pk, ADMINS):
            return WebhookDeliveryConnection(edges=[], page_info=PageInfo(
                has_next_page=False, has_previous_page=False, start_cursor=None, end_cursor=after))
        stmt = (
            select(DeliveryModel).join(EndpointModel, EndpointModel.id == DeliveryModel.endpoint_id)
            .where(EndpointModel.partnership_id == p.pk, *window.conditions(DeliveryModel.id))
            .order_by(window.order(DeliveryModel.id)).limit(window.limit)
        )
        if endpoint_id is not None:
            type_name, pk = from_global_id(str(endpoint_id))
            if type_name != "WebhookEndpoint":
                raise BadArgument(f"`endpointId` must be the ID of a WebhookEndpoint, got one of a {type_name}")
            stmt = stmt.where(DeliveryModel.endpoint_id == pk)
        if status is not None:
            stmt = stmt.where(DeliveryModel.status == status)
        async with info.context.sessions() as session:
            rows = (await session.scalars(stmt)).all()
        page, earlier, later = window.page(rows)
        nodes = [WebhookDelivery.from_row(d, _delivery_cursor(d.id)) for d in page]
        edges = [WebhookDeliveryEdge(cursor=n.cursor, node=n) for n in nodes]
        return WebhookDeliveryConnection(edges=edges, page_info=PageInfo(
            has_next_page=later, has_previous_page=earlier,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else after,
        ))
