"""The published structure of a partnership: partners, agencies, people, groups and seats."""

from __future__ import annotations

import datetime as dt
from asyncio import Future
from inspect import isawaitable
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from core import enums, models
from core.weburl import web_url_or_none
from schema.compliance import fields as compliance
from schema.disputes import fields as disputes
from schema.funding import fields as funding
from schema.governance import fields as governance
from schema.reviews import fields as reviews
from schema.rulebook import fields as rulebook
from schema.types.common import (
    After,
    AgencyKind,
    Before,
    ChairBasis,
    Connection,
    First,
    GroupKind,
    Last,
    Node,
    SeatRole,
    Source,
    described,
    paginate,
)

if TYPE_CHECKING:  # pragma: no cover
    from schema.context import Context

SeatOrigin = described(strawberry.enum(
    enums.SeatOrigin, description="Where a seat comes from: the published document, or a write through the API."), {
    "PUBLISHED": "From the partnership's published document (brought in by a load or an import).",
    "RECORDED": "Recorded through the API; a load never changes it.",
})



def ready(awaitable):
    """The value of a loader's future when it is already resolved, else the future itself.

    A resolver that returns this (a plain ``def``) costs no coroutine, task or await for
    the many objects whose relation a sibling already loaded; GraphQL awaits the rest."""
    if isinstance(awaitable, Future) and awaitable.done() and not awaitable.cancelled() \
            and awaitable.exception() is None:
        return awaitable.result()
    return awaitable


def _ctx(info: Info) -> Context:
    return info.context


# Hot relations resolve with plain ``def`` resolvers that return the related object at once
# when a sibling already loaded it (the usual case on a page), and an awaitable otherwise:
# no coroutine, task or await per object (issue 9, "no per-object awaits on hot paths").


async def _then(awaitable, fn):
    return fn(await awaitable)


def _now_or_then(awaitable, fn):
    """``fn`` of a loader's value: now when it is loaded, else once it is."""
    value = ready(awaitable)
    return _then(value, fn) if isawaitable(value) else fn(value)


def _source_now(info: Info, partnership_id: int, section: str | None):
    if section is None:
        return None
    return _now_or_then(_ctx(info).loaders.partnership_by_id.load(partnership_id),
                        lambda p: Source(document=p.document.title, section=section))


@strawberry.type(description="The published document a partnership's arrangements come from.")
class Document:
    title: str = strawberry.field(description="Title of the document.")
    published: str | None = strawberry.field(description="When it was published, as it states.")
    version: str | None = strawberry.field(description="Version, where stated.")
    url: str | None = strawberry.field(description="Where it is published, where known.")


