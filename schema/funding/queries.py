"""Root query fields for funding: one financial year across every partnership, to compare."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from core.models import Partnership as PartnershipModel
from schema.funding.types import FundingYear
from schema.structure.types import Partnership
from schema.types.common import parse_year_arg


@strawberry.type
class Query:
    @strawberry.field(description="Every partnership's funding for one financial year, by partnership code: "
                                  "compare host arrangements, budgets and statements in one request.")
    async def funding_comparison(
        self, info: Info,
        financial_year: Annotated[str, strawberry.argument(description="The financial year, written like `2021/22`.")],
    ) -> list[FundingYear] | None:
        fy = parse_year_arg(financial_year)
        rows = await info.context.loaders.rows(select(PartnershipModel).order_by(PartnershipModel.code))
        out = []
        for (p,) in rows:
            info.context.loaders.partnership_by_id.prime(p.id, Partnership.from_row(p))
            out.append(FundingYear.of(p.id, fy))
        return out
