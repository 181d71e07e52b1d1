"""Webhooks: endpoints an administrator registers, the outbox of deliveries written in the
same transaction as the change they announce, and every attempt to send one.

The event feed itself needs no table: the audit trail is the feed, and its autoincrement
``audit_event.id`` is the cursor (see ``core.services.events``).
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, enum_column, utcnow


class DeliveryStatus(enum.StrEnum):
    """Where a delivery stands."""

    PENDING = "PENDING"  # not yet acknowledged; the worker (re)tries it when due
    DELIVERED = "DELIVERED"  # the receiver answered 2xx
    FAILED = "FAILED"  # gave up after the configured number of attempts


class WebhookEndpoint(Base):
    """A URL that receives a partnership's events of the chosen types, signed with a secret."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    # HMAC key. Stored as given: the worker needs it to sign; it is never returned by the API.
    secret: Mapped[str] = mapped_column(String(200))
    # EventType names; None means every type.
    event_types: Mapped[list | None] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    # A worker holds the endpoint while it sends, so two workers never reorder its deliveries.
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[dt.datetime | None]


class WebhookDelivery(Base):
    """One event owed to one endpoint (a row of the transactional outbox)."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_endpoint_status", "endpoint_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoint.id", ondelete="CASCADE"))
    audit_event_id: Mapped[int] = mapped_column(ForeignKey("audit_event.id", ondelete="CASCADE"), index=True)
    event_type: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict] = mapped_column(JSON)  # the body, fixed when the event happened
    status: Mapped[DeliveryStatus] = mapped_column(enum_column(DeliveryStatus), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class WebhookAttempt(Base):
    """One try at sending a delivery: when, what came back, how long it took."""

    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    attempted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    succeeded: Mapped[bool] = mapped_column(default=False)
    duration_ms: Mapped[int] = mapped_column(default=0)
