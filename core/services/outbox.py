"""The webhook outbox: deliveries written in the same transaction as the change they report.

``audit.record`` calls :func:`enqueue` for every event it writes; the webhook worker
(core/services/webhooks.py) sends what is queued. Its own module so that auditing does not
depend on the webhook service, which itself audits (no import cycle).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import AuditEvent, Partnership
from core.models.base import utcnow
from core.models.integrations import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from core.services.events import event_type, is_feed_event, payload_of


async def enqueue(session: AsyncSession, event: AuditEvent) -> int:
    """Write a delivery for every active endpoint of the event's partnership that wants its
    type. Called by ``audit.record`` inside the writing transaction; returns the count."""
    if event.partnership_id is None or not is_feed_event(event.entity_type):
        return 0
    rows = (await session.execute(
        select(WebhookEndpoint.id, WebhookEndpoint.event_types, Partnership.code)
        .join(Partnership, Partnership.id == WebhookEndpoint.partnership_id)
        .where(WebhookEndpoint.partnership_id == event.partnership_id, WebhookEndpoint.active.is_(True))
        .order_by(WebhookEndpoint.id)
    )).all()
    kind = event_type(event.action)
    wanted = [(eid, code) for eid, types, code in rows if types is None or kind.value in types]
    if not wanted:
        return 0
    payload = payload_of(event, kind, wanted[0][1])
    now = utcnow()
    session.add_all([
        WebhookDelivery(endpoint_id=eid, audit_event_id=event.id, event_type=kind.value, payload=payload,
                        status=DeliveryStatus.PENDING, attempts=0, created_at=now, next_attempt_at=now)
        for eid, _ in wanted
    ])
    await session.flush()
    return len(wanted)
