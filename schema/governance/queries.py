"""Root query fields for governance: the cross-borough comparison of chairs and quorum."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from core.models import Partnership as PartnershipModel
from schema.governance.types import GovernanceComparison, comparison_for
from schema.structure.types import Partnership
from schema.types.common import parse_year_arg


@strawberry.type
class Query:
    @strawberry.field(description="For every partnership at once: who chairs the main board and the executive in a "
                                  "UK financial year, and what makes each quorate.")
    async def governance_comparison(
        self, info: Info,
        financial_year: Annotated[str, strawberry.argument(description="A UK financial year, written like `2020/21`.")],
    ) -> list[GovernanceComparison]:
        fy = parse_year_arg(financial_year)
        async with info.context.sessions() as session:
            rows = (await session.scalars(select(PartnershipModel).order_by(PartnershipModel.code))).all()
        items = [Partnership.from_row(row) for row in rows]
        for p in items:
            info.context.loaders.partnership_by_id.prime(p.pk, p)
        # Concurrently, so each relation is one batched statement for all partnerships.
        return list(await asyncio.gather(*(comparison_for(info, p, fy) for p in items)))
