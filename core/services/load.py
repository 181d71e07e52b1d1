"""`partnerships load`: bring the database in line with each plugin's arrangements file.

Idempotent by construction: every row is matched by its code within the partnership and
only changed columns are written, so a second run changes nothing and records no audit
event. Rows whose code has disappeared from the file are removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Agency, Group, Partnership, Person, Seat, StatutoryPartner
from core.plugins import PartnershipRules
from core.services import audit


@dataclass
class LoadReport:
    code: str
    created: int = 0
    updated: int = 0
    removed: int = 0
    details: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


class _Syncer:
    def __init__(self, session: AsyncSession, report: LoadReport):
        self.session = session
        self.report = report
        self.fresh: set[int] = set()  # id() of rows created in this run

    def link(self, obj: Any, values: dict[str, Any]) -> None:
        """Set references that need every row's id first; a change to an old row is an update."""
        if _apply(obj, values) and id(obj) not in self.fresh:
            self.report.updated += 1

    async def sync(self, model: type, existing: dict[str, Any], rows: list[tuple[str, dict]]) -> dict[str, Any]:
        """Create or update one row per (code, values); remove rows not in ``rows``."""
        result: dict[str, Any] = {}
        for code, values in rows:
            obj = existing.get(code)
            if obj is None:
                obj = model(code=code, **values)
                self.session.add(obj)
                self.fresh.add(id(obj))
                self.report.created += 1
            elif _apply(obj, values):
                self.report.updated += 1
                self.report.details.append(f"updated {model.__tablename__} {code}")
            result[code] = obj
        for code, obj in existing.items():
            if code not in result:
                await self.session.delete(obj)
                self.report.removed += 1
                self.report.details.append(f"removed {model.__tablename__} {code}")
        await self.session.flush()
        return result


async def _by_code(session: AsyncSession, model: type, partnership_id: int) -> dict[str, Any]:
    rows = await session.scalars(select(model).where(model.partnership_id == partnership_id))
    return {r.code: r for r in rows}


async def load_partnership(session: AsyncSession, rules: PartnershipRules, actor: str = "cli") -> LoadReport:
    a = rules.arrangements
    info = a.partnership
    report = LoadReport(code=info.code)
    s = _Syncer(session, report)

    partnership = await session.scalar(select(Partnership).where(Partnership.code == info.code))
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
    if partnership is None:
        partnership = Partnership(code=info.code, **values)
        session.add(partnership)
        report.created += 1
        await session.flush()
    elif _apply(partnership, values):
        report.updated += 1
    pid = partnership.id

    agencies = await s.sync(
        Agency,
        await _by_code(session, Agency, pid),
        [(x.code, dict(partnership_id=pid, name=x.name, kind=x.kind, source=x.source)) for x in a.agencies],
    )
    people = await s.sync(
        Person,
        await _by_code(session, Person, pid),
        [
            (x.code, dict(partnership_id=pid, role_title=x.role_title, name=x.name,
                          agency_id=agencies[x.agency].id if x.agency else None, source=x.source))
            for x in a.people
        ],
    )
    groups = await s.sync(
        Group,
        await _by_code(session, Group, pid),
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
    )
    for g in a.groups:  # the hierarchy, once every group has an id
        s.link(groups[g.code], {"parent_id": groups[g.accountable_to].id if g.accountable_to else None})
    seats = await s.sync(
        Seat,
        await _by_code(session, Seat, pid),
        [
            (x.code, dict(
                partnership_id=pid, group_id=groups[x.group].id, position=i, role=x.role,
                post=x.post, agency_id=agencies[x.agency].id if x.agency else None,
                person_id=people[x.person].id if x.person else None,
                sector_representative=x.sector_representative,
                membership_code=x.membership_code, notes=x.notes, source=x.source,
            ))
            for i, x in enumerate(a.seats)
        ],
    )
    for x in a.seats:
        s.link(seats[x.code], {"deputy_of_id": seats[x.deputy_of].id if x.deputy_of else None})

    existing_sp = {
        sp.agency_id: sp
        for sp in await session.scalars(select(StatutoryPartner).where(StatutoryPartner.partnership_id == pid))
    }
    wanted = set()
    for i, sp in enumerate(a.statutory_partners):
        agency_id = agencies[sp.agency].id
        wanted.add(agency_id)
        vals = dict(position=i, lead_role=sp.lead_role, delegated_to=sp.delegated_to, reason=sp.reason, source=sp.source)
        obj = existing_sp.get(agency_id)
        if obj is None:
            session.add(StatutoryPartner(partnership_id=pid, agency_id=agency_id, **vals))
            report.created += 1
        elif _apply(obj, vals):
            report.updated += 1
    for agency_id, obj in existing_sp.items():
        if agency_id not in wanted:
            await session.delete(obj)
            report.removed += 1
    await session.flush()

    # Documents a plugin ships beside its arrangements (Merton's business plan 2014–16).
    from core.services.reviews import load_business_plans

    plans = await load_business_plans(session, rules)
    report.created += len(plans)

    if report.changed:
        await audit.record(
            session, actor=actor, action="partnership.load", entity_type="Partnership",
            entity_id=pid, partnership_id=pid,
            after={"created": report.created, "updated": report.updated, "removed": report.removed,
                   "data_file": rules.data_file.name},
        )
    return report
