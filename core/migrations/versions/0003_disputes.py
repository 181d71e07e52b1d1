"""disputes: disputes and their stage history; independent scrutiny (appointments, activities,
reports, recommendations and the partnership's responses)

Revision ID: 0003_disputes
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_disputes"
down_revision = "0001"
branch_labels = None
depends_on = None

KIND = ("PROFESSIONAL_DISAGREEMENT", "PARTNER_NOT_MEETING_OBLIGATIONS", "FUNDING_DEFAULT", "CHILDREN_AT_RISK_CHALLENGE")
STATUS = ("OPEN", "CLOSED")
OUTCOME = ("RESOLVED_BY_AGREEMENT", "ARBITRATED", "DETERMINED", "MEDIATED", "REFERRED_OUTSIDE", "WITHDRAWN")
MOVE = ("RAISED", "ESCALATED", "RESOLVED", "WITHDRAWN")
ACTOR = ("PRACTITIONERS", "STATUTORY_PARTNERS", "EXECUTIVE", "CHIEF_OFFICERS", "PARTNERSHIP_MEMBERS",
         "INDEPENDENT_PERSON", "SCRUTINEER", "PARTNERSHIP_CHAIR", "SECRETARY_OF_STATE")
ACTION = ("MEET", "ARBITRATE", "DETERMINE", "MEDIATE", "ESCALATE", "REFER")
ROLE = ("PUBLIC", "MEMBER", "STATUTORY_PARTNER", "BUSINESS_UNIT", "SCRUTINEER", "ADMINISTRATOR")
ACTIVITY = ("MEETING_ATTENDED", "PAPERS_REVIEWED", "AUDIT", "CASE_REVIEW", "ENGAGEMENT_WITH_CHILDREN_AND_FAMILIES",
            "OTHER")
RESPONSE = ("ACCEPTED", "REJECTED", "IN_PROGRESS")


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40, create_constraint=False)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
                                   ondelete=ondelete)


def _pk(table: str) -> list:
    return [sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))]


def _partnership(table: str) -> list:
    return [sa.Column("partnership_id", sa.Integer(), nullable=False),
            _fk(table, "partnership_id", "partnership", "CASCADE")]


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "dispute", *_pk("dispute"), *_partnership("dispute"),
        sa.Column("kind", _enum("disputekind", KIND), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("raised_by_seat_id", sa.Integer(), nullable=True),
        sa.Column("raised_by_agency_id", sa.Integer(), nullable=True),
        sa.Column("about_agency_id", sa.Integer(), nullable=True),
        sa.Column("subject_decision_ref", sa.String(length=200), nullable=True),
        sa.Column("raised_by", sa.String(length=200), nullable=False),
        sa.Column("current_stage", sa.Integer(), nullable=False),
        sa.Column("status", _enum("disputestatus", STATUS), nullable=False),
        sa.Column("outcome", _enum("disputeoutcome", OUTCOME), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        _fk("dispute", "raised_by_seat_id", "seat", "SET NULL"),
        _fk("dispute", "raised_by_agency_id", "agency", "SET NULL"),
        _fk("dispute", "about_agency_id", "agency", "SET NULL"),
    )
    _index("dispute", "partnership_id")

    op.create_table(
        "dispute_stage_change", *_pk("dispute_stage_change"),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("move", _enum("disputemove", MOVE), nullable=False),
        sa.Column("from_stage", sa.Integer(), nullable=True),
        sa.Column("to_stage", sa.Integer(), nullable=True),
        sa.Column("stage_actor", _enum("ladderactor", ACTOR), nullable=True),
        sa.Column("stage_name", sa.String(length=300), nullable=True),
        sa.Column("action", _enum("disputeaction", ACTION), nullable=True),
        sa.Column("outcome", _enum("disputeoutcome", OUTCOME), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("role", _enum("role", ROLE), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("acted_at", sa.DateTime(timezone=True), nullable=False),
        _fk("dispute_stage_change", "dispute_id", "dispute", "CASCADE"),
        sa.UniqueConstraint("dispute_id", "sequence", name=op.f("uq_dispute_stage_change_dispute_id")),
    )
    _index("dispute_stage_change", "dispute_id")

    op.create_table(
        "scrutiny_appointment", *_pk("scrutiny_appointment"), *_partnership("scrutiny_appointment"),
        sa.Column("scrutineer", sa.String(length=300), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("appointed_by", sa.String(length=300), nullable=False),
        sa.Column("appointed_from", sa.Date(), nullable=False),
        sa.Column("appointed_until", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _fk("scrutiny_appointment", "person_id", "person", "SET NULL"),
    )
    _index("scrutiny_appointment", "partnership_id")

    op.create_table(
        "scrutiny_activity", *_pk("scrutiny_activity"), *_partnership("scrutiny_activity"),
        sa.Column("kind", _enum("scrutinyactivitykind", ACTIVITY), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _fk("scrutiny_activity", "group_id", "group", "SET NULL"),
    )
    _index("scrutiny_activity", "partnership_id")

    op.create_table(
        "scrutiny_report", *_pk("scrutiny_report"), *_partnership("scrutiny_report"),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    _index("scrutiny_report", "partnership_id")

    op.create_table(
        "scrutiny_recommendation", *_pk("scrutiny_recommendation"), *_partnership("scrutiny_recommendation"),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("addressed_to", sa.String(length=300), nullable=True),
        sa.Column("response", _enum("recommendationresponse", RESPONSE), nullable=True),
        sa.Column("response_reason", sa.Text(), nullable=True),
        sa.Column("responded_by", sa.String(length=200), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        _fk("scrutiny_recommendation", "report_id", "scrutiny_report", "CASCADE"),
        sa.UniqueConstraint("report_id", "position", name=op.f("uq_scrutiny_recommendation_report_id")),
    )
    _index("scrutiny_recommendation", "report_id")
    _index("scrutiny_recommendation", "partnership_id")


def downgrade() -> None:
    for table in ("scrutiny_recommendation", "scrutiny_report", "scrutiny_activity", "scrutiny_appointment",
                  "dispute_stage_change", "dispute"):
        op.drop_table(table)
