"""GraphQL types for disputes, escalation ladders and independent scrutiny.

Ladders are published rules: anyone may read them. Disputes, their history, scrutiny
activities, reports and responses are confidential to the partnership's members (the
scrutineer included: it may read all of the partnership's papers). Every relation is read
through a per-request DataLoader over the batch functions of ``schema.disputes.loaders``, so
the statement count does not grow with the result; the types here wrap the rows they answer.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from core.models.disputes import Dispute as DisputeRow
from core.models.disputes import DisputeStageChange as ChangeRow
from core.models.disputes import ScrutinyActivity as ActivityRow
from core.models.disputes import ScrutinyAppointment as AppointmentRow
from core.models.disputes import ScrutinyRecommendation as RecommendationRow
from core.models.disputes import ScrutinyReport as ReportRow
from core.rules import disputes as rules
from schema.disputes.loaders import (
    activities_by_partnership,
    history_by_dispute,
    recommendations_by_report,
    reports_by_partnership,
    scrutiny_appointments_by_partnership,
)
from schema.types.common import Node, Role, Source, described, source_of

if TYPE_CHECKING:  # pragma: no cover
    from schema.structure.types import Agency, Group, Partnership, Person, Seat

AgencyRef = Annotated["Agency", strawberry.lazy("schema.structure.types")]
GroupRef = Annotated["Group", strawberry.lazy("schema.structure.types")]
PartnershipRef = Annotated["Partnership", strawberry.lazy("schema.structure.types")]
PersonRef = Annotated["Person", strawberry.lazy("schema.structure.types")]
SeatRef = Annotated["Seat", strawberry.lazy("schema.structure.types")]

DisputeKind = described(strawberry.enum(rules.DisputeKind, description="What a dispute is about."), {
    "PROFESSIONAL_DISAGREEMENT": "A disagreement between partners or agencies.",
    "PARTNER_NOT_MEETING_OBLIGATIONS": "A partner is not meeting its obligations under the arrangements.",
    "FUNDING_DEFAULT": "A partner has not paid its contribution (Lewisham, Funding).",
    "CHILDREN_AT_RISK_CHALLENGE": "A challenge that a decision would put children at risk.",
})
DisputeAction = described(strawberry.enum(rules.DisputeAction, description="What the role acting at a stage may do."), {
    "MEET": "Meet or discuss, and agree.",
    "ARBITRATE": "Arbitrate: decide between the parties, who have agreed to be bound.",
    "DETERMINE": "Determine the matter.",
    "MEDIATE": "Mediate: help the parties reach their own agreement.",
    "ESCALATE": "Hand the unresolved dispute to the next stage.",
    "REFER": "Refer it outside the partnership (to the Secretary of State).",
})
DisputeOutcome = described(strawberry.enum(rules.DisputeOutcome, description="How a dispute ended."), {
    "RESOLVED_BY_AGREEMENT": "The parties agreed.",
    "ARBITRATED": "Settled by arbitration.",
    "DETERMINED": "Settled by a determination.",
    "MEDIATED": "Settled through mediation.",
    "REFERRED_OUTSIDE": "Referred outside the partnership (to the Secretary of State).",
    "WITHDRAWN": "Withdrawn by whoever raised it.",
})
DisputeStatus = described(strawberry.enum(rules.DisputeStatus, description="Whether a dispute is still open."), {
    "OPEN": "Still being dealt with.",
    "CLOSED": "Ended: see its outcome.",
})
DisputeMove = described(strawberry.enum(rules.DisputeMove, description="A change in a dispute's stage history."), {
    "RAISED": "The dispute was raised, at the first stage.",
    "ESCALATED": "It moved to the next stage.",
    "RESOLVED": "It was settled.",
    "WITHDRAWN": "It was withdrawn.",
})
LadderActor = described(strawberry.enum(rules.LadderActor, description="Who acts at a stage of an escalation ladder."), {
    "PRACTITIONERS": "Practitioners and managers, under an agency's escalation protocol.",
    "STATUTORY_PARTNERS": "The safeguarding partners.",
    "EXECUTIVE": "The partners' executive group.",
    "CHIEF_OFFICERS": "The partners' chief officers: chief executives, accountable officers, commanders.",
    "PARTNERSHIP_MEMBERS": "The partners and the relevant agencies together.",
    "INDEPENDENT_PERSON": "The independent person (Merton).",
    "SCRUTINEER": "The independent scrutineer.",
    "PARTNERSHIP_CHAIR": "The partnership's chair.",
    "SECRETARY_OF_STATE": "The Secretary of State, outside the partnership.",
})
ScrutinyActivityKind = described(strawberry.enum(rules.ScrutinyActivityKind, description="What sort of scrutiny activity."), {
    "MEETING_ATTENDED": "Attended a meeting of the partnership.",
    "PAPERS_REVIEWED": "Reviewed papers.",
    "AUDIT": "Carried out or reviewed an audit.",
    "CASE_REVIEW": "Reviewed a case.",
    "ENGAGEMENT_WITH_CHILDREN_AND_FAMILIES": "Heard from children, young people and families.",
    "OTHER": "Any other activity (its description says what).",
})
RecommendationResponse = described(strawberry.enum(
    rules.RecommendationResponse, description="The partnership's response to a scrutineer's recommendation."), {
    "ACCEPTED": "The partnership accepts the recommendation.",
    "REJECTED": "The partnership rejects it, giving its reason.",
    "IN_PROGRESS": "The partnership is still considering it, or acting on it.",
})


# ----------------------------------------------------------------------------- ladders


@strawberry.type(description="One stage of an escalation ladder: who must act and what they may do.")
class EscalationStage:
    number: int = strawberry.field(description="Position on the ladder, from 1.")
    name: str = strawberry.field(description="The stage as the document describes it.")
    actor: LadderActor = strawberry.field(description="Who acts at this stage.")
    who: str = strawberry.field(description="The post(s) that act, as the document words them.")
    actions: list[DisputeAction] = strawberry.field(description="What they may do here.")
    outcomes: list[DisputeOutcome] = strawberry.field(description="The outcomes a dispute may end with here.")
    final: bool = strawberry.field(description="The last resort: no escalation beyond it.")
    source: Source = strawberry.field(description="Where the document sets this stage.")

    @classmethod
    def of(cls, s: rules.LadderStage) -> EscalationStage:
        return cls(number=s.number, name=s.name, actor=s.actor, who=s.who, actions=list(s.actions),
                   outcomes=list(s.outcomes), final=s.final, source=source_of(s.source))


@strawberry.type(description="A route out of the ladder open at any stage (e.g. the scrutineer's disclosure).")
class DisclosureRoute:
    actor: LadderActor = strawberry.field(description="Who may take it.")
    who: str = strawberry.field(description="The post, as the document words it.")
    to: str = strawberry.field(description="To whom the matter goes.")
    when: str = strawberry.field(description="When the route is open.")
    source: Source = strawberry.field(description="Where the document sets it.")


@strawberry.type(description="The ordered stages a dispute of a kind climbs in a partnership.")
class EscalationLadder:
    kind: DisputeKind = strawberry.field(description="The kind of dispute.")
    stages: list[EscalationStage] = strawberry.field(description="The stages, first to last resort.")
    disclosures: list[DisclosureRoute] = strawberry.field(description="Routes out open at any stage.")
    reasons: list[str] = strawberry.field(description="What the document says, in plain words.")
    source: Source = strawberry.field(description="Where the document sets the ladder.")
    last_resort: EscalationStage = strawberry.field(description="The final stage.")
    independent_stages: list[EscalationStage] = strawberry.field(
        description="The stages where someone arbitrates, determines or mediates.")

    @classmethod
    def of(cls, ladder: rules.EscalationLadder) -> EscalationLadder:
        stages = [EscalationStage.of(s) for s in ladder.stages]
        return cls(
            kind=ladder.kind, stages=stages, reasons=list(ladder.reasons), source=source_of(ladder.source),
            disclosures=[DisclosureRoute(actor=d.actor, who=d.who, to=d.to, when=d.when, source=source_of(d.source))
                         for d in ladder.disclosures],
            last_resort=stages[-1],
            independent_stages=[stages[s.number - 1] for s in ladder.independent_stages],
        )


async def ladder_for(info: Info, partnership_id: int, kind: rules.DisputeKind) -> rules.EscalationLadder:
    """Ask the partnership's rules (its plugin, else the WT2018 baseline) for a ladder."""
    p = await info.context.loaders.partnership_by_id.load(partnership_id)
    return info.context.registry.rules_for(p.code, document=p.document.title).ladder(kind=kind)


