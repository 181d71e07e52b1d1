"""Governance use cases that write: meetings, agenda, attendance, decisions and votes, chair
selections and appointments. Each is one transaction with exactly one audit event; a refused
write raises a domain error (the API returns it as a typed error and nothing is written).

Rules come from the partnership's plugin manager through ``core.rules.governance``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal
from core.enums import SeatRole
from core.errors import Conflict, InvalidInput, NotAuthorized, NotFound
from core.financial_year import FinancialYear, FinancialYearError
from core.models import Agency, Group, Partnership, Person, Seat, StatutoryPartner
from core.models.governance import (
    AgendaItem,
    Appointment,
    Attendance,
    ChairSelectionRecord,
    Decision,
    Meeting,
    Vote,
)
from core.models.group import in_force_on
from core.plugins import PartnershipRules, Registry
from core.rules import governance as rules
from core.rules.governance import (
    REPRESENTED,
    AppointmentRef,
    AttendanceStatus,
    DecisionMethod,
    DecisionRef,
    DecisionStatus,
    GroupRef,
    MeetingStatus,
    Office,
    PartnerRef,
    Presence,
    SeatRef,
    VoteChoice,
)
from core.services import audit, inputs, locks
from core.services.structure import visible_group

# ----------------------------------------------------------------------------- building refs


def group_ref(g: Any) -> GroupRef:
    """A GroupRef from a ``core.models.Group`` row."""
    return GroupRef(
        id=g.id, code=g.code, name=g.name, kind=g.kind, chair_basis=g.chair_basis, chair_office=g.chair_office,
        chair_seat_code=g.chair_seat_code, chair_rotation=tuple(g.chair_rotation or ()),
        chair_rotation_start=g.chair_rotation_start, chair_source=g.chair_source,
    )


def seat_ref(*, id: int, code: str, role: SeatRole, post: str, agency_id: int | None, deputy_of_id: int | None,
             sector_representative: bool, membership_code: str | None,
             agency_codes: dict[int, str], partner_agency_ids: set[int]) -> SeatRef:
    return SeatRef(
        id=id, code=code, role=role, post=post,
        agency_code=agency_codes.get(agency_id) if agency_id is not None else None,
        statutory=agency_id in partner_agency_ids, deputy_of=deputy_of_id,
        sector_representative=sector_representative, membership_code=membership_code,
    )


@dataclass
class GroupContext:
    """Everything the rules need to know about one group, read in a session."""

    partnership: Partnership
    group: Group
    ref: GroupRef
    seats: tuple[SeatRef, ...]
    partners: tuple[PartnerRef, ...]
    agency_codes: dict[int, str]
    rules: PartnershipRules

    def seat(self, seat_id: int) -> SeatRef | None:
        return next((s for s in self.seats if s.id == seat_id), None)


async def group_context(session: AsyncSession, registry: Registry, group: Group,
                        on: dt.date | None = None) -> GroupContext:
    """The group's rules and its seats in force now, or on the day ``on`` (a meeting's day:
    what happened at a meeting is judged with the seats it had, whatever ended since)."""
    partnership = await session.get(Partnership, group.partnership_id)
    agencies = (await session.execute(select(Agency).where(Agency.partnership_id == group.partnership_id))).scalars().all()
    codes = {a.id: a.code for a in agencies}
    sps = (await session.execute(
        select(StatutoryPartner).where(StatutoryPartner.partnership_id == group.partnership_id)
        .order_by(StatutoryPartner.position))).scalars().all()
    by_id = {a.id: a for a in agencies}
    partners = tuple(PartnerRef(code=by_id[sp.agency_id].code, name=by_id[sp.agency_id].name, kind=by_id[sp.agency_id].kind,
                                position=sp.position) for sp in sps)
    partner_ids = {sp.agency_id for sp in sps}
    seat_rows = (await session.execute(select(Seat).where(Seat.group_id == group.id, in_force_on(on))
                                       .order_by(Seat.position))).scalars().all()
    seats = tuple(
        seat_ref(id=s.id, code=s.code, role=s.role, post=s.post, agency_id=s.agency_id, deputy_of_id=s.deputy_of_id,
                 sector_representative=s.sector_representative, membership_code=s.membership_code,
                 agency_codes=codes, partner_agency_ids=partner_ids)
        for s in seat_rows
    )
    return GroupContext(partnership, group, group_ref(group), seats, partners, codes,
                        registry.rules_for(partnership.code, document=partnership.document_title))


# ----------------------------------------------------------------------------- input checks


def parse_date(value: str | None, field: str, *, required: bool = False) -> dt.date | None:
    """An ISO date (YYYY-MM-DD), or a ValidationError naming the field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"{field} is required: give a date like 2020-05-14", field=field)
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise InvalidInput(f"{field}: {value!r} is not a date; write it like 2020-05-14", field=field) from None


