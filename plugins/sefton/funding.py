"""Sefton: funding hooks — only where the document departs from the baseline.

Arrangements 2021, "Resourcing – How the arrangements are funded": funding decisions are
signed off by the Sefton Safeguarding Leadership Team; partners may be asked for additional
contributions to fund specific priorities; 2021-22 is a transitional year on the LSCB model
with cash contributions from five bodies (amounts not published), contributions in kind from
the local authority (accommodation, communications, hosting the Business Unit, legal advice);
the LSCB reserve is transferred on 1 October 2021; the Business Unit's posts cost £208,000
against income of around £230,000.
"""

from __future__ import annotations

import datetime as dt

from core.enums import AgencyKind
from core.financial_year import FinancialYear
from core.hookspecs import hookimpl
from core.rules.common import Citation
from core.rules.funding import (
    ContributionKind,
    FundingDecision,
    HostArrangement,
    HostLine,
    HostRole,
    HostStatus,
    PublishedContribution,
    PublishedExpenditure,
    PublishedFunding,
    PublishedReserve,
)

__all__ = ["funding_host_arrangement", "published_funding"]

RESOURCING = "Resourcing – How the arrangements are funded"
FIRST_YEAR = FinancialYear(2021)  # 2021-22, the transitional year
IN_KIND = (
    "accommodation",
    "communication services",
    "hosting of the Business Unit",
    "legal advice from the Council's Legal Services when required",
)


@hookimpl
def funding_host_arrangement(financial_year, partners, document):
    if financial_year < FIRST_YEAR:
        return None
    council = next((p for p in partners if p.statutory and p.kind == AgencyKind.LOCAL_AUTHORITY), None)
    source = Citation(document, RESOURCING)
    return HostArrangement(
        status=HostStatus.STATED,
        lines=(
            HostLine(
                role=HostRole.HOST_AGENCY, agency_code=council.code if council else None,
                duties=("hosts the Business Unit", *(f"provides in kind: {item}" for item in IN_KIND if "hosting" not in item)),
                source=source,
            ),
        ),
        decisions=(
            FundingDecision(
                matter="funding decisions", decided_by="signed off by the Sefton Safeguarding Leadership Team",
                group_code="slt", source=source,
            ),
            FundingDecision(
                matter="a new funding model: the level of funding from each Safeguarding Partner and "
                       "contributions from relevant agencies",
                decided_by="the Safeguarding Partners", source=source,
            ),
            FundingDecision(
                matter="additional contributions to fund specific priorities",
                decided_by="the partners, when necessary", source=source,
            ),
        ),
        reasons=(
            "Sefton Council hosts the Business Unit and provides accommodation, communications and legal "
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
            source=Citation(document, RESOURCING),
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
            ),
        )
    ]
