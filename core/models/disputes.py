"""Models for disputes and independent scrutiny.

A dispute's ladder is not stored: it is asked of the partnership's plugin (a rule), and the
dispute keeps its kind and the number of the stage it has reached. Its stage history is
append-only; ``(dispute_id, sequence)`` is unique, so two concurrent moves of one dispute
cannot both be written.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import Role
from core.models.base import Base, enum_column, utcnow
from core.rules.disputes import (
    DisputeAction,
    DisputeKind,
    DisputeMove,
    DisputeOutcome,
    DisputeStatus,
    LadderActor,
    RecommendationResponse,
    ScrutinyActivityKind,
)


class Dispute(Base):
    __tablename__ = "dispute"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DisputeKind] = mapped_column(enum_column(DisputeKind))
    summary: Mapped[str] = mapped_column(Text)
    raised_by_seat_id: Mapped[int | None] = mapped_column(ForeignKey("seat.id", ondelete="SET NULL"))
    raised_by_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    about_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    # A governance decision, by reference only (no FK: the governance tables are another domain's).
    subject_decision_ref: Mapped[str | None] = mapped_column(String(200))
    raised_by: Mapped[str] = mapped_column(String(200))  # the actor who recorded it
    current_stage: Mapped[int]
    status: Mapped[DisputeStatus] = mapped_column(enum_column(DisputeStatus))
    outcome: Mapped[DisputeOutcome | None] = mapped_column(enum_column(DisputeOutcome))
    raised_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]


class DisputeStageChange(Base):
    __tablename__ = "dispute_stage_change"
    __table_args__ = (UniqueConstraint("dispute_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("dispute.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int]
    move: Mapped[DisputeMove] = mapped_column(enum_column(DisputeMove))
    from_stage: Mapped[int | None]
    to_stage: Mapped[int | None]
    stage_actor: Mapped[LadderActor | None] = mapped_column(enum_column(LadderActor))  # who acts at the stage reached/decided
    stage_name: Mapped[str | None] = mapped_column(String(300))
    action: Mapped[DisputeAction | None] = mapped_column(enum_column(DisputeAction))
    outcome: Mapped[DisputeOutcome | None] = mapped_column(enum_column(DisputeOutcome))
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    notes: Mapped[str | None] = mapped_column(Text)
    acted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ScrutinyAppointment(Base):
    __tablename__ = "scrutiny_appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    scrutineer: Mapped[str] = mapped_column(String(300))  # name, or the post where no name is given
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    appointed_by: Mapped[str] = mapped_column(String(300))
    appointed_from: Mapped[dt.date] = mapped_column(Date)
    appointed_until: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ScrutinyActivity(Base):
    __tablename__ = "scrutiny_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ScrutinyActivityKind] = mapped_column(enum_column(ScrutinyActivityKind))
    title: Mapped[str] = mapped_column(String(300))
    happened_on: Mapped[dt.date] = mapped_column(Date)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="SET NULL"))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ScrutinyReport(Base):
    __tablename__ = "scrutiny_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    published_on: Mapped[dt.date] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    findings: Mapped[list] = mapped_column(JSON)  # list of strings, in the report's order
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ScrutinyRecommendation(Base):
    __tablename__ = "scrutiny_recommendation"
    __table_args__ = (UniqueConstraint("report_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("scrutiny_report.id", ondelete="CASCADE"), index=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    addressed_to: Mapped[str | None] = mapped_column(String(300))
    response: Mapped[RecommendationResponse | None] = mapped_column(enum_column(RecommendationResponse))
    response_reason: Mapped[str | None] = mapped_column(Text)
    responded_by: Mapped[str | None] = mapped_column(String(200))
    responded_at: Mapped[dt.datetime | None]
