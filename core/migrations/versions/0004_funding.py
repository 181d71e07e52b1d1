"""funding: budget revisions, contributions, expenditure, reserves, recorded host arrangements

Revision ID: 0004_funding
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_funding"
down_revision = "0001"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40, create_constraint=False)


def _common(table: str) -> list:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnership.id"],
                                name=op.f(f"fk_{table}_partnership_id_partnership"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "funding_budget_revision", *_common("funding_budget_revision"),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("partnership_id", "financial_year", "revision",
                            name=op.f("uq_funding_budget_revision_partnership_id")),
    )
    _index("funding_budget_revision", "partnership_id")

    op.create_table(
        "funding_contribution", *_common("funding_contribution"),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("contributionkind", "CASH", "IN_KIND"), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=True),
        sa.Column("provides", sa.Text(), nullable=True),
        sa.Column("status", _enum("contributionstatus", "PLEDGED", "INVOICED", "RECEIVED"), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("priority", sa.String(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("default_dispute_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"],
                                name=op.f("fk_funding_contribution_agency_id_agency"), ondelete="CASCADE"),
    )
    _index("funding_contribution", "partnership_id")
    _index("funding_contribution", "agency_id")

    op.create_table(
        "funding_expenditure", *_common("funding_expenditure"),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    _index("funding_expenditure", "partnership_id")

    op.create_table(
        "funding_reserve", *_common("funding_reserve"),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=True),
        sa.Column("transferred_on", sa.Date(), nullable=True),
        sa.UniqueConstraint("partnership_id", "financial_year", name=op.f("uq_funding_reserve_partnership_id")),
    )
    _index("funding_reserve", "partnership_id")

    op.create_table(
        "funding_host_record", *_common("funding_host_record"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", _enum("hostrole", "HOST_AGENCY", "ACCOUNTABLE_BODY", "COST_CENTRE_MANAGER",
                                "DAY_TO_DAY_BUDGET_MANAGER"), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("post", sa.String(length=300), nullable=True),
        sa.Column("duties", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"],
                                name=op.f("fk_funding_host_record_agency_id_agency"), ondelete="SET NULL"),
    )
    _index("funding_host_record", "partnership_id")


def downgrade() -> None:
    for table in ("funding_host_record", "funding_reserve", "funding_expenditure",
                  "funding_contribution", "funding_budget_revision"):
        op.drop_table(table)
