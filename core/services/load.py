"""`partnerships load`: bring the published part of the database in line with each plugin's
arrangements file (and `partnerships import`, with a Popolo export in place of the file).

What a load may change is what the document publishes, and nothing else:

- every row is matched by its code within the partnership and only changed columns are
  written, so a second run changes nothing and records no audit event;
- a seat the document no longer lists *ends* (``ended_on``, ``ended_by`` PUBLISHED); it is
  never deleted, so the attendance and votes recorded for it stay;
- seats recorded through the API (``origin`` RECORDED) are never touched, and a published
  seat that a user ended (``removeSeat``) is never brought back — if the document lists a
  code held by such a seat, the load leaves it as it is and says so in its report;
- an agency, person or group the document no longer lists is deleted only when no row
  refers to it (a seat — ended or not —, a meeting, a contribution …); otherwise it is
  kept, and the report says why;
- each record changed is one audit event, before and after, so the trail shows what a load
  did; a partnership's first load is one ``partnership.load`` event (it publishes the
  document as a whole).

docs/deployment.md ("What a load may and may not change") says the same for operators.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.enums import SeatOrigin
from core.models import Agency, Base, Group, Partnership, Person, Seat, StatutoryPartner
from core.plugins import PartnershipRules
from core.services import audit


@dataclass
class LoadReport:
    code: str
    created: int = 0
    updated: int = 0
    removed: int = 0  # seats ended, and rows deleted that nothing referred to
    details: list[str] = field(default_factory=list)  # what changed, and what was left alone and why

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


@dataclass
class _Change:
    action: str
    obj: Any
    before: dict | None
    after: dict | None
    confidential: bool


def _apply(obj: Any, values: dict[str, Any]) -> tuple[dict, dict]:
    """Set ``values`` on ``obj``; the changed columns, before and after."""
    before, after = {}, {}
    for key, value in values.items():
        old = getattr(obj, key)
        if old != value:
            before[key], after[key] = old, value
            setattr(obj, key, value)
    return before, after


def _entity(model: type) -> str:
    """The audit action's first part: ``StatutoryPartner`` -> ``statutory_partner``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


#: Columns a load keeps in line without calling it a change: a row's place in the
#: document's order moves whenever a row before it comes or goes.
_QUIET = frozenset({"position"})


async def _referenced_by(session: AsyncSession, obj: Any) -> str | None:
    """The name of a table with a row that refers to ``obj``, or None if nothing does."""
    target = type(obj).__table__
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is target:
                hit = await session.scalar(select(literal(1)).select_from(table).where(fk.parent == obj.id).limit(1))
                if hit is not None:
                    return table.name
    return None


class _Syncer:
    """Applies one document to one partnership, collecting a change per record."""

    def __init__(self, session: AsyncSession, report: LoadReport):
        self.session = session
        self.report = report
        self.changes: list[_Change] = []
        self.fresh: set[int] = set()  # id() of rows created in this run

    def _created(self, obj: Any, values: dict, confidential: bool) -> None:
        self.fresh.add(id(obj))
        self.report.created += 1
        self.changes.append(_Change(f"{_entity(type(obj))}.create", obj, None, values, confidential))

    def _updated(self, obj: Any, before: dict, after: dict, confidential: bool) -> None:
        if id(obj) in self.fresh:  # a reference set on a row created in this run: part of its creation
            return
        self.report.updated += 1
        self.report.details.append(f"updated {type(obj).__tablename__} {getattr(obj, 'code', obj.id)}")
        self.changes.append(_Change(f"{_entity(type(obj))}.update", obj, before, after, confidential))

    def upsert(self, obj: Any | None, model: type, values: dict, *, confidential: bool = False) -> Any:
        if obj is None:
            obj = model(**values)
            self.session.add(obj)
            self._created(obj, values, confidential)
        else:
            before, after = _apply(obj, values)
            if set(after) - _QUIET:
                self._updated(obj, before, after, confidential)
        return obj

    def link(self, obj: Any, values: dict[str, Any], *, confidential: bool = False) -> None:
        """Set references that need every row's id first."""
        before, after = _apply(obj, values)
        if after:
            self._updated(obj, before, after, confidential)

    async def sync(self, model: type, pid: int, rows: list[tuple[str, dict]], confidential: dict[str, bool] | None = None
                   ) -> tuple[dict[str, Any], list[Any]]:
        """Create or update one row per (code, values); the rows by code, and the rows the
        document no longer lists (for :meth:`remove_unreferenced`, once everything is linked)."""
        existing = {r.code: r for r in await self.session.scalars(select(model).where(model.partnership_id == pid))}
        result: dict[str, Any] = {}
        for code, values in rows:
            secret = bool(confidential and confidential.get(code))
            result[code] = self.upsert(existing.get(code), model, {"code": code, **values}, confidential=secret)
        await self.session.flush()
        return result, [obj for code, obj in existing.items() if code not in result]

    async def remove_unreferenced(self, stale: list[Any], *, confidential: dict[int, bool] | None = None) -> None:
        """Delete each row the document no longer lists, unless a row refers to it (then it is
        kept, and the report says what refers to it). Repeats while a deletion frees another
        row (a sub-group that was all that referred to its parent)."""
        pending = list(stale)
        while pending:
            kept = []
            for obj in pending:
                by = await _referenced_by(self.session, obj)
                if by is not None:
                    kept.append((obj, by))
                    continue
                self.changes.append(_Change(f"{_entity(type(obj))}.remove", obj, {"code": obj.code}, None,
                                            bool(confidential and confidential.get(obj.id))))
                await self.session.delete(obj)
                await self.session.flush()
                self.report.removed += 1
                self.report.details.append(f"removed {type(obj).__tablename__} {obj.code}")
            if len(kept) == len(pending):
                for obj, by in kept:
                    self.report.details.append(
                        f"kept {type(obj).__tablename__} {obj.code}: no longer in the document, but {by} refers to it")
                return
            pending = [obj for obj, _ in kept]


