"""Models for governance: meetings with agenda items and attendance per seat, decisions
with votes per seat, recorded chair selections and appointments to offices."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, enum_column, utcnow
from core.rules.governance import (
    AttendanceStatus,
    DecisionMethod,
    DecisionStatus,
    MeetingStatus,
    Office,
    VoteChoice,
)


class Meeting(Base):
    __tablename__ = "governance_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"), index=True)
    scheduled_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[MeetingStatus] = mapped_column(enum_column(MeetingStatus))
    papers_circulated_on: Mapped[dt.date | None] = mapped_column(Date)
    minutes_published_on: Mapped[dt.date | None] = mapped_column(Date)
    acts_for_partnership: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AgendaItem(Base):
    __tablename__ = "governance_agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("governance_meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))


class Attendance(Base):
    __tablename__ = "governance_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "seat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("governance_meeting.id", ondelete="CASCADE"), index=True)
    # RESTRICT: the record of a past meeting never changes; a seat ends, it is not deleted.
    seat_id: Mapped[int] = mapped_column(ForeignKey("seat.id", ondelete="RESTRICT"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_column(AttendanceStatus))
    proxy_name: Mapped[str | None] = mapped_column(String(300))
    chair_agreed: Mapped[bool] = mapped_column(Boolean, default=False)


class Decision(Base):
    __tablename__ = "governance_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("governance_meeting.id", ondelete="SET NULL"), index=True)
    method: Mapped[DecisionMethod] = mapped_column(enum_column(DecisionMethod))
    status: Mapped[DecisionStatus] = mapped_column(enum_column(DecisionStatus))
    subject: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    taken_by: Mapped[str | None] = mapped_column(String(300))
    must_report: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("governance_meeting.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(Text)
    rule_source: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Vote(Base):
    __tablename__ = "governance_vote"
    __table_args__ = (UniqueConstraint("decision_id", "counts_for"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("governance_decision.id", ondelete="CASCADE"), index=True)
    seat_id: Mapped[int] = mapped_column(ForeignKey("seat.id", ondelete="RESTRICT"))  # as Attendance's
    counts_for: Mapped[str] = mapped_column(String(64))
    choice: Mapped[VoteChoice] = mapped_column(enum_column(VoteChoice))


class ChairSelectionRecord(Base):
    __tablename__ = "governance_chair_selection"
    __table_args__ = (UniqueConstraint("group_id", "financial_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"), index=True)
    financial_year: Mapped[str] = mapped_column(String(7))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    seat_id: Mapped[int | None] = mapped_column(ForeignKey("seat.id", ondelete="SET NULL"))
    office: Mapped[str | None] = mapped_column(String(300))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("governance_meeting.id", ondelete="SET NULL"))
    recorded_on: Mapped[dt.date] = mapped_column(Date)


class Appointment(Base):
    __tablename__ = "governance_appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    office: Mapped[Office] = mapped_column(enum_column(Office))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"), index=True)
    holder_name: Mapped[str] = mapped_column(String(300))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
