"""Working Together 2018 baseline: funding hooks (trylast).

WT2018 ch.3 §36–37 asks for equitable, proportionate and transparent funding that covers
local reviews; it does not say which agency hosts the money, so the baseline host answer is
NOT_STATED, review costs are shared equally among the statutory partners, and an overdue
contribution is reported without opening a dispute.
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.rules.funding import (
    WT2018_FUNDING,
    FundingDefaultAction,
    HostArrangement,
    HostStatus,
    equal_apportionment,
)

__all__ = ["funding_default_action", "funding_host_arrangement", "review_cost_apportionment"]


@hookimpl(trylast=True)
def funding_host_arrangement(financial_year, partners, document):
    return HostArrangement(
        status=HostStatus.NOT_STATED,
        lines=(),
        decisions=(),
        reasons=(
            f"no host arrangement is published or recorded for {financial_year}; WT2018 leaves it "
            "to the safeguarding partners to agree",
        ),
        source=WT2018_FUNDING,
    )


@hookimpl(trylast=True)
def review_cost_apportionment(costs, involvement, partners, document):
    return equal_apportionment(costs, partners, involvement, WT2018_FUNDING)


@hookimpl(trylast=True)
def funding_default_action(agency, document):
    return FundingDefaultAction(
        open_dispute=False,
        reasons=(f"{agency.name}'s contribution is overdue: reported to the safeguarding partners",),
        source=WT2018_FUNDING,
    )