def parse_year(value: str, field: str = "financialYear") -> FinancialYear:
    try:
        return FinancialYear.parse(value)
    except FinancialYearError as exc:
        raise InvalidInput(f"{field}: {exc}", field=field) from None




async def _editable_group(session: AsyncSession, principal: Principal, group_id: int) -> Group:
    group = await visible_group(session, principal, group_id)
    if not principal.can_edit(group.partnership_id):
        raise NotAuthorized()
    return group


async def _meeting(session: AsyncSession, principal: Principal, meeting_id: int, field: str = "meetingId") -> tuple[Meeting, Group]:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"no meeting with id {meeting_id}", ref=field)
    try:
        group = await visible_group(session, principal, meeting.group_id)
    except NotFound:
        raise NotFound(f"no meeting with id {meeting_id}", ref=field) from None
    if not principal.can_edit(group.partnership_id):
        raise NotAuthorized()
    return meeting, group


def meeting_values(m: Meeting) -> dict:
    return {"group_id": m.group_id, "scheduled_on": m.scheduled_on, "status": m.status,
            "papers_circulated_on": m.papers_circulated_on, "minutes_published_on": m.minutes_published_on,
            "acts_for_partnership": m.acts_for_partnership}


# ----------------------------------------------------------------------------- meetings


async def schedule_meeting(session: AsyncSession, principal: Principal, *, group_id: int, scheduled_on: str,
                           acts_for_partnership: bool = False, agenda: list[str] | None = None,
                           papers_circulated_on: str | None = None) -> Meeting:
    group = await _editable_group(session, principal, group_id)
    day = parse_date(scheduled_on, "scheduledOn", required=True)
    papers = parse_date(papers_circulated_on, "papersCirculatedOn")
    titles = [inputs.text(t, f"agenda[{i}]", 500, required=True) for i, t in enumerate(agenda or [])]
    meeting = Meeting(partnership_id=group.partnership_id, group_id=group.id, scheduled_on=day,
                      status=MeetingStatus.SCHEDULED, papers_circulated_on=papers,
                      acts_for_partnership=acts_for_partnership)
    session.add(meeting)
    await session.flush()
    for i, title in enumerate(titles):
        session.add(AgendaItem(meeting_id=meeting.id, position=i, title=title))
    await session.flush()
    await audit.record(session, actor=principal.actor, action="meeting.schedule", entity_type="Meeting",
                       entity_id=meeting.id, partnership_id=group.partnership_id,
                       after={**meeting_values(meeting), "agenda": titles}, confidential=group.confidential)
    return meeting


