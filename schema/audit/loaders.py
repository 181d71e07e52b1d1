"""The audit domain's reads: one page of a partnership's trail by keyset, and its size."""

from __future__ import annotations

from sqlalchemy import func, select

from core import models
from schema.types.common import Keyset


async def trail_page(sessions, partnership_pk: int, window: Keyset) -> tuple[list[models.AuditEvent], int]:
    """The rows of one page of the trail (newest first; one more than the page, which tells
    whether the trail goes on) and the trail's total."""
    stmt = (select(models.AuditEvent)
            .where(models.AuditEvent.partnership_id == partnership_pk, *window.conditions(models.AuditEvent.id))
            .order_by(window.order(models.AuditEvent.id)).limit(window.limit))
    async with sessions() as session:
        rows = list((await session.scalars(stmt)).all())
        total = await session.scalar(select(func.count()).select_from(models.AuditEvent)
                                     .where(models.AuditEvent.partnership_id == partnership_pk)) or 0
    return rows, total
