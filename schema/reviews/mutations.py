"""Mutations for reviews: a serious incident through its lifecycle (report → notifications →
rapid review → decision → reviewer → methodology → final report → publication), review
actions, annual reports and the copies sent, plan action status and rolling actions, and the
risk & challenge log. Business unit or administrator only; each write one audit event;
refused writes (bad dates, illegal lifecycle moves, child-identifying text) return a typed
error and write nothing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from core.models import Partnership as PartnershipModel
from core.services import reviews as svc
from schema.mutations.base import decode_id, result_union, run_write
from schema.reviews.types import (
    ActionStatus,
    AnnualReport,
    AnnualReportCopy,
    Incident,
    LearningReviewKind,
    Methodology,
    NotificationTarget,
    PlanAction,
    Rag,
    ReviewAction,
    ReviewDecision,
    RiskEntry,
    RiskRaiser,
)

# ----------------------------------------------------------------------------- inputs


@strawberry.input(description="A serious incident known to the local authority. Never enter a child's name, date of "
                              "birth, address or NHS number: text that looks like one is refused.")
class ReportIncidentInput:
    partnership_code: str = strawberry.field(description="The partnership, e.g. `merton`.")
    case_reference: str = strawberry.field(description="A neutral reference the partnership chooses, e.g. `MSCP-2024-03`.")
    became_aware_on: dt.date = strawberry.field(description="When the local authority became aware of the incident.")


@strawberry.input(description="The Panel (with DfE and Ofsted) or the safeguarding partners were notified.")
class RecordNotificationInput:
    incident_id: strawberry.ID = strawberry.field(description="The incident.")
    target: NotificationTarget = strawberry.field(description="PANEL or PARTNERS.")
    notified_on: dt.date = strawberry.field(description="When.")


@strawberry.input(description="The rapid review was sent to the Panel.")
class RecordRapidReviewInput:
    incident_id: strawberry.ID = strawberry.field(description="The incident.")
    sent_on: dt.date = strawberry.field(description="When it was sent.")


@strawberry.input(description="The decision after the rapid review, with its rationale.")
class RecordReviewDecisionInput:
    incident_id: strawberry.ID = strawberry.field(description="The incident.")
    decision: ReviewDecision = strawberry.field(description="Local, national, another learning review, or none.")
    learning_review_kind: LearningReviewKind | None = strawberry.field(
        default=None, description="For OTHER_LEARNING_REVIEW: single-agency, multi-agency or audit.")
    rationale: str = strawberry.field(description="Why (no child-identifying data).")
    decided_on: dt.date = strawberry.field(description="When it was decided.")


@strawberry.input(description="A local review's reviewer is commissioned.")
class CommissionReviewerInput:
    incident_id: strawberry.ID = strawberry.field(description="The incident.")
    reviewer_name: str = strawberry.field(description="The reviewer's name (published with the report).")
    commissioned_on: dt.date = strawberry.field(description="When commissioned.")
    regulators_informed_on: dt.date | None = strawberry.field(
        default=None, description="When the Panel, Ofsted and DfE were told the reviewer's name.")
    methodology: Methodology | None = strawberry.field(default=None, description="The methodology, if chosen.")
    methodology_other: str | None = strawberry.field(default=None, description="Its name when OTHER.")


@strawberry.input(description="The Panel, Ofsted and DfE were told the reviewer's name.")
class RecordRegulatorsInformedInput:
    incident_id: strawberry.ID = strawberry.field(description="The incident.")
    informed_on: dt.date = strawberry.field(description="When.")


@strawberry.input(description="The review's methodology.")
class ChooseReviewMethodologyInput:
    incident_id: strawberry.ID = strawberry.field(description="The incident.")
    methodology: Methodology = strawberry.field(description="The methodology.")
    methodology_other: str | None = strawberry.field(default=None, description="Its name when OTHER.")


@strawberry.input(description="The final report was received.")
class RecordFinalReportInput:
    incident_id: strawberry.ID = strawberry.field(description="The incident.")
    received_on: dt.date = strawberry.field(description="When.")


@strawberry.input(description="The report was published — or, with a reason, improvement information instead.")
class RecordPublicationInput:
    incident_id: strawberry.ID = strawberry.field(description="The incident.")
    published_on: dt.date = strawberry.field(description="When it was published.")
    public_until: dt.date = strawberry.field(description="Until when it stays public (at least a year).")
    report_published: bool = strawberry.field(default=True, description="False: the report itself was not published.")
    not_published_reason: str | None = strawberry.field(default=None, description="Why not (when not published).")
    published_instead: str | None = strawberry.field(
        default=None, description="The improvement information published instead (when not published).")


@strawberry.input(description="A recommendation of a review and the action agreed.")
class AddReviewActionInput:
    incident_id: strawberry.ID = strawberry.field(description="The incident.")
    recommendation: str = strawberry.field(description="The recommendation.")
    action: str = strawberry.field(description="The action.")
    owner: str = strawberry.field(description="Who owns it.")
    due_on: dt.date = strawberry.field(description="When it is due.")


@strawberry.input(description="A review action's progress.")
class UpdateReviewActionInput:
    action_id: strawberry.ID = strawberry.field(description="The action.")
    status: ActionStatus = strawberry.field(description="Its status.")
    completed_on: dt.date | None = strawberry.field(default=None, description="When completed (COMPLETED only).")


@strawberry.input(description="An annual report was published.")
class RecordAnnualReportInput:
    partnership_code: str = strawberry.field(description="The partnership.")
    period_start: dt.date = strawberry.field(description="First day of the period.")
    period_end: dt.date = strawberry.field(description="Last day of the period.")
    published_on: dt.date = strawberry.field(description="When it was published.")


@strawberry.input(description="A copy of the annual report was sent to its recipient.")
class RecordAnnualReportSentInput:
    copy_id: strawberry.ID = strawberry.field(description="The copy (from `annualReports { copies { id } }`).")
    sent_on: dt.date = strawberry.field(description="When it was sent.")


@strawberry.input(description="A plan action's new Green/Amber/Red status and comment.")
class UpdatePlanActionInput:
    action_id: strawberry.ID = strawberry.field(description="The plan action.")
    status: Rag | None = strawberry.field(description="The new status (null: not rated).")
    comment: str | None = strawberry.field(default=None, description="Progress comment.")
    changed_on: dt.date | None = strawberry.field(default=None, description="When; today if omitted.")
    completed_on: dt.date | None = strawberry.field(default=None, description="When it was completed, if it was.")


@strawberry.input(description="An action agreed at a meeting, for the rolling action plan.")
class AddRollingActionInput:
    partnership_code: str = strawberry.field(description="The partnership.")
    action: str = strawberry.field(description="The action.")
    who: str = strawberry.field(description="Who.")
    due_on: dt.date = strawberry.field(description="When it is due.")
    agreed_on: dt.date | None = strawberry.field(default=None, description="The meeting it was agreed at.")
    outcome: str | None = strawberry.field(default=None, description="The outcome sought.")


@strawberry.input(description="A risk or challenge for the confidential log.")
class AddRiskInput:
    partnership_code: str = strawberry.field(description="The partnership.")
    concern: str = strawberry.field(description="The concern.")
    risks: str = strawberry.field(description="The risks if not resolved.")
    action_required: str = strawberry.field(description="The action required.")
    by_whom: str = strawberry.field(description="By whom.")
    due_on: dt.date = strawberry.field(description="By when.")
    by_when: str | None = strawberry.field(default=None, description="By when, in words, if more than a date.")
    rag: Rag = strawberry.field(description="Red, Amber or Green.")
    raised_by: RiskRaiser = strawberry.field(description="The board, its chair or a sub-group chair.")


@strawberry.input(description="A risk's new rating, or its removal from the log.")
class UpdateRiskInput:
    risk_id: strawberry.ID = strawberry.field(description="The risk.")
    rag: Rag | None = strawberry.field(default=None, description="The new rating.")
    closed_on: dt.date | None = strawberry.field(default=None, description="When it was reduced to an acceptable level.")


# ----------------------------------------------------------------------------- payloads


@strawberry.type(description="The incident as it now stands.")
class IncidentPayload:
    incident: Incident = strawberry.field(description="The incident.")


@strawberry.type(description="The review action as written.")
class ReviewActionPayload:
    action: ReviewAction = strawberry.field(description="The action.")


@strawberry.type(description="The annual report as recorded, with the copies now due.")
class AnnualReportPayload:
    annual_report: AnnualReport = strawberry.field(description="The report.")


@strawberry.type(description="The copy as recorded.")
class AnnualReportCopyPayload:
    copy: AnnualReportCopy = strawberry.field(description="The copy.")


@strawberry.type(description="The plan action as it now stands.")
class PlanActionPayload:
    action: PlanAction = strawberry.field(description="The action.")


@strawberry.type(description="The risk as it now stands.")
class RiskPayload:
    risk: RiskEntry = strawberry.field(description="The risk.")


IncidentResult = result_union("IncidentResult", IncidentPayload)
ReviewActionResult = result_union("ReviewActionResult", ReviewActionPayload)
AnnualReportResult = result_union("AnnualReportResult", AnnualReportPayload)
AnnualReportCopyResult = result_union("AnnualReportCopyResult", AnnualReportCopyPayload)
PlanActionResult = result_union("PlanActionResult", PlanActionPayload)
RiskResult = result_union("RiskResult", RiskPayload)


async def _incident(session, row) -> IncidentPayload:
    code = (await session.get(PartnershipModel, row.partnership_id)).code
    return IncidentPayload(incident=Incident.from_row(row, code))


def _iid(input) -> int:
    return decode_id(input.incident_id, "Incident", "incidentId")


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Record a serious incident known to the local authority (a case reference only: "
                                      "no child-identifying data).")
    async def report_incident(self, info: Info, input: Annotated[ReportIncidentInput, strawberry.argument(description="A serious incident known to the local authority. Never enter a child's name, date of birth, address or NHS number: text that looks like one is refused.")]) -> IncidentResult:
        async def action(session, principal):
            return await _incident(session, await svc.report_incident(
                session, principal, partnership_code=input.partnership_code, case_reference=input.case_reference,
                became_aware_on=input.became_aware_on))

        return await run_write(info, action)

    @strawberry.mutation(description="Record the notification of the Panel or of the safeguarding partners.")
    async def record_incident_notification(self, info: Info, input: Annotated[RecordNotificationInput, strawberry.argument(description="The Panel (with DfE and Ofsted) or the safeguarding partners were notified.")]) -> IncidentResult:
        async def action(session, principal):
            return await _incident(session, await svc.record_notification(
                session, principal, incident_id=_iid(input), target=input.target, notified_on=input.notified_on))

        return await run_write(info, action)

    @strawberry.mutation(description="Record that the rapid review was sent to the Panel.")
    async def record_rapid_review(self, info: Info, input: Annotated[RecordRapidReviewInput, strawberry.argument(description="The rapid review was sent to the Panel.")]) -> IncidentResult:
        async def action(session, principal):
            return await _incident(session, await svc.record_rapid_review(
                session, principal, incident_id=_iid(input), sent_on=input.sent_on))

        return await run_write(info, action)

    @strawberry.mutation(description="Record the decision after the rapid review, with its rationale.")
    async def record_review_decision(self, info: Info, input: Annotated[RecordReviewDecisionInput, strawberry.argument(description="The decision after the rapid review, with its rationale.")]) -> IncidentResult:
        async def action(session, principal):
            return await _incident(session, await svc.record_decision(
                session, principal, incident_id=_iid(input), decision=input.decision, rationale=input.rationale,
                decided_on=input.decided_on, learning_review_kind=input.learning_review_kind))

        return await run_write(info, action)

    @strawberry.mutation(description="Commission a local review's reviewer (and record the Panel, Ofsted and DfE "
                                      "being told the name).")
    async def commission_reviewer(self, info: Info, input: Annotated[CommissionReviewerInput, strawberry.argument(description="A local review's reviewer is commissioned.")]) -> IncidentResult:
        async def action(session, principal):
            return await _incident(session, await svc.commission_reviewer(
                session, principal, incident_id=_iid(input), reviewer_name=input.reviewer_name,
                commissioned_on=input.commissioned_on, regulators_informed_on=input.regulators_informed_on,
                methodology=input.methodology, methodology_other=input.methodology_other))

        return await run_write(info, action)

    @strawberry.mutation(description="Record that the Panel, Ofsted and DfE were told the reviewer's name.")
    async def record_regulators_informed(self, info: Info, input: Annotated[RecordRegulatorsInformedInput, strawberry.argument(description="The Panel, Ofsted and DfE were told the reviewer's name.")]) -> IncidentResult:
        async def action(session, principal):
            return await _incident(session, await svc.record_regulators_informed(
                session, principal, incident_id=_iid(input), informed_on=input.informed_on))

        return await run_write(info, action)

    @strawberry.mutation(description="Choose the review's methodology.")
    async def choose_review_methodology(self, info: Info, input: Annotated[ChooseReviewMethodologyInput, strawberry.argument(description="The review's methodology.")]) -> IncidentResult:
        async def action(session, principal):
            return await _incident(session, await svc.choose_methodology(
                session, principal, incident_id=_iid(input), methodology=input.methodology,
                methodology_other=input.methodology_other))

        return await run_write(info, action)

    @strawberry.mutation(description="Record the final report's receipt.")
    async def record_final_report(self, info: Info, input: Annotated[RecordFinalReportInput, strawberry.argument(description="The final report was received.")]) -> IncidentResult:
        async def action(session, principal):
            return await _incident(session, await svc.record_final_report(
                session, principal, incident_id=_iid(input), received_on=input.received_on))

        return await run_write(info, action)

    @strawberry.mutation(description="Record the publication (or the reason not to publish and what was published "
                                      "instead) and the date until which it stays public.")
    async def record_review_publication(self, info: Info, input: Annotated[RecordPublicationInput, strawberry.argument(description="The report was published — or, with a reason, improvement information instead.")]) -> IncidentResult:
        async def action(session, principal):
            return await _incident(session, await svc.record_publication(
                session, principal, incident_id=_iid(input), published_on=input.published_on,
                public_until=input.public_until, report_published=input.report_published,
                not_published_reason=input.not_published_reason, published_instead=input.published_instead))

        return await run_write(info, action)

    @strawberry.mutation(description="Add a recommendation and its action to a review.")
    async def add_review_action(self, info: Info, input: Annotated[AddReviewActionInput, strawberry.argument(description="A recommendation of a review and the action agreed.")]) -> ReviewActionResult:
        async def action(session, principal):
            row = await svc.add_review_action(
                session, principal, incident_id=_iid(input), recommendation=input.recommendation,
                action=input.action, owner=input.owner, due_on=input.due_on)
            return ReviewActionPayload(action=ReviewAction.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Update a review action's status.")
    async def update_review_action(self, info: Info, input: Annotated[UpdateReviewActionInput, strawberry.argument(description="A review action's progress.")]) -> ReviewActionResult:
        async def action(session, principal):
            row = await svc.update_review_action(
                session, principal, action_id=decode_id(input.action_id, "ReviewAction", "actionId"),
                status=input.status, completed_on=input.completed_on)
            return ReviewActionPayload(action=ReviewAction.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Record a published annual report; a copy per recipient falls due.")
    async def record_annual_report(self, info: Info, input: Annotated[RecordAnnualReportInput, strawberry.argument(description="An annual report was published.")]) -> AnnualReportResult:
        async def action(session, principal):
            row = await svc.record_annual_report(
                session, principal, info.context.registry, partnership_code=input.partnership_code,
                period_start=input.period_start, period_end=input.period_end, published_on=input.published_on)
            return AnnualReportPayload(annual_report=AnnualReport.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Record that a copy of the annual report was sent.")
    async def record_annual_report_sent(self, info: Info, input: Annotated[RecordAnnualReportSentInput, strawberry.argument(description="A copy of the annual report was sent to its recipient.")]) -> AnnualReportCopyResult:
        async def action(session, principal):
            row = await svc.record_copy_sent(
                session, principal, copy_id=decode_id(input.copy_id, "AnnualReportCopy", "copyId"),
                sent_on=input.sent_on)
            return AnnualReportCopyPayload(copy=AnnualReportCopy.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Set a plan action's Green/Amber/Red status and comment (the history is kept).")
    async def update_plan_action(self, info: Info, input: Annotated[UpdatePlanActionInput, strawberry.argument(description="A plan action's new Green/Amber/Red status and comment.")]) -> PlanActionResult:
        async def action(session, principal):
            row = await svc.update_plan_action(
                session, principal, action_id=decode_id(input.action_id, "PlanAction", "actionId"),
                status=input.status, comment=input.comment, changed_on=input.changed_on,
                completed_on=input.completed_on)
            return PlanActionPayload(action=PlanAction.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Add an action agreed at a meeting to the rolling action plan.")
    async def add_rolling_action(self, info: Info, input: Annotated[AddRollingActionInput, strawberry.argument(description="An action agreed at a meeting, for the rolling action plan.")]) -> PlanActionResult:
        async def action(session, principal):
            row = await svc.add_rolling_action(
                session, principal, partnership_code=input.partnership_code, action=input.action, who=input.who,
                due_on=input.due_on, agreed_on=input.agreed_on, outcome=input.outcome)
            return PlanActionPayload(action=PlanAction.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Add a risk or challenge to the confidential log (the board, its chair or a "
                                      "sub-group chair raises it; the business unit records it).")
    async def add_risk(self, info: Info, input: Annotated[AddRiskInput, strawberry.argument(description="A risk or challenge for the confidential log.")]) -> RiskResult:
        async def action(session, principal):
            row = await svc.add_risk(
                session, principal, partnership_code=input.partnership_code, concern=input.concern,
                risks=input.risks, action_required=input.action_required, by_whom=input.by_whom,
                due_on=input.due_on, by_when=input.by_when, rag=input.rag, raised_by=input.raised_by)
            return RiskPayload(risk=RiskEntry.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Re-rate a risk, or remove it from the log once reduced to an acceptable level.")
    async def update_risk(self, info: Info, input: Annotated[UpdateRiskInput, strawberry.argument(description="A risk's new rating, or its removal from the log.")]) -> RiskResult:
        async def action(session, principal):
            row = await svc.update_risk(
                session, principal, risk_id=decode_id(input.risk_id, "RiskEntry", "riskId"), rag=input.rag,
                closed_on=input.closed_on)
            return RiskPayload(risk=RiskEntry.from_row(row))

        return await run_write(info, action)
