"""The audit trail as read through the API: administrators and scrutineers only."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.scalars import JSON

from core import models
from schema.types.common import Node


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
                   entity_type=e.entity_type, entity_id=e.entity_id, before=e.before, after=e.after)
