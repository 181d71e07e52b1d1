"""Models for funding: budgets (every revision kept), contributions, expenditure, reserves
brought forward and recorded host arrangements, per partnership and UK financial year.

Money is integer pence (BigInteger) — never a float. Financial years are stored as their
canonical text, "2019/20" (``core.financial_year.FinancialYear``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, enum_column, utcnow
from core.rules.funding import ContributionKind, ContributionStatus, HostRole

FY = String(7)  # "2019/20"


class BudgetRevision(Base):
    """One version of a partnership's budget for a year. Revisions are never updated or
    deleted: a revision during the year adds a row (Sandwell §24: revisable at discretion)."""

    __tablename__ = "funding_budget_revision"
    __table_args__ = (UniqueConstraint("partnership_id", "financial_year", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    financial_year: Mapped[str] = mapped_column(FY)
    revision: Mapped[int]  # 1 for the budget as first set, then 2, 3 …
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Contribution(Base):
    """An agency's contribution for a year: cash, or in kind (what is provided, stated value)."""

    __tablename__ = "funding_contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    financial_year: Mapped[str] = mapped_column(FY)
    kind: Mapped[ContributionKind] = mapped_column(enum_column(ContributionKind))
    amount_pence: Mapped[int | None] = mapped_column(BigInteger)  # in kind: the stated value, if any
    provides: Mapped[str | None] = mapped_column(Text)  # in kind: what is provided
    status: Mapped[ContributionStatus] = mapped_column(enum_column(ContributionStatus))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    priority: Mapped[str | None] = mapped_column(String(300))  # an additional contribution for this priority
    note: Mapped[str | None] = mapped_column(Text)
    default_dispute_id: Mapped[int | None]  # the funding-default dispute opened for it, if any
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Expenditure(Base):
    """A line of spending in a year (e.g. the Business Unit's posts)."""

    __tablename__ = "funding_expenditure"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    financial_year: Mapped[str] = mapped_column(FY)
    description: Mapped[str] = mapped_column(String(300))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReserveBroughtForward(Base):
    """The reserve a year starts with (Sefton: the LSCB reserve, transferred 1 October 2021)."""

    __tablename__ = "funding_reserve"
    __table_args__ = (UniqueConstraint("partnership_id", "financial_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    financial_year: Mapped[str] = mapped_column(FY)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str | None] = mapped_column(String(300))
    transferred_on: Mapped[dt.date | None] = mapped_column(Date)


class HostRecord(Base):
    """A host-arrangement line the partnership recorded for a year (Lewisham: the later years
    are under review until one is recorded). Recorded lines take precedence over the hook."""

    __tablename__ = "funding_host_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    financial_year: Mapped[str] = mapped_column(FY)
    position: Mapped[int]
    role: Mapped[HostRole] = mapped_column(enum_column(HostRole))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    post: Mapped[str | None] = mapped_column(String(300))
    duties: Mapped[str | None] = mapped_column(Text)  # one duty per line
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
