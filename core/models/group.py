"""Groups (boards, executives, sub-groups …) and the seats held in them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import ChairBasis, GroupKind, SeatOrigin, SeatRole
from core.models.base import Base, enum_column


class Group(Base):
    __tablename__ = "group"
    __table_args__ = (UniqueConstraint("partnership_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[GroupKind] = mapped_column(enum_column(GroupKind))
    position: Mapped[int]  # order in the document's structure
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="SET NULL"), index=True)
    purpose: Mapped[str | None] = mapped_column(Text)
    cadence: Mapped[str | None] = mapped_column(String(200))
    meetings_per_year: Mapped[int | None]
    # The chairing rule as data; the chairs hook interprets it.
    chair_basis: Mapped[ChairBasis | None] = mapped_column(enum_column(ChairBasis))
    chair_office: Mapped[str | None] = mapped_column(String(300))
    chair_seat_code: Mapped[str | None] = mapped_column(String(64))
    chair_rotation: Mapped[list[str]] = mapped_column(JSON, default=list)
    chair_rotation_start: Mapped[str | None] = mapped_column(String(7))
    chair_source: Mapped[str | None] = mapped_column(String(200))
    terms_of_reference_review: Mapped[dt.date | None]
    shared_with: Mapped[list[str]] = mapped_column(JSON, default=list)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(String(200))


class Seat(Base):
    """A person or an unnamed post holding a role for an agency in a group.

    A seat is never deleted: it *ends* (``ended_on``), so the attendance and votes recorded
    for it — the record of past meetings — stay as they were. Readers of a group's seats
    today see only seats in force (``ended_on`` null); a past meeting is judged with the
    seats in force on its day (:func:`in_force_on`).
    """

    __tablename__ = "seat"
    __table_args__ = (UniqueConstraint("partnership_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    role: Mapped[SeatRole] = mapped_column(enum_column(SeatRole))
    post: Mapped[str] = mapped_column(String(300))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    deputy_of_id: Mapped[int | None] = mapped_column(ForeignKey("seat.id", ondelete="SET NULL"))
    sector_representative: Mapped[bool] = mapped_column(Boolean, default=False)
    membership_code: Mapped[str | None] = mapped_column(String(60))
    notes: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(200))
    origin: Mapped[SeatOrigin] = mapped_column(
        enum_column(SeatOrigin), default=SeatOrigin.PUBLISHED, server_default=SeatOrigin.PUBLISHED.value)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)  # its last day in force; null while in force
    # What ended it: the document no longer listing it (PUBLISHED) or a user (RECORDED). A load
    # never brings back a seat a user ended.
    ended_by: Mapped[SeatOrigin | None] = mapped_column(enum_column(SeatOrigin))


def in_force_on(day: dt.date | None):
    """The condition "the seat was in force on ``day``" (``None``: in force now), for queries.
    A seat is in force up to and including the day it ended."""
    if day is None:
        return Seat.ended_on.is_(None)
    return Seat.ended_on.is_(None) | (Seat.ended_on >= day)
