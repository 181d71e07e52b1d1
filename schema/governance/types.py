"""GraphQL types for governance: meetings, attendance, quorum, decisions and votes, chairs,
appointments, attendance concerns and the cross-borough comparison. They wrap the rows that
``schema.governance.loaders`` reads, and answer rule questions through the partnership's
rules (``Registry.rules_for``) seen from the request's loaders.

Structure types are referred to lazily (this module is imported by schema/governance/fields.py,
which schema/structure/types.py imports).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from core.enums import GroupKind
from core.financial_year import FinancialYear
from core.models import governance as m
from core.plugins import PartnershipRules
from core.rules import governance as rules
from core.rules.governance import (
    AttendanceRecord,
    ChairSelection,
    GroupRef,
    PartnerRef,
    Presence,
    SeatRef,
)
from core.services.governance import seat_ref
from schema.errors import BadArgument
from schema.governance.loaders import (
    agenda_by_meeting,
    attendance_by_meeting,
    chair_selections_by_group,
    decisions_by_group,
    held_attendance_by_group,
    meetings_by_group,
    votes_by_decision,
)
from schema.types.common import ChairBasis, Node, Source, described, from_global_id, source_of

if TYPE_CHECKING:  # pragma: no cover
    from schema.structure.types import Agency, Group, Partnership, Person, Seat

GroupT = Annotated["Group", strawberry.lazy("schema.structure.types")]
SeatT = Annotated["Seat", strawberry.lazy("schema.structure.types")]
AgencyT = Annotated["Agency", strawberry.lazy("schema.structure.types")]
PartnershipT = Annotated["Partnership", strawberry.lazy("schema.structure.types")]
PersonT = Annotated["Person", strawberry.lazy("schema.structure.types")]

MeetingStatus = described(strawberry.enum(rules.MeetingStatus, description="Whether a meeting is scheduled, held or cancelled."), {
    "SCHEDULED": "Set for a date, not yet held.",
    "HELD": "Took place.",
    "CANCELLED": "Called off.",
})
AttendanceStatus = described(strawberry.enum(
    rules.AttendanceStatus,
    description="A seat's attendance: present, apologies, absent, represented by its standing deputy, or by a proxy."), {
    "PRESENT": "The seat's holder attended.",
    "APOLOGIES": "Sent apologies.",
    "ABSENT": "Absent without apologies.",
    "DEPUTY": "Represented by the seat's standing deputy (Merton §6.3, §6.8).",
    "PROXY": "Represented by a proxy (Lewisham: only with the chair's agreement).",
})
DecisionMethod = described(strawberry.enum(rules.DecisionMethod, description="How a decision is taken: consensus, vote, "
                                 "or executive action between meetings."), {
    "CONSENSUS": "Agreed by consensus, without a vote.",
    "VOTE": "Put to a vote of the members who may vote.",
    "EXECUTIVE_ACTION": "Taken between meetings by those the document empowers (Merton §8.4), and reported to the next meeting.",
})
DecisionStatus = described(strawberry.enum(rules.DecisionStatus, description="Where a decision stands."), {
    "OPEN": "A vote is in progress.",
    "AGREED": "Agreed by consensus.",
    "CARRIED": "The vote carried.",
    "NOT_CARRIED": "The vote did not carry.",
    "TAKEN": "An executive action, taken.",
})
VoteChoice = described(strawberry.enum(rules.VoteChoice, description="For, against or abstaining."), {
    "FOR": "In favour.",
    "AGAINST": "Against.",
    "ABSTAIN": "Abstaining: neither for nor against.",
})
TieRule = described(strawberry.enum(rules.TieRule, description="What a tied vote means."), {
    "NOT_CARRIED": "A tied vote fails.",
    "CHAIR_CASTING_VOTE": "The chair has a casting vote.",
})
Office = described(strawberry.enum(rules.Office, description="An office filled by appointment."), {
    "INDEPENDENT_CHAIR": "The partnership's independent chair.",
    "INDEPENDENT_PERSON": "The independent person (Merton), the last resort in the partners' disputes.",
    "INDEPENDENT_SCRUTINEER": "The independent scrutineer.",
    "SUBGROUP_CHAIR": "The chair of a sub-group.",
    "SUBGROUP_VICE_CHAIR": "The vice-chair of a sub-group.",
})
AttendancePolicyKind = described(strawberry.enum(rules.AttendancePolicyKind, description="The kind of attendance rule a group has."), {
    "NONE": "The group has no attendance rule.",
    "CONSECUTIVE_ABSENCES": "A member is flagged after a number of absences in a row.",
    "MINIMUM_RATE": "A member is flagged below a percentage of meetings attended.",
    "MINIMUM_OF_MEETINGS": "A member is flagged below a number of the last meetings attended.",
})
DeadlineUnit = described(strawberry.enum(rules.DeadlineUnit, description="Working days (England's bank holidays and weekends "
                                                               "excluded), days, weeks or months."), {
    "WORKING_DAYS": "Working days: weekends and England's bank holidays excluded.",
    "DAYS": "Calendar days.",
    "WEEKS": "Weeks.",
    "MONTHS": "Calendar months.",
})
DeadlineKind = described(strawberry.enum(rules.DeadlineKind, description="NOTICE: the date set at least this long ahead; PAPERS: "
                                                               "papers at least this long before; MINUTES: minutes "
                                                               "within this long after."), {
    "NOTICE": "The meeting's date was set at least this long before it.",
    "PAPERS": "Papers were circulated at least this long before it.",
    "MINUTES": "Minutes were circulated within this long after it.",
})


# ----------------------------------------------------------------------------- the rules' view of a group


class RuleContext:
    """A group as the rules see it, built from the request's loaders (no extra statements)."""

    def __init__(self, group, partnership, seats: tuple[SeatRef, ...], partners: tuple[PartnerRef, ...],
                 agencies: dict[int, Any], rules: PartnershipRules):
        self.group = group
        self.partnership = partnership
        self.seats = seats
        self.partners = partners
        self.agencies = agencies
        self.rules = rules
        rule = group.chair_rule
        self.ref = GroupRef(
            id=group.pk, code=group.code, name=group.name, kind=group.kind,
            chair_basis=rule.basis if rule else None, chair_office=rule.office if rule else None,
            chair_seat_code=rule.seat_code if rule else None,
            chair_rotation=tuple(rule.rotation_codes) if rule else (),
            chair_rotation_start=rule.rotation_start if rule else None,
            chair_source=rule.source_section if rule else None,
        )

    def seat(self, seat_id: int) -> SeatRef | None:
        return next((s for s in self.seats if s.id == seat_id), None)


