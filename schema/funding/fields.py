"""Funding fields on the structure types (mixed into Partnership and Agency by
schema/structure/types.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.funding.loaders import contributions_by_agency

# schema.funding.types imports no structure type at module level, so it can be imported here.
from schema.funding.types import (
    Contribution,
    FundingYear,
    InvolvementInput,
    ReviewCostApportionmentResult,
    ReviewCostInput,
    apportion,
)
from schema.types.common import parse_year_arg


@strawberry.type
class PartnershipFields:
    @strawberry.field(description="The partnership's funding in a UK financial year, e.g. `2019/20`: host arrangement, "
                                  "budget, contributions, expenditure, statement and equity.")
    async def funding(
        self, info: Info,
        financial_year: Annotated[str, strawberry.argument(description="The financial year, written like `2019/20`.")],
    ) -> FundingYear:
        return FundingYear.of(self.pk, parse_year_arg(financial_year))  # type: ignore[attr-defined]

    @strawberry.field(description="Who pays what of a practice review's costs, by the partnership's rule "
                                  "(baseline: equal shares among the statutory partners; Merton §11.2: by involvement).")
    async def review_cost_apportionment(
        self, info: Info,
        costs: Annotated[list[ReviewCostInput], strawberry.argument(description="The review's costs.")],
        involvement: Annotated[list[InvolvementInput], strawberry.argument(description="Agencies involved in the case and how much.")],
    ) -> ReviewCostApportionmentResult:
        return await apportion(info, self.pk, costs, involvement)  # type: ignore[attr-defined]


@strawberry.type
class AgencyFields:
    @strawberry.field(description="The agency's recorded funding contributions, cash and in kind, optionally for one "
                                  "financial year.")
    async def funding_contributions(
        self, info: Info,
        financial_year: Annotated[str | None, strawberry.argument(description="Only this year, e.g. `2021/22`.")] = None,
    ) -> list[Contribution]:
        fy = str(parse_year_arg(financial_year)) if financial_year is not None else None
        rows = await info.context.loaders.of(contributions_by_agency).load(self.pk)  # type: ignore[attr-defined]
        return [Contribution.from_row(r) for r in rows if fy is None or r.financial_year == fy]
