"""`compare(codes:, aspects:)`: partnerships side by side, one request."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from core.models import Partnership as PartnershipModel
from schema.compare.types import (
    ASPECTS,
    ComparisonAspect,
    ComparisonMatrix,
    build_matrix,
    current_financial_year,
)
from schema.errors import BadArgument
from schema.structure.queries import partnership_by_code
from schema.structure.types import Partnership
from schema.types.common import parse_year_arg


@strawberry.type
class Query:
    @strawberry.field(description="Partnerships side by side: one row per aspect, one cell per partnership, each cell "
                                  "with its value, a plain-language summary and its sources. Every partnership and "
                                  "every aspect when the lists are omitted.")
    async def compare(
        self, info: Info,
        codes: Annotated[list[str] | None, strawberry.argument(description="Partnership codes; all when omitted.")] = None,
        aspects: Annotated[list[ComparisonAspect] | None, strawberry.argument(description="Aspects; all when omitted.")] = None,
        financial_year: Annotated[str | None, strawberry.argument(
            description="Financial year for chairs and funding, like `2020/21`; the current one when omitted.")] = None,
    ) -> ComparisonMatrix:
        fy = parse_year_arg(financial_year) if financial_year else current_financial_year()
        if codes is None:
            rows = await info.context.loaders.rows(select(PartnershipModel).order_by(PartnershipModel.code))
            partnerships = [Partnership.from_row(r[0]) for r in rows]
            for p in partnerships:
                info.context.loaders.partnership_by_id.prime(p.pk, p)
        else:
            if len(set(codes)) != len(codes):
                raise BadArgument("`codes` lists a partnership twice")
            partnerships = list(await asyncio.gather(*(partnership_by_code(info, code) for code in codes)))
        return await build_matrix(info, partnerships, list(aspects or ASPECTS), fy)
