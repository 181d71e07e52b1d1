"""GraphQL types for integrations: domain events, their connection, webhook endpoints,
deliveries and attempts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from core.models import integrations as m
from core.services import events as ev
from schema.integrations.loaders import attempts_by_delivery
from schema.types.common import PageInfo, described, to_global_id

if TYPE_CHECKING:
    from schema.structure.types import Partnership

EventType = described(strawberry.enum(ev.EventType, description="What happened: the kind of a domain event."), {
    "ARRANGEMENTS_LOADED": "A partnership's published arrangements were loaded for the first time.",
    "SEAT_ADDED": "A seat was added to a group.",
    "SEAT_REMOVED": "A seat ended.",
    "MEETING_SCHEDULED": "A meeting was scheduled.",
    "DECISION_RECORDED": "A decision was recorded.",
    "VOTE_CLOSED": "A vote closed.",
    "DISPUTE_RAISED": "A dispute was raised.",
    "DISPUTE_ESCALATED": "A dispute moved to its next stage.",
    "DISPUTE_RESOLVED": "A dispute was settled.",
    "CONTRIBUTION_AGREED": "A partner's contribution was agreed.",
    "CONTRIBUTION_RECEIVED": "A partner's contribution was received.",
    "REVIEW_STARTED": "A practice review was started.",
    "REVIEW_PUBLISHED": "A practice review's report was published.",
    "RISK_ADDED": "A risk was added to the risk & challenge log.",
    "OTHER": "Any other audited write, with no type of its own yet (see `action`).",
})
DeliveryStatus = described(strawberry.enum(m.DeliveryStatus, description="Where a webhook delivery stands."), {
    "PENDING": "Not yet acknowledged: the worker sends it, or retries it, when it is due.",
    "DELIVERED": "The receiver answered with a 2xx status.",
    "FAILED": "Given up after the configured number of attempts.",
})


@strawberry.type(description="A domain event: one audited write, typed for integrations. Its `cursor` orders the feed.")
class Event:
    pk: strawberry.Private[int]
    partnership_pk: strawberry.Private[int | None]
    actor_name: strawberry.Private[str]
    cursor: str = strawberry.field(description="Position in the feed; pass as `after` to read what came next.")
    type: EventType = strawberry.field(description="What happened (OTHER for writes with no type of their own yet).")
    action: str = strawberry.field(description="The audit action behind it, e.g. `seat.create`.")
    occurred_at: dt.datetime = strawberry.field(description="When the write committed (UTC).")
    partnership_code: str | None = strawberry.field(description="Code of the partnership it concerns, if any.")
    entity_type: str = strawberry.field(description="The GraphQL type of the object written, e.g. `Seat`.")
    entity_id: str | None = strawberry.field(
        description="The object's global ID, as its `id` field gives it (`node(id:)` takes it where the type is a "
                    "`Node`).")
    before: JSON | None = strawberry.field(
        description="The object's values before the write (null for a creation), under the API's field names; "
                    "references to other objects are their global IDs.")
    after: JSON | None = strawberry.field(
        description="The object's values after the write (null for a removal), under the API's field names; "
                    "references to other objects are their global IDs.")
    confidential: bool = strawberry.field(description="Visible only to the partnership's members.")

    @strawberry.field(description="Globally unique ID of the event.")
    def id(self) -> strawberry.ID:
        return to_global_id("Event", self.pk)

    @strawberry.field(description="Who made the write (a token's label or `cli`); shown to the partnership's members only.")
    def actor(self, info: Info) -> str | None:
        principal = info.context.principal
        return self.actor_name if principal.is_member(self.partnership_pk) else None

    @strawberry.field(description="The partnership it concerns, if any.")
    async def partnership(
        self, info: Info
    ) -> Annotated[Partnership, strawberry.lazy("schema.structure.types")] | None:
        if self.partnership_pk is None:
            return None
        return await info.context.loaders.partnership_by_id.load(self.partnership_pk)

    @classmethod
    def from_feed(cls, e: ev.FeedEvent) -> Event:
        return cls(
            pk=e.id, partnership_pk=e.partnership_id, actor_name=e.actor, cursor=e.cursor, type=e.type,
            action=e.action, occurred_at=e.occurred_at, partnership_code=e.partnership_code,
            entity_type=e.entity_type, entity_id=e.entity_id, before=e.before, after=e.after,
            confidential=e.confidential,
        )


@strawberry.type(description="An event in a page of the feed, with its cursor.")
class EventEdge:
    cursor: str = strawberry.field(description="The event's cursor.")
    node: Event = strawberry.field(description="The event.")


@strawberry.type(description="A page of the event feed, oldest first. Keep `pageInfo.endCursor` and pass it "
                 "as `after` next time: no event is missed or repeated.")
class EventConnection:
    edges: list[EventEdge] = strawberry.field(description="The events of this page, with cursors.")
    page_info: PageInfo = strawberry.field(
        description="Pagination state. `endCursor` is the last event's cursor, or the `after` given when "
                    "the page is empty, so a poller can always store it.")

    @strawberry.field(description="The events of this page, without cursors.")
    def nodes(self) -> list[Event]:
        return [e.node for e in self.edges]


@strawberry.type(description="A URL that receives a partnership's events, signed with its secret (never shown).")
class WebhookEndpoint:
    pk: strawberry.Private[int]
    partnership_pk: strawberry.Private[int]
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    event_types: list[EventType] | None = strawberry.field(description="Types delivered; null for every type.")
    description: str = strawberry.field(description="What the endpoint is for.")
    active: bool = strawberry.field(description="Receives new events; when false nothing is queued or sent.")
    created_at: dt.datetime = strawberry.field(description="When it was registered.")

    @strawberry.field(description="Globally unique ID of the endpoint.")
    def id(self) -> strawberry.ID:
        return to_global_id("WebhookEndpoint", self.pk)

    @classmethod
    def from_row(cls, e: m.WebhookEndpoint) -> WebhookEndpoint:
        return cls(pk=e.id, partnership_pk=e.partnership_id, url=e.url,
                   event_types=None if e.event_types is None else [ev.EventType(t) for t in e.event_types],
                   description=e.description, active=e.active, created_at=e.created_at)


@strawberry.type(description="One try at sending a delivery.")
class WebhookAttempt:
    number: int = strawberry.field(description="1 for the first try, 2 for the first retry …")
    attempted_at: dt.datetime = strawberry.field(description="When it was sent.")
    status_code: int | None = strawberry.field(description="The receiver's HTTP status; null if none came back.")
    error: str | None = strawberry.field(description="What went wrong, if it did.")
    succeeded: bool = strawberry.field(description="The receiver acknowledged it (HTTP 2xx).")
    duration_ms: int = strawberry.field(description="How long the attempt took, in milliseconds.")

    @classmethod
    def from_row(cls, a: m.WebhookAttempt) -> WebhookAttempt:
        return cls(number=a.number, attempted_at=a.attempted_at, status_code=a.status_code, error=a.error,
                   succeeded=a.succeeded, duration_ms=a.duration_ms)


@strawberry.type(description="One event owed to one endpoint, and every attempt to send it.")
class WebhookDelivery:
    pk: strawberry.Private[int]
    endpoint_pk: strawberry.Private[int]
    event_pk: strawberry.Private[int]
    cursor: str = strawberry.field(description="Position in this list; pass as `after`.")
    event_type: EventType = strawberry.field(description="The type of the event delivered.")
    event_cursor: str = strawberry.field(description="The event's cursor in the feed.")
    payload: JSON = strawberry.field(description="The JSON body sent (signed as sent).")
    status: DeliveryStatus = strawberry.field(description="Pending, delivered or failed.")
    attempt_count: int = strawberry.field(description="Attempts made so far.")
    created_at: dt.datetime = strawberry.field(description="When the event happened and the delivery was queued.")
    next_attempt_at: dt.datetime | None = strawberry.field(description="When the next attempt is due (pending only).")
    delivered_at: dt.datetime | None = strawberry.field(description="When the receiver acknowledged it.")
    last_error: str | None = strawberry.field(description="What went wrong last time, if it did.")

    @strawberry.field(description="Globally unique ID of the delivery (also sent as the `webhook-id` header).")
    def id(self) -> strawberry.ID:
        return to_global_id("WebhookDelivery", self.pk)

    @strawberry.field(description="The endpoint's ID.")
    def endpoint_id(self) -> strawberry.ID:
        return to_global_id("WebhookEndpoint", self.endpoint_pk)

    @strawberry.field(description="Every attempt, first to last.")
    async def attempts(self, info: Info) -> list[WebhookAttempt]:
        return [WebhookAttempt.from_row(a) for a in await info.context.loaders.of(attempts_by_delivery).load(self.pk)]

    @classmethod
    def from_row(cls, d: m.WebhookDelivery, cursor: str) -> WebhookDelivery:
        return cls(
            pk=d.id, endpoint_pk=d.endpoint_id, event_pk=d.audit_event_id, cursor=cursor,
            event_type=ev.EventType(d.event_type), event_cursor=ev.encode_cursor(d.audit_event_id),
            payload=d.payload, status=d.status, attempt_count=d.attempts, created_at=d.created_at,
            next_attempt_at=d.next_attempt_at if d.status == m.DeliveryStatus.PENDING else None,
            delivered_at=d.delivered_at, last_error=d.last_error,
        )


@strawberry.type(description="A delivery in a page of webhook deliveries, with its cursor.")
class WebhookDeliveryEdge:
    cursor: str = strawberry.field(description="The delivery's cursor in this list.")
    node: WebhookDelivery = strawberry.field(description="The delivery.")


@strawberry.type(description="A page of webhook deliveries, oldest first.")
class WebhookDeliveryConnection:
    edges: list[WebhookDeliveryEdge] = strawberry.field(description="The deliveries of this page, with cursors.")
    page_info: PageInfo = strawberry.field(description="Pagination state; pass `endCursor` as `after`, or "
                                                       "`startCursor` as `before`.")

    @strawberry.field(description="The deliveries of this page, without cursors.")
    def nodes(self) -> list[WebhookDelivery]:
        return [e.node for e in self.edges]
