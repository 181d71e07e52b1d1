"""Merton: funding hooks — §11 Resources as it reads, citing ``rulebook.toml``.

§11.1: a shared budget; the statutory partners agree each autumn the next year's equitable and
proportionate contributions — but the Agreement never says which agency holds the budget.
§11.6: Merton Council hosts the Business Support Team and the meetings (not the money). §11.2:
a local review is paid by an additional subscription from the statutory partners involved in
the case, apportioned by involvement; relevant agencies and co-opted members may be *proposed*
contributions; dissemination comes from the training budget. App. 7 ("Budget") has the
Partnership first consider its joint budget, which §11.2 does not reconcile — the answer says so.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from core.plugin_api import (
    Exclusion,
    FinancialYear,
    FundingDecision,
    HostArrangement,
    HostStatus,
    ReviewCostItem,
    Rulebook,
    apportion_by_involvement,
    hookimpl,
)

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))

FIRST_YEAR = FinancialYear(2019)  # the Agreement is dated May 2019; earlier years it does not cover


@hookimpl
def funding_host_arrangement(financial_year, document):
    if financial_year < FIRST_YEAR:
        return None  # the baseline: not stated
    return HostArrangement(
        status=HostStatus.NOT_STATED,
        lines=(),
        decisions=(
            FundingDecision(
                matter="each partner's equitable and proportionate contribution to the shared budget, agreed each "
                       "autumn for the following business year",
                decided_by="the Statutory Partners", source=RULES.cite("funding-contributions-each-autumn", document)),
            FundingDecision(
                matter="contributions proposed from relevant agencies",
                decided_by="the Statutory Partners", source=RULES.cite("funding-equitable-and-proportionate", document)),
            FundingDecision(
                matter="budget review (November Executive meeting)",
                decided_by="the Executive Group", group_code="executive",
                source=RULES.cite("funding-budget-review", document)),
            FundingDecision(
                matter="the cost of a local child safeguarding practice review",
                decided_by="an additional subscription from the Statutory Partners involved in the case, "
                           "apportioned by involvement",
                source=RULES.cite("review-costs-subscription", document)),
        ),
        reasons=(
            f"{financial_year}: the Partnership has a shared budget (§11.1), but the Agreement does not say which "
            "agency holds it",
            "§11.6: Merton Council hosts the Business Support Team and the Partnership's meetings; partners are "
            "encouraged to host meetings or training at no expense to the budget",
            "the Agreement (May 2019) gives no end date; a host arrangement the partnership records for a year is "
            "answered instead of this one",
        ),
        source=RULES.cite("hosting-who-holds-the-money", document),
    )


@hookimpl
def review_cost_apportionment(costs, involvement, document):
    answer = apportion_by_involvement(
        costs, involvement, RULES.cite("review-costs-subscription", document),
        training_budget_items=frozenset({ReviewCostItem.DISSEMINATION}),
    )
    proposed = RULES.cite("review-costs-relevant-agencies", document)
    excluded = tuple(
        Exclusion(e.agency_code, "not a statutory partner, so not part of the additional subscription; the "
                                 f"Statutory Partners may propose a contribution from it ({proposed})")
        if any(i.agency.code == e.agency_code and not i.agency.statutory for i in involvement) else e
        for e in answer.excluded)
    return replace(answer, excluded=excluded, reasons=answer.reasons + (
        "App. 7 (Budget) has the Partnership first consider its joint budget and seek additional subscriptions "
        "only where necessary, while §11.2 has every local review paid by additional subscription; the Agreement "
        "does not reconcile the two, so record what the partners decide",))