async def update_meeting(session: AsyncSession, principal: Principal, *, meeting_id: int,
                         status: MeetingStatus | None = None, scheduled_on: str | None = None,
                         papers_circulated_on: str | None = None, minutes_published_on: str | None = None) -> Meeting:
    meeting, group = await _meeting(session, principal, meeting_id)
    before = meeting_values(meeting)
    day = parse_date(scheduled_on, "scheduledOn")
    papers = parse_date(papers_circulated_on, "papersCirculatedOn")
    minutes = parse_date(minutes_published_on, "minutesPublishedOn")
    if day is not None:
        meeting.scheduled_on = day
    if papers is not None:
        meeting.papers_circulated_on = papers
    if minutes is not None:
        if minutes < meeting.scheduled_on:
            raise InvalidInput("minutesPublishedOn is before the meeting; minutes follow the meeting", field="minutesPublishedOn")
        meeting.minutes_published_on = minutes
    if status is not None:
        if meeting.status == MeetingStatus.CANCELLED and status != MeetingStatus.CANCELLED:
            raise Conflict("the meeting was cancelled; schedule a new one instead")
        meeting.status = status
    after = meeting_values(meeting)
    if after == before:
        raise InvalidInput("nothing to change: give status, scheduledOn, papersCirculatedOn or minutesPublishedOn")
    await session.flush()
    await audit.record(session, actor=principal.actor, action="meeting.update", entity_type="Meeting",
                       entity_id=meeting.id, partnership_id=group.partnership_id, before=before, after=after,
                       confidential=group.confidential)
    return meeting


async def add_agenda_item(session: AsyncSession, principal: Principal, *, meeting_id: int, title: str) -> AgendaItem:
    meeting, group = await _meeting(session, principal, meeting_id)
    title = inputs.text(title, "title", 500, required=True)
    position = await session.scalar(select(func.coalesce(func.max(AgendaItem.position), -1) + 1)
                                    .where(AgendaItem.meeting_id == meeting.id))
    item = AgendaItem(meeting_id=meeting.id, position=position, title=title)
    session.add(item)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="meeting.agenda.add", entity_type="AgendaItem",
                       entity_id=item.id, partnership_id=group.partnership_id,
                       after={"meeting_id": meeting.id, "position": position, "title": title},
                       confidential=group.confidential)
    return item


@dataclass(frozen=True)
class AttendanceEntry:
    seat_id: int
    status: AttendanceStatus
    proxy_name: str | None = None
    chair_agreed: bool = False