# ----------------------------------------------------------------------------- disputes


@strawberry.type(description="One change in a dispute's stage history: who acted, when, and what they decided.")
class DisputeStageChange:
    sequence: int = strawberry.field(description="Order in the dispute's history, from 1.")
    move: DisputeMove = strawberry.field(description="Raised, escalated, resolved or withdrawn.")
    from_stage: int | None = strawberry.field(description="The stage the dispute was at (none when raised).")
    to_stage: int | None = strawberry.field(description="The stage it reached (none when it closed).")
    stage_actor: LadderActor | None = strawberry.field(
        description="Who acts at the stage reached, or who decided the outcome.")
    stage_name: str | None = strawberry.field(description="The stage's name at the time.")
    action: DisputeAction | None = strawberry.field(description="What was done (ESCALATE, ARBITRATE …).")
    outcome: DisputeOutcome | None = strawberry.field(description="The outcome, when the move closed the dispute.")
    actor: str = strawberry.field(description="Who recorded the move (the API token's label).")
    role: Role = strawberry.field(description="The role in which they recorded it.")
    notes: str | None = strawberry.field(description="What was decided, in the recorder's words.")
    acted_at: dt.datetime = strawberry.field(description="When.")

    @classmethod
    def from_row(cls, c: ChangeRow) -> DisputeStageChange:
        return cls(sequence=c.sequence, move=c.move, from_stage=c.from_stage, to_stage=c.to_stage,
                   stage_actor=c.stage_actor, stage_name=c.stage_name, action=c.action, outcome=c.outcome,
                   actor=c.actor, role=c.role, notes=c.notes, acted_at=c.acted_at)


