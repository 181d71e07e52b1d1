"""Per-request DataLoaders: one SQL statement per relation per request, whatever the size
of the result. Each batch opens its own short session (sibling fields resolve concurrently,
and one AsyncSession must not be shared between them).

Rows are read with core ``select`` and turned straight into the GraphQL types: no ORM
identity map on the read path.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, namedtuple
from collections.abc import Callable, Sequence
from functools import cached_property, lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker
from strawberry.dataloader import DataLoader

from core.auth import Principal
from core.models import Agency, Group, Partnership, Person, Seat, StatutoryPartner
from core.models.group import in_force_on
from core.read_policy import ReadPolicy
from schema.errors import is_outage, outage_error
from schema.structure import types as t

# Plain rows (core tables, not ORM entities): the types' ``from_row`` read the same
# attribute names from a Row, without the cost of building and tracking ORM objects.
_PARTNERSHIP = Partnership.__table__
_AGENCY = Agency.__table__
_PERSON = Person.__table__
_GROUP = Group.__table__
_SEAT = Seat.__table__


@lru_cache(maxsize=64)
def _record_class(keys: tuple[str, ...]) -> type:
    return namedtuple("Record", keys)


def _records(keys: tuple[str, ...], rows: Sequence[Any]) -> list:
    """Rows as named tuples: the same attribute names, read ~10× faster than a Row's
    (``from_row`` reads a dozen attributes of each of hundreds of rows per page)."""
    make = _record_class(keys)._make
    return [make(r) for r in rows]


def _many(rows: Sequence[Any], key: Callable[[Any], Any], keys: Sequence[Any], make: Callable) -> list[list]:
    grouped: dict[Any, list] = defaultdict(list)
    for r in rows:
        grouped[key(r)].append(make(r))
    return [grouped.get(k, []) for k in keys]


def _one(rows: Sequence[Any], key: Callable[[Any], Any], keys: Sequence[Any], make: Callable) -> list:
    found = {key(r): make(r) for r in rows}
    return [found.get(k) for k in keys]


class _ById(DataLoader):
    """A by-id DataLoader that also answers from objects already read as part of a list.

    Lists register their items in ``known`` (a dict update, not a future per object), so
    a later by-id load of any of them costs no statement, however large the list."""

    def __init__(self, load_fn):
        super().__init__(load_fn)
        self.known: dict[Any, Any] = {}

    def load(self, key):
        if key in self.known and self.cache_map.get(key) is None:
            self.prime(key, self.known[key])
        return super().load(key)


class Loaders:
    """Built in ``get_context`` for each request; visibility follows the request's principal."""

    def __init__(self, sessions: async_sessionmaker, principal: Principal):
        self.sessions = sessions
        self.principal = principal
        self.policy = ReadPolicy(principal)
        self._engine = sessions.kw.get("bind")
        self._conn = None  # the request's read connection (core statements of the loaders below)
        self._conn_lock = asyncio.Lock()
        self._hold = False
        self._extra: dict[Callable, DataLoader] = {}
        self._indexes: dict[tuple[int, int], dict[int, Any]] = {}

    # Each made on first use and kept on the instance (``forget`` walks its attributes): every
    # operation gets a Loaders, most use one or two of these (a subscription, none), and ten
    # thousand open subscriptions held ~6 KB of unused DataLoaders each.
    partnership_by_id = cached_property(lambda self: DataLoader(self._partnerships_by_id))
    partnership_by_code = cached_property(lambda self: DataLoader(self._partnerships_by_code))
    agency_by_id = cached_property(lambda self: _ById(self._agencies_by_id))
    agencies_by_partnership = cached_property(lambda self: DataLoader(self._agencies_by_partnership))
    statutory_partners_by_partnership = cached_property(lambda self: DataLoader(self._statutory_partners))
    people_by_id = cached_property(lambda self: DataLoader(self._people_by_id))
    group_by_id = cached_property(lambda self: _ById(self._groups_by_id))
    groups_by_partnership = cached_property(lambda self: DataLoader(self._groups_by_partnership))
    seat_by_id = cached_property(lambda self: _ById(self._seats_by_id))
    seats_by_group = cached_property(lambda self: DataLoader(self._seats_by_group))
    seats_ever_by_group = cached_property(lambda self: DataLoader(self._seats_ever_by_group))  # ended too, for past meetings
    seats_by_agency = cached_property(lambda self: DataLoader(self._seats_by_agency))

    def of(self, batch: Callable) -> DataLoader:
        """The request's DataLoader for a domain's batch function ``batch(loaders, keys)``.

        Domains keep their batch functions in their own modules; one loader per function
        per request, so each relation still costs one statement per request.
        """
        loader = self._extra.get(batch)
        if loader is None:
            loader = self._extra[batch] = DataLoader(lambda keys: batch(self, keys))
        return loader

    async def agency_in(self, partnership_id: int, agency_id: int):
        """An agency of a partnership, through the partnership's agency list: one statement
        per request however many seats, partners or people ask for their agency."""
        return await self._member_of(self.agencies_by_partnership, partnership_id, agency_id)

    async def group_in(self, partnership_id: int, group_id: int):
        return await self._member_of(self.groups_by_partnership, partnership_id, group_id)

    async def seat_in(self, group_id: int, seat_id: int):
        return await self._member_of(self.seats_by_group, group_id, seat_id)

    def agency_in_now(self, partnership_id: int, agency_id: int):
        """``agency_in`` for a plain resolver: the agency itself when the partnership's list
        is already loaded, else an awaitable of it."""
        return self._member_of_now(self.agencies_by_partnership, partnership_id, agency_id)

    def group_in_now(self, partnership_id: int, group_id: int):
        return self._member_of_now(self.groups_by_partnership, partnership_id, group_id)

    def seat_in_now(self, group_id: int, seat_id: int):
        return self._member_of_now(self.seats_by_group, group_id, seat_id)

    def _member_of_now(self, loader: DataLoader, parent: int, pk: int):
        index = self._indexes.get((id(loader), parent))
        if index is None:
            items = t.ready(loader.load(parent))
            if not isinstance(items, list):
                return self._member_of(loader, parent, pk)
            index = self._indexes[(id(loader), parent)] = {item.pk: item for item in items}
        return index.get(pk)

    async def _member_of(self, loader: DataLoader, parent: int, pk: int):
        key = (id(loader), parent)
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = {item.pk: item for item in await loader.load(parent)}
        return index.get(pk)

    async def rows(self, stmt) -> Sequence[Any]:
        """Run one read statement in its own short session."""
        return await self._rows(stmt)

    def hold_connection(self) -> None:
        """Keep one read connection for the whole request (``release`` gives it back)."""
        self._hold = True

    async def release(self) -> None:
        """Give the read connection back once no statement is using it; later statements
        (a streamed answer, a resolver still running) each take their own."""
        self._hold = False
        async with self._conn_lock:
            await self._drop()

    def forget(self) -> None:
        """Drop everything the request loaded, once its answer is built (and a subscription's,
        before each event: see ``Subscription.events``).

        Each DataLoader's batch function is a method of this object, so the loaders and
        this object form a reference cycle: without this, every row a request read (a full
        ``compare`` reads ~40k objects) would wait for CPython's cyclic collector instead of
        being freed when the request ends."""
        for loader in [*vars(self).values(), *self._extra.values()]:
            if isinstance(loader, DataLoader):
                loader.cache_map.clear()
                loader.batch = None  # its last batch: keys, futures, results
                if isinstance(loader, _ById):
                    loader.known.clear()
        self._extra.clear()
        self._indexes.clear()

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except Exception:  # a broken connection: the pool discards it; the answer is unaffected
                pass

    async def json_value(self, sql: str, params: tuple) -> str:
        """The one value of a statement planned as text (``schema.compiled``: the answer's
        JSON, built by PostgreSQL), on the request's read connection."""
        async def run(conn):
            return (await conn.exec_driver_sql(sql, params)).scalar_one()

        return await self._on_connection(run)

    async def _core_rows(self, stmt) -> Sequence[Any]:
        """The loaders' own core statements (plain rows), on one autocommit connection per
        request: no ORM session, transaction or pool pre-ping per statement (each cost
        ~1 ms, a page runs six). Each statement still sees everything committed before it."""
        if self._engine is None:
            return await self._rows(stmt)

        async def run(conn):
            result = await conn.execute(stmt)
            return _records(tuple(result.keys()), result.all())

        return await self._on_connection(run)

    async def _on_connection(self, run):
        try:
            async with self._conn_lock:
                if self._conn is None:
                    conn = await self._engine.connect()
                    try:
                        await conn.execution_options(isolation_level="AUTOCOMMIT")
                    except BaseException:
                        await conn.close()
                        raise
                    self._conn = conn
                try:
                    return await run(self._conn)
                except BaseException:
                    await self._drop()
                    raise
                finally:
                    if not self._hold:
                        await self._drop()
        except Exception as exc:
            if is_outage(exc):
                raise outage_error(exc) from exc
            raise

    async def _rows(self, stmt) -> Sequence[Any]:
        try:
            async with self.sessions() as session:
                return (await session.execute(stmt)).all()
        except Exception as exc:
            if is_outage(exc):
                raise outage_error(exc) from exc
            raise

    @staticmethod
    def _primed(by_id: _ById, lists: list[list]) -> list[list]:
        """Objects loaded as part of a list also answer later by-id loads (accountableTo,
        deputyOf, agency), so those cost no statement whichever data the request meets."""
        known = by_id.known
        for items in lists:
            for item in items:
                known[item.pk] = item
        return lists

    def _group_visible(self):
        """Confidential groups (and their seats) stay in the database for callers who may
        not read them: the read policy's condition is part of the statement."""
        return self.policy.group_condition(Group.partnership_id, Group.confidential)

    async def _partnerships_by_id(self, keys):
        rows = await self._core_rows(select(_PARTNERSHIP).where(_PARTNERSHIP.c.id.in_(keys)))
        return _one(rows, lambda p: p.id, keys, t.Partnership.from_row)

    async def _partnerships_by_code(self, keys):
        rows = await self._core_rows(select(_PARTNERSHIP).where(_PARTNERSHIP.c.code.in_(keys)))
        found = _one(rows, lambda p: p.code, keys, t.Partnership.from_row)
        for p in found:
            if p is not None:
                self.partnership_by_id.prime(p.pk, p)
        return found

    async def _agencies_by_id(self, keys):
        rows = await self._core_rows(select(_AGENCY).where(_AGENCY.c.id.in_(keys)))
        return _one(rows, lambda a: a.id, keys, t.Agency.from_row)

    async def _agencies_by_partnership(self, keys):
        rows = await self._core_rows(
            select(_AGENCY).where(_AGENCY.c.partnership_id.in_(keys)).order_by(_AGENCY.c.name, _AGENCY.c.id)
        )
        return self._primed(self.agency_by_id, _many(rows, lambda a: a.partnership_id, keys, t.Agency.from_row))

    async def _statutory_partners(self, keys):
        # one plain row carries what from_row reads of both the partner and its agency
        rows = await self._core_rows(
            select(Agency.id, Agency.kind, StatutoryPartner.partnership_id, StatutoryPartner.source,
                   StatutoryPartner.lead_role, StatutoryPartner.delegated_to, StatutoryPartner.reason)
            .join(Agency, Agency.id == StatutoryPartner.agency_id)
            .where(StatutoryPartner.partnership_id.in_(keys))
            .order_by(StatutoryPartner.position)
        )
        return _many(rows, lambda r: r.partnership_id, keys, lambda r: t.StatutoryPartner.from_row(r, r))

    async def _people_by_id(self, keys):
        rows = await self._core_rows(select(_PERSON).where(_PERSON.c.id.in_(keys)))
        return _one(rows, lambda p: p.id, keys, t.Person.from_row)

    async def _groups_by_id(self, keys):
        rows = await self._core_rows(select(_GROUP).where(_GROUP.c.id.in_(keys), self._group_visible()))
        return _one(rows, lambda g: g.id, keys, t.Group.from_row)

    async def _groups_by_partnership(self, keys):
        rows = await self._core_rows(
            select(_GROUP).where(_GROUP.c.partnership_id.in_(keys), self._group_visible()).order_by(_GROUP.c.position)
        )
        return self._primed(self.group_by_id, _many(rows, lambda g: g.partnership_id, keys, t.Group.from_row))

    def _seat_query(self):
        return select(*_SEAT.c).join(Group, Group.id == Seat.group_id).where(self._group_visible())

    async def _seats_by_id(self, keys):
        rows = await self._core_rows(self._seat_query().where(Seat.id.in_(keys)))
        return _one(rows, lambda s: s.id, keys, t.Seat.from_row)

    # Lists of seats are of seats in force; an ended seat is still found by id (seat_by_id),
    # for the attendance and votes recorded for it, and among a group's seats ever.
    async def _seats_by_group(self, keys):
        rows = await self._core_rows(self._seat_query().where(Seat.group_id.in_(keys), in_force_on(None))
                                     .order_by(Seat.position))
        return self._primed(self.seat_by_id, _many(rows, lambda s: s.group_id, keys, t.Seat.from_row))

    async def _seats_ever_by_group(self, keys):
        rows = await self._core_rows(self._seat_query().where(Seat.group_id.in_(keys)).order_by(Seat.position))
        return _many(rows, lambda s: s.group_id, keys, t.Seat.from_row)

    async def _seats_by_agency(self, keys):
        rows = await self._core_rows(
            self._seat_query().where(Seat.agency_id.in_(keys), in_force_on(None)).order_by(Group.position, Seat.position)
        )
        return self._primed(self.seat_by_id, _many(rows, lambda s: s.agency_id, keys, t.Seat.from_row))
