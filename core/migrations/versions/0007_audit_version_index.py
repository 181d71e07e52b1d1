"""audit trail: an index answering "the newest event of partnership P" in one lookup

The response cache versions a partnership's answers by the newest audit event of that
partnership (schema/cache.py); ``(partnership_id, id)`` makes that a single index probe
however long the trail grows. It replaces the single-column index, whose lookups it serves.

Revision ID: 0007_audit_version_index
Revises: 0001
Create Date: 2026-11-23 14:00:00
"""
from __future__ import annotations

from alembic import op

revision = "0007_audit_version_index"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_partnership_version", ["partnership_id", "id"], unique=False)
        batch_op.drop_index("ix_audit_event_partnership_id")


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_partnership_id", ["partnership_id"], unique=False)
        batch_op.drop_index("ix_audit_event_partnership_version")
