"""Governance batch functions: one statement per relation per request, whatever the number of
groups, meetings or decisions asked about. Each answers rows (``core.models.governance``) or
plain tuples; the types in ``schema.governance.types`` wrap them."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from core.models import governance as m
from core.rules import governance as rules
from schema.batch import grouped


async def meetings_by_group(loaders, keys):
    rows = await loaders.rows(select(m.Meeting).where(m.Meeting.group_id.in_(keys))
                              .order_by(m.Meeting.scheduled_on, m.Meeting.id))
    return grouped((r for (r,) in rows), lambda r: r.group_id, keys)


async def agenda_by_meeting(loaders, keys):
    rows = await loaders.rows(select(m.AgendaItem).where(m.AgendaItem.meeting_id.in_(keys)).order_by(m.AgendaItem.position))
    return grouped((r for (r,) in rows), lambda r: r.meeting_id, keys)


async def attendance_by_meeting(loaders, keys):
    rows = await loaders.rows(select(m.Attendance).where(m.Attendance.meeting_id.in_(keys)).order_by(m.Attendance.id))
    return grouped((r for (r,) in rows), lambda r: r.meeting_id, keys)


async def held_attendance_by_group(loaders, keys):
    """(meeting id, meeting date, seat id, status) for held meetings of each group, oldest first."""
    rows = await loaders.rows(
        select(m.Meeting.group_id, m.Meeting.id, m.Meeting.scheduled_on, m.Attendance.seat_id, m.Attendance.status)
        .join(m.Attendance, m.Attendance.meeting_id == m.Meeting.id, isouter=True)
        .where(m.Meeting.group_id.in_(keys), m.Meeting.status == rules.MeetingStatus.HELD)
        .order_by(m.Meeting.scheduled_on, m.Meeting.id))
    out: dict[int, list] = defaultdict(list)
    for r in rows:
        out[r.group_id].append((r.id, r.scheduled_on, r.seat_id, r.status))
    return [out.get(k, []) for k in keys]


async def decisions_by_group(loaders, keys):
    rows = await loaders.rows(select(m.Decision).where(m.Decision.group_id.in_(keys)).order_by(m.Decision.id))
    return grouped((r for (r,) in rows), lambda r: r.group_id, keys)


async def votes_by_decision(loaders, keys):
    rows = await loaders.rows(select(m.Vote).where(m.Vote.decision_id.in_(keys)).order_by(m.Vote.id))
    return grouped((r for (r,) in rows), lambda r: r.decision_id, keys)


async def chair_selections_by_group(loaders, keys):
    """Each group's recorded chair selections, by financial year (`2020/21`)."""
    rows = await loaders.rows(select(m.ChairSelectionRecord).where(m.ChairSelectionRecord.group_id.in_(keys)))
    out: dict[int, dict] = defaultdict(dict)
    for (r,) in rows:
        out[r.group_id][r.financial_year] = r
    return [out.get(k, {}) for k in keys]


async def appointments_by_partnership(loaders, keys):
    rows = await loaders.rows(select(m.Appointment).where(m.Appointment.partnership_id.in_(keys))
                              .order_by(m.Appointment.starts_on, m.Appointment.id))
    return grouped((r for (r,) in rows), lambda r: r.partnership_id, keys)
