"""Writing audit events. Every service that changes data calls :func:`record` in the same
transaction as the change, so a change and its audit event commit or fail together."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.models import AuditEvent
from core.services import events, webhooks


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


async def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    entity_type: str,
    partnership_id: int | None,
    entity_id: Any = None,
    before: dict | None = None,
    after: dict | None = None,
    confidential: bool = False,
) -> AuditEvent:
    # ``partnership_id`` is required (None for writes about access, not a partnership): the
    # response cache versions a partnership's pages by its newest event (schema/cache.py),
    # so an event naming the wrong partnership, or none by omission, would leave them stale.
    # Integrations: the audit trail is the event feed. Take the feed lock first so event ids
    # become visible in commit order (no gaps for a poller), then write the webhook outbox
    # rows for this event in the same transaction (see core/services/events.py, webhooks.py).
    # The lock is held until commit, so call record() as a service's last write.
    await events.serialise_feed(session)
    event = AuditEvent(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        partnership_id=partnership_id,
        before=_jsonable(before),
        after=_jsonable(after),
        confidential=confidential,
    )
    session.add(event)
    await session.flush()
    await webhooks.enqueue(session, event)
    return event
