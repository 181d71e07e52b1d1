"""Mutations for disputes and independent scrutiny.

raiseDispute / escalateDispute / resolveDispute / withdrawDispute move a dispute only along
its partnership's escalation ladder: a skipped, backward or off-ladder move is a typed error
and writes nothing; every move is one audit event. Scrutiny: appointScrutineer,
recordScrutinyActivity, publishScrutinyReport, respondToRecommendation.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from core.services import disputes as svc
from schema.disputes.types import (
    Dispute,
    DisputeKind,
    DisputeOutcome,
    RecommendationResponse,
    ScrutinyActivity,
    ScrutinyActivityKind,
    ScrutinyAppointment,
    ScrutinyRecommendation,
    ScrutinyReport,
)
from schema.mutations.base import decode_id, result_union, run_write
from schema.types.errors import UserErrors


@strawberry.input(description="A dispute to raise: by a seat or an agency, about another agency and/or a decision.")
class RaiseDisputeInput:
    partnership_code: str = strawberry.field(description="The partnership, e.g. `merton`.")
    kind: DisputeKind = strawberry.field(description="What the dispute is about.")
    summary: str = strawberry.field(description="The matter, in a sentence or a paragraph.")
    raised_by_seat_id: strawberry.ID | None = strawberry.field(default=None, description="The seat raising it.")
    raised_by_agency_id: strawberry.ID | None = strawberry.field(
        default=None, description="The agency raising it (taken from the seat when a seat is given).")
    about_agency_id: strawberry.ID | None = strawberry.field(
        default=None, description="The other agency the dispute is about.")
    subject_decision_ref: str | None = strawberry.field(
        default=None, description="The decision challenged, by reference (e.g. a governance decision's ID).")


@strawberry.input(description="Escalate an unresolved dispute to the next stage of its ladder.")
class EscalateDisputeInput:
    dispute_id: strawberry.ID = strawberry.field(description="The dispute.")
    to_stage: int | None = strawberry.field(
        default=None, description="The stage it goes to; must be the next one (default: the next one).")
    notes: str | None = strawberry.field(default=None, description="Why it is escalated.")


@strawberry.input(description="Record how a dispute ended at its current stage.")
class ResolveDisputeInput:
    dispute_id: strawberry.ID = strawberry.field(description="The dispute.")
    outcome: DisputeOutcome = strawberry.field(description="An outcome open at the current stage.")
    notes: str | None = strawberry.field(default=None, description="What was decided.")


@strawberry.input(description="Withdraw an open dispute.")
class WithdrawDisputeInput:
    dispute_id: strawberry.ID = strawberry.field(description="The dispute.")
    notes: str | None = strawberry.field(default=None, description="Why it is withdrawn.")


@strawberry.type(description="The dispute as it now stands.")
class DisputePayload:
    dispute: Dispute = strawberry.field(description="The dispute.")


DisputeResult = Annotated[
    DisputePayload | UserErrors,
    strawberry.union("DisputeResult", description="The dispute, or why the move was refused (nothing written)."),
]


@strawberry.input(description="The appointment of the independent scrutineer.")
class AppointScrutineerInput:
    partnership_code: str = strawberry.field(description="The partnership.")
    scrutineer: str = strawberry.field(description="The scrutineer's name, or the post where none is published.")
    appointed_by: str = strawberry.field(description="Who appointed them, e.g. `the Statutory Partners`.")
    appointed_from: dt.date = strawberry.field(description="From when.")
    appointed_until: dt.date | None = strawberry.field(default=None, description="Until when, if an end is set.")
    person_code: str | None = strawberry.field(default=None, description="The published office holder's code.")
    source: str | None = strawberry.field(default=None, description="The section providing for it, e.g. `§8.3`.")


@strawberry.type(description="The appointment recorded.")
class ScrutinyAppointmentPayload:
    appointment: ScrutinyAppointment = strawberry.field(description="The appointment.")


@strawberry.input(description="A scrutiny activity.")
class RecordScrutinyActivityInput:
    partnership_code: str = strawberry.field(description="The partnership.")
    kind: ScrutinyActivityKind = strawberry.field(description="What sort of activity.")
    title: str = strawberry.field(description="What it was.")
    happened_on: dt.date = strawberry.field(description="When.")
    group_id: strawberry.ID | None = strawberry.field(default=None, description="The group concerned.")
    notes: str | None = strawberry.field(default=None, description="Notes.")


@strawberry.type(description="The activity recorded.")
class ScrutinyActivityPayload:
    activity: ScrutinyActivity = strawberry.field(description="The activity.")


@strawberry.input(description="A recommendation of a scrutiny report.")
class RecommendationInput:
    text: str = strawberry.field(description="The recommendation.")
    addressed_to: str | None = strawberry.field(default=None, description="To whom it is addressed.")


@strawberry.input(description="A scrutiny report with its findings and recommendations.")
class PublishScrutinyReportInput:
    partnership_code: str = strawberry.field(description="The partnership.")
    title: str = strawberry.field(description="The report's title.")
    published_on: dt.date = strawberry.field(description="When it was issued.")
    summary: str | None = strawberry.field(default=None, description="Summary.")
    findings: list[str] = strawberry.field(default_factory=list, description="The findings, in order.")
    recommendations: list[RecommendationInput] = strawberry.field(
        default_factory=list, description="The recommendations, in order.")


@strawberry.type(description="The report recorded.")
class ScrutinyReportPayload:
    report: ScrutinyReport = strawberry.field(description="The report.")


@strawberry.input(description="The partnership's response to a recommendation.")
class RespondToRecommendationInput:
    recommendation_id: strawberry.ID = strawberry.field(description="The recommendation.")
    response: RecommendationResponse = strawberry.field(description="ACCEPTED, REJECTED (with a reason) or IN_PROGRESS.")
    reason: str | None = strawberry.field(default=None, description="Why; required to reject.")


@strawberry.type(description="The recommendation with its response.")
class RecommendationPayload:
    recommendation: ScrutinyRecommendation = strawberry.field(description="The recommendation.")


ScrutinyAppointmentResult = result_union("ScrutinyAppointmentResult", ScrutinyAppointmentPayload, "The appointment")
ScrutinyActivityResult = result_union("ScrutinyActivityResult", ScrutinyActivityPayload, "The activity")
ScrutinyReportResult = result_union("ScrutinyReportResult", ScrutinyReportPayload, "The report")
RecommendationResult = Annotated[
    RecommendationPayload | UserErrors,
    strawberry.union("RecommendationResult", description="The recommendation, or why the response was refused."),
]


def _opt(gid, expected: str, field: str) -> int | None:
    return None if gid is None else decode_id(gid, expected, field)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Raise a dispute (any member-level role of the partnership). It starts at the "
                                     "first stage of the partnership's ladder for its kind.")
    async def raise_dispute(self, info: Info, input: Annotated[RaiseDisputeInput, strawberry.argument(description="A dispute to raise: by a seat or an agency, about another agency and/or a decision.")]) -> DisputeResult:
        async def action(session, principal):
            d = await svc.raise_dispute(
                session, principal, info.context.registry, partnership_code=input.partnership_code,
                kind=input.kind, summary=input.summary,
                raised_by_seat_id=_opt(input.raised_by_seat_id, "Seat", "raisedBySeatId"),
                raised_by_agency_id=_opt(input.raised_by_agency_id, "Agency", "raisedByAgencyId"),
                about_agency_id=_opt(input.about_agency_id, "Agency", "aboutAgencyId"),
                subject_decision_ref=input.subject_decision_ref,
            )
            return DisputePayload(dispute=Dispute.from_row(d))

        return await run_write(info, action)

    @strawberry.mutation(description="Escalate a dispute one stage up its ladder (a statutory partner, the "
                                     "business unit, an administrator; the scrutineer from its own stage).")
    async def escalate_dispute(self, info: Info, input: Annotated[EscalateDisputeInput, strawberry.argument(description="Escalate an unresolved dispute to the next stage of its ladder.")]) -> DisputeResult:
        async def action(session, principal):
            d = await svc.escalate_dispute(
                session, principal, info.context.registry, dispute_id=decode_id(input.dispute_id, "Dispute", "disputeId"),
                to_stage=input.to_stage, notes=input.notes,
            )
            return DisputePayload(dispute=Dispute.from_row(d))

        return await run_write(info, action)

    @strawberry.mutation(description="Record how a dispute ended at its current stage (the stage's own actor — "
                                     "statutory partners or the scrutineer — or the business unit / an administrator).")
    async def resolve_dispute(self, info: Info, input: Annotated[ResolveDisputeInput, strawberry.argument(description="Record how a dispute ended at its current stage.")]) -> DisputeResult:
        async def action(session, principal):
            d = await svc.resolve_dispute(
                session, principal, info.context.registry, dispute_id=decode_id(input.dispute_id, "Dispute", "disputeId"),
                outcome=input.outcome, notes=input.notes,
            )
            return DisputePayload(dispute=Dispute.from_row(d))

        return await run_write(info, action)

    @strawberry.mutation(description="Withdraw an open dispute (whoever raised it, the business unit or an administrator).")
    async def withdraw_dispute(self, info: Info, input: Annotated[WithdrawDisputeInput, strawberry.argument(description="Withdraw an open dispute.")]) -> DisputeResult:
        async def action(session, principal):
            d = await svc.withdraw_dispute(
                session, principal, dispute_id=decode_id(input.dispute_id, "Dispute", "disputeId"), notes=input.notes)
            return DisputePayload(dispute=Dispute.from_row(d))

        return await run_write(info, action)

    @strawberry.mutation(description="Record the independent scrutineer's appointment (business unit or administrator).")
    async def appoint_scrutineer(self, info: Info, input: Annotated[AppointScrutineerInput, strawberry.argument(description="The appointment of the independent scrutineer.")]) -> ScrutinyAppointmentResult:
        async def action(session, principal):
            a = await svc.appoint_scrutineer(
                session, principal, partnership_code=input.partnership_code, scrutineer=input.scrutineer,
                appointed_by=input.appointed_by, appointed_from=input.appointed_from,
                appointed_until=input.appointed_until, person_code=input.person_code, source=input.source,
            )
            return ScrutinyAppointmentPayload(appointment=ScrutinyAppointment.from_row(a))

        return await run_write(info, action)

    @strawberry.mutation(description="Record a scrutiny activity (the scrutineer, business unit or an administrator).")
    async def record_scrutiny_activity(self, info: Info, input: Annotated[RecordScrutinyActivityInput, strawberry.argument(description="A scrutiny activity.")]) -> ScrutinyActivityResult:
        async def action(session, principal):
            a = await svc.record_scrutiny_activity(
                session, principal, partnership_code=input.partnership_code, kind=input.kind, title=input.title,
                happened_on=input.happened_on, group_id=_opt(input.group_id, "Group", "groupId"), notes=input.notes,
            )
            return ScrutinyActivityPayload(activity=ScrutinyActivity.from_row(a))

        return await run_write(info, action)

    @strawberry.mutation(description="Record a scrutiny report with findings and recommendations (the scrutineer, "
                                     "business unit or an administrator).")
    async def publish_scrutiny_report(self, info: Info, input: Annotated[PublishScrutinyReportInput, strawberry.argument(description="A scrutiny report with its findings and recommendations.")]) -> ScrutinyReportResult:
        async def action(session, principal):
            r = await svc.publish_scrutiny_report(
                session, principal, partnership_code=input.partnership_code, title=input.title,
                published_on=input.published_on, summary=input.summary, findings=list(input.findings),
                recommendations=[svc.RecommendationDraft(r.text, r.addressed_to) for r in input.recommendations],
            )
            return ScrutinyReportPayload(report=ScrutinyReport.from_row(r))

        return await run_write(info, action)

    @strawberry.mutation(description="Record the partnership's response to a recommendation (a statutory partner, "
                                     "business unit or an administrator); a rejection needs a reason.")
    async def respond_to_recommendation(self, info: Info, input: Annotated[RespondToRecommendationInput, strawberry.argument(description="The partnership's response to a recommendation.")]) -> RecommendationResult:
        async def action(session, principal):
            r = await svc.respond_to_recommendation(
                session, principal,
                recommendation_id=decode_id(input.recommendation_id, "ScrutinyRecommendation", "recommendationId"),
                response=input.response, reason=input.reason,
            )
            return RecommendationPayload(recommendation=ScrutinyRecommendation.from_row(r))

        return await run_write(info, action)
