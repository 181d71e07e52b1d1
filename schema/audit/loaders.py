"""The audit domain's reads: one page of a partnership's trail by keyset, and its size."""

from __future__ import annotations

from sqlalchemy import func, select

from core import models


async def trail_page(sessions, partnership_pk: int, *, older_than: int | None, newer_than: int | None,
                     oldest_first: bool, limit: int) -> tuple[list[models.AuditEvent], int]:
    """Up to ``limit`` events of the trail between two ids (exclusive; None: no bound), newest
    first (oldest first to page backward), and the trail's total."""
    stmt = select(models.AuditEvent).where(models.AuditEvent.partnership_id == partnership_pk)
    if older_than is not None:
        stmt = stmt.where(models.AuditEvent.id < older_than)
    if newer_than is not None:
        stmt = stmt.where(models.AuditEvent.id > newer_than)
    order = models.AuditEvent.id.asc() if oldest_first else models.AuditEvent.id.desc()
    async with sessions() as session:
        rows = list((await session.scalars(stmt.order_by(order).limit(limit))).all())
        total = await session.scalar(select(func.count()).select_from(models.AuditEvent)
                                     .where(models.AuditEvent.partnership_id == partnership_pk)) or 0
    return rows, total