@strawberry.type(description="A dispute raised in a partnership, climbing its escalation ladder (members only).")
class Dispute(Node):
    pk: strawberry.Private[int]
    partnership_id: strawberry.Private[int]
    raised_by_seat_id: strawberry.Private[int | None]
    raised_by_agency_id: strawberry.Private[int | None]
    about_agency_id: strawberry.Private[int | None]
    kind: DisputeKind = strawberry.field(description="What the dispute is about.")
    summary: str = strawberry.field(description="The matter, in the raiser's words.")
    subject_decision_ref: str | None = strawberry.field(description="The decision challenged, by reference.")
    status: DisputeStatus = strawberry.field(description="Open or closed.")
    outcome: DisputeOutcome | None = strawberry.field(description="How it ended, once closed.")
    stage_number: int = strawberry.field(description="The ladder stage reached (the last one, once closed).")
    raised_by: str = strawberry.field(description="Who recorded it (the API token's label).")
    raised_at: dt.datetime = strawberry.field(description="When it was raised.")
    closed_at: dt.datetime | None = strawberry.field(description="When it closed.")

    @classmethod
    def from_row(cls, d: DisputeRow) -> Dispute:
        return cls(pk=d.id, partnership_id=d.partnership_id, raised_by_seat_id=d.raised_by_seat_id,
                   raised_by_agency_id=d.raised_by_agency_id, about_agency_id=d.about_agency_id, kind=d.kind,
                   summary=d.summary, subject_decision_ref=d.subject_decision_ref, status=d.status,
                   outcome=d.outcome, stage_number=d.current_stage, raised_by=d.raised_by, raised_at=d.raised_at,
                   closed_at=d.closed_at)

    @strawberry.field(description="The partnership it belongs to.")
    async def partnership(self, info: Info) -> PartnershipRef:
        return await info.context.loaders.partnership_by_id.load(self.partnership_id)

    @strawberry.field(description="The seat that raised it, where a seat did.")
    async def raised_by_seat(self, info: Info) -> SeatRef | None:
        if self.raised_by_seat_id is None:
            return None
        return await info.context.loaders.seat_by_id.load(self.raised_by_seat_id)

    @strawberry.field(description="The agency that raised it, where one did.")
    async def raised_by_agency(self, info: Info) -> AgencyRef | None:
        if self.raised_by_agency_id is None:
            return None
        return await info.context.loaders.agency_in(self.partnership_id, self.raised_by_agency_id)

    @strawberry.field(description="The agency the dispute is about.")
    async def about_agency(self, info: Info) -> AgencyRef | None:
        if self.about_agency_id is None:
            return None
        return await info.context.loaders.agency_in(self.partnership_id, self.about_agency_id)

    @strawberry.field(description="The ladder this dispute climbs (its partnership's, for its kind).")
    async def ladder(self, info: Info) -> EscalationLadder:
        return EscalationLadder.of(await ladder_for(info, self.partnership_id, self.kind))

    @strawberry.field(description="Who must act now: the stage the dispute is at; null once it is closed.")
    async def current_stage(self, info: Info) -> EscalationStage | None:
        if self.status != rules.DisputeStatus.OPEN:
            return None
        stage = (await ladder_for(info, self.partnership_id, self.kind)).stage(self.stage_number)
        return None if stage is None else EscalationStage.of(stage)

    @strawberry.field(description="Every change of stage, oldest first.")
    async def history(self, info: Info) -> list[DisputeStageChange]:
        return [DisputeStageChange.from_row(r) for r in await info.context.loaders.of(history_by_dispute).load(self.pk)]


