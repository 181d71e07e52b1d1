"""Per-request DataLoaders: one SQL statement per relation per request, whatever the size
of the result. Each batch opens its own short session (sibling fields resolve concurrently,
and one AsyncSession must not be shared between them).

Rows are read with core ``select`` and turned straight into the GraphQL types: no ORM
identity map on the read path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker
from strawberry.dataloader import DataLoader

from core.auth import Principal
from core.models import Agency, Group, Partnership, Person, Seat, StatutoryPartner
from schema.errors import is_outage, outage_error
from schema.types import structure as t


def _many(rows: Sequence[Any], key: Callable[[Any], Any], keys: Sequence[Any], make: Callable) -> list[list]:
    grouped: dict[Any, list] = defaultdict(list)
    for r in rows:
        grouped[key(r)].append(make(r))
    return [grouped.get(k, []) for k in keys]


def _one(rows: Sequence[Any], key: Callable[[Any], Any], keys: Sequence[Any], make: Callable) -> list:
    found = {key(r): make(r) for r in rows}
    return [found.get(k) for k in keys]


class Loaders:
    """Built in ``get_context`` for each request; visibility follows the request's principal."""

    def __init__(self, sessions: async_sessionmaker, principal: Principal):
        self.sessions = sessions
        self.principal = principal
        self.partnership_by_id = DataLoader(self._partnerships_by_id)
        self.partnership_by_code = DataLoader(self._partnerships_by_code)
        self.agency_by_id = DataLoader(self._agencies_by_id)
        self.agencies_by_partnership = DataLoader(self._agencies_by_partnership)
        self.statutory_partners_by_partnership = DataLoader(self._statutory_partners)
        self.people_by_id = DataLoader(self._people_by_id)
        self.group_by_id = DataLoader(self._groups_by_id)
        self.groups_by_partnership = DataLoader(self._groups_by_partnership)
        self.seat_by_id = DataLoader(self._seats_by_id)
        self.seats_by_group = DataLoader(self._seats_by_group)
        self.seats_by_agency = DataLoader(self._seats_by_agency)
        self._extra: dict[Callable, DataLoader] = {}
        self._indexes: dict[tuple[int, int], dict[int, Any]] = {}

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

    async def _member_of(self, loader: DataLoader, parent: int, pk: int):
        key = (id(loader), parent)
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = {item.pk: item for item in await loader.load(parent)}
        return index.get(pk)

    async def rows(self, stmt) -> Sequence[Any]:
        """Run one read statement in its own short session."""
        return await self._rows(stmt)

    async def _rows(self, stmt) -> Sequence[Any]:
        try:
            async with self.sessions() as session:
                return (await session.execute(stmt)).all()
        except Exception as exc:
            if is_outage(exc):
                raise outage_error(exc) from exc
            raise

    @staticmethod
    def _primed(by_id: DataLoader, lists: list[list]) -> list[list]:
        """Objects loaded as part of a list also answer later by-id loads (accountableTo,
        deputyOf, agency), so those cost no statement whichever data the request meets."""
        for items in lists:
            for item in items:
                by_id.prime(item.pk, item)
        return lists

    # Confidential groups (and their seats) are visible to the partnership's members only.
    def _visible_group(self, partnership_id: int, confidential: bool) -> bool:
        return not confidential or self.principal.is_member(partnership_id)

    async def _partnerships_by_id(self, keys):
        rows = await self._rows(select(Partnership).where(Partnership.id.in_(keys)))
        return _one([r[0] for r in rows], lambda p: p.id, keys, t.Partnership.from_row)

    async def _partnerships_by_code(self, keys):
        rows = await self._rows(select(Partnership).where(Partnership.code.in_(keys)))
        found = _one([r[0] for r in rows], lambda p: p.code, keys, t.Partnership.from_row)
        for p in found:
            if p is not None:
                self.partnership_by_id.prime(p.pk, p)
        return found

    async def _agencies_by_id(self, keys):
        rows = await self._rows(select(Agency).where(Agency.id.in_(keys)))
        return _one([r[0] for r in rows], lambda a: a.id, keys, t.Agency.from_row)

    async def _agencies_by_partnership(self, keys):
        rows = await self._rows(
            select(Agency).where(Agency.partnership_id.in_(keys)).order_by(Agency.name, Agency.id)
        )
        return self._primed(self.agency_by_id, _many([r[0] for r in rows], lambda a: a.partnership_id, keys, t.Agency.from_row))

    async def _statutory_partners(self, keys):
        rows = await self._rows(
            select(StatutoryPartner, Agency)
            .join(Agency, Agency.id == StatutoryPartner.agency_id)
            .where(StatutoryPartner.partnership_id.in_(keys))
            .order_by(StatutoryPartner.position)
        )
        return _many(rows, lambda r: r[0].partnership_id, keys, lambda r: t.StatutoryPartner.from_row(*r))

    async def _people_by_id(self, keys):
        rows = await self._rows(select(Person).where(Person.id.in_(keys)))
        return _one([r[0] for r in rows], lambda p: p.id, keys, t.Person.from_row)

    async def _groups_by_id(self, keys):
        rows = await self._rows(select(Group).where(Group.id.in_(keys)))
        visible = [r[0] for r in rows if self._visible_group(r[0].partnership_id, r[0].confidential)]
        return _one(visible, lambda g: g.id, keys, t.Group.from_row)

    async def _groups_by_partnership(self, keys):
        rows = await self._rows(
            select(Group).where(Group.partnership_id.in_(keys)).order_by(Group.position)
        )
        visible = [r[0] for r in rows if self._visible_group(r[0].partnership_id, r[0].confidential)]
        return self._primed(self.group_by_id, _many(visible, lambda g: g.partnership_id, keys, t.Group.from_row))

    def _seat_query(self):
        return select(Seat, Group.confidential).join(Group, Group.id == Seat.group_id)

    def _visible_seats(self, rows) -> list:
        return [r[0] for r in rows if self._visible_group(r[0].partnership_id, r[1])]

    async def _seats_by_id(self, keys):
        rows = await self._rows(self._seat_query().where(Seat.id.in_(keys)))
        return _one(self._visible_seats(rows), lambda s: s.id, keys, t.Seat.from_row)

    async def _seats_by_group(self, keys):
        rows = await self._rows(self._seat_query().where(Seat.group_id.in_(keys)).order_by(Seat.position))
        return self._primed(self.seat_by_id, _many(self._visible_seats(rows), lambda s: s.group_id, keys, t.Seat.from_row))

    async def _seats_by_agency(self, keys):
        rows = await self._rows(
            self._seat_query().where(Seat.agency_id.in_(keys)).order_by(Group.position, Seat.position)
        )
        return self._primed(self.seat_by_id, _many(self._visible_seats(rows), lambda s: s.agency_id, keys, t.Seat.from_row))