async def rule_context(info: Info, group, on: dt.date | None = None) -> RuleContext:
    """The group's rules and seats: the seats in force now, or on the day ``on`` (a past
    meeting is judged with the seats it had, whatever ended since)."""
    loaders = info.context.loaders
    partnership = await loaders.partnership_by_id.load(group.partnership_id)
    agencies = {a.pk: a for a in await loaders.agencies_by_partnership.load(group.partnership_id)}
    sps = await loaders.statutory_partners_by_partnership.load(group.partnership_id)
    partners = tuple(PartnerRef(code=agencies[sp.agency_id].code, name=agencies[sp.agency_id].name, kind=sp.kind,
                                position=n) for n, sp in enumerate(sps, 1))
    partner_ids = {sp.agency_id for sp in sps}
    codes = {pk: a.code for pk, a in agencies.items()}
    seats = tuple(
        seat_ref(id=s.pk, code=s.code, role=s.role, post=s.post, agency_id=s.agency_id, deputy_of_id=s.deputy_of_id,
                 sector_representative=s.sector_representative, membership_code=s.membership_code,
                 agency_codes=codes, partner_agency_ids=partner_ids)
        for s in (await loaders.seats_by_group.load(group.pk) if on is None else
                  [s for s in await loaders.seats_ever_by_group.load(group.pk) if s.ended_on is None or s.ended_on >= on])
    )
    return RuleContext(group, partnership, seats, partners, agencies,
                       info.context.registry.rules_for(partnership.code, document=partnership.document.title))


