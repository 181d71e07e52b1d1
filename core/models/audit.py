"""The append-only audit trail: one event per successful write.

It is what a partnership must be able to show its scrutineer, and later the feed for
integrations. Nothing in the application updates or deletes a row; on PostgreSQL a
trigger (see the migration) refuses it at the database too.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"
    # The newest event of a partnership in one index probe: the response cache's version
    # of that partnership's answers (schema/cache.py; migration 0007).
    __table_args__ = (Index("ix_audit_event_partnership_version", "partnership_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(200))  # "token:12 (member, merton)" or "cli"
    action: Mapped[str] = mapped_column(String(100))  # "seat.create"
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    confidential: Mapped[bool] = mapped_column(default=False)
