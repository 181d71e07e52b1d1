"""A partnership and who is in it: agencies, statutory partners and published office holders."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import AgencyKind
from core.models.base import Base, enum_column


class Partnership(Base):
    __tablename__ = "partnership"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    local_authority: Mapped[str] = mapped_column(String(300))
    region: Mapped[str | None] = mapped_column(String(100))
    population: Mapped[int | None]
    document_title: Mapped[str] = mapped_column(String(500))
    document_published: Mapped[str | None] = mapped_column(String(100))
    document_version: Mapped[str | None] = mapped_column(String(100))
    document_url: Mapped[str | None] = mapped_column(String(1000))
    plugin: Mapped[str] = mapped_column(String(200))  # the plugin module that provided it


class Agency(Base):
    __tablename__ = "agency"
    __table_args__ = (UniqueConstraint("partnership_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[AgencyKind] = mapped_column(enum_column(AgencyKind))
    source: Mapped[str | None] = mapped_column(String(200))


class StatutoryPartner(Base):
    """One of the safeguarding partners with equal and joint responsibility (CSWA 2017 s.16E)."""

    __tablename__ = "statutory_partner"
    __table_args__ = (UniqueConstraint("partnership_id", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"))
    position: Mapped[int]  # order as the document lists them
    lead_role: Mapped[str] = mapped_column(String(300))
    delegated_to: Mapped[str | None] = mapped_column(String(300))
    reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(200))


class Person(Base):
    """A public office holder as published: the role title always, the name only if printed."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("partnership_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    role_title: Mapped[str] = mapped_column(String(300))
    name: Mapped[str | None] = mapped_column(String(300))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    source: Mapped[str | None] = mapped_column(String(200))