def selection_of(row, fy: FinancialYear, ctx: RuleContext) -> ChairSelection | None:
    if row is None:
        return None
    agency = ctx.agencies.get(row.agency_id) if row.agency_id else None
    seat = ctx.seat(row.seat_id) if row.seat_id else None
    return ChairSelection(fy, agency.code if agency else None, seat.code if seat else None, row.office,
                          row.recorded_on.isoformat() if row.recorded_on else None)


async def chair_of(info: Info, group, fy: FinancialYear) -> ChairAnswerType:
    ctx = await rule_context(info, group)
    recorded = (await info.context.loaders.of(chair_selections_by_group).load(group.pk)).get(str(fy))
    answer = ctx.rules.chair(group=ctx.ref, financial_year=fy, recorded=selection_of(recorded, fy, ctx),
                         partners=ctx.partners)
    return ChairAnswerType.build(answer, ctx, fy)


def what_if_quorum(ctx: RuleContext, present_ids: list[int], acting: bool) -> QuorumResult:
    present = tuple(s for s in ctx.seats if s.id in set(present_ids))
    ruling = ctx.rules.quorum(group=ctx.ref, seats=ctx.seats, present=present, partners=ctx.partners,
                          acting_for_partnership=acting)
    return QuorumResult.of(ruling)


def decode_seat_ids(ids: list[strawberry.ID], ctx: RuleContext) -> list[int]:
    out = []
    for i, gid in enumerate(ids):
        try:
            kind, pk = from_global_id(str(gid))
        except Exception:
            raise BadArgument(f"present[{i}]: {gid!r} is not an ID issued by this API") from None
        if kind != "Seat":
            raise BadArgument(f"present[{i}]: expected the ID of a Seat, got one of a {kind}")
        if ctx.seat(pk) is None:
            raise BadArgument(f"present[{i}]: that seat is not in the {ctx.group.name}; give the group's own seat IDs")
        out.append(pk)
    return out


async def attendance_concerns_of(info: Info, group) -> list[AttendanceConcernType]:
    ctx = await rule_context(info, group)
    policy = ctx.rules.attendance_policy(group=ctx.ref)
    if policy.kind == rules.AttendancePolicyKind.NONE:
        return []
    history = await info.context.loaders.of(held_attendance_by_group).load(group.pk)
    meetings = list(dict.fromkeys(mid for mid, _, _, _ in history))
    by_seat: dict[int, dict[int, rules.AttendanceStatus]] = defaultdict(dict)
    for mid, _day, seat_id, status in history:
        if seat_id is not None:
            by_seat[seat_id][mid] = status
    records = []
    for s in rules.membership(ctx.seats):
        seen = by_seat.get(s.id)
        if not seen:
            continue
        # Meetings since the seat's first recorded attendance; unrecorded counts as absent.
        first = meetings.index(next(mid for mid in meetings if mid in seen))
        statuses = tuple(seen.get(mid, rules.AttendanceStatus.ABSENT) for mid in meetings[first:])
        records.append(AttendanceRecord(s, statuses))
    return [AttendanceConcernType.of(c, group.partnership_id)
            for c in rules.evaluate_attendance(policy, records)]


# ----------------------------------------------------------------------------- types


@strawberry.type(description="Whether a meeting is quorate, why, and the rule it was judged by.")
class QuorumResult:
    satisfied: bool = strawberry.field(description="True when the meeting is quorate.")
    reasons: list[str] = strawberry.field(description="Why, in plain words, with the section.")
    requirement: str = strawberry.field(description="The quorum rule itself, whatever the outcome.")
    source: Source = strawberry.field(description="The document and section the rule comes from.")

    @classmethod
    def of(cls, r: rules.QuorumRuling) -> QuorumResult:
        return cls(satisfied=r.satisfied, reasons=list(r.reasons), requirement=r.requirement, source=source_of(r.source))


