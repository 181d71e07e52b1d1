"""Read a partnership's structure back out of the database as validated arrangements.

The same pydantic model the data files are loaded through, so an export can be imported
(and loaded) by the same path as a borough's own file.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.arrangements import (
    AgencyData,
    Arrangements,
    ChairData,
    Document,
    GroupData,
    PartnershipInfo,
    PersonData,
    SeatData,
    StatutoryPartnerData,
)
from core.errors import NotFound
from core.models import Agency, Group, Partnership, Person, Seat, StatutoryPartner
from core.weburl import web_url_or_none


async def snapshot(session: AsyncSession, code: str, *, include_confidential: bool = False) -> Arrangements:
    """The partnership's structure as arrangements: the seats in force (an ended seat is
    history, not structure); confidential groups (and their seats) only when the caller may
    see them."""
    p = await session.scalar(select(Partnership).where(Partnership.code == code))
    if p is None:
        raise NotFound(f"no partnership with code {code!r}", ref="code")
    agencies = (await session.scalars(select(Agency).where(Agency.partnership_id == p.id).order_by(Agency.id))).all()
    people = (await session.scalars(select(Person).where(Person.partnership_id == p.id).order_by(Person.id))).all()
    groups = [
        g for g in (await session.scalars(select(Group).where(Group.partnership_id == p.id).order_by(Group.position))).all()
        if include_confidential or not g.confidential
    ]
    visible = {g.id for g in groups}
    seats = [
        s for s in (await session.scalars(select(Seat).where(Seat.partnership_id == p.id, Seat.ended_on.is_(None))
                                          .order_by(Seat.position))).all()
        if s.group_id in visible
    ]
    partners = (
        await session.scalars(
            select(StatutoryPartner).where(StatutoryPartner.partnership_id == p.id).order_by(StatutoryPartner.position)
        )
    ).all()
    agency_code = {a.id: a.code for a in agencies}
    person_code = {x.id: x.code for x in people}
    group_code = {g.id: g.code for g in groups}
    groups = [g for g in groups if g.parent_id is None or g.parent_id in group_code]
    seat_code = {s.id: s.code for s in seats}
    return Arrangements(
        partnership=PartnershipInfo(
            code=p.code, name=p.name, local_authority=p.local_authority, region=p.region, population=p.population,
            document=Document(title=p.document_title, published=p.document_published, version=p.document_version,
                              url=web_url_or_none(p.document_url)),
        ),
        agencies=[AgencyData(code=a.code, name=a.name, kind=a.kind, source=a.source) for a in agencies],
        statutory_partners=[
            StatutoryPartnerData(agency=agency_code[sp.agency_id], lead_role=sp.lead_role, delegated_to=sp.delegated_to,
                                 reason=sp.reason, source=sp.source)
            for sp in partners
        ],
        people=[
            PersonData(code=x.code, role_title=x.role_title, name=x.name,
                       agency=agency_code.get(x.agency_id) if x.agency_id else None, source=x.source)
            for x in people
        ],
        groups=[
            GroupData(
                code=g.code, name=g.name, kind=g.kind, accountable_to=group_code.get(g.parent_id) if g.parent_id else None,
                purpose=g.purpose, cadence=g.cadence, meetings_per_year=g.meetings_per_year,
                chair=ChairData(basis=g.chair_basis, office=g.chair_office, seat=g.chair_seat_code,
                                rotation=list(g.chair_rotation or []), rotation_start=g.chair_rotation_start,
                                source=g.chair_source) if g.chair_basis else None,
                terms_of_reference_review=g.terms_of_reference_review, shared_with=list(g.shared_with or []),
                confidential=g.confidential, source=g.source,
            )
            for g in groups
        ],
        seats=[
            SeatData(
                code=s.code, group=group_code[s.group_id], role=s.role, post=s.post,
                agency=agency_code.get(s.agency_id) if s.agency_id else None,
                person=person_code.get(s.person_id) if s.person_id else None,
                deputy_of=seat_code.get(s.deputy_of_id) if s.deputy_of_id else None,
                sector_representative=s.sector_representative, membership_code=s.membership_code, notes=s.notes,
                source=s.source,
            )
            for s in seats
        ],
    )
