"""Lewisham: funding hooks — only where the document departs from the baseline.

MoU 2019/20 (the seed has no numbered sections; sections are cited by heading):
- "Agree Funding": the Executive sets a yearly budget including local reviews; in 2019/20 the
  local authority is the host agency for funding (receives contributions, pays expenses),
  for early review with other options for 2020/21.
- "Operational Activity and Management – Funding": funding agreed at the start of each
  financial year, budget set and agreed by the Executive; a safeguarding partner that does
  not fulfil its funding responsibilities triggers the dispute resolution process.
"""

from __future__ import annotations

from core.enums import AgencyKind
from core.financial_year import FinancialYear
from core.hookspecs import hookimpl
from core.rules.common import Citation
from core.rules.funding import (
    FundingDecision,
    FundingDefaultAction,
    HostArrangement,
    HostLine,
    HostRole,
    HostStatus,
)

__all__ = ["funding_default_action", "funding_host_arrangement"]

AGREE_FUNDING = "Agree Funding"
OPERATIONAL_FUNDING = "Operational Activity and Management – Funding"
BUSINESS_UNIT = "Operational Activity and Management – Practice and Business Unit"
FIRST_YEAR = FinancialYear(2019)


def _decisions(document: str) -> tuple[FundingDecision, ...]:
    return (
        FundingDecision(
            matter="the yearly budget, including the cost of local safeguarding practice reviews",
            decided_by="the safeguarding partners, through the Executive",
            group_code="executive", source=Citation(document, AGREE_FUNDING),
        ),
        FundingDecision(
            matter="equitable and proportionate funding from each partner, and relevant agencies' contributions",
            decided_by="the Executive, at the beginning of each financial year",
            group_code="executive", source=Citation(document, OPERATIONAL_FUNDING),
        ),
        FundingDecision(
            matter="the composition, structure and remit of the Business Unit, funded through contributions",
            decided_by="the three safeguarding partners", source=Citation(document, BUSINESS_UNIT),
        ),
    )


@hookimpl
def funding_host_arrangement(financial_year, partners, document):
    if financial_year < FIRST_YEAR:
        return None
    if financial_year != FIRST_YEAR:
        # Lewisham MoU, Agree Funding: "an area for early review … in time for implementation
        # in 2020/21" — nothing is settled until the partnership records a decision.
        return HostArrangement(
            status=HostStatus.UNDER_REVIEW,
            lines=(),
            decisions=_decisions(document),
            reasons=(
                f"the MoU names a host agency for 2019/20 only; for {financial_year} the host "
                "arrangement is under review until the partnership records one",
            ),
            source=Citation(document, AGREE_FUNDING),
        )
    la = next((p for p in partners if p.statutory and p.kind == AgencyKind.LOCAL_AUTHORITY), None)
    source = Citation(document, AGREE_FUNDING)
    return HostArrangement(
        status=HostStatus.STATED,
        lines=(
            HostLine(
                role=HostRole.HOST_AGENCY, agency_code=la.code if la else None,
                duties=(
                    "receives contributions",
                    "makes payments for expenses incurred on behalf of the partnership",
                    # Practice and Business Unit: "Initially the local authority will act as the host agency for the unit"
                    "hosts the Business Unit and employs its staff on behalf of the three safeguarding partners",
                ),
                source=source,
            ),
        ),
        decisions=_decisions(document),
        reasons=(
            "in 2019/20 the local authority acts as the host agency for funding, receiving contributions "
            "and paying expenses on behalf of the partnership",
        ),
        source=source,
    )


@hookimpl
def funding_default_action(agency, document):
    if not agency.statutory:
        return None  # the MoU's rule speaks of the safeguarding partners only
    return FundingDefaultAction(
        open_dispute=True,
        reasons=(
            f"{agency.name} has not fulfilled its funding responsibilities: the dispute resolution "
            "process is deployed",
        ),
        source=Citation(document, OPERATIONAL_FUNDING),
    )
