"""The audit trail as read through the API: administrators and scrutineers only.

Paged newest first by the event's id (keyset pagination): a page is one indexed range read
whatever its depth, every event is reachable however long the trail grows, and events
written while a reader pages through arrive before its first page, so they never shift
the pages behind it (no repeats, no gaps). Payloads are redacted as read
(core.services.audit.redact), for events written before redaction on write.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from core import models
from core.services.audit import redact_payload
from schema.audit.loaders import trail_page
from schema.errors import BadArgument
from schema.types.common import Keyset, Node, PageInfo

#: Audit ids are 32-bit integers in the database; a cursor beyond them is not one we issued.
MAX_ID = 2**31 - 1


@strawberry.type(description="One write, as recorded: who, when, what, before and after. Append-only.")
class AuditEvent(Node):
    pk: strawberry.Private[int]
    occurred_at: dt.datetime = strawberry.field(description="When the write committed (UTC).")
    actor: str = strawberry.field(description="Who made it: a token's label, or `cli`.")
    action: str = strawberry.field(description="What was done, e.g. `seat.create`.")
    entity_type: str = strawberry.field(description="The kind of object written.")
    entity_id: str | None = strawberry.field(description="Its database key.")
    before: JSON | None = strawberry.field(description="The object's values before the write.")
    after: JSON | None = strawberry.field(description="The object's values after the write.")

    @classmethod
    def from_row(cls, e: models.AuditEvent) -> AuditEvent:
        return cls(pk=e.id, occurred_at=e.occurred_at, actor=e.actor, action=e.action,
                   entity_type=e.entity_type, entity_id=e.entity_id,
                   before=redact_payload(e.before, e.entity_type), after=redact_payload(e.after, e.entity_type))


@strawberry.type(description="An item in a connection, with its cursor.")
class AuditEventEdge:
    cursor: str = strawberry.field(description="Opaque cursor of this item.")
    node: AuditEvent = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, Relay style.")
class AuditEventConnection:
    page_info: PageInfo = strawberry.field(description="Pagination state.")
    total_count: int = strawberry.field(description="Number of items in the whole list.")
    edges: list[AuditEventEdge] = strawberry.field(description="The items of this page, with cursors.")

    @strawberry.field(description="The items of this page, without cursors.")
    def nodes(self) -> list[AuditEvent]:
        return [e.node for e in self.edges]


def encode_cursor(event_id: int) -> str:
    return base64.urlsafe_b64encode(f"au:{event_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, argument: str = "after") -> int:
    """The id of the event a cursor stands for; pages continue with the older ones."""
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        kind, _, value = raw.partition(":")
        if kind != "au" or not value.isdigit() or not 0 < int(value) <= MAX_ID:
            raise ValueError
        return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadArgument(f"`{argument}: {cursor!r}` is not a cursor of the audit trail; use an edge's `cursor` "
                          "or a page's `startCursor` or `endCursor`") from None


async def audit_page(info: Info, partnership_pk: int, first: int | None, after: str | None, *,
                     last: int | None = None, before: str | None = None, visible: bool) -> AuditEventConnection:
    """One page of a partnership's trail, newest first (empty when not ``visible``)."""
    window = Keyset.of(first, decode_cursor(after) if after else None, last,
                       decode_cursor(before, "before") if before else None, info.context.settings.max_page_size,
                       descending=True)
    rows: list[models.AuditEvent] = []
    total = 0
    if visible:
        # the trail is newest first: `after` a cursor means older, `before` it newer
        rows, total = await trail_page(info.context.sessions, partnership_pk, older_than=window.after,
                                       newer_than=window.before, oldest_first=window.backward, limit=window.limit)
    page, earlier, later = window.page(rows)
    edges = [AuditEventEdge(cursor=encode_cursor(e.id), node=AuditEvent.from_row(e)) for e in page]
    return AuditEventConnection(
        page_info=PageInfo(
            has_next_page=later,
            has_previous_page=earlier,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
        edges=edges,
    )
