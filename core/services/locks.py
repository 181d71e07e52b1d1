"""Row locks for writes that check a rule across rows and then write.

"One person cannot be both Independent Person and Independent Scrutineer" (Merton §7.10),
"no vote after the tally", "one funding-default dispute per contribution": each is checked
by reading other rows first. Two requests at once both read the state before either
writes, both pass the check, and both write. A unique constraint cannot express these
rules (they are the plugins' rules, over several rows), so the writers that check them
take a lock on one row that stands for the rule's scope — the partnership for its
appointments, the decision for its votes — *before* they read, and hold it until commit.
The second writer waits, then reads what the first wrote.

PostgreSQL: ``SELECT … FOR NO KEY UPDATE`` (not ``FOR UPDATE``, so rows that merely refer
to the locked one — every insert with a foreign key to the partnership — are not held up).
SQLite has no row locks; one writer at a time holds the database, and a transaction only
becomes a writer at its first write (its reads before that see whatever is committed).
So on SQLite the lock is a write that changes nothing, which makes the transaction the
writer from that moment: later writers wait for its commit (``busy_timeout``), and its own
reads after the lock see every earlier commit.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

M = TypeVar("M")


async def locked(session: AsyncSession, model: type[M], pk: Any) -> M | None:
    """The row ``model`` with primary key ``pk``, locked until the transaction ends and read
    after the lock (never the copy an earlier read left in the session); ``None`` if there
    is none. Call it before reading anything the rule depends on."""
    table = model.__table__  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "sqlite":
        # A column set to itself: no key changes, so no foreign-key work for SQLite to do.
        column = next(c for c in table.columns if not c.primary_key and not c.foreign_keys)
        await session.execute(update(table).where(table.c.id == pk).values({column: column}))
    return await session.scalar(
        select(model).where(table.c.id == pk).with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