async def load_partnership(session: AsyncSession, rules: PartnershipRules, actor: str = "cli") -> LoadReport:
    a = rules.arrangements
    info = a.partnership
    report = LoadReport(code=info.code)
    s = _Syncer(session, report)

    partnership = await session.scalar(select(Partnership).where(Partnership.code == info.code))
    first_load = partnership is None
    values = dict(
        name=info.name,
        local_authority=info.local_authority,
        region=info.region,
        population=info.population,
        document_title=info.document.title,
        document_published=info.document.published,
        document_version=info.document.version,
        document_url=info.document.url,
        plugin=rules.plugin_name,
    )
    partnership = s.upsert(partnership, Partnership, {"code": info.code, **values})
    await session.flush()
    pid = partnership.id

    agencies, stale_agencies = await s.sync(
        Agency, pid,
        [(x.code, dict(partnership_id=pid, name=x.name, kind=x.kind, source=x.source)) for x in a.agencies],
    )
    people, stale_people = await s.sync(
        Person, pid,
        [
            (x.code, dict(partnership_id=pid, role_title=x.role_title, name=x.name,
                          agency_id=agencies[x.agency].id if x.agency else None, source=x.source))
            for x in a.people
        ],
    )
    secret_groups = {g.code: g.confidential for g in a.groups}
    groups, stale_groups = await s.sync(
        Group, pid,
        [
            (g.code, dict(
                partnership_id=pid, name=g.name, kind=g.kind, position=i, purpose=g.purpose,
                cadence=g.cadence, meetings_per_year=g.meetings_per_year,
                chair_basis=g.chair.basis if g.chair else None,
                chair_office=g.chair.office if g.chair else None,
                chair_seat_code=g.chair.seat if g.chair else None,
                chair_rotation=list(g.chair.rotation) if g.chair else [],
                chair_rotation_start=g.chair.rotation_start if g.chair else None,
                chair_source=g.chair.source if g.chair else None,
                terms_of_reference_review=g.terms_of_reference_review,
                shared_with=list(g.shared_with), confidential=g.confidential, source=g.source,
            ))
            for i, g in enumerate(a.groups)
        ],
        secret_groups,
    )
    for g in a.groups:  # the hierarchy, once every group has an id
        s.link(groups[g.code], {"parent_id": groups[g.accountable_to].id if g.accountable_to else None},
               confidential=g.confidential)

    await _sync_seats(s, session, pid, a, agencies, people, groups, secret_groups)

    existing_sp = {
        sp.agency_id: sp
        for sp in await session.scalars(select(StatutoryPartner).where(StatutoryPartner.partnership_id == pid))
    }
    wanted = set()
    for i, sp in enumerate(a.statutory_partners):
        agency_id = agencies[sp.agency].id
        wanted.add(agency_id)
        s.upsert(existing_sp.get(agency_id), StatutoryPartner,
                 dict(partnership_id=pid, agency_id=agency_id, position=i, lead_role=sp.lead_role,
                      delegated_to=sp.delegated_to, reason=sp.reason, source=sp.source))
    for agency_id, obj in existing_sp.items():
        if agency_id not in wanted:
            s.changes.append(_Change("statutory_partner.remove", obj, {"agency_id": agency_id, "lead_role": obj.lead_role},
                                     None, False))
            await session.delete(obj)
            report.removed += 1
    await session.flush()

    # What the document no longer lists goes last, once every reference to it is up to date.
    await s.remove_unreferenced(stale_groups, confidential={g.id: g.confidential for g in stale_groups})
    await s.remove_unreferenced(stale_people)
    await s.remove_unreferenced(stale_agencies)

    # Documents a plugin ships beside its arrangements (Merton's business plan 2014–16).
    from core.services.reviews import load_business_plans

    plans = await load_business_plans(session, rules)
    report.created += len(plans)
    for plan in plans:
        s.changes.append(_Change("business_plan.create", plan, None, {"title": getattr(plan, "title", None)}, False))
    await session.flush()

    if first_load:
        await audit.record(
            session, actor=actor, action="partnership.load", entity_type="Partnership",
            entity_id=pid, partnership_id=pid,
            after={"created": report.created, "updated": report.updated, "removed": report.removed,
                   "data_file": rules.data_file.name},
        )
    else:
        for c in s.changes:
            await audit.record(
                session, actor=actor, action=c.action, entity_type=type(c.obj).__name__, entity_id=c.obj.id,
                partnership_id=pid, before=c.before, after=c.after, confidential=c.confidential,
            )
    return report


