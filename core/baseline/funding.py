"""Working Together 2018 baseline: funding hooks (trylast).

WT2018 ch.3 §36–37 asks for equitable, proportionate and transparent funding that covers
local reviews; it does not say which agency hosts the money, so the baseline host answer is
NOT_STATED; it names no split for a review's costs, so none is given (the cost stays
unapportioned until the partners record one); and an overdue contribution is reported
without opening a dispute.
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.rules.common import WT2018, baseline, not_stated
from core.rules.funding import (
    WT2018_FUNDING,
    FundingDefaultAction,
    HostArrangement,
    HostStatus,
    format_pence,
    not_apportioned,
)

REVIEW_COSTS = baseline(WT2018, "ch.3 §36–37", "the arrangements set no split for a review's costs; WT2018 asks "
                        "for equitable and proportionate funding and names no split either, so none is given",
                        quote="equitable and proportionate")


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
        source=not_stated(document, f"the arrangements say nothing of who hosts the money in {financial_year}, "
                                    "and WT2018 leaves it to the safeguarding partners"),
    )


@hookimpl(trylast=True)
def review_cost_apportionment(costs, document):
    # WT2018 ch.3 asks for funding that is "equitable and proportionate"; it names no split
    # for a practice review's costs, so the baseline gives none rather than guess one.
    return not_apportioned(costs, REVIEW_COSTS, (
        f"{format_pence(sum(c.pence for c in costs))} to share: the arrangements set no split for a review's "
        "costs, and WT2018 asks only that contributions be equitable and proportionate; record what the "
        "partners agree",))


@hookimpl(trylast=True)
def funding_default_action(agency, document):
    return FundingDefaultAction(
        open_dispute=False,
        reasons=(f"{agency.name}'s contribution is overdue: reported to the safeguarding partners",),
        source=WT2018_FUNDING,
    )
