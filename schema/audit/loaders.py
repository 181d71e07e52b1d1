"""The audit domain's reads: one page of a partnership's trail by keyset, and its size."""

from __future__ import annotations

from sqlalchemy import func, select

from core import models


async def trail_page(sessions, partnership_pk: int, before_id: int | None, size: int,
                     ) -> tuple[list[models.AuditEvent], int]:
    """Up to ``size + 1`` events older than ``before_id`` (all when None), newest first, and
    the trail's total — the extra row tells the caller whether another page follows."""
    stmt = select(models.AuditEvent).where(models.AuditEvent.partnership_id == partnership_pk)
    if before_id is not None:
        stmt = stmt.where(models.AuditEvent.id < before_id)
    async with sessions() as session:
        rows = list((await session.scalars(stmt.order_by(models.AuditEvent.id.desc()).limit(size + 1))).all())
        total = await session.scalar(select(func.count()).select_from(models.AuditEvent)
                                     .where(models.AuditEvent.partnership_id == partnership_pk)) or 0
    return rows, total