# ----------------------------------------------------------------------------- scrutiny


@strawberry.type(description="The appointment of the partnership's independent scrutineer.")
class ScrutinyAppointment(Node):
    pk: strawberry.Private[int]
    partnership_id: strawberry.Private[int]
    person_id: strawberry.Private[int | None]
    scrutineer: str = strawberry.field(description="The scrutineer: the name, or the post where none is published.")
    appointed_by: str = strawberry.field(description="Who appointed them, e.g. `the Statutory Partners`.")
    appointed_from: dt.date = strawberry.field(description="From when.")
    appointed_until: dt.date | None = strawberry.field(description="Until when, where an end is set.")
    section: strawberry.Private[str | None]

    @classmethod
    def from_row(cls, a: AppointmentRow) -> ScrutinyAppointment:
        return cls(pk=a.id, partnership_id=a.partnership_id, person_id=a.person_id, scrutineer=a.scrutineer,
                   appointed_by=a.appointed_by, appointed_from=a.appointed_from, appointed_until=a.appointed_until,
                   section=a.source)

    @strawberry.field(description="The published office holder, where recorded.")
    async def person(self, info: Info) -> PersonRef | None:
        if self.person_id is None:
            return None
        return await info.context.loaders.people_by_id.load(self.person_id)

    @strawberry.field(description="Where the arrangements provide for the appointment.")
    async def source(self, info: Info) -> Source | None:
        if self.section is None:
            return None
        p = await info.context.loaders.partnership_by_id.load(self.partnership_id)
        return Source(document=p.document.title, section=self.section)


@strawberry.type(description="Something the scrutineer did: attended a meeting, read papers, audited … (members only).")
class ScrutinyActivity(Node):
    pk: strawberry.Private[int]
    partnership_id: strawberry.Private[int]
    group_id: strawberry.Private[int | None]
    kind: ScrutinyActivityKind = strawberry.field(description="What sort of activity.")
    title: str = strawberry.field(description="What it was.")
    happened_on: dt.date = strawberry.field(description="When.")
    notes: str | None = strawberry.field(description="Notes.")
    recorded_by: str = strawberry.field(description="Who recorded it.")

    @classmethod
    def from_row(cls, a: ActivityRow) -> ScrutinyActivity:
        return cls(pk=a.id, partnership_id=a.partnership_id, group_id=a.group_id, kind=a.kind, title=a.title,
                   happened_on=a.happened_on, notes=a.notes, recorded_by=a.recorded_by)

    @strawberry.field(description="The group whose meeting or work it concerned.")
    async def group(self, info: Info) -> GroupRef | None:
        if self.group_id is None:
            return None
        return await info.context.loaders.group_in(self.partnership_id, self.group_id)