@strawberry.type(name="ChairAnswer", description="Who chairs a group in a financial year, and on what basis.")
class ChairAnswerType:
    financial_year: str = strawberry.field(description="The UK financial year asked about, e.g. `2020/21`.")
    basis: ChairBasis = strawberry.field(description="Independent appointment, annual rotation, fixed office, election …")
    office: str | None = strawberry.field(description="The office that chairs, in the document's words.")
    provisional: bool = strawberry.field(description="Derived from the rotation and not yet recorded.")
    recorded: bool = strawberry.field(description="A recorded selection answers this year.")
    reasons: list[str] = strawberry.field(description="Why, in plain words.")
    source: Source = strawberry.field(description="Where the chairing rule comes from.")
    agency_id: strawberry.Private[int | None]
    seat_code: strawberry.Private[str | None]
    group_pk: strawberry.Private[int]
    partnership_id: strawberry.Private[int]

    @classmethod
    def build(cls, a: rules.ChairAnswer, ctx: RuleContext, fy: FinancialYear) -> ChairAnswerType:
        agency_id = next((pk for pk, ag in ctx.agencies.items() if ag.code == a.agency_code), None)
        return cls(financial_year=str(fy), basis=a.basis, office=a.office, provisional=a.provisional,
                   recorded=a.recorded, reasons=list(a.reasons), source=source_of(a.source), agency_id=agency_id,
                   seat_code=a.seat_code, group_pk=ctx.group.pk, partnership_id=ctx.group.partnership_id)

    @strawberry.field(description="The agency whose representative chairs, where the answer names one.")
    async def agency(self, info: Info) -> AgencyT | None:
        if self.agency_id is None:
            return None
        return await info.context.loaders.agency_in(self.partnership_id, self.agency_id)

    @strawberry.field(description="The seat that chairs, where the answer names one.")
    async def seat(self, info: Info) -> SeatT | None:
        if self.seat_code is None:
            return None
        seats = await info.context.loaders.seats_by_group.load(self.group_pk)
        return next((s for s in seats if s.code == self.seat_code), None)


@strawberry.type(description="A seat that may vote, and whose vote it counts as.")
class Voter:
    seat_id: strawberry.Private[int]
    group_pk: strawberry.Private[int]
    counts_for: str = strawberry.field(description="The vote's key: one vote per key (a partner's agency code).")
    reason: str = strawberry.field(description="Why this seat may vote.")

    @strawberry.field(description="The seat.")
    async def seat(self, info: Info) -> SeatT | None:
        return await info.context.loaders.seat_in(self.group_pk, self.seat_id)


@strawberry.type(name="VotingRule", description="Who may vote in a group, what carries, and what a tie means.")
class VotingRuleType:
    voters: list[Voter] = strawberry.field(description="Seats that may vote.")
    carries: str = strawberry.field(description="What carries a vote, in words.")
    tie: TieRule = strawberry.field(description="What a tie means.")
    reasons: list[str] = strawberry.field(description="The rule in plain words.")
    source: Source = strawberry.field(description="Where the rule comes from.")


@strawberry.type(name="ProxyRule", description="Whether proxies are accepted at a group's meetings.")
class ProxyRuleType:
    allowed: bool = strawberry.field(description="Proxies are accepted.")
    needs_chair_agreement: bool = strawberry.field(description="Only with the chair's agreement.")
    reasons: list[str] = strawberry.field(description="The rule in plain words.")
    source: Source = strawberry.field(description="Where the rule comes from.")


@strawberry.type(name="AttendancePolicy", description="The attendance a group expects of its members.")
class AttendancePolicyType:
    kind: AttendancePolicyKind = strawberry.field(description="The kind of rule.")
    consecutive_absences: int | None = strawberry.field(description="Flagged after this many absences in a row.")
    minimum_percent: int | None = strawberry.field(description="Flagged below this percentage of meetings.")
    minimum_meetings: int | None = strawberry.field(description="At least this many …")
    of_meetings: int | None = strawberry.field(description="… of this many meetings.")
    reasons: list[str] = strawberry.field(description="The rule in plain words.")
    source: Source = strawberry.field(description="Where the rule comes from.")

    @classmethod
    def of(cls, p: rules.AttendancePolicy) -> AttendancePolicyType:
        return cls(kind=p.kind, consecutive_absences=p.consecutive or None, minimum_percent=p.minimum_percent or None,
                   minimum_meetings=p.minimum_meetings or None, of_meetings=p.of_meetings or None,
                   reasons=list(p.reasons), source=source_of(p.source))


