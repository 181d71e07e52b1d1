"""governance: meetings, agenda items, attendance, decisions, votes, chair selections, appointments

Revision ID: 0002_governance
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_governance"
down_revision = "0001"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40, create_constraint=False)


def _pk(table: str) -> list:
    return [sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))]


def _fk(table: str, column: str, target: str, ondelete: str, nullable: bool = False) -> list:
    return [
        sa.Column(column, sa.Integer(), nullable=nullable),
        sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete),
    ]


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    t = "governance_meeting"
    op.create_table(
        t, *_pk(t), *_fk(t, "partnership_id", "partnership", "CASCADE"), *_fk(t, "group_id", "group", "CASCADE"),
        sa.Column("scheduled_on", sa.Date(), nullable=False),
        sa.Column("status", _enum("meetingstatus", "SCHEDULED", "HELD", "CANCELLED"), nullable=False),
        sa.Column("papers_circulated_on", sa.Date(), nullable=True),
        sa.Column("minutes_published_on", sa.Date(), nullable=True),
        sa.Column("acts_for_partnership", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    _index(t, "partnership_id", "group_id")

    t = "governance_agenda_item"
    op.create_table(
        t, *_pk(t), *_fk(t, "meeting_id", "governance_meeting", "CASCADE"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
    )
    _index(t, "meeting_id")

    t = "governance_attendance"
    op.create_table(
        t, *_pk(t), *_fk(t, "meeting_id", "governance_meeting", "CASCADE"), *_fk(t, "seat_id", "seat", "CASCADE"),
        sa.Column("status", _enum("attendancestatus", "PRESENT", "APOLOGIES", "ABSENT", "DEPUTY", "PROXY"), nullable=False),
        sa.Column("proxy_name", sa.String(length=300), nullable=True),
        sa.Column("chair_agreed", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("meeting_id", "seat_id", name=op.f("uq_governance_attendance_meeting_id")),
    )
    _index(t, "meeting_id", "seat_id")

    t = "governance_decision"
    op.create_table(
        t, *_pk(t), *_fk(t, "partnership_id", "partnership", "CASCADE"), *_fk(t, "group_id", "group", "CASCADE"),
        *_fk(t, "meeting_id", "governance_meeting", "SET NULL", nullable=True),
        sa.Column("method", _enum("decisionmethod", "CONSENSUS", "VOTE", "EXECUTIVE_ACTION"), nullable=False),
        sa.Column("status", _enum("decisionstatus", "OPEN", "AGREED", "CARRIED", "NOT_CARRIED", "TAKEN"), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("taken_by", sa.String(length=300), nullable=True),
        sa.Column("must_report", sa.Boolean(), nullable=False),
        *_fk(t, "reported_meeting_id", "governance_meeting", "SET NULL", nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("rule_source", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    _index(t, "partnership_id", "group_id", "meeting_id")

    t = "governance_vote"
    op.create_table(
        t, *_pk(t), *_fk(t, "decision_id", "governance_decision", "CASCADE"), *_fk(t, "seat_id", "seat", "CASCADE"),
        sa.Column("counts_for", sa.String(length=64), nullable=False),
        sa.Column("choice", _enum("votechoice", "FOR", "AGAINST", "ABSTAIN"), nullable=False),
        sa.UniqueConstraint("decision_id", "counts_for", name=op.f("uq_governance_vote_decision_id")),
    )
    _index(t, "decision_id")

    t = "governance_chair_selection"
    op.create_table(
        t, *_pk(t), *_fk(t, "partnership_id", "partnership", "CASCADE"), *_fk(t, "group_id", "group", "CASCADE"),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        *_fk(t, "agency_id", "agency", "SET NULL", nullable=True),
        *_fk(t, "seat_id", "seat", "SET NULL", nullable=True),
        sa.Column("office", sa.String(length=300), nullable=True),
        *_fk(t, "meeting_id", "governance_meeting", "SET NULL", nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.UniqueConstraint("group_id", "financial_year", name=op.f("uq_governance_chair_selection_group_id")),
    )
    _index(t, "partnership_id", "group_id")

    t = "governance_appointment"
    op.create_table(
        t, *_pk(t), *_fk(t, "partnership_id", "partnership", "CASCADE"),
        sa.Column("office", _enum("office", "INDEPENDENT_CHAIR", "INDEPENDENT_PERSON", "INDEPENDENT_SCRUTINEER",
                                  "SUBGROUP_CHAIR", "SUBGROUP_VICE_CHAIR"), nullable=False),
        *_fk(t, "group_id", "group", "CASCADE", nullable=True),
        sa.Column("holder_name", sa.String(length=300), nullable=False),
        *_fk(t, "person_id", "person", "SET NULL", nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    _index(t, "partnership_id", "group_id")


def downgrade() -> None:
    for table in ("governance_appointment", "governance_chair_selection", "governance_vote", "governance_decision",
                  "governance_attendance", "governance_agenda_item", "governance_meeting"):
        op.drop_table(table)
