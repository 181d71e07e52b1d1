"""Declarative base with a naming convention, so migrations name constraints the same on
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import DateTime, Enum, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: DateTime(timezone=True)}


def enum_column(cls: type[enum.Enum]) -> Enum:
    """Enums are stored as their names in a VARCHAR: portable, and new members need no DDL."""
    return Enum(cls, native_enum=False, create_constraint=False, length=40, validate_strings=True)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
