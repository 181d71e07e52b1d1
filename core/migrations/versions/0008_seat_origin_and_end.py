"""seats: where each comes from (published or recorded), and an end date instead of deletion

A load reconciles only what the document published, so a seat says where it comes from:
``origin`` PUBLISHED (the document, via ``partnerships load`` / ``import``) or RECORDED
(added through the API). Seats added through the API before this revision are found by
their ``seat.create`` audit event; every other seat was loaded from a document.

A seat ends (``ended_on``, ``ended_by``) instead of being deleted, and attendance and votes
may no longer be deleted with their seat (ON DELETE RESTRICT instead of CASCADE): the
record of past meetings never changes.

The seat table only gains columns (a plain ALTER TABLE on SQLite too: it is referenced by
many tables, and rebuilding it with foreign keys on would cascade its delete); the two
leaf tables whose foreign key changes are rebuilt in batch mode on SQLite.

Revision ID: 0008_seat_origin_and_end
Revises: 0002_governance
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_seat_origin_and_end"
down_revision = "0002_governance"
branch_labels = None
depends_on = None

_ORIGIN = sa.Enum("PUBLISHED", "RECORDED", name="seatorigin", native_enum=False, length=40, create_constraint=False)
_HISTORY = (("governance_attendance", "seat_id"), ("governance_vote", "seat_id"))


def _seat_fk(ondelete: str) -> None:
    for table, column in _HISTORY:
        name = f"fk_{table}_{column}_seat"
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_="foreignkey")
            batch_op.create_foreign_key(name, "seat", [column], ["id"], ondelete=ondelete)


def upgrade() -> None:
    op.add_column("seat", sa.Column("origin", _ORIGIN, nullable=False, server_default="PUBLISHED"))
    op.add_column("seat", sa.Column("ended_on", sa.Date(), nullable=True))
    op.add_column("seat", sa.Column("ended_by", _ORIGIN, nullable=True))
    seat = sa.table("seat", sa.column("id", sa.Integer()), sa.column("origin", sa.String()))
    audit = sa.table("audit_event", sa.column("entity_id", sa.String()), sa.column("entity_type", sa.String()),
                     sa.column("action", sa.String()))
    op.execute(
        seat.update()
        .where(sa.cast(seat.c.id, sa.String()).in_(
            sa.select(audit.c.entity_id).where(audit.c.action == "seat.create", audit.c.entity_type == "Seat")))
        .values(origin="RECORDED")
    )
    _seat_fk("RESTRICT")


def downgrade() -> None:
    _seat_fk("CASCADE")
    for column in ("ended_by", "ended_on", "origin"):  # a plain ALTER TABLE, as in upgrade()
        op.drop_column("seat", column)
