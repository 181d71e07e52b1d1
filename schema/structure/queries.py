"""Root query fields for the structure: `partnerships`, `partnership(code:)`, `node(id:)`,
the cross-borough `agencies(kind:)` listing, and the audit trail."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from core.enums import Role as CoreRole
from core.models import Agency as AgencyModel
from core.models import Partnership as PartnershipModel
from schema.audit.types import AuditEventConnection, audit_page
from schema.errors import NotFound
from schema.nodes import DOMAIN_NODES, batch_for
from schema.structure.types import Agency, Partnership
from schema.types.common import (
    After,
    AgencyKind,
    Before,
    Connection,
    First,
    Last,
    Node,
    from_global_id,
    paginate,
)

#: Node types fetchable by `node(id:)`, with the loader that fetches each.
NODE_LOADERS = {
    "Partnership": "partnership_by_id",
    "Agency": "agency_by_id",
    "Group": "group_by_id",
    "Seat": "seat_by_id",
    "Person": "people_by_id",
}


async def unknown_partnership(info: Info, code: str) -> NotFound:
    async with info.context.sessions() as session:
        codes = (await session.scalars(select(PartnershipModel.code).order_by(PartnershipModel.code))).all()
    return NotFound(f"No partnership has code {code!r}. Known codes: {', '.join(codes) or 'none loaded'}.")


async def partnership_by_code(info: Info, code: str) -> Partnership:
    """The partnership with this code, or a NOT_FOUND error that lists the known codes."""
    p = await info.context.loaders.partnership_by_code.load(code)
    if p is None:
        raise await unknown_partnership(info, code)
    return p


AUDIT_READERS = (CoreRole.ADMINISTRATOR, CoreRole.SCRUTINEER)


@strawberry.type
class StructureQuery:
    @strawberry.field(description="Every partnership loaded, by code.")
    async def partnerships(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> Connection[Partnership]:
        async with info.context.sessions() as session:
            rows = (await session.scalars(select(PartnershipModel).order_by(PartnershipModel.code))).all()
        items = [Partnership.from_row(r) for r in rows]
        for p in items:  # later fields on these partnerships need no second read
            info.context.loaders.partnership_by_id.prime(p.pk, p)
        return paginate(items, first, after, info.context.settings.max_page_size, last, before)

    @strawberry.field(description="One partnership by its code, e.g. `merton`. Unknown codes are a NOT_FOUND error.")
    async def partnership(
        self, info: Info,
        code: Annotated[str, strawberry.argument(description="The partnership's code, e.g. `merton`.")],
    ) -> Partnership:
        return await partnership_by_code(info, code)

    @strawberry.field(description="Any object by its global ID; null if none is visible to you.")
    async def node(
        self, info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="An `id` this API returned.")],
    ) -> Node | None:
        type_name, pk = from_global_id(id)
        loader = NODE_LOADERS.get(type_name)
        if loader is not None:
            return await getattr(info.context.loaders, loader).load(pk)
        if type_name in DOMAIN_NODES:
            return await info.context.loaders.of(batch_for(type_name)).load(pk)
        return None

    @strawberry.field(description="Agencies across every partnership, optionally of one kind.")
    async def agencies(
        self, info: Info,
        kind: Annotated[AgencyKind | None, strawberry.argument(description="Only agencies of this kind.")] = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[Agency]:
        stmt = select(AgencyModel).join(PartnershipModel).order_by(PartnershipModel.code, AgencyModel.name, AgencyModel.id)
        if kind is not None:
            stmt = stmt.where(AgencyModel.kind == kind)
        async with info.context.sessions() as session:
            rows = (await session.scalars(stmt)).all()
        return paginate([Agency.from_row(a) for a in rows], first, after, info.context.settings.max_page_size, last, before)

    @strawberry.field(
        description="The audit trail of a partnership, newest first: administrators and scrutineers only "
        "(others get an empty list)."
    )
    async def audit_events(
        self, info: Info,
        partnership: Annotated[str, strawberry.argument(description="The partnership's code, e.g. `merton`.")],
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> AuditEventConnection:
        p = await partnership_by_code(info, partnership)
        return await audit_page(info, p.pk, first, after, last=last, before=before,
                                visible=info.context.principal.has_role(p.pk, AUDIT_READERS))
