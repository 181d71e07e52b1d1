"""Reviews batch functions and the reads behind `overdue`: one statement per relation (or per
kind of late record) per request, whatever the number of partnerships or items. Each answers
rows of ``core.models.reviews``; the types in ``schema.reviews.types`` wrap them.

Incidents, review actions and the risk log are members-only: the `overdue` reads take the
partnerships whose members-only records the caller may read (the read policy decides which),
and the fields that list them ask the read policy before loading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select

from core.models import Partnership as PartnershipModel
from core.models.reviews import AnnualReport as AnnualReportRow
from core.models.reviews import AnnualReportCopy as CopyRow
from core.models.reviews import BusinessPlan as PlanRow
from core.models.reviews import Incident as IncidentRow
from core.models.reviews import PlanAction as PlanActionRow
from core.models.reviews import PlanActionStatusChange as HistoryRow
from core.models.reviews import PlanObjective as ObjectiveRow
from core.models.reviews import PlanPriority as PriorityRow
from core.models.reviews import ReviewAction as ReviewActionRow
from core.models.reviews import RiskEntry as RiskRow
from core.rules import reviews as rules
from schema.batch import grouped


async def incidents_by_partnership(loaders, keys):
    rows = await loaders.rows(select(IncidentRow).where(IncidentRow.partnership_id.in_(keys))
                              .order_by(IncidentRow.became_aware_on, IncidentRow.id))
    return grouped((r for (r,) in rows), lambda r: r.partnership_id, keys)


async def actions_by_incident(loaders, keys):
    rows = await loaders.rows(select(ReviewActionRow).where(ReviewActionRow.incident_id.in_(keys))
                              .order_by(ReviewActionRow.due_on, ReviewActionRow.id))
    return grouped((r for (r,) in rows), lambda r: r.incident_id, keys)


async def annual_reports_by_partnership(loaders, keys):
    rows = await loaders.rows(select(AnnualReportRow).where(AnnualReportRow.partnership_id.in_(keys))
                              .order_by(AnnualReportRow.period_start.desc()))
    return grouped((r for (r,) in rows), lambda r: r.partnership_id, keys)


async def copies_by_report(loaders, keys):
    rows = await loaders.rows(select(CopyRow).where(CopyRow.report_id.in_(keys)).order_by(CopyRow.position))
    return grouped((r for (r,) in rows), lambda r: r.report_id, keys)


async def plans_by_partnership(loaders, keys):
    rows = await loaders.rows(select(PlanRow).where(PlanRow.partnership_id.in_(keys)).order_by(PlanRow.id))
    return grouped((r for (r,) in rows), lambda r: r.partnership_id, keys)


async def priorities_by_plan(loaders, keys):
    rows = await loaders.rows(select(PriorityRow).where(PriorityRow.plan_id.in_(keys)).order_by(PriorityRow.position))
    return grouped((r for (r,) in rows), lambda r: r.plan_id, keys)


async def objectives_by_plan(loaders, keys):
    rows = await loaders.rows(select(ObjectiveRow).where(ObjectiveRow.plan_id.in_(keys)).order_by(ObjectiveRow.position))
    return grouped((r for (r,) in rows), lambda r: r.plan_id, keys)


async def plan_actions_by_plan(loaders, keys):
    rows = await loaders.rows(select(PlanActionRow).where(PlanActionRow.plan_id.in_(keys))
                              .order_by(PlanActionRow.position, PlanActionRow.id))
    return grouped((r for (r,) in rows), lambda r: r.plan_id, keys)


async def history_by_action(loaders, keys):
    rows = await loaders.rows(select(HistoryRow).where(HistoryRow.action_id.in_(keys)).order_by(HistoryRow.id))
    return grouped((r for (r,) in rows), lambda r: r.action_id, keys)


async def risks_by_partnership(loaders, keys):
    rows = await loaders.rows(select(RiskRow).where(RiskRow.partnership_id.in_(keys)).order_by(RiskRow.position))
    return grouped((r for (r,) in rows), lambda r: r.partnership_id, keys)


# ----------------------------------------------------------------------------- what may be late (`overdue`)


async def partnership_codes(loaders) -> dict[int, str]:
    """Every partnership's code, by id."""
    return {r.id: r.code for r in await loaders.rows(select(PartnershipModel.id, PartnershipModel.code))}


async def incidents_of(loaders, partnership_ids: Collection[int]) -> list[IncidentRow]:
    """Every incident of these partnerships (whether one is late depends on its partnership's rules)."""
    return [r for (r,) in await loaders.rows(select(IncidentRow).where(IncidentRow.partnership_id.in_(partnership_ids)))]


async def review_actions_overdue(loaders, partnership_ids: Collection[int], as_of: dt.date) -> list[ReviewActionRow]:
    """Review actions of these partnerships not completed and due before ``as_of``."""
    rows = await loaders.rows(select(ReviewActionRow).where(
        ReviewActionRow.partnership_id.in_(partnership_ids), ReviewActionRow.status != rules.ActionStatus.COMPLETED,
        ReviewActionRow.due_on < as_of))
    return [r for (r,) in rows]


async def risks_overdue(loaders, partnership_ids: Collection[int], as_of: dt.date) -> list[RiskRow]:
    """Open risks of these partnerships whose action was due before ``as_of``."""
    rows = await loaders.rows(select(RiskRow).where(
        RiskRow.partnership_id.in_(partnership_ids), RiskRow.closed_on.is_(None), RiskRow.due_on < as_of))
    return [r for (r,) in rows]


async def report_copies_late(loaders, as_of: dt.date) -> list[CopyRow]:
    """Annual-report copies not sent by their due date (before ``as_of``), or sent after it."""
    rows = await loaders.rows(select(CopyRow).where(
        ((CopyRow.sent_on.is_(None)) & (CopyRow.due_on < as_of)) | (CopyRow.sent_on > CopyRow.due_on)))
    return [r for (r,) in rows]


async def plan_actions_overdue(loaders, as_of: dt.date) -> list[PlanActionRow]:
    """Plan actions not completed and due before ``as_of``."""
    rows = await loaders.rows(select(PlanActionRow).where(
        PlanActionRow.completed_on.is_(None), PlanActionRow.due_on.is_not(None), PlanActionRow.due_on < as_of))
    return [r for (r,) in rows]
