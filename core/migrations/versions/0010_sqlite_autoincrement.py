"""ids never reused on SQLite: every table's id column AUTOINCREMENT

Without AUTOINCREMENT SQLite gives a new row the largest id in the table plus one, so
after the newest row is deleted (a load that drops an agency, a host arrangement recorded
again) the next row takes its id, and an id held by a client, an event or a webhook
payload comes to name another record. With it SQLite never hands out an id twice, as
PostgreSQL's sequences never do (nothing to change there).

SQLite cannot alter a column, so each table is rebuilt the way SQLite documents: create
the new table from the stored CREATE statement with the id column marked AUTOINCREMENT,
copy the rows (ids kept; ``sqlite_sequence`` starts at the largest), drop the old table,
rename, recreate its indexes. Foreign keys are off for the run (core/migrations/env.py),
so dropping a table cascades nothing, and every reference is checked afterwards.

This revision also joins the branches (one head again): it must follow every table.

Revision ID: 0010_sqlite_autoincrement
Revises: 0003_disputes, 0004_funding, 0005_reviews, 0006_integrations, 0008_seat_origin_and_end,
    0009_audit_visible_versions
"""
from __future__ import annotations

import re

from alembic import op

revision = "0010_sqlite_autoincrement"
down_revision = ("0003_disputes", "0004_funding", "0005_reviews", "0006_integrations", "0008_seat_origin_and_end",
                 "0009_audit_visible_versions")
branch_labels = None
depends_on = None

_TABLE = re.compile(r'^CREATE TABLE ("?)(\w+)\1')
_PK_CONSTRAINT = re.compile(r',\s*CONSTRAINT "?(pk_\w+)"? PRIMARY KEY \(id\)')
_ID_COLUMN = re.compile(r"^(\s*)id INTEGER NOT NULL,", re.MULTILINE)
_ID_AUTOINCREMENT = re.compile(r'^(\s*)id INTEGER NOT NULL CONSTRAINT "?(pk_\w+)"? PRIMARY KEY AUTOINCREMENT,',
                               re.MULTILINE)


def _with_autoincrement(sql: str) -> str | None:
    """The CREATE statement with ``id`` as an AUTOINCREMENT primary key (None: nothing to do)."""
    pk = _PK_CONSTRAINT.search(sql)
    if pk is None or not _ID_COLUMN.search(sql):
        return None
    sql = _PK_CONSTRAINT.sub("", sql, count=1)
    return _ID_COLUMN.sub(rf"\1id INTEGER NOT NULL CONSTRAINT {pk.group(1)} PRIMARY KEY AUTOINCREMENT,", sql, count=1)


def _without_autoincrement(sql: str) -> str | None:
    found = _ID_AUTOINCREMENT.search(sql)
    if found is None:
        return None
    sql = _ID_AUTOINCREMENT.sub(r"\1id INTEGER NOT NULL,", sql, count=1)
    end = sql.rstrip().rindex(")")
    return f"{sql[:end].rstrip()}, \n\tCONSTRAINT {found.group(2)} PRIMARY KEY (id)\n)"


def _rebuild(rewrite) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # PostgreSQL: identity columns and sequences never reuse a value
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("foreign keys are on: rebuilding a table would cascade its drop (see core/migrations/env.py)")
    tables = bind.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'alembic_version' ORDER BY name").all()
    for name, sql in tables:
        new_sql = rewrite(sql)
        if new_sql is None:
            continue
        indexes = bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (name,)).scalars().all()
        columns = ", ".join(f'"{row[1]}"' for row in bind.exec_driver_sql(f'PRAGMA table_info("{name}")').all())
        temporary = f"_rebuild_{name}"
        op.execute(_TABLE.sub(f'CREATE TABLE "{temporary}"', new_sql, count=1))
        op.execute(f'INSERT INTO "{temporary}" ({columns}) SELECT {columns} FROM "{name}"')
        op.execute(f'DROP TABLE "{name}"')
        op.execute(f'ALTER TABLE "{temporary}" RENAME TO "{name}"')
        for index in indexes:
            op.execute(index)


def upgrade() -> None:
    _rebuild(_with_autoincrement)


def downgrade() -> None:
    _rebuild(_without_autoincrement)
