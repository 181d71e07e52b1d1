"""integrations: webhook endpoints, the delivery outbox and delivery attempts

The event feed reads the audit trail (``audit_event.id`` is its cursor), so it needs no table.

Revision ID: 0006_integrations
Revises: 0001
Create Date: 2026-11-23 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_integrations"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook_endpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("event_types", sa.JSON(), nullable=True),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnership.id"],
                                name=op.f("fk_webhook_endpoint_partnership_id_partnership"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoint")),
    )
    with op.batch_alter_table("webhook_endpoint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_endpoint_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("endpoint_id", sa.Integer(), nullable=False),
        sa.Column("audit_event_id", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=60), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.Enum("PENDING", "DELIVERED", "FAILED", name="deliverystatus",
                                    native_enum=False, length=40), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["audit_event_id"], ["audit_event.id"],
                                name=op.f("fk_webhook_delivery_audit_event_id_audit_event"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["endpoint_id"], ["webhook_endpoint.id"],
                                name=op.f("fk_webhook_delivery_endpoint_id_webhook_endpoint"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
    )
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_delivery_endpoint_status", ["endpoint_id", "status", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_webhook_delivery_audit_event_id"), ["audit_event_id"], unique=False)

    op.create_table(
        "webhook_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["delivery_id"], ["webhook_delivery.id"],
                                name=op.f("fk_webhook_attempt_delivery_id_webhook_delivery"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_attempt")),
    )
    with op.batch_alter_table("webhook_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_attempt_delivery_id"), ["delivery_id"], unique=False)


def downgrade() -> None:
    op.drop_table("webhook_attempt")
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_delivery_audit_event_id"))
        batch_op.drop_index("ix_webhook_delivery_endpoint_status")
    op.drop_table("webhook_delivery")
    with op.batch_alter_table("webhook_endpoint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_endpoint_partnership_id"))
    op.drop_table("webhook_endpoint")
