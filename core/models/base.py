"""Declarative base with a naming convention, so migrations name constraints the same on
SQLite and PostgreSQL, and one datetime type that is UTC with an offset on both."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import DateTime, Enum, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A point in time, always read back in UTC with its offset.

    PostgreSQL's ``timestamptz`` keeps the instant; SQLite has no such type, and
    SQLAlchemy writes the wall-clock digits without the offset and reads them back naive.
    So values are converted to UTC on the way in (a naive one is taken to be UTC already,
    as ``utcnow`` and every stored value are) and marked UTC on the way out: the API, the
    event feed and webhook payloads then say ``+00:00`` on both databases, and code can
    compare any two datetimes it reads.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime()}

    def __init_subclass__(cls, **kwargs) -> None:
        """Every table's integer id is AUTOINCREMENT on SQLite, as migration 0010 made them:
        SQLite would otherwise give a new row the id of the newest row deleted, and an id
        held by a client, an event or a webhook would come to name another record."""
        super().__init_subclass__(**kwargs)
        table = cls.__dict__.get("__table__")
        if table is not None and [c.name for c in table.primary_key.columns] == ["id"]:
            table.dialect_options["sqlite"]["autoincrement"] = True


def enum_column(cls: type[enum.Enum]) -> Enum:
    """Enums are stored as their names in a VARCHAR: portable, and new members need no DDL."""
    return Enum(cls, native_enum=False, create_constraint=False, length=40, validate_strings=True)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
