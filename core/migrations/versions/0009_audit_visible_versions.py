"""audit trail: the newest event a member, or the public, may see, in one index probe

The response cache versions each caller's answers only by the events that caller may see
(schema/cache.py), so that a confidential write does not show in the public's ``X-Cache``;
``latestEventCursor`` likewise. Without these partial indexes the public's newest event is
found by walking back over every confidential event and every write about access (token
issues, webhook attempts: thousands, with a failing receiver) written since it.

Revision ID: 0009_audit_visible_versions
Revises: 0007_audit_version_index
Create Date: 2026-11-28 20:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_audit_visible_versions"
down_revision = "0007_audit_version_index"
branch_labels = None
depends_on = None

_OPEN = "entity_type NOT IN ('ApiToken', 'WebhookDelivery', 'WebhookEndpoint')"
_INDEXES = (
    ("ix_audit_event_open_version", ["partnership_id", "id"], False),
    ("ix_audit_event_public_version", ["partnership_id", "id"], True),
    ("ix_audit_event_public", ["id"], True),
)


def upgrade() -> None:
    for name, columns, public in _INDEXES:
        where = {dialect: sa.text(f"({_OPEN}) AND confidential = {false}" if public else f"({_OPEN})")
                 for dialect, false in (("postgresql", "false"), ("sqlite", "0"))}
        op.create_index(name, "audit_event", columns, unique=False,
                        postgresql_where=where["postgresql"], sqlite_where=where["sqlite"])


def downgrade() -> None:
    for name, _, _ in reversed(_INDEXES):
        op.drop_index(name, table_name="audit_event")
