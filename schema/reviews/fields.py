"""Reviews fields on the structure types (mixed into Partnership by schema/structure/types.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.reviews.loaders import (
    annual_reports_by_partnership,
    incidents_by_partnership,
    plans_by_partnership,
    risks_by_partnership,
)

# schema.reviews.types imports no structure type at module level, so it can be imported here.
from schema.reviews.types import (
    AnnualReport,
    AnnualReportRecipientsRule,
    BusinessPlan,
    Incident,
    Rag,
    ReviewTimescales,
    RiskEntry,
    recipients_rule,
    timescales,
)
from schema.types.common import After, Before, Connection, First, Last, paginate


def _page(info: Info, items, first, after, last=None, before=None):
    return paginate(items, first, after, info.context.settings.max_page_size, last, before)


@strawberry.type
class PartnershipFields:
    @strawberry.field(description="The deadlines the partnership's incidents and practice reviews are held to "
                                  "(baseline WT2018 and Panel guidance; Sandwell §15: reviews within 6 months).")
    def review_timescales(self, info: Info) -> ReviewTimescales:
        return ReviewTimescales.of(timescales(info, self.code))  # type: ignore[attr-defined]

    @strawberry.field(description="Who must receive the annual report, and within how many days of publication "
                                  "(baseline: the Panel and the What Works Centre; Merton §9.3 adds the Secretary of "
                                  "State, the DfE and Ofsted).")
    def annual_report_recipients(self, info: Info) -> AnnualReportRecipientsRule:
        return AnnualReportRecipientsRule.of(recipients_rule(info, self.code))  # type: ignore[attr-defined]

    @strawberry.field(description="Serious incidents and practice reviews, oldest first. Confidential: members of the "
                                  "partnership only; anyone else gets an empty list.")
    async def incidents(self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None) -> Connection[Incident]:
        pid = self.pk  # type: ignore[attr-defined]
        if not info.context.loaders.policy.sees_members_only(pid):
            return _page(info, [], first, after, last, before)
        rows = await info.context.loaders.of(incidents_by_partnership).load(pid)
        return _page(info, [Incident.from_row(r, self.code) for r in rows], first, after, last, before)  # type: ignore[attr-defined]

    @strawberry.field(description="Annual reports, newest first, with the copies due to each recipient.")
    async def annual_reports(self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None) -> Connection[AnnualReport]:
        rows = await info.context.loaders.of(annual_reports_by_partnership).load(self.pk)  # type: ignore[attr-defined]
        return _page(info, [AnnualReport.from_row(r) for r in rows], first, after, last, before)

    @strawberry.field(description="Business plans (Merton 2014–16 transcribed from its seed) and the rolling action plan.")
    async def business_plans(self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None) -> Connection[BusinessPlan]:
        rows = await info.context.loaders.of(plans_by_partnership).load(self.pk)  # type: ignore[attr-defined]
        return _page(info, [BusinessPlan.from_row(r) for r in rows], first, after, last, before)

    @strawberry.field(description="The risk & challenge log. Confidential to the partnership's members: anyone else "
                                  "gets an empty list (no count, no error).")
    async def risk_log(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None,
        rag: Annotated[Rag | None, strawberry.argument(description="Only entries with this RAG rating.")] = None,
        include_closed: Annotated[bool, strawberry.argument(description="Include risks removed from the log.")] = False,
    ) -> Connection[RiskEntry]:
        pid = self.pk  # type: ignore[attr-defined]
        if not info.context.loaders.policy.sees_members_only(pid):
            return _page(info, [], first, after, last, before)
        rows = await info.context.loaders.of(risks_by_partnership).load(pid)
        items = [RiskEntry.from_row(r) for r in rows
                 if (rag is None or r.rag == rag) and (include_closed or r.closed_on is None)]
        return _page(info, items, first, after, last, before)
