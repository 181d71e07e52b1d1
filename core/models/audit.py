"""The append-only audit trail: one event per successful write.

It is what a partnership must be able to show its scrutineer, and later the feed for
integrations. Nothing in the application updates or deletes a row; on PostgreSQL a
trigger (see the migration) refuses it at the database too.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, bindparam, false
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


#: Entity types of writes about access (API tokens, webhooks): audited, but no one's
#: domain event, and seen only by those who read the whole trail.
INTERNAL_ENTITY_TYPES = ("ApiToken", "WebhookDelivery", "WebhookEndpoint")


def open_event():
    """SQL: an event that is not about access. The types are written into the statement
    (not bound), so both databases can match it to the partial indexes below."""
    return AuditEvent.entity_type.not_in(
        bindparam("internal_types", INTERNAL_ENTITY_TYPES, expanding=True, literal_execute=True, unique=True))


def public_event():
    """SQL: an event the public may see (core/services/events.py)."""
    return open_event() & (AuditEvent.confidential == false())


# The newest event a member, or the public, may see, of one partnership or of all, in one
# index probe however many events they may not see came after it (schema/cache.py, the
# event feed's latestEventCursor; migration 0009).
for _name, _columns, _where in (
    ("ix_audit_event_open_version", (AuditEvent.partnership_id, AuditEvent.id), open_event),
    ("ix_audit_event_public_version", (AuditEvent.partnership_id, AuditEvent.id), public_event),
    ("ix_audit_event_public", (AuditEvent.id,), public_event),
):
    Index(_name, *_columns, postgresql_where=_where(), sqlite_where=_where())