@strawberry.type(name="AttendanceConcern", description="A member whose attendance breaks the group's attendance rule.")
class AttendanceConcernType:
    seat_id: strawberry.Private[int]
    partnership_id: strawberry.Private[int]
    meetings: int = strawberry.field(description="Held meetings considered.")
    attended: int = strawberry.field(description="Of those, attended in person, by deputy or by agreed proxy.")
    reasons: list[str] = strawberry.field(description="What the rule expects and what happened.")
    source: Source = strawberry.field(description="Where the rule comes from.")

    @classmethod
    def of(cls, c: rules.AttendanceConcern, partnership_id: int) -> AttendanceConcernType:
        return cls(seat_id=c.seat.id, partnership_id=partnership_id, meetings=c.meetings, attended=c.attended,
                   reasons=list(c.reasons), source=source_of(c.source))

    @strawberry.field(description="The member's seat.")
    async def seat(self, info: Info) -> SeatT | None:
        return await info.context.loaders.seat_by_id.load(self.seat_id)


@strawberry.type(description="An item on a meeting's agenda.")
class AgendaItem:
    position: int = strawberry.field(description="Order on the agenda, from 0.")
    title: str = strawberry.field(description="The item.")

    @classmethod
    def from_row(cls, r: m.AgendaItem) -> AgendaItem:
        return cls(position=r.position, title=r.title)


@strawberry.type(name="Attendance", description="A seat's attendance at a meeting.")
class AttendanceEntry:
    seat_id: strawberry.Private[int]
    status: AttendanceStatus = strawberry.field(description="Present, apologies, absent, by deputy or by proxy.")
    proxy_name: str | None = strawberry.field(description="Who attended as proxy, where recorded.")
    chair_agreed: bool = strawberry.field(description="The chair agreed to the proxy.")

    @classmethod
    def from_row(cls, r: m.Attendance) -> AttendanceEntry:
        return cls(seat_id=r.seat_id, status=r.status, proxy_name=r.proxy_name, chair_agreed=r.chair_agreed)

    @strawberry.field(description="The seat.")
    async def seat(self, info: Info) -> SeatT | None:
        return await info.context.loaders.seat_by_id.load(self.seat_id)


@strawberry.type(name="Deadline", description="A stated time limit and where it is stated.")
class DeadlineType:
    amount: int = strawberry.field(description="How many units.")
    unit: DeadlineUnit = strawberry.field(description="The unit.")
    source: Source = strawberry.field(description="Where the deadline is stated, with the quoted words.")

    @classmethod
    def of(cls, d: rules.Deadline | None) -> DeadlineType | None:
        return None if d is None else cls(amount=d.amount, unit=d.unit, source=source_of(d.source))


@strawberry.type(name="MeetingRules", description="The deadlines a group's meetings are held to; a null deadline "
                                                  "is one the document does not state.")
class MeetingRulesType:
    notice: DeadlineType | None = strawberry.field(description="Meeting dates set at least this long ahead.")
    papers: DeadlineType | None = strawberry.field(description="Papers circulated at least this long before.")
    minutes: DeadlineType | None = strawberry.field(description="Minutes circulated within this long after.")
    reasons: list[str] = strawberry.field(description="The rules in plain words.")
    source: Source = strawberry.field(description="Where the rules come from (NOT_STATED when none is).")

    @classmethod
    def of(cls, r: rules.MeetingRules) -> MeetingRulesType:
        return cls(notice=DeadlineType.of(r.notice), papers=DeadlineType.of(r.papers),
                   minutes=DeadlineType.of(r.minutes), reasons=list(r.reasons), source=source_of(r.source))


