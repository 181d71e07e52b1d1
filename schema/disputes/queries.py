"""Root query fields for disputes: one dispute by ID, and the cross-borough comparison of who
arbitrates or mediates a dispute and what the last resort is."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from core.models import Partnership as PartnershipModel
from core.rules import disputes as rules
from schema.disputes.loaders import dispute_by_id
from schema.disputes.types import (
    Dispute,
    DisputeKind,
    DisputeResolutionComparison,
    EscalationLadder,
    ladder_for,
)
from schema.structure.types import Partnership
from schema.types.common import from_global_id


@strawberry.type
class Query:
    @strawberry.field(description="One dispute by its ID; null if there is none or it is not visible to you "
                                  "(disputes are confidential to the partnership's members).")
    async def dispute(self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="The dispute's ID.")]) -> Dispute | None:
        type_name, pk = from_global_id(str(id))
        if type_name != "Dispute":
            return None
        row = await info.context.loaders.of(dispute_by_id).load(pk)
        return None if row is None else Dispute.from_row(row)

    @strawberry.field(description="For every partnership: who arbitrates, determines or mediates a dispute of a kind "
                                  "and what the last resort is (Merton: the Independent Person; Lewisham and Sefton: "
                                  "the Scrutineer; Sandwell: the Partnership Chair). One request, by partnership code.")
    async def dispute_resolution_comparison(
        self, info: Info,
        kind: Annotated[DisputeKind, strawberry.argument(
            description="The kind of dispute; a dispute between partners by default.")] = rules.DisputeKind.PROFESSIONAL_DISAGREEMENT,
    ) -> list[DisputeResolutionComparison]:
        rows = await info.context.loaders.rows(select(PartnershipModel).order_by(PartnershipModel.code))
        out = []
        for (p,) in rows:
            info.context.loaders.partnership_by_id.prime(p.id, Partnership.from_row(p))
            ladder = EscalationLadder.of(await ladder_for(info, p.id, rules.DisputeKind(kind)))
            out.append(DisputeResolutionComparison(
                partnership_id=p.id, kind=kind, ladder=ladder, arbiters=list(ladder.independent_stages),
                last_resort=ladder.last_resort))
        return out
