"""Merton: funding hooks — only where the document departs from the baseline.

Partnership Agreement 2019, §11 Resources: a shared budget; statutory partners agree
contributions each autumn for the following business year (§11.1); a local CSPR is paid by an
additional subscription from the statutory partners involved in the case, apportioned by
involvement, dissemination from the training budget (§11.2, App. 7 "Budget"); Merton Council
hosts the Business Support Team and the meetings (§11.6).
"""

from __future__ import annotations

from core.enums import AgencyKind
from core.financial_year import FinancialYear
from core.hookspecs import hookimpl
from core.rules.common import Citation
from core.rules.funding import (
    FundingDecision,
    HostArrangement,
    HostLine,
    HostRole,
    HostStatus,
    ReviewCostItem,
    apportion_by_involvement,
)

__all__ = ["funding_host_arrangement", "review_cost_apportionment"]

FIRST_YEAR = FinancialYear(2019)  # the Agreement is dated May 2019


@hookimpl
def funding_host_arrangement(financial_year, partners, document):
    if financial_year < FIRST_YEAR:
        return None
    council = next((p for p in partners if p.statutory and p.kind == AgencyKind.LOCAL_AUTHORITY), None)
    source = Citation(document, "§11.6")
    return HostArrangement(
        status=HostStatus.STATED,
        lines=(
            HostLine(
                role=HostRole.HOST_AGENCY, agency_code=council.code if council else None,
                duties=(
                    "hosts the Merton Safeguarding Children Partnership Business Support Team",
                    "hosts the Merton Safeguarding Children Partnership meetings",
                ),
                source=source,
            ),
        ),
        decisions=(
            FundingDecision(
                matter="each partner's equitable and proportionate contribution to the shared budget, "
                       "agreed each autumn for the following business year",
                decided_by="the Statutory Partners", source=Citation(document, "§11.1"),
            ),
            FundingDecision(
                matter="budget review (November Executive meeting)",
                decided_by="the Executive Group", group_code="executive", source=Citation(document, "§10"),
            ),
            FundingDecision(
                matter="the cost of a local child safeguarding practice review",
                decided_by="an additional subscription from the Statutory Partners involved in the case, "
                           "apportioned by involvement",
                source=Citation(document, "§11.2"),
            ),
        ),
        reasons=(
            "Merton Council hosts the Business Support Team and the Partnership's meetings; partners are "
            "encouraged to host meetings or training at no expense to the budget",
        ),
        source=source,
    )


@hookimpl
def review_cost_apportionment(costs, involvement, partners, document):
    # Merton §11.2: statutory partners involved in the case, by involvement; relevant agencies
    # may be *proposed* for contributions but are not part of the subscription; dissemination
    # of lessons is borne by the training budget.
    return apportion_by_involvement(
        costs, involvement, Citation(document, "§11.2"),
        training_budget_items=frozenset({ReviewCostItem.DISSEMINATION}),
    )
