"""Sandwell: funding hooks, each citing the rulebook entry it applies.

MASA 2021 §23–§24: the budget is set annually and may be revised during the year at the
partnership's discretion; Sandwell Children's Trust is the Accountable Body for all the
statutory partners' funding (receipt, monitoring systems) and has the final decision where
funds may be misused; value for money and allocation are decided by the statutory partners
in partnership meetings; lines of accountability: Accountable Body / Cost Centre Manager
(Director of Quality Assurance & Safeguarding) / day-to-day (SCSP Business Manager). The
business office is hosted within the Trust (§23).

The MASA 2021 states this for the year it was published in (V.2, 12/07/2021: 2021/22); it
says nothing of earlier years and is "reviewed on an annual basis" (§26), so every other year
is answered NOT_STATED. It sets no split of a practice review's costs and no consequence for a
partner that does not pay.
"""

from __future__ import annotations

from core.plugin_api import (
    AgencyKind,
    FinancialYear,
    FundingDecision,
    FundingDefaultAction,
    HostArrangement,
    HostLine,
    HostRole,
    HostStatus,
    hookimpl,
    not_apportioned,
)

from . import RULES

#: The financial year the MASA 2021 (V.2, 12 July 2021) states its funding arrangements for.
STATED_YEAR = FinancialYear.parse("2021/22")


@hookimpl
def funding_host_arrangement(financial_year, partners, document):
    if financial_year != STATED_YEAR:
        source = RULES.cite("hosting-other-years", document)
        return HostArrangement(HostStatus.NOT_STATED, (), (), (
            f"the MASA 2021 states who holds the money for {STATED_YEAR}, the year it was published; it says nothing "
            f"of {financial_year}: record the arrangement the partners agreed for it",
            f"in {STATED_YEAR}, Sandwell Children's Trust was the Accountable Body (§24)",
        ), source)
    trust = next((p for p in partners if p.statutory and p.kind == AgencyKind.CHILDRENS_TRUST), None)
    code = trust.code if trust else None
    lines = RULES.cite("funding-lines", document)
    return HostArrangement(
        status=HostStatus.STATED,
        lines=(
            HostLine(
                role=HostRole.ACCOUNTABLE_BODY, agency_code=code,
                duties=(
                    "accountable for all funding received from statutory partners as part of the core budget",
                    "receipt of the funding; setting up and monitoring the financial monitoring systems",
                    "a finance report at each bi-monthly meeting",
                ),
                source=RULES.cite("hosting-accountable-body", document),
            ),
            HostLine(role=HostRole.COST_CENTRE_MANAGER, agency_code=code,
                     post="Director of Quality Assurance & Safeguarding", source=lines),
            HostLine(role=HostRole.DAY_TO_DAY_BUDGET_MANAGER, agency_code=code,
                     post="SCSP Business Manager", duties=("day to day management of budget",), source=lines),
        ),
        decisions=(
            FundingDecision(
                matter="concern whether funding is used properly and for its purpose (possible misuse)",
                decided_by="the Accountable Body (Sandwell Children's Trust) has the final decision",
                source=RULES.cite("funding-misuse", document),
            ),
            FundingDecision(
                matter="value for money and allocation of resources",
                decided_by="the Statutory Safeguarding Partners, within the Partnership meetings",
                group_code="scsp", source=RULES.cite("funding-vfm", document),
            ),
            FundingDecision(
                matter="the annual budget, and its revision during the year",
                decided_by="the partnership, at its discretion", group_code="scsp",
                source=RULES.cite("funding-budget", document),
            ),
        ),
        reasons=(
            "Sandwell Children's Trust is the Accountable Body for all funding from the statutory partners; "
            "it is not by itself responsible for managing the Partnership's finances or allocating funding",
            "the §24 table prints 'Director of Children's Services' against 'Accountable Body'; the text "
            "names Sandwell Children's Trust twice, which is followed here",
            "the SCSP business team is hosted within the Trust, which takes contractual responsibility for its "
            "staff (§23)",
        ),
        source=RULES.cite("hosting-accountable-body", document),
    )


@hookimpl
def review_cost_apportionment(costs, document):
    total = sum(c.pence for c in costs)
    return not_apportioned(costs, RULES.cite("review-costs", document), (
        f"£{total // 100:,}.{total % 100:02d} to share: the MASA says nothing of who pays for a practice review, "
        "so no share is given; record what the partners agree",))


@hookimpl
def funding_default_action(agency, document):
    return FundingDefaultAction(
        open_dispute=False,
        reasons=(f"{agency.name}'s contribution is overdue: reported to the safeguarding partners; the MASA sets no "
                 "consequence, so no dispute opens of itself (a partner may raise one under §25)",),
        source=RULES.cite("funding-default", document),
    )
