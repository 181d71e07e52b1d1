"""The integrations domain's batch functions: rows in, rows out (types wrap them)."""

from __future__ import annotations

from sqlalchemy import select

from core.models import integrations as m
from schema.batch import grouped


async def attempts_by_delivery(loaders, keys: list[int]) -> list[list[m.WebhookAttempt]]:
    """Each delivery's attempts, oldest first."""
    rows = await loaders.rows(
        select(m.WebhookAttempt).where(m.WebhookAttempt.delivery_id.in_(keys))
        .order_by(m.WebhookAttempt.delivery_id, m.WebhookAttempt.number)
    )
    return grouped([a for (a,) in rows], lambda a: a.delivery_id, keys)