async def record_attendance(session: AsyncSession, principal: Principal, registry: Registry, *, meeting_id: int,
                            entries: list[AttendanceEntry]) -> Meeting:
    meeting, group = await _meeting(session, principal, meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Conflict("the meeting was cancelled; attendance cannot be recorded")
    if not entries:
        raise InvalidInput("give at least one attendance entry", field="entries")
    ctx = await group_context(session, registry, group, on=meeting.scheduled_on)
    proxy = None
    seen: set[int] = set()
    for i, e in enumerate(entries):
        seat = ctx.seat(e.seat_id)
        if seat is None:
            raise InvalidInput(f"entries[{i}].seatId: that seat is not in the {group.name}; record attendance only "
                               "for the group's own seats", field=f"entries[{i}].seatId")
        if e.seat_id in seen:
            raise InvalidInput(f"entries[{i}].seatId: {seat.code} appears twice", field=f"entries[{i}].seatId")
        seen.add(e.seat_id)
        if e.status == AttendanceStatus.PROXY:
            proxy = proxy or ctx.rules.proxy_rule(group=ctx.ref)
            if not proxy.allowed:
                raise InvalidInput(f"entries[{i}]: proxies are not accepted at the {group.name} ({proxy.source})",
                                   field=f"entries[{i}].status")
            if proxy.needs_chair_agreement and not e.chair_agreed:
                raise InvalidInput(
                    f"entries[{i}]: a proxy for {seat.post} needs the chair's agreement — "
                    f"{proxy.reasons[0]} ({proxy.source}); set chairAgreed once the chair has agreed",
                    field=f"entries[{i}].chairAgreed")
        if e.proxy_name is not None and e.status != AttendanceStatus.PROXY:
            raise InvalidInput(f"entries[{i}].proxyName is only for status PROXY", field=f"entries[{i}].proxyName")
    existing = {a.seat_id: a for a in (await session.execute(
        select(Attendance).where(Attendance.meeting_id == meeting.id))).scalars()}
    before, after = {}, {}
    for e in entries:
        row = existing.get(e.seat_id)
        if row is None:
            row = Attendance(meeting_id=meeting.id, seat_id=e.seat_id, status=e.status)
            session.add(row)
        else:
            before[ctx.seat(e.seat_id).code] = row.status
        row.status = e.status
        row.proxy_name = inputs.text(e.proxy_name, "proxyName", 300, required=False)
        row.chair_agreed = e.chair_agreed
        after[ctx.seat(e.seat_id).code] = e.status
    await session.flush()
    await audit.record(session, actor=principal.actor, action="meeting.attendance", entity_type="Meeting",
                       entity_id=meeting.id, partnership_id=group.partnership_id, before=before or None, after=after,
                       confidential=group.confidential)
    return meeting


async def meeting_presences(session: AsyncSession, ctx: GroupContext, meeting: Meeting) -> tuple[Presence, ...]:
    rows = (await session.execute(select(Attendance).where(Attendance.meeting_id == meeting.id))).scalars().all()
    return tuple(Presence(ctx.seat(a.seat_id), a.status, a.chair_agreed) for a in rows if ctx.seat(a.seat_id))


def meeting_quorum(ctx: GroupContext, meeting_acts_for_partnership: bool, presences: tuple[Presence, ...]) -> rules.QuorumRuling:
    return ctx.rules.quorum(group=ctx.ref, seats=ctx.seats, present=rules.represented(presences),
                        partners=ctx.partners, acting_for_partnership=meeting_acts_for_partnership)


# ----------------------------------------------------------------------------- decisions and votes


def decision_values(d: Decision) -> dict:
    return {"group_id": d.group_id, "meeting_id": d.meeting_id, "method": d.method, "status": d.status,
            "subject": d.subject, "decided_on": d.decided_on, "taken_by": d.taken_by, "must_report": d.must_report,
            "reported_meeting_id": d.reported_meeting_id, "outcome": d.outcome}


async def record_decision(session: AsyncSession, principal: Principal, registry: Registry, *, group_id: int,
                          method: DecisionMethod, subject: str, meeting_id: int | None = None,
                          decided_on: str | None = None, taken_by: str | None = None) -> Decision:
    group = await _editable_group(session, principal, group_id)
    subject = inputs.text(subject, "subject", 5000, required=True)
    day = parse_date(decided_on, "decidedOn")
    ctx = await group_context(session, registry, group)
    decision = Decision(partnership_id=group.partnership_id, group_id=group.id, method=method, subject=subject,
                        taken_by=inputs.text(taken_by, "takenBy", 300, required=False), must_report=False)
    if method == DecisionMethod.EXECUTIVE_ACTION:
        if meeting_id is not None:
            raise InvalidInput("an executive action is taken between meetings: leave meetingId out", field="meetingId")
        if day is None:
            raise InvalidInput("decidedOn is required for an executive action: give a date like 2020-05-14", field="decidedOn")
        if decision.taken_by is None:
            raise InvalidInput("takenBy is required for an executive action (who took it)", field="takenBy")
        rule = ctx.rules.executive_action_rule(group=ctx.ref,
                                           decision=DecisionRef(method, decision.taken_by, day.isoformat()))
        if not rule.allowed:
            raise InvalidInput(f"refused: {rule.reasons[0]} ({rule.source})", field="method")
        decision.status = DecisionStatus.TAKEN
        decision.must_report = rule.must_report_at_next_meeting
        decision.rule_source = str(rule.source)
        decision.decided_on = day
        decision.outcome = "; ".join(rule.reasons)
    else:
        if meeting_id is None:
            raise InvalidInput(f"a decision by {method.value.lower()} is taken at a meeting: give meetingId",
                               field="meetingId")
        meeting = await session.get(Meeting, meeting_id)
        if meeting is None or meeting.group_id != group.id:
            raise NotFound(f"no meeting of the {group.name} with that id", ref="meetingId")
        if meeting.status == MeetingStatus.CANCELLED:
            raise Conflict("the meeting was cancelled; no decision can be taken at it")
        ctx = await group_context(session, registry, group, on=meeting.scheduled_on)
        ruling = meeting_quorum(ctx, meeting.acts_for_partnership, await meeting_presences(session, ctx, meeting))
        if not ruling.satisfied:
            raise InvalidInput("refused: a decision needs a quorate meeting — " + "; ".join(ruling.reasons),
                               field="meetingId")
        decision.meeting_id = meeting.id
        decision.decided_on = day or meeting.scheduled_on
        if method == DecisionMethod.CONSENSUS:
            decision.status = DecisionStatus.AGREED
            decision.outcome = "agreed by consensus at a quorate meeting"
        else:
            decision.status = DecisionStatus.OPEN
            vr = ctx.rules.voting_rule(group=ctx.ref, seats=ctx.seats, partners=ctx.partners)
            decision.rule_source = str(vr.source)
        decision.rule_source = decision.rule_source or str(ruling.source)
    session.add(decision)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="decision.record", entity_type="Decision",
                       entity_id=decision.id, partnership_id=group.partnership_id, after=decision_values(decision),
                       confidential=group.confidential)
    return decision


