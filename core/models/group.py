"""Groups (boards, executives, sub-groups …) and the seats held in them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import ChairBasis, GroupKind, SeatRole
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
    """A person or an unnamed post holding a role for an agency in a group."""

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