@strawberry.type(description="A recommendation of a scrutiny report and the partnership's response to it.")
class ScrutinyRecommendation(Node):
    pk: strawberry.Private[int]
    position: int = strawberry.field(description="Its number in the report.")
    text: str = strawberry.field(description="The recommendation.")
    addressed_to: str | None = strawberry.field(description="To whom it is addressed.")
    response: RecommendationResponse | None = strawberry.field(description="The response; null while awaited.")
    response_reason: str | None = strawberry.field(description="Why (required for a rejection).")
    responded_by: str | None = strawberry.field(description="Who recorded the response.")
    responded_at: dt.datetime | None = strawberry.field(description="When.")

    @classmethod
    def from_row(cls, r: RecommendationRow) -> ScrutinyRecommendation:
        return cls(pk=r.id, position=r.position, text=r.text, addressed_to=r.addressed_to, response=r.response,
                   response_reason=r.response_reason, responded_by=r.responded_by, responded_at=r.responded_at)


@strawberry.type(description="A report of the independent scrutineer with findings and recommendations (members only).")
class ScrutinyReport(Node):
    pk: strawberry.Private[int]
    title: str = strawberry.field(description="The report's title.")
    published_on: dt.date = strawberry.field(description="When it was issued.")
    summary: str | None = strawberry.field(description="Summary.")
    findings: list[str] = strawberry.field(description="The findings, in the report's order.")
    recorded_by: str = strawberry.field(description="Who recorded it.")

    @classmethod
    def from_row(cls, r: ReportRow) -> ScrutinyReport:
        return cls(pk=r.id, title=r.title, published_on=r.published_on, summary=r.summary,
                   findings=list(r.findings or []), recorded_by=r.recorded_by)

    @strawberry.field(description="Its recommendations, in order, each with the partnership's response.")
    async def recommendations(self, info: Info) -> list[ScrutinyRecommendation]:
        rows = await info.context.loaders.of(recommendations_by_report).load(self.pk)
        return [ScrutinyRecommendation.from_row(r) for r in rows]


@strawberry.type(description="Independent scrutiny of a partnership: the appointment (public), and activities, "
                             "reports and responses (members only; the scrutineer reads all of them).")
class Scrutiny:
    partnership_id: strawberry.Private[int]

    @strawberry.field(description="The scrutineer's appointments, oldest first.")
    async def appointments(self, info: Info) -> list[ScrutinyAppointment]:
        rows = await info.context.loaders.of(scrutiny_appointments_by_partnership).load(self.partnership_id)
        return [ScrutinyAppointment.from_row(r) for r in rows]

    @strawberry.field(description="Scrutiny activities, oldest first (members only; others get an empty list).")
    async def activities(self, info: Info) -> list[ScrutinyActivity]:
        rows = await info.context.loaders.of(activities_by_partnership).load(self.partnership_id)
        return [ScrutinyActivity.from_row(r) for r in rows]

    @strawberry.field(description="Scrutiny reports, oldest first (members only; others get an empty list).")
    async def reports(self, info: Info) -> list[ScrutinyReport]:
        rows = await info.context.loaders.of(reports_by_partnership).load(self.partnership_id)
        return [ScrutinyReport.from_row(r) for r in rows]


# ----------------------------------------------------------------------------- comparison


@strawberry.type(description="How one partnership settles a dispute: who arbitrates or mediates, and the last resort.")
class DisputeResolutionComparison:
    partnership_id: strawberry.Private[int]
    kind: DisputeKind = strawberry.field(description="The kind of dispute compared.")
    ladder: EscalationLadder = strawberry.field(description="The whole ladder.")
    arbiters: list[EscalationStage] = strawberry.field(
        description="The stages where someone arbitrates, determines or mediates (empty: the parties settle it).")
    last_resort: EscalationStage = strawberry.field(description="The final stage.")

    @strawberry.field(description="The partnership.")
    async def partnership(self, info: Info) -> PartnershipRef:
        return await info.context.loaders.partnership_by_id.load(self.partnership_id)