async def _decision(session: AsyncSession, principal: Principal, decision_id: int) -> tuple[Decision, Group]:
    # Locked: a vote and the close of the vote at the same moment must not both pass
    # (no vote accepted after the tally; see core/services/locks.py).
    decision = await locks.locked(session, Decision, decision_id)
    if decision is None:
        raise NotFound(f"no decision with id {decision_id}", ref="decisionId")
    try:
        group = await visible_group(session, principal, decision.group_id)
    except NotFound:
        raise NotFound(f"no decision with id {decision_id}", ref="decisionId") from None
    if not principal.can_edit(group.partnership_id):
        raise NotAuthorized()
    return decision, group


async def cast_vote(session: AsyncSession, principal: Principal, registry: Registry, *, decision_id: int,
                    seat_id: int, choice: VoteChoice) -> Vote:
    decision, group = await _decision(session, principal, decision_id)
    if decision.method != DecisionMethod.VOTE:
        raise Conflict(f"this decision was taken by {decision.method.value.lower()}, not by a vote")
    if decision.status != DecisionStatus.OPEN:
        raise Conflict(f"the vote is closed ({decision.status.value}); no more votes can be cast")
    meeting = await session.get(Meeting, decision.meeting_id)
    ctx = await group_context(session, registry, group, on=meeting.scheduled_on)
    seat = ctx.seat(seat_id)
    if seat is None:
        raise NotFound(f"seatId: no seat of the {group.name} with that id", ref="seatId")
    rule = ctx.rules.voting_rule(group=ctx.ref, seats=ctx.seats, partners=ctx.partners)
    right = rule.right_of(seat.id)
    if right is None:
        raise InvalidInput(f"seatId: {seat.post} ({seat.code}) has no vote — {rule.reasons[0]} ({rule.source})",
                           field="seatId")
    presences = await meeting_presences(session, ctx, meeting)
    status = next((p.status for p in presences if p.seat.id == seat.id), None)
    if status not in REPRESENTED:
        raise InvalidInput(f"seatId: {seat.post} is not recorded as present at the meeting; record attendance first",
                           field="seatId")
    taken = await session.scalar(select(Vote).where(Vote.decision_id == decision.id, Vote.counts_for == right.counts_for))
    if taken is not None:
        raise Conflict(f"a vote for {right.counts_for} has already been cast (one vote each; a standing deputy "
                       f"votes in its partner's place) ({rule.source})")
    vote = Vote(decision_id=decision.id, seat_id=seat.id, counts_for=right.counts_for, choice=choice)
    session.add(vote)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="decision.vote", entity_type="Vote", entity_id=vote.id,
                       partnership_id=group.partnership_id,
                       after={"decision_id": decision.id, "seat": seat.code, "counts_for": right.counts_for,
                              "choice": choice}, confidential=group.confidential)
    return vote


