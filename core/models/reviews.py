"""Models for reviews: serious incidents and practice reviews (no child-identifying data: a
case reference only), review actions, annual reports and their copies, business plans with
objectives, actions and status history, and the confidential risk & challenge log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, enum_column, utcnow
from core.rules.reviews import (
    ActionStatus,
    IncidentStage,
    LearningReviewKind,
    Methodology,
    PlanKind,
    Rag,
    ReviewDecision,
    RiskRaiser,
)


class Incident(Base):
    """A serious incident and the practice review that may follow (WT2018 ch.4)."""

    __tablename__ = "review_incident"
    __table_args__ = (UniqueConstraint("partnership_id", "case_reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    case_reference: Mapped[str] = mapped_column(String(40))
    stage: Mapped[IncidentStage] = mapped_column(enum_column(IncidentStage))
    became_aware_on: Mapped[dt.date] = mapped_column(Date)
    panel_notified_on: Mapped[dt.date | None] = mapped_column(Date)
    partners_notified_on: Mapped[dt.date | None] = mapped_column(Date)
    rapid_review_sent_on: Mapped[dt.date | None] = mapped_column(Date)
    decision: Mapped[ReviewDecision | None] = mapped_column(enum_column(ReviewDecision))
    learning_review_kind: Mapped[LearningReviewKind | None] = mapped_column(enum_column(LearningReviewKind))
    decision_rationale: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    reviewer_name: Mapped[str | None] = mapped_column(String(300))
    commissioned_on: Mapped[dt.date | None] = mapped_column(Date)
    regulators_informed_on: Mapped[dt.date | None] = mapped_column(Date)  # Panel, Ofsted and DfE
    methodology: Mapped[Methodology | None] = mapped_column(enum_column(Methodology))
    methodology_other: Mapped[str | None] = mapped_column(String(300))
    final_report_on: Mapped[dt.date | None] = mapped_column(Date)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    public_until: Mapped[dt.date | None] = mapped_column(Date)
    report_published: Mapped[bool | None]
    not_published_reason: Mapped[str | None] = mapped_column(Text)
    published_instead: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReviewAction(Base):
    """A recommendation of a review and the action taken on it."""

    __tablename__ = "review_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("review_incident.id", ondelete="CASCADE"), index=True)
    recommendation: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus))
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AnnualReport(Base):
    __tablename__ = "review_annual_report"
    __table_args__ = (UniqueConstraint("partnership_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    published_on: Mapped[dt.date] = mapped_column(Date)
    source_section: Mapped[str | None] = mapped_column(String(200))  # where the recipients come from
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AnnualReportCopy(Base):
    """A copy of an annual report due to one recipient within N days of publication."""

    __tablename__ = "review_annual_report_copy"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("review_annual_report.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    recipient: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[dt.date] = mapped_column(Date)
    sent_on: Mapped[dt.date | None] = mapped_column(Date)


class BusinessPlan(Base):
    __tablename__ = "review_business_plan"
    __table_args__ = (UniqueConstraint("partnership_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    kind: Mapped[PlanKind] = mapped_column(enum_column(PlanKind))
    title: Mapped[str] = mapped_column(String(300))
    period: Mapped[str | None] = mapped_column(String(40))
    agreed_on: Mapped[dt.date | None] = mapped_column(Date)
    introduction: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(300))


class PlanPriority(Base):
    __tablename__ = "review_plan_priority"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("review_business_plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class PlanObjective(Base):
    __tablename__ = "review_plan_objective"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("review_business_plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)


class PlanAction(Base):
    """A plan action: numbered where the plan numbers it; outcome, who, when, RAG, comments."""

    __tablename__ = "review_plan_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("review_business_plan.id", ondelete="CASCADE"), index=True)
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("review_plan_objective.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    who: Mapped[str | None] = mapped_column(String(500))
    when_text: Mapped[str | None] = mapped_column(String(300))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[Rag | None] = mapped_column(enum_column(Rag))
    comments: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(300))


class PlanActionStatusChange(Base):
    """Status history of a plan action: every RAG change, with its comment."""

    __tablename__ = "review_plan_action_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("review_plan_action.id", ondelete="CASCADE"), index=True)
    status: Mapped[Rag | None] = mapped_column(enum_column(Rag))
    comment: Mapped[str | None] = mapped_column(Text)
    changed_on: Mapped[dt.date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(200))


class RiskEntry(Base):
    """An entry of the confidential risk & challenge log (members only)."""

    __tablename__ = "review_risk_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    concern: Mapped[str] = mapped_column(Text)
    risks: Mapped[str] = mapped_column(Text)
    action_required: Mapped[str] = mapped_column(Text)
    by_whom: Mapped[str] = mapped_column(String(300))
    by_when_text: Mapped[str | None] = mapped_column(String(300))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    rag: Mapped[Rag] = mapped_column(enum_column(Rag))
    raised_by: Mapped[RiskRaiser] = mapped_column(enum_column(RiskRaiser))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(300))