@strawberry.type(description="A meeting measured against one of its group's stated deadlines.")
class DeadlineCheck:
    kind: DeadlineKind = strawberry.field(description="Which deadline.")
    due: dt.date = strawberry.field(description="The date it falls on for this meeting (working days counted on "
                                                "England's bank-holiday calendar).")
    satisfied: bool | None = strawberry.field(description="Met; false when missed; null while it is still ahead "
                                                          "and nothing is recorded.")
    reasons: list[str] = strawberry.field(description="The check in plain words.")
    source: Source = strawberry.field(description="Where the deadline is stated.")


@strawberry.type(description="A meeting of a group.")
class Meeting(Node):
    pk: strawberry.Private[int]
    group_id: strawberry.Private[int]
    partnership_id: strawberry.Private[int]
    arranged_on: strawberry.Private[dt.date | None]
    scheduled_on: dt.date = strawberry.field(description="The date it is (or was) scheduled for.")
    status: MeetingStatus = strawberry.field(description="Scheduled, held or cancelled.")
    papers_circulated_on: dt.date | None = strawberry.field(description="When the papers were circulated.")
    minutes_published_on: dt.date | None = strawberry.field(description="When the minutes were published.")
    acts_for_partnership: bool = strawberry.field(description="Takes decisions on behalf of the partnership "
                                                              "(Sandwell §21 holds it to the partnership's quorum).")

    @classmethod
    def from_row(cls, r: m.Meeting) -> Meeting:
        return cls(pk=r.id, group_id=r.group_id, partnership_id=r.partnership_id, scheduled_on=r.scheduled_on,
                   arranged_on=r.created_at.date() if r.created_at else None,
                   status=r.status, papers_circulated_on=r.papers_circulated_on,
                   minutes_published_on=r.minutes_published_on, acts_for_partnership=r.acts_for_partnership)

    @strawberry.field(description="The group that meets.")
    async def group(self, info: Info) -> GroupT | None:
        return await info.context.loaders.group_in(self.partnership_id, self.group_id)

    @strawberry.field(description="The agenda, in order.")
    async def agenda(self, info: Info) -> list[AgendaItem]:
        return [AgendaItem.from_row(r) for r in await info.context.loaders.of(agenda_by_meeting).load(self.pk)]

    @strawberry.field(description="Attendance recorded per seat.")
    async def attendance(self, info: Info) -> list[AttendanceEntry]:
        return [AttendanceEntry.from_row(r) for r in await info.context.loaders.of(attendance_by_meeting).load(self.pk)]

    @strawberry.field(description="Whether the meeting is quorate with the attendance recorded, by the group's rule.")
    async def quorum(self, info: Info) -> QuorumResult | None:
        group = await info.context.loaders.group_in(self.partnership_id, self.group_id)
        if group is None:
            return None
        ctx = await rule_context(info, group, on=self.scheduled_on)
        entries = await info.context.loaders.of(attendance_by_meeting).load(self.pk)
        presences = tuple(Presence(ctx.seat(e.seat_id), e.status, e.chair_agreed) for e in entries if ctx.seat(e.seat_id))
        ruling = ctx.rules.quorum(group=ctx.ref, seats=ctx.seats, present=rules.represented(presences),
                              partners=ctx.partners, acting_for_partnership=self.acts_for_partnership)
        return QuorumResult.of(ruling)

    @strawberry.field(description="The meeting against each deadline its group's rules state (notice of the date, "
                                  "papers, minutes); empty where the document states none.")
    async def deadlines(self, info: Info) -> list[DeadlineCheck]:
        group = await info.context.loaders.group_in(self.partnership_id, self.group_id)
        if group is None or self.status == rules.MeetingStatus.CANCELLED:
            return []
        ctx = await rule_context(info, group)
        checks = rules.check_meeting_deadlines(
            ctx.rules.meeting_rules(group=ctx.ref), scheduled_on=self.scheduled_on, arranged_on=self.arranged_on,
            papers_on=self.papers_circulated_on, minutes_on=self.minutes_published_on,
            held=self.status == rules.MeetingStatus.HELD, today=dt.date.today())
        return [DeadlineCheck(kind=c.kind, due=c.due, satisfied=c.satisfied, reasons=list(c.reasons),
                              source=source_of(c.source)) for c in checks]

    @strawberry.field(description="Decisions taken at the meeting.")
    async def decisions(self, info: Info) -> list[Decision]:
        rows = await info.context.loaders.of(decisions_by_group).load(self.group_id)
        return [Decision.from_row(r) for r in rows if r.meeting_id == self.pk]


