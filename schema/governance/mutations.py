"""Mutations for governance: meetings, agenda, attendance, decisions and votes, chair
selections and appointments. Each takes one `input` and returns its payload or typed errors
(dates are given as `YYYY-MM-DD` text so a bad date is a typed error, not a request error)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from core.services import governance as svc
from schema.governance.types import (
    AgendaItem,
    Appointment,
    AttendanceStatus,
    Decision,
    DecisionMethod,
    Meeting,
    MeetingStatus,
    Office,
    VoteChoice,
    VoteType,
)
from schema.mutations.base import decode_id, result_union, run_write

DateText = "A date written like `2020-05-14`."


def _opt(gid, expected: str, field: str) -> int | None:
    return None if gid is None else decode_id(gid, expected, field)


# ----------------------------------------------------------------------------- inputs


@strawberry.input(description="A meeting to schedule for a group.")
class ScheduleMeetingInput:
    group_id: strawberry.ID = strawberry.field(description="The group that meets.")
    scheduled_on: str = strawberry.field(description=DateText)
    acts_for_partnership: bool = strawberry.field(default=False, description="Takes decisions on behalf of the partnership.")
    agenda: list[str] | None = strawberry.field(default=None, description="Agenda items, in order.")
    papers_circulated_on: str | None = strawberry.field(default=None, description=DateText)


@strawberry.input(description="Changes to a meeting: status, date, papers circulated, minutes published.")
class UpdateMeetingInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    status: MeetingStatus | None = strawberry.field(default=None, description="Held or cancelled.")
    scheduled_on: str | None = strawberry.field(default=None, description=DateText)
    papers_circulated_on: str | None = strawberry.field(default=None, description=DateText)
    minutes_published_on: str | None = strawberry.field(default=None, description=DateText)


@strawberry.input(description="An item to add to a meeting's agenda.")
class AddAgendaItemInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    title: str = strawberry.field(description="The item.")


@strawberry.input(description="One seat's attendance.")
class AttendanceInput:
    seat_id: strawberry.ID = strawberry.field(description="A seat of the meeting's group.")
    status: AttendanceStatus = strawberry.field(description="Present, apologies, absent, by deputy or by proxy.")
    proxy_name: str | None = strawberry.field(default=None, description="Who attends as proxy (status PROXY).")
    chair_agreed: bool = strawberry.field(default=False, description="The chair agreed to the proxy.")


@strawberry.input(description="Attendance at a meeting (entries replace any earlier record for the same seats).")
class RecordAttendanceInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    entries: list[AttendanceInput] = strawberry.field(description="One entry per seat.")


@strawberry.input(description="A decision: by consensus or vote at a quorate meeting, or by executive action between meetings.")
class RecordDecisionInput:
    group_id: strawberry.ID = strawberry.field(description="The group the decision is for.")
    method: DecisionMethod = strawberry.field(description="Consensus, vote (opens a vote) or executive action.")
    subject: str = strawberry.field(description="What is decided.")
    meeting_id: strawberry.ID | None = strawberry.field(default=None, description="The meeting (consensus and vote).")
    decided_on: str | None = strawberry.field(default=None, description=DateText)
    taken_by: str | None = strawberry.field(default=None, description="Who took an executive action.")


@strawberry.input(description="A vote on an open decision.")
class CastVoteInput:
    decision_id: strawberry.ID = strawberry.field(description="The decision.")
    seat_id: strawberry.ID = strawberry.field(description="The seat voting (a standing deputy votes for its partner).")
    choice: VoteChoice = strawberry.field(description="For, against or abstain.")


@strawberry.input(description="A decision to act on.")
class DecisionRefInput:
    decision_id: strawberry.ID = strawberry.field(description="The decision.")


@strawberry.input(description="Report an executive action at a meeting.")
class ReportDecisionInput:
    decision_id: strawberry.ID = strawberry.field(description="The executive action.")
    meeting_id: strawberry.ID = strawberry.field(description="The meeting it was reported at.")


@strawberry.input(description="Record who chairs a group in a financial year (overrides any rotation).")
class RecordChairSelectionInput:
    group_id: strawberry.ID = strawberry.field(description="The group.")
    financial_year: str = strawberry.field(description="Written like `2020/21`.")
    agency_id: strawberry.ID | None = strawberry.field(default=None, description="The agency whose representative chairs.")
    seat_id: strawberry.ID | None = strawberry.field(default=None, description="The seat that chairs.")
    office: str | None = strawberry.field(default=None, description="The office, in words.")
    meeting_id: strawberry.ID | None = strawberry.field(default=None, description="The meeting that selected the chair.")
    recorded_on: str | None = strawberry.field(default=None, description=DateText + " Today if omitted.")


@strawberry.input(description="An appointment to an office.")
class AppointInput:
    partnership_id: strawberry.ID = strawberry.field(description="The partnership.")
    office: Office = strawberry.field(description="The office.")
    holder_name: str = strawberry.field(description="Who is appointed.")
    starts_on: str = strawberry.field(description=DateText)
    person_id: strawberry.ID | None = strawberry.field(default=None, description="The published office-holder record.")
    group_id: strawberry.ID | None = strawberry.field(default=None, description="The group (sub-group chair or vice-chair).")


@strawberry.input(description="End an appointment.")
class EndAppointmentInput:
    appointment_id: strawberry.ID = strawberry.field(description="The appointment.")
    ends_on: str = strawberry.field(description=DateText)


# ----------------------------------------------------------------------------- payloads


@strawberry.type(description="The meeting as written.")
class MeetingPayload:
    meeting: Meeting = strawberry.field(description="The meeting.")


@strawberry.type(description="The agenda item as written.")
class AgendaItemPayload:
    item: AgendaItem = strawberry.field(description="The item.")
    meeting_id: strawberry.ID = strawberry.field(description="The meeting's ID.")


@strawberry.type(description="The decision as written.")
class DecisionPayload:
    decision: Decision = strawberry.field(description="The decision.")


@strawberry.type(description="The vote as cast.")
class VotePayload:
    vote: VoteType = strawberry.field(description="The vote.")
    decision_id: strawberry.ID = strawberry.field(description="The decision's ID.")


@strawberry.type(description="The chair selection as recorded.")
class ChairSelectionPayload:
    group_id: strawberry.ID = strawberry.field(description="The group's ID; ask `group.chair(financialYear:)`.")
    financial_year: str = strawberry.field(description="The financial year.")


@strawberry.type(description="The appointment as written.")
class AppointmentPayload:
    appointment: Appointment = strawberry.field(description="The appointment.")


MeetingResult = result_union("MeetingResult", MeetingPayload, "The meeting")
AgendaItemResult = result_union("AgendaItemResult", AgendaItemPayload, "The agenda item")
DecisionResult = result_union("DecisionResult", DecisionPayload, "The decision")
VoteResult = result_union("VoteResult", VotePayload, "The vote")
ChairSelectionResult = result_union("ChairSelectionResult", ChairSelectionPayload, "The chair selection")
AppointmentResult = result_union("AppointmentResult", AppointmentPayload, "The appointment")


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Schedule a meeting of a group (business unit or administrator).")
    async def schedule_meeting(self, info: Info, input: Annotated[ScheduleMeetingInput, strawberry.argument(description="A meeting to schedule for a group.")]) -> MeetingResult:
        async def action(session, principal):
            row = await svc.schedule_meeting(
                session, principal, group_id=decode_id(input.group_id, "Group", "groupId"),
                scheduled_on=input.scheduled_on, acts_for_partnership=input.acts_for_partnership,
                agenda=input.agenda, papers_circulated_on=input.papers_circulated_on)
            return MeetingPayload(meeting=Meeting.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Change a meeting: held or cancelled, date, papers circulated, minutes published.")
    async def update_meeting(self, info: Info, input: Annotated[UpdateMeetingInput, strawberry.argument(description="Changes to a meeting: status, date, papers circulated, minutes published.")]) -> MeetingResult:
        async def action(session, principal):
            row = await svc.update_meeting(
                session, principal, meeting_id=decode_id(input.meeting_id, "Meeting", "meetingId"),
                status=input.status, scheduled_on=input.scheduled_on,
                papers_circulated_on=input.papers_circulated_on, minutes_published_on=input.minutes_published_on)
            return MeetingPayload(meeting=Meeting.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Add an item to a meeting's agenda.")
    async def add_agenda_item(self, info: Info, input: Annotated[AddAgendaItemInput, strawberry.argument(description="An item to add to a meeting's agenda.")]) -> AgendaItemResult:
        async def action(session, principal):
            row = await svc.add_agenda_item(session, principal,
                                            meeting_id=decode_id(input.meeting_id, "Meeting", "meetingId"),
                                            title=input.title)
            return AgendaItemPayload(item=AgendaItem.from_row(row), meeting_id=input.meeting_id)

        return await run_write(info, action)

    @strawberry.mutation(description="Record attendance per seat at a meeting (proxies follow the group's proxy rule).")
    async def record_attendance(self, info: Info, input: Annotated[RecordAttendanceInput, strawberry.argument(description="Attendance at a meeting (entries replace any earlier record for the same seats).")]) -> MeetingResult:
        async def action(session, principal):
            entries = [svc.AttendanceEntry(decode_id(e.seat_id, "Seat", f"entries[{i}].seatId"), e.status,
                                           e.proxy_name, e.chair_agreed) for i, e in enumerate(input.entries)]
            row = await svc.record_attendance(session, principal, info.context.registry,
                                              meeting_id=decode_id(input.meeting_id, "Meeting", "meetingId"),
                                              entries=entries)
            return MeetingPayload(meeting=Meeting.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Record a decision: consensus or a vote at a quorate meeting (refused without "
                                     "quorum), or an executive action between meetings where the rules allow one.")
    async def record_decision(self, info: Info, input: Annotated[RecordDecisionInput, strawberry.argument(description="A decision: by consensus or vote at a quorate meeting, or by executive action between meetings.")]) -> DecisionResult:
        async def action(session, principal):
            row = await svc.record_decision(
                session, principal, info.context.registry, group_id=decode_id(input.group_id, "Group", "groupId"),
                method=input.method, subject=input.subject,
                meeting_id=_opt(input.meeting_id, "Meeting", "meetingId"),
                decided_on=input.decided_on, taken_by=input.taken_by)
            return DecisionPayload(decision=Decision.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Cast a vote on an open decision; a seat without voting rights is refused.")
    async def cast_vote(self, info: Info, input: Annotated[CastVoteInput, strawberry.argument(description="A vote on an open decision.")]) -> VoteResult:
        async def action(session, principal):
            row = await svc.cast_vote(session, principal, info.context.registry,
                                      decision_id=decode_id(input.decision_id, "Decision", "decisionId"),
                                      seat_id=decode_id(input.seat_id, "Seat", "seatId"), choice=input.choice)
            return VotePayload(vote=VoteType.from_row(row), decision_id=input.decision_id)

        return await run_write(info, action)

    @strawberry.mutation(description="Close a vote and count it by the group's voting rule.")
    async def close_vote(self, info: Info, input: Annotated[DecisionRefInput, strawberry.argument(description="A decision to act on.")]) -> DecisionResult:
        async def action(session, principal):
            row = await svc.close_vote(session, principal, info.context.registry,
                                       decision_id=decode_id(input.decision_id, "Decision", "decisionId"))
            return DecisionPayload(decision=Decision.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Record that an executive action was reported at a meeting (clears its flag).")
    async def report_decision(self, info: Info, input: Annotated[ReportDecisionInput, strawberry.argument(description="Report an executive action at a meeting.")]) -> DecisionResult:
        async def action(session, principal):
            row = await svc.report_decision(session, principal,
                                            decision_id=decode_id(input.decision_id, "Decision", "decisionId"),
                                            meeting_id=decode_id(input.meeting_id, "Meeting", "meetingId"))
            return DecisionPayload(decision=Decision.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Record who chairs a group in a financial year (overrides the rotation).")
    async def record_chair_selection(self, info: Info, input: Annotated[RecordChairSelectionInput, strawberry.argument(description="Record who chairs a group in a financial year (overrides any rotation).")]) -> ChairSelectionResult:
        async def action(session, principal):
            row = await svc.record_chair_selection(
                session, principal, group_id=decode_id(input.group_id, "Group", "groupId"),
                financial_year=input.financial_year, agency_id=_opt(input.agency_id, "Agency", "agencyId"),
                seat_id=_opt(input.seat_id, "Seat", "seatId"), office=input.office,
                meeting_id=_opt(input.meeting_id, "Meeting", "meetingId"), recorded_on=input.recorded_on)
            return ChairSelectionPayload(group_id=input.group_id, financial_year=row.financial_year)

        return await run_write(info, action)

    @strawberry.mutation(description="Appoint someone to an office; the partnership's validators may refuse it.")
    async def appoint(self, info: Info, input: Annotated[AppointInput, strawberry.argument(description="An appointment to an office.")]) -> AppointmentResult:
        async def action(session, principal):
            row = await svc.appoint(
                session, principal, info.context.registry,
                partnership_id=decode_id(input.partnership_id, "Partnership", "partnershipId"),
                office=input.office, holder_name=input.holder_name, starts_on=input.starts_on,
                person_id=_opt(input.person_id, "Person", "personId"), group_id=_opt(input.group_id, "Group", "groupId"))
            return AppointmentPayload(appointment=Appointment.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="End an appointment.")
    async def end_appointment(self, info: Info, input: Annotated[EndAppointmentInput, strawberry.argument(description="End an appointment.")]) -> AppointmentResult:
        async def action(session, principal):
            row = await svc.end_appointment(
                session, principal, appointment_id=decode_id(input.appointment_id, "Appointment", "appointmentId"),
                ends_on=input.ends_on)
            return AppointmentPayload(appointment=Appointment.from_row(row))

        return await run_write(info, action)