async def _sync_seats(s: _Syncer, session: AsyncSession, pid: int, a, agencies: dict, people: dict, groups: dict,
                      secret_groups: dict[str, bool]) -> None:
    """Published seats follow the document; recorded seats and seats a user ended are left
    alone; a published seat the document no longer lists ends today."""
    report = s.report
    rows = {r.code: r for r in await session.scalars(select(Seat).where(Seat.partnership_id == pid))}
    listed: set[str] = set()
    for i, x in enumerate(a.seats):
        listed.add(x.code)
        row = rows.get(x.code)
        secret = secret_groups.get(x.group, False)
        if row is not None and row.origin == SeatOrigin.RECORDED:
            report.details.append(f"left seat {x.code} as recorded: the document lists its code, but the seat "
                                  "was added through the API")
            continue
        if row is not None and row.ended_by == SeatOrigin.RECORDED:
            report.details.append(f"left seat {x.code} ended: a user removed it on {row.ended_on.isoformat()}")
            continue
        values = dict(
            partnership_id=pid, code=x.code, group_id=groups[x.group].id, position=i, role=x.role,
            post=x.post, agency_id=agencies[x.agency].id if x.agency else None,
            person_id=people[x.person].id if x.person else None,
            sector_representative=x.sector_representative,
            membership_code=x.membership_code, notes=x.notes, source=x.source,
            origin=SeatOrigin.PUBLISHED, ended_on=None, ended_by=None,  # listed again: in force again
        )
        rows[x.code] = s.upsert(row, Seat, values, confidential=secret)
    await session.flush()
    for x in a.seats:
        row = rows[x.code]
        if row.origin == SeatOrigin.PUBLISHED and row.ended_by != SeatOrigin.RECORDED:
            s.link(row, {"deputy_of_id": rows[x.deputy_of].id if x.deputy_of else None},
                   confidential=secret_groups.get(x.group, False))
    today = dt.date.today()
    group_secret = {g.id: g.confidential for g in groups.values()}
    for code, row in rows.items():
        if code in listed or row.origin != SeatOrigin.PUBLISHED or row.ended_on is not None:
            continue
        row.ended_on, row.ended_by = today, SeatOrigin.PUBLISHED
        report.removed += 1
        report.details.append(f"ended seat {code}: no longer in the document")
        s.changes.append(_Change("seat.remove", row, {"code": code},
                                 {"ended_on": today, "ended_by": SeatOrigin.PUBLISHED},
                                 group_secret.get(row.group_id, False)))
    await session.flush()