@strawberry.type(name="Vote", description="A vote cast on a decision.")
class VoteType:
    seat_id: strawberry.Private[int]
    counts_for: str = strawberry.field(description="Whose vote it counts as (a standing deputy votes for its partner).")
    choice: VoteChoice = strawberry.field(description="For, against or abstaining.")

    @classmethod
    def from_row(cls, r: m.Vote) -> VoteType:
        return cls(seat_id=r.seat_id, counts_for=r.counts_for, choice=r.choice)

    @strawberry.field(description="The seat that cast it.")
    async def seat(self, info: Info) -> SeatT | None:
        return await info.context.loaders.seat_by_id.load(self.seat_id)


@strawberry.type(description="A decision of a group: by consensus, by vote, or by executive action between meetings.")
class Decision(Node):
    pk: strawberry.Private[int]
    group_id: strawberry.Private[int]
    partnership_id: strawberry.Private[int]
    meeting_id: strawberry.Private[int | None]
    reported_meeting_id: strawberry.Private[int | None]
    must_report: strawberry.Private[bool]
    rule_source: strawberry.Private[str | None]
    method: DecisionMethod = strawberry.field(description="Consensus, vote or executive action.")
    status: DecisionStatus = strawberry.field(description="Open (a vote in progress), agreed, carried, not carried, taken.")
    subject: str = strawberry.field(description="What was decided.")
    decided_on: dt.date | None = strawberry.field(description="When.")
    taken_by: str | None = strawberry.field(description="Who took an executive action.")
    outcome: str | None = strawberry.field(description="The result and the rule it followed, in words.")

    @classmethod
    def from_row(cls, r: m.Decision) -> Decision:
        return cls(pk=r.id, group_id=r.group_id, partnership_id=r.partnership_id, meeting_id=r.meeting_id,
                   reported_meeting_id=r.reported_meeting_id, must_report=r.must_report, rule_source=r.rule_source,
                   method=r.method, status=r.status, subject=r.subject, decided_on=r.decided_on,
                   taken_by=r.taken_by, outcome=r.outcome)

    @strawberry.field(description="The group it was taken for.")
    async def group(self, info: Info) -> GroupT | None:
        return await info.context.loaders.group_in(self.partnership_id, self.group_id)

    async def _meeting(self, info: Info, meeting_id: int | None) -> Meeting | None:
        rows = await info.context.loaders.of(meetings_by_group).load(self.group_id)
        row = next((r for r in rows if r.id == meeting_id), None)
        return None if row is None else Meeting.from_row(row)

    @strawberry.field(description="The meeting it was taken at; null for an executive action.")
    async def meeting(self, info: Info) -> Meeting | None:
        return await self._meeting(info, self.meeting_id)

    @strawberry.field(description="The meeting an executive action was reported at.")
    async def reported_at(self, info: Info) -> Meeting | None:
        return await self._meeting(info, self.reported_meeting_id)

    @strawberry.field(description="Votes cast, one per voting key.")
    async def votes(self, info: Info) -> list[VoteType]:
        return [VoteType.from_row(r) for r in await info.context.loaders.of(votes_by_decision).load(self.pk)]

    @strawberry.field(description="Why the decision needs attention (e.g. an executive action not yet reported); "
                                  "empty when none.")
    async def flags(self, info: Info) -> list[str]:
        if not self.must_report or self.reported_meeting_id is not None:
            return []
        group = await info.context.loaders.group_in(self.partnership_id, self.group_id)
        name = group.name if group else "group"
        flags = [f"taken by {self.taken_by or 'executive action'} between meetings: to be reported no later than the "
                 f"next meeting of the {name} ({self.rule_source})"]
        meetings = await info.context.loaders.of(meetings_by_group).load(self.group_id)
        passed = [x for x in meetings if x.status == rules.MeetingStatus.HELD and self.decided_on
                  and x.scheduled_on >= self.decided_on]
        if passed:
            flags.append(f"overdue: the meeting of {passed[0].scheduled_on.isoformat()} was held without it being reported")
        return flags

    @strawberry.field(description="True while the decision needs attention (see `flags`).")
    def flagged(self) -> bool:
        return self.must_report and self.reported_meeting_id is None


