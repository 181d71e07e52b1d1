"""Sandwell: funding hooks — only where the document departs from the baseline.

MASA 2021 §23–§24: the budget is set annually and may be revised during the year at the
partnership's discretion; Sandwell Children's Trust is the Accountable Body for all the
statutory partners' funding (receipt, monitoring systems) and has the final decision where
funds may be misused; value for money and allocation are decided by the statutory partners
in partnership meetings; lines of accountability: Accountable Body / Cost Centre Manager
(Director of Quality Assurance & Safeguarding) / day-to-day (SCSP Business Manager). The
business office is hosted within the Trust (§23).
"""

from __future__ import annotations

from core.enums import AgencyKind
from core.hookspecs import hookimpl
from core.rules.common import Citation
from core.rules.funding import (
    FundingDecision,
    HostArrangement,
    HostLine,
    HostRole,
    HostStatus,
)

__all__ = ["funding_host_arrangement"]


@hookimpl
def funding_host_arrangement(financial_year, partners, document):
    trust = next((p for p in partners if p.statutory and p.kind == AgencyKind.CHILDRENS_TRUST), None)
    code = trust.code if trust else None
    s24 = Citation(document, "§24")
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
                source=s24,
            ),
            HostLine(role=HostRole.COST_CENTRE_MANAGER, agency_code=code,
                     post="Director of Quality Assurance & Safeguarding", source=s24),
            HostLine(role=HostRole.DAY_TO_DAY_BUDGET_MANAGER, agency_code=code,
                     post="SCSP Business Manager", duties=("day to day management of budget",), source=s24),
        ),
        decisions=(
            FundingDecision(
                matter="concern whether funding is used properly and for its purpose (possible misuse)",
                decided_by="the Accountable Body (Sandwell Children's Trust) has the final decision",
                source=s24,
            ),
            FundingDecision(
                matter="value for money and allocation of resources",
                decided_by="the Statutory Safeguarding Partners, within the Partnership meetings",
                group_code="scsp", source=s24,
            ),
            FundingDecision(
                matter="the annual budget, and its revision during the year",
                decided_by="the partnership, at its discretion", group_code="scsp", source=s24,
            ),
        ),
        reasons=(
            "Sandwell Children's Trust is the Accountable Body for all funding from the statutory partners; "
            "it is not by itself responsible for managing the Partnership's finances or allocating funding",
            "the §24 table prints 'Director of Children's Services' against 'Accountable Body'; the text "
            "names Sandwell Children's Trust, which is followed here",
        ),
        source=s24,
    )