async def close_vote(session: AsyncSession, principal: Principal, registry: Registry, *, decision_id: int) -> Decision:
    decision, group = await _decision(session, principal, decision_id)
    if decision.method != DecisionMethod.VOTE or decision.status != DecisionStatus.OPEN:
        raise Conflict("only an open vote can be closed; this decision is " + decision.status.value)
    before = decision_values(decision)
    meeting = await session.get(Meeting, decision.meeting_id)
    ctx = await group_context(session, registry, group, on=meeting.scheduled_on if meeting else None)
    rule = ctx.rules.voting_rule(group=ctx.ref, seats=ctx.seats, partners=ctx.partners)
    votes = (await session.execute(select(Vote).where(Vote.decision_id == decision.id))).scalars().all()
    result = rules.tally(rule, {v.counts_for: v.choice for v in votes})
    decision.status = result.status
    decision.outcome = "; ".join(result.reasons)
    decision.rule_source = str(result.source)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="decision.close", entity_type="Decision",
                       entity_id=decision.id, partnership_id=group.partnership_id, before=before,
                       after=decision_values(decision), confidential=group.confidential)
    return decision


async def report_decision(session: AsyncSession, principal: Principal, *, decision_id: int, meeting_id: int) -> Decision:
    decision, group = await _decision(session, principal, decision_id)
    if decision.method != DecisionMethod.EXECUTIVE_ACTION:
        raise Conflict("only an executive action taken between meetings is reported to a later meeting")
    if decision.reported_meeting_id is not None:
        raise Conflict("this decision has already been reported")
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None or meeting.group_id != decision.group_id:
        raise NotFound(f"no meeting of the {group.name} with that id", ref="meetingId")
    if meeting.status == MeetingStatus.CANCELLED:
        raise Conflict("the meeting was cancelled; report the decision at another meeting")
    if decision.decided_on and meeting.scheduled_on < decision.decided_on:
        raise InvalidInput("the meeting is before the decision; report it at a later meeting", field="meetingId")
    before = decision_values(decision)
    decision.reported_meeting_id = meeting.id
    await session.flush()
    await audit.record(session, actor=principal.actor, action="decision.report", entity_type="Decision",
                       entity_id=decision.id, partnership_id=group.partnership_id, before=before,
                       after=decision_values(decision), confidential=group.confidential)
    return decision


# ----------------------------------------------------------------------------- chairs and appointments


async def record_chair_selection(session: AsyncSession, principal: Principal, *, group_id: int, financial_year: str,
                                 agency_id: int | None = None, seat_id: int | None = None, office: str | None = None,
                                 meeting_id: int | None = None, recorded_on: str | None = None) -> ChairSelectionRecord:
    group = await _editable_group(session, principal, group_id)
    fy = parse_year(financial_year)
    office = inputs.text(office, "office", 300, required=False)
    if agency_id is None and seat_id is None and office is None:
        raise InvalidInput("say who chairs: give agencyId, seatId or office", field="agencyId")
    if agency_id is not None:
        agency = await session.get(Agency, agency_id)
        if agency is None or agency.partnership_id != group.partnership_id:
            raise NotFound("no agency with that id in this partnership", ref="agencyId")
        if group.chair_rotation and agency.code not in group.chair_rotation:
            raise InvalidInput(f"agencyId: the chair of the {group.name} rotates among {', '.join(group.chair_rotation)}; "
                               f"{agency.code} is not one of them ({group.chair_source})", field="agencyId")
    if seat_id is not None:
        seat = await session.get(Seat, seat_id)
        if seat is None or seat.group_id != group.id:
            raise NotFound(f"no seat of the {group.name} with that id", ref="seatId")
    if meeting_id is not None:
        meeting = await session.get(Meeting, meeting_id)
        if meeting is None or meeting.partnership_id != group.partnership_id:
            raise NotFound("no meeting with that id in this partnership", ref="meetingId")
    day = parse_date(recorded_on, "recordedOn") or dt.date.today()
    row = await session.scalar(select(ChairSelectionRecord).where(
        ChairSelectionRecord.group_id == group.id, ChairSelectionRecord.financial_year == str(fy)))
    before = None
    if row is None:
        row = ChairSelectionRecord(partnership_id=group.partnership_id, group_id=group.id, financial_year=str(fy),
                                   recorded_on=day)
        session.add(row)
    else:
        before = {"agency_id": row.agency_id, "seat_id": row.seat_id, "office": row.office, "meeting_id": row.meeting_id}
    row.agency_id, row.seat_id, row.office, row.meeting_id, row.recorded_on = agency_id, seat_id, office, meeting_id, day
    await session.flush()
    await audit.record(session, actor=principal.actor, action="chair.select", entity_type="ChairSelection",
                       entity_id=row.id, partnership_id=group.partnership_id, before=before,
                       after={"group_id": group.id, "financial_year": str(fy), "agency_id": agency_id, "seat_id": seat_id,
                              "office": office, "meeting_id": meeting_id, "recorded_on": day},
                       confidential=group.confidential)
    return row