@strawberry.type(description="An appointment to an office: independent chair or person, scrutineer, sub-group chair or vice-chair.")
class Appointment(Node):
    pk: strawberry.Private[int]
    partnership_id: strawberry.Private[int]
    group_id: strawberry.Private[int | None]
    person_id: strawberry.Private[int | None]
    office: Office = strawberry.field(description="The office.")
    holder_name: str = strawberry.field(description="Who holds it.")
    starts_on: dt.date = strawberry.field(description="From when.")
    ends_on: dt.date | None = strawberry.field(description="Until when; null while in force.")

    @classmethod
    def from_row(cls, r: m.Appointment) -> Appointment:
        return cls(pk=r.id, partnership_id=r.partnership_id, group_id=r.group_id, person_id=r.person_id,
                   office=r.office, holder_name=r.holder_name, starts_on=r.starts_on, ends_on=r.ends_on)

    @strawberry.field(description="The group, for a sub-group chair or vice-chair.")
    async def group(self, info: Info) -> GroupT | None:
        return None if self.group_id is None else await info.context.loaders.group_in(self.partnership_id, self.group_id)

    @strawberry.field(description="The published office holder record, where linked.")
    async def person(self, info: Info) -> PersonT | None:
        return None if self.person_id is None else await info.context.loaders.people_by_id.load(self.person_id)


@strawberry.type(description="A group's chair in a year and what makes it quorate.")
class GroupGovernance:
    group: GroupT = strawberry.field(description="The group.")
    chair: ChairAnswerType = strawberry.field(description="Who chairs in the year asked about, and on what basis.")
    quorum_requirement: str = strawberry.field(description="What makes a meeting quorate, in words.")
    quorum_source: Source = strawberry.field(description="Where the quorum rule comes from.")


@strawberry.type(description="One partnership's main board and executive: chairs and quorum, side by side.")
class GovernanceComparison:
    partnership: PartnershipT = strawberry.field(description="The partnership.")
    main_board: GroupGovernance | None = strawberry.field(
        description="The partnership board (or, where there is none, the top of the structure).")
    executive: GroupGovernance | None = strawberry.field(description="The executive or leadership group, if any.")


async def group_governance(info: Info, group, fy: FinancialYear) -> GroupGovernance:
    ctx = await rule_context(info, group)
    chair = await chair_of(info, group, fy)
    ruling = ctx.rules.quorum(group=ctx.ref, seats=ctx.seats, present=(), partners=ctx.partners,
                          acting_for_partnership=False)
    return GroupGovernance(group=group, chair=chair, quorum_requirement=ruling.requirement,
                           quorum_source=source_of(ruling.source))


async def comparison_for(info: Info, partnership, fy: FinancialYear) -> GovernanceComparison:
    groups = await info.context.loaders.groups_by_partnership.load(partnership.pk)
    board = next((g for g in groups if g.kind == GroupKind.PARTNERSHIP_BOARD), None) or next(
        (g for g in groups if g.parent_id is None), None)
    executive = next((g for g in groups if g.kind == GroupKind.EXECUTIVE), None)

    async def none():
        return None

    main, exe = await asyncio.gather(group_governance(info, board, fy) if board else none(),
                                     group_governance(info, executive, fy) if executive else none())
    return GovernanceComparison(partnership=partnership, main_board=main, executive=exe)
