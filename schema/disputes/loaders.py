"""Disputes and scrutiny batch functions: one statement per relation per request. Each answers
rows of ``core.models.disputes``; the types in ``schema.disputes.types`` wrap them.

Disputes, scrutiny activities, reports and recommendations are members-only: the read
policy's condition is part of each statement, so a caller who may not read them gets nothing
back from the database rather than rows to discard.
"""

from __future__ import annotations

from sqlalchemy import select

from core.models.disputes import Dispute as DisputeRow
from core.models.disputes import DisputeStageChange as ChangeRow
from core.models.disputes import ScrutinyActivity as ActivityRow
from core.models.disputes import ScrutinyAppointment as AppointmentRow
from core.models.disputes import ScrutinyRecommendation as RecommendationRow
from core.models.disputes import ScrutinyReport as ReportRow
from schema.batch import grouped, one_each


async def disputes_by_partnership(loaders, keys):
    rows = await loaders.rows(select(DisputeRow).where(
        DisputeRow.partnership_id.in_(keys), loaders.policy.members_only_condition(DisputeRow.partnership_id))
        .order_by(DisputeRow.id))
    return grouped((r for (r,) in rows), lambda d: d.partnership_id, keys)


async def dispute_by_id(loaders, keys):
    rows = await loaders.rows(select(DisputeRow).where(
        DisputeRow.id.in_(keys), loaders.policy.members_only_condition(DisputeRow.partnership_id)))
    return one_each((r for (r,) in rows), lambda d: d.id, keys)


async def history_by_dispute(loaders, keys):
    rows = await loaders.rows(select(ChangeRow).where(ChangeRow.dispute_id.in_(keys)).order_by(ChangeRow.sequence))
    return grouped((r for (r,) in rows), lambda c: c.dispute_id, keys)


async def scrutiny_appointments_by_partnership(loaders, keys):
    rows = await loaders.rows(select(AppointmentRow).where(AppointmentRow.partnership_id.in_(keys))
                              .order_by(AppointmentRow.appointed_from, AppointmentRow.id))
    return grouped((r for (r,) in rows), lambda a: a.partnership_id, keys)


async def activities_by_partnership(loaders, keys):
    rows = await loaders.rows(select(ActivityRow).where(
        ActivityRow.partnership_id.in_(keys), loaders.policy.members_only_condition(ActivityRow.partnership_id))
        .order_by(ActivityRow.happened_on, ActivityRow.id))
    return grouped((r for (r,) in rows), lambda a: a.partnership_id, keys)


async def reports_by_partnership(loaders, keys):
    rows = await loaders.rows(select(ReportRow).where(
        ReportRow.partnership_id.in_(keys), loaders.policy.members_only_condition(ReportRow.partnership_id))
        .order_by(ReportRow.published_on, ReportRow.id))
    return grouped((r for (r,) in rows), lambda r: r.partnership_id, keys)


async def recommendations_by_report(loaders, keys):
    rows = await loaders.rows(select(RecommendationRow).where(
        RecommendationRow.report_id.in_(keys), loaders.policy.members_only_condition(RecommendationRow.partnership_id))
        .order_by(RecommendationRow.position))
    return grouped((r for (r,) in rows), lambda r: r.report_id, keys)