def appointment_ref(a: Appointment, person_codes: dict[int, str], group_codes: dict[int, str]) -> AppointmentRef:
    return AppointmentRef(a.office, a.holder_name, person_codes.get(a.person_id) if a.person_id else None,
                          group_codes.get(a.group_id) if a.group_id else None)


async def appoint(session: AsyncSession, principal: Principal, registry: Registry, *, partnership_id: int,
                  office: Office, holder_name: str, starts_on: str, person_id: int | None = None,
                  group_id: int | None = None) -> Appointment:
    # Locked: the appointment rules compare with the offices already held (Merton §7.10,
    # chair and vice-chair); two appointments at once are checked one after the other.
    partnership = await locks.locked(session, Partnership, partnership_id)
    if partnership is None:
        raise NotFound("no partnership with that id", ref="partnershipId")
    if not principal.can_edit(partnership.id):
        raise NotAuthorized()
    holder = inputs.text(holder_name, "holderName", 300, required=True)
    start = parse_date(starts_on, "startsOn", required=True)
    group = None
    if group_id is not None:
        group = await visible_group(session, principal, group_id)
        if group.partnership_id != partnership.id:
            raise NotFound("no group with that id in this partnership", ref="groupId")
    person = None
    if person_id is not None:
        person = await session.get(Person, person_id)
        if person is None or person.partnership_id != partnership.id:
            raise NotFound("no person with that id in this partnership", ref="personId")
    today = start
    current_rows = (await session.execute(select(Appointment).where(
        Appointment.partnership_id == partnership.id,
        (Appointment.ends_on.is_(None)) | (Appointment.ends_on >= today)))).scalars().all()
    people = {p.id: p.code for p in (await session.execute(
        select(Person).where(Person.partnership_id == partnership.id))).scalars()}
    groups = {g.id: g.code for g in (await session.execute(
        select(Group).where(Group.partnership_id == partnership.id))).scalars()}
    proposed = AppointmentRef(office, holder, person.code if person else None, group.code if group else None)
    current = tuple(appointment_ref(a, people, groups) for a in current_rows)
    problems = registry.rules_for(partnership.code, document=partnership.document_title).appointment_problems(
        appointment=proposed, current=current)
    if problems:
        raise InvalidInput("refused: " + "; ".join(f"{p.message} ({p.source})" for p in problems), field="holderName")
    row = Appointment(partnership_id=partnership.id, office=office, group_id=group.id if group else None,
                      holder_name=holder, person_id=person.id if person else None, starts_on=start)
    session.add(row)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="appointment.create", entity_type="Appointment",
                       entity_id=row.id, partnership_id=partnership.id,
                       after={"office": office, "holder_name": holder, "person_id": row.person_id,
                              "group_id": row.group_id, "starts_on": start},
                       confidential=bool(group and group.confidential))
    return row


async def end_appointment(session: AsyncSession, principal: Principal, *, appointment_id: int, ends_on: str) -> Appointment:
    row = await session.get(Appointment, appointment_id)
    if row is None:
        raise NotFound(f"no appointment with id {appointment_id}", ref="appointmentId")
    if not principal.can_edit(row.partnership_id):
        raise NotAuthorized()
    end = parse_date(ends_on, "endsOn", required=True)
    if end < row.starts_on:
        raise InvalidInput("endsOn is before the appointment started", field="endsOn")
    if row.ends_on is not None:
        raise Conflict("the appointment has already ended")
    row.ends_on = end
    await session.flush()
    await audit.record(session, actor=principal.actor, action="appointment.end", entity_type="Appointment",
                       entity_id=row.id, partnership_id=row.partnership_id, before={"ends_on": None},
                       after={"ends_on": end})
    return row
