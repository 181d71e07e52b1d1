"""API tokens. Only a SHA-256 digest is stored; the secret is shown once, at creation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import Role
from core.models.base import Base, enum_column, utcnow


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None means every partnership (a platform administrator).
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    label: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]
