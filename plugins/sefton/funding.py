"""Sefton: funding hooks, as "Resourcing - How the arrangements are funded" states them.

2021-22 is a transitional year on the LSCB model: cash from five bodies (amounts not
published), contributions in kind from the local authority (accommodation, communications,
hosting the Business Unit, legal advice), the LSCB reserve transferred on 1 October 2021,
and Business Unit posts costing £208,000 against income of around £230,000. Funding
decisions are signed off by the Leadership Team; a new funding model will be agreed "going
forward"; partners may make additional contributions for specific priorities.

Only 2021-22 is described: who hosts in any other year is not stated (rulebook:
hosting-other-years). A practice review is paid from the funding the partners agree, which
must be "sufficient to cover … the cost of local child safeguarding practice reviews"; no
split of one review's costs is stated, so none is given (rulebook: review-costs).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.plugin_api import (
    AgencyKind,
    ContributionKind,
    FinancialYear,
    FundingDecision,
    HostArrangement,
    HostLine,
    HostRole,
    HostStatus,
    PublishedContribution,
    PublishedExpenditure,
    PublishedFunding,
    PublishedReserve,
    Rulebook,
    hookimpl,
    not_apportioned,
)

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))

FIRST_YEAR = FinancialYear(2021)  # 2021-22, the transitional year
IN_KIND = (
    "accommodation",
    "communication services",
    "hosting of the Business Unit",
    "legal advice from the Council's Legal Services when required",
)


def _decisions(document: str) -> tuple[FundingDecision, ...]:
    """The standing rules on who decides funding matters (from 2021-22 on)."""
    return (
        FundingDecision(
            matter="funding decisions", decided_by="signed off by the Sefton Safeguarding Leadership Team",
            group_code="slt", source=RULES.cite("funding-sign-off", document),
        ),
        FundingDecision(
            matter="a new funding model: the level of funding from each Safeguarding Partner and "
                   "contributions from relevant agencies",
            decided_by="the Safeguarding Partners", source=RULES.cite("funding-new-model", document),
        ),
        FundingDecision(
            matter="additional contributions to fund specific priorities",
            decided_by="the partners, when necessary", source=RULES.cite("funding-additional-contributions", document),
        ),
    )


@hookimpl
def funding_host_arrangement(financial_year, partners, document):
    if financial_year != FIRST_YEAR:
        later = financial_year > FIRST_YEAR
        return HostArrangement(
            status=HostStatus.NOT_STATED, lines=(), decisions=_decisions(document) if later else (),
            reasons=((f"{financial_year}: who hosts is not stated — the Arrangements 2021 describe only 2021-22 and "
                      "say a new funding model will be agreed by the partners going forward; record the arrangement",)
                     if later else
                     (f"{financial_year}: not stated — the partnership remained an LSCB until the new arrangements "
                      "came into effect on 31 October 2021, and the Arrangements describe no earlier hosting",)),
            source=RULES.cite("hosting-other-years", document),
        )
    council = next((p for p in partners if p.statutory and p.kind == AgencyKind.LOCAL_AUTHORITY), None)
    source = RULES.cite("hosting-2021-22", document)
    return HostArrangement(
        status=HostStatus.STATED,
        lines=(
            HostLine(
                role=HostRole.HOST_AGENCY, agency_code=council.code if council else None,
                duties=("hosts the Business Unit", *(f"provides in kind: {item}" for item in IN_KIND if "hosting" not in item)),
                source=source,
            ),
        ),
        decisions=_decisions(document),
        reasons=(
            "2021-22: Sefton Council hosts the Business Unit and provides accommodation, communications and legal "
            "advice in kind; funding decisions are signed off by the Leadership Team",
        ),
        source=source,
    )


@hookimpl
def published_funding(financial_year, document):
    if financial_year != FIRST_YEAR:
        return None
    cash = (
        # Amounts per body are not published: None, not invented.
        ("sefton-council", "Local Authority Children's Services"),
        ("sefton-ccgs", "Sefton CCGs"),
        ("merseyside-police", "Merseyside Police"),
        ("hmpps", "HM Prison & Probation Service (HMPPS)"),
        ("schools", "Schools, including independent schools and colleges"),
    )
    return [
        PublishedFunding(
            financial_year=financial_year,
            source=RULES.cite("funding-2021-22-contributors", document),
            income_pence=23_000_000,  # "income around £230,000"
            income_approximate=True,
            contributions=(
                *(PublishedContribution(agency_code=code, label=label, kind=ContributionKind.CASH) for code, label in cash),
                PublishedContribution(agency_code="sefton-council", label="Sefton Council (local authority)",
                                      kind=ContributionKind.IN_KIND, provides=IN_KIND),
            ),
            expenditure=(
                PublishedExpenditure(
                    description="Business Unit posts that currently support the LSCB",
                    amount_pence=20_800_000,  # £208,000
                    items=("Business Manager", "Business Support", "Quality Assurance Officer", "Training Officer"),
                ),
            ),
            reserve=PublishedReserve(
                description="any existing LSCB reserve, transferred to the new safeguarding arrangements",
                transferred_on=dt.date(2021, 10, 1),
            ),
            notes=(
                "2021-22 is a transitional year: funding reflected the LSCB model",
                "the posts are subject to review; SSCP will agree a final position for the new partnership",
                "the reserve's transfer date (1 October 2021) is as printed; the same section says the new "
                "arrangements came into effect on 31 October 2021",
            ),
        )
    ]


@hookimpl
def review_cost_apportionment(costs, document):
    total = sum(c.pence for c in costs)
    return not_apportioned(costs, RULES.cite("review-costs", document), (
        f"£{total // 100:,}.{total % 100:02d} to meet from the partnership's funding, which must be sufficient to "
        "cover the cost of local child safeguarding practice reviews; the Arrangements set no split of one review's "
        "costs between agencies, so none is given — record what the partners agree",))
