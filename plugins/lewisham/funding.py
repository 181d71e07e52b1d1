"""Lewisham: funding hooks, each answer citing its entry in ``rulebook.toml``.

MoU 2019/20, "Agree Funding": the Executive sets a yearly budget that includes the cost of
local practice reviews; in 2019/20 the local authority is the host agency for funding, and
hosting is "an area for early review" with other options explored "in time for
implementation in 2020/21". Nothing is said of later years, so for them who hosts is not
stated. "Operational Activity and Management – Funding": funding agreed at the start of each
financial year; a safeguarding partner that does not fulfil its funding responsibilities
deploys the dispute resolution process. A review's cost comes out of the yearly budget: the
MoU sets no split of it between agencies, so none is given.
"""

from __future__ import annotations

from pathlib import Path

from core.plugin_api import (
    AgencyKind,
    FinancialYear,
    FundingDecision,
    FundingDefaultAction,
    HostArrangement,
    HostLine,
    HostRole,
    HostStatus,
    Rulebook,
    hookimpl,
    not_apportioned,
)

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))

FIRST_YEAR = FinancialYear(2019)  # "In 2019/20 the local authority will act as the host agency"
REVIEW_YEAR = FinancialYear(2020)  # "other options will be explored in time for implementation in 2020/21"


def _decisions(document: str) -> tuple[FundingDecision, ...]:
    return (
        FundingDecision(
            matter="the yearly budget, including the cost of local safeguarding practice reviews",
            decided_by="the safeguarding partners, through the Executive",
            group_code="executive", source=RULES.cite("funding-yearly-budget", document),
        ),
        FundingDecision(
            matter="equitable and proportionate funding from each partner, and relevant agencies' contributions",
            decided_by="the safeguarding partners", source=RULES.cite("funding-equitable", document),
        ),
        FundingDecision(
            matter="the funding and the budget, at the beginning of each financial year",
            decided_by="the Executive", group_code="executive", source=RULES.cite("funding-agreed-each-year", document),
        ),
        FundingDecision(
            matter="the composition, structure and remit of the Business Unit, funded through contributions",
            decided_by="the three safeguarding partners", source=RULES.cite("funding-business-unit", document),
        ),
    )


@hookimpl
def funding_host_arrangement(financial_year, partners, document):
    if financial_year < FIRST_YEAR:
        return None  # before the MoU: the baseline answers NOT_STATED
    if financial_year == REVIEW_YEAR:
        return HostArrangement(
            status=HostStatus.UNDER_REVIEW, lines=(), decisions=_decisions(document),
            reasons=("hosting was 'an area for early review' with other options to be explored in time for "
                     "2020/21; who hosts in 2020/21 is not stated: record the arrangement the partners agree",),
            source=RULES.cite("hosting-2020-21", document))
    if financial_year != FIRST_YEAR:
        return HostArrangement(
            status=HostStatus.NOT_STATED, lines=(), decisions=_decisions(document),
            reasons=(f"the MoU 2019/20 names a host for 2019/20 and puts 2020/21 under review; it says nothing of "
                     f"{financial_year}: record the arrangement the partners agree",),
            source=RULES.cite("hosting-later-years", document))
    la = next((p for p in partners if p.statutory and p.kind == AgencyKind.LOCAL_AUTHORITY), None)
    source = RULES.cite("hosting-2019-20", document)
    return HostArrangement(
        status=HostStatus.STATED,
        lines=(
            HostLine(role=HostRole.HOST_AGENCY, agency_code=la.code if la else None,
                     duties=("receives contributions",
                             "makes payments for expenses incurred on behalf of the partnership"),
                     source=source),
            HostLine(role=HostRole.HOST_AGENCY, agency_code=la.code if la else None, post="host of the Business Unit",
                     duties=("initially hosts the Business Unit and employs its staff on behalf of the three "
                             "safeguarding partners",),
                     source=RULES.cite("hosting-business-unit", document)),
        ),
        decisions=_decisions(document),
        reasons=("in 2019/20 the local authority acts as the host agency for funding, receiving contributions "
                 "and paying expenses on behalf of the partnership",),
        source=source)


@hookimpl
def review_cost_apportionment(costs, document):
    return not_apportioned(costs, RULES.cite("review-costs", document), (
        "the cost of local safeguarding practice reviews is part of the yearly budget the partners set "
        "through the Executive; the MoU sets no split of a review's cost between agencies, so no share is given",))


@hookimpl
def funding_default_action(agency, document):
    if not agency.statutory:
        return FundingDefaultAction(False, (
            f"{agency.name}'s contribution is overdue: reported; the MoU's rule on funding defaults speaks of the "
            "safeguarding partners only, so no dispute is opened",),
            RULES.cite("funding-default-relevant-agencies", document))
    return FundingDefaultAction(True, (
        f"{agency.name} has not fulfilled its funding responsibilities: the dispute resolution process is deployed",),
        RULES.cite("funding-default-partners", document))