@strawberry.type(description="A multi-agency safeguarding children partnership (CSWA 2017 s.16E).")
class Partnership(
    Node, governance.PartnershipFields, disputes.PartnershipFields, funding.PartnershipFields, reviews.PartnershipFields,
    compliance.PartnershipFields, rulebook.PartnershipFields,
):
    pk: strawberry.Private[int]
    code: str = strawberry.field(description="Stable short code, e.g. `merton`.")
    name: str = strawberry.field(description="The partnership's name.")
    local_authority: str = strawberry.field(description="The local authority area it covers.")
    region: str | None = strawberry.field(description="Region, where the document states it.")
    population: int | None = strawberry.field(description="Population of the area, where stated.")
    document: Document = strawberry.field(description="The arrangements document the data is transcribed from.")
    plugin: str = strawberry.field(description="Name of the plugin that provides this partnership.")

    @classmethod
    def from_row(cls, p: models.Partnership) -> Partnership:
        return cls(
            pk=p.id, code=p.code, name=p.name, local_authority=p.local_authority, region=p.region,
            population=p.population, plugin=p.plugin,
            document=Document(title=p.document_title, published=p.document_published,
                              version=p.document_version, url=web_url_or_none(p.document_url)),
        )

    @strawberry.field(description="The safeguarding (statutory) partners, in the document's order.")
    async def statutory_partners(self, info: Info) -> list[StatutoryPartner]:
        return await _ctx(info).loaders.statutory_partners_by_partnership.load(self.pk)

    @strawberry.field(description="Every agency named in the arrangements, by name.")
    async def agencies(
        self, info: Info,
        kind: Annotated[AgencyKind | None, strawberry.argument(description="Only agencies of this kind.")] = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[Agency]:
        items = await _ctx(info).loaders.agencies_by_partnership.load(self.pk)
        if kind is not None:
            items = [a for a in items if a.kind == kind]
        return paginate(items, first, after, _ctx(info).settings.max_page_size, last, before)

    @strawberry.field(description="Every group, in the order of the document's structure.")
    async def groups(
        self, info: Info,
        kind: Annotated[GroupKind | None, strawberry.argument(description="Only groups of this kind.")] = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[Group]:
        items = await _ctx(info).loaders.groups_by_partnership.load(self.pk)
        if kind is not None:
            items = [g for g in items if g.kind == kind]
        return paginate(items, first, after, _ctx(info).settings.max_page_size, last, before)

    @strawberry.field(description="The top of the structure: groups accountable to no other group.")
    async def root_groups(self, info: Info) -> list[Group]:
        items = await _ctx(info).loaders.groups_by_partnership.load(self.pk)
        visible = {g.pk for g in items}
        return [g for g in items if g.parent_id is None or g.parent_id not in visible]

    @strawberry.field(description="One group by its code, e.g. `executive`; null if there is none.")
    async def group(
        self, info: Info,
        code: Annotated[str, strawberry.argument(description="The group's code, e.g. `executive`.")],
    ) -> Group | None:
        items = await _ctx(info).loaders.groups_by_partnership.load(self.pk)
        return next((g for g in items if g.code == code), None)

    @strawberry.field(description="Every seat in every group of the partnership.")
    async def seats(
        self, info: Info,
        role: Annotated[SeatRole | None, strawberry.argument(description="Only seats held in this capacity.")] = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[Seat]:
        groups = await _ctx(info).loaders.groups_by_partnership.load(self.pk)
        per_group = await _ctx(info).loaders.seats_by_group.load_many([g.pk for g in groups])
        items = [s for seats in per_group for s in seats if role is None or s.role == role]
        return paginate(items, first, after, _ctx(info).settings.max_page_size, last, before)


@strawberry.type(description="A body named in a partnership's arrangements.")
class Agency(Node, funding.AgencyFields):
    pk: strawberry.Private[int]
    partnership_id: strawberry.Private[int]
    source_section: strawberry.Private[str | None]
    code: str = strawberry.field(description="Short code, unique within the partnership.")
    name: str = strawberry.field(description="The agency's name as published.")
    kind: AgencyKind = strawberry.field(description="What sort of body it is.")

    @classmethod
    def from_row(cls, a: models.Agency) -> Agency:
        return cls(pk=a.id, partnership_id=a.partnership_id, source_section=a.source,
                   code=a.code, name=a.name, kind=a.kind)

    @strawberry.field(description="The partnership that names this agency.")
    def partnership(self, info: Info) -> Partnership:
        return ready(_ctx(info).loaders.partnership_by_id.load(self.partnership_id))

    @strawberry.field(description="Whether it is one of the partnership's safeguarding partners.")
    async def is_statutory_partner(self, info: Info) -> bool:
        partners = await _ctx(info).loaders.statutory_partners_by_partnership.load(self.partnership_id)
        return any(sp.agency_id == self.pk for sp in partners)

    @strawberry.field(description="Every seat this agency holds, across all groups.")
    async def seats(self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None) -> Connection[Seat]:
        items = await _ctx(info).loaders.seats_by_agency.load(self.pk)
        return paginate(items, first, after, _ctx(info).settings.max_page_size, last, before)

    @strawberry.field(description="Where the document names it.")
    def source(self, info: Info) -> Source | None:
        return _source_now(info, self.partnership_id, self.source_section)


@strawberry.type(description="A safeguarding partner: an agency with equal and joint responsibility.")
class StatutoryPartner:
    agency_id: strawberry.Private[int]
    partnership_id: strawberry.Private[int]
    source_section: strawberry.Private[str | None]
    kind: AgencyKind = strawberry.field(description="The partner's kind, e.g. `CHILDRENS_TRUST`.")
    lead_role: str = strawberry.field(description="The partner's lead representative, e.g. Chief Executive.")
    delegated_to: str | None = strawberry.field(description="Officer the lead delegates to, where stated.")
    reason: str | None = strawberry.field(description="Why it is a partner beyond the three WT2018 names.")

    @classmethod
    def from_row(cls, sp: models.StatutoryPartner, a: models.Agency) -> StatutoryPartner:
        return cls(agency_id=a.id, partnership_id=sp.partnership_id, source_section=sp.source,
                   kind=a.kind, lead_role=sp.lead_role, delegated_to=sp.delegated_to, reason=sp.reason)

    @strawberry.field(description="The partner agency.")
    def agency(self, info: Info) -> Agency:
        return _ctx(info).loaders.agency_in_now(self.partnership_id, self.agency_id)

    @strawberry.field(description="Where the document names it as a partner.")
    def source(self, info: Info) -> Source | None:
        return _source_now(info, self.partnership_id, self.source_section)


@strawberry.type(description="A public office holder as published: role title always, name if printed.")
class Person(Node):
    pk: strawberry.Private[int]
    partnership_id: strawberry.Private[int]
    agency_id: strawberry.Private[int | None]
    role_title: str = strawberry.field(description="The office, e.g. Independent Scrutineer.")
    name: str | None = strawberry.field(description="The holder's name, only where published.")

    @classmethod
    def from_row(cls, p: models.Person) -> Person:
        return cls(pk=p.id, partnership_id=p.partnership_id, agency_id=p.agency_id, role_title=p.role_title, name=p.name)

    @strawberry.field(description="The agency the office belongs to, if any.")
    def agency(self, info: Info) -> Agency | None:
        return None if self.agency_id is None else _ctx(info).loaders.agency_in_now(self.partnership_id, self.agency_id)


@strawberry.type(description="How a group's chair is chosen, as the arrangements state it.")
class ChairingRule:
    basis: ChairBasis = strawberry.field(description="Independent appointment, rotation, fixed office …")
    office: str | None = strawberry.field(description="Who holds the chair, in the document's words.")
    rotation_start: str | None = strawberry.field(description="Financial year the rotation starts, `2019/20`.")
    rotation_codes: strawberry.Private[list[str]]
    partnership_id: strawberry.Private[int]
    source_section: strawberry.Private[str | None]
    seat_code: strawberry.Private[str | None] = None

    @strawberry.field(description="The agencies the chair rotates among, as the arrangements list them — an order "
                                  "only where the document states one (see `Group.chair` and the rulebook).")
    def rotation(self, info: Info) -> list[Agency]:
        if not self.rotation_codes:
            return []

        def pick(agencies):
            by_code = {a.code: a for a in agencies}
            return [by_code[c] for c in self.rotation_codes if c in by_code]

        return _now_or_then(_ctx(info).loaders.agencies_by_partnership.load(self.partnership_id), pick)

    @strawberry.field(description="Where the rule is stated; `quote` is who holds the chair in the document's words.")
    def source(self, info: Info) -> Source | None:
        if self.source_section is None:
            return None
        return _now_or_then(_ctx(info).loaders.partnership_by_id.load(self.partnership_id),
                            lambda p: Source(document=p.document.title, section=self.source_section, quote=self.office))


@strawberry.type(description="A board, executive, forum, sub-group, panel … of a partnership.")
class Group(Node, governance.GroupFields):
    pk: strawberry.Private[int]
    partnership_id: strawberry.Private[int]
    parent_id: strawberry.Private[int | None]
    source_section: strawberry.Private[str | None]
    chair_rule: strawberry.Private[ChairingRule | None]
    code: str = strawberry.field(description="Short code, unique within the partnership.")
    name: str = strawberry.field(description="The group's name as published.")
    kind: GroupKind = strawberry.field(description="What sort of group it is.")
    purpose: str | None = strawberry.field(description="What it is for, from the document.")
    cadence: str | None = strawberry.field(description="How often it meets, as published.")
    meetings_per_year: int | None = strawberry.field(description="Meetings a year, where derivable.")
    terms_of_reference_review: dt.date | None = strawberry.field(description="When its terms of reference are next reviewed.")
    shared_with: list[str] = strawberry.field(description="Other local authorities that share this group.")
    confidential: bool = strawberry.field(description="Visible to the partnership's members only.")

    @classmethod
    def from_row(cls, g: models.Group) -> Group:
        rule = None
        if g.chair_basis is not None:
            rule = ChairingRule(basis=g.chair_basis, office=g.chair_office, rotation_start=g.chair_rotation_start,
                                rotation_codes=list(g.chair_rotation or []), partnership_id=g.partnership_id,
                                source_section=g.chair_source, seat_code=g.chair_seat_code)
        return cls(
            pk=g.id, partnership_id=g.partnership_id, parent_id=g.parent_id, source_section=g.source,
            chair_rule=rule, code=g.code, name=g.name, kind=g.kind, purpose=g.purpose, cadence=g.cadence,
            meetings_per_year=g.meetings_per_year, terms_of_reference_review=g.terms_of_reference_review,
            shared_with=list(g.shared_with or []), confidential=g.confidential,
        )

    @strawberry.field(description="How the chair is chosen (the rule as data); null where unstated.")
    def chairing_rule(self) -> ChairingRule | None:
        return self.chair_rule

    @strawberry.field(description="The partnership the group belongs to.")
    def partnership(self, info: Info) -> Partnership:
        return ready(_ctx(info).loaders.partnership_by_id.load(self.partnership_id))

    @strawberry.field(description="The group this one is accountable to; null at the top.")
    def accountable_to(self, info: Info) -> Group | None:
        return None if self.parent_id is None else _ctx(info).loaders.group_in_now(self.partnership_id, self.parent_id)

    @strawberry.field(description="Groups accountable to this one.")
    def subgroups(self, info: Info) -> list[Group]:
        return _now_or_then(_ctx(info).loaders.groups_by_partnership.load(self.partnership_id),
                            lambda items: [g for g in items if g.parent_id == self.pk])

    @strawberry.field(description="The seats of the group, in the document's order.")
    def seats(
        self, info: Info,
        role: Annotated[SeatRole | None, strawberry.argument(description="Only seats held in this capacity.")] = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[Seat]:
        def page(items):
            if role is not None:
                items = [s for s in items if s.role == role]
            return paginate(items, first, after, _ctx(info).settings.max_page_size, last, before)

        return _now_or_then(_ctx(info).loaders.seats_by_group.load(self.pk), page)

    @strawberry.field(description="Where the document describes the group.")
    def source(self, info: Info) -> Source | None:
        return _source_now(info, self.partnership_id, self.source_section)


@strawberry.type(description="A person or an unnamed post holding a role for an agency in a group.")
class Seat(Node):
    pk: strawberry.Private[int]
    partnership_id: strawberry.Private[int]
    group_id: strawberry.Private[int]
    agency_id: strawberry.Private[int | None]
    person_id: strawberry.Private[int | None]
    deputy_of_id: strawberry.Private[int | None]
    source_section: strawberry.Private[str | None]
    code: str = strawberry.field(description="Short code, unique within the partnership.")
    role: SeatRole = strawberry.field(description="The capacity in which the seat is held.")
    post: str = strawberry.field(description="The role title as published.")
    sector_representative: bool = strawberry.field(description="Represents a sector (schools, voluntary sector), not one agency.")
    membership_code: str | None = strawberry.field(description="Membership code as published, e.g. Merton's `SP`.")
    notes: str | None = strawberry.field(description="Anything else the document says of the seat.")
    origin: SeatOrigin = strawberry.field(
        description="PUBLISHED: from the partnership's document (a load keeps it in line with the document); "
                    "RECORDED: added through the API (a load never changes it).")
    ended_on: dt.date | None = strawberry.field(
        description="The seat's last day in force; null while in force. An ended seat is no longer among its "
                    "group's seats, but stays behind the attendance and votes recorded for it.")

    @classmethod
    def from_row(cls, s: models.Seat) -> Seat:
        return cls(
            pk=s.id, partnership_id=s.partnership_id, group_id=s.group_id, agency_id=s.agency_id,
            person_id=s.person_id, deputy_of_id=s.deputy_of_id, source_section=s.source, code=s.code,
            role=s.role, post=s.post, sector_representative=s.sector_representative,
            membership_code=s.membership_code, notes=s.notes, origin=s.origin, ended_on=s.ended_on,
        )

    @strawberry.field(description="The group the seat is in.")
    def group(self, info: Info) -> Group | None:
        return _ctx(info).loaders.group_in_now(self.partnership_id, self.group_id)

    @strawberry.field(description="The agency the seat represents, if any.")
    def agency(self, info: Info) -> Agency | None:
        return None if self.agency_id is None else _ctx(info).loaders.agency_in_now(self.partnership_id, self.agency_id)

    @strawberry.field(description="The published office holder, if named.")
    def person(self, info: Info) -> Person | None:
        return None if self.person_id is None else ready(_ctx(info).loaders.people_by_id.load(self.person_id))

    @strawberry.field(description="The seat this one is the standing deputy of.")
    def deputy_of(self, info: Info) -> Seat | None:
        return None if self.deputy_of_id is None else _ctx(info).loaders.seat_in_now(self.group_id, self.deputy_of_id)

    @strawberry.field(description="Where the document lists the seat.")
    def source(self, info: Info) -> Source | None:
        return _source_now(info, self.partnership_id, self.source_section)
