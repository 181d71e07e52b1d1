"""GraphQL types for reviews: serious incidents and practice reviews (members only, no
child-identifying data), review actions, annual reports and their copies, business plans and
the confidential risk & challenge log, the rule answers (timescales, recipients) and the
cross-partnership `overdue` list.

Every relation is read through a per-request DataLoader (``loaders.of(batch)``) over the batch
functions of ``schema.reviews.loaders``, so a request costs one statement per relation whatever
the number of partnerships or items; the types here wrap the rows they answer.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import weakref
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from core.models.reviews import AnnualReport as AnnualReportRow
from core.models.reviews import AnnualReportCopy as CopyRow
from core.models.reviews import BusinessPlan as PlanRow
from core.models.reviews import Incident as IncidentRow
from core.models.reviews import PlanAction as PlanActionRow
from core.models.reviews import ReviewAction as ReviewActionRow
from core.models.reviews import RiskEntry as RiskRow
from core.rules import reviews as rules
from schema.reviews.loaders import (
    actions_by_incident,
    copies_by_report,
    history_by_action,
    incidents_of,
    objectives_by_plan,
    partnership_codes,
    plan_actions_by_plan,
    plan_actions_overdue,
    priorities_by_plan,
    report_copies_late,
    review_actions_overdue,
    risks_overdue,
)
from schema.types.common import Node, Source, described, source_of, to_global_id

if TYPE_CHECKING:  # pragma: no cover
    from schema.structure.types import Partnership

PartnershipRef = Annotated["Partnership", strawberry.lazy("schema.structure.types")]

IncidentStage = described(strawberry.enum(rules.IncidentStage, description="Where a serious incident has got to (WT2018 ch.4 order)."), {
    "KNOWN": "Known to the local authority.",
    "NOTIFIED": "The Child Safeguarding Practice Review Panel has been notified.",
    "RAPID_REVIEW_SENT": "The rapid review has been sent to the Panel.",
    "DECIDED": "Whether to hold a review has been decided, with the rationale.",
    "COMMISSIONED": "A local review's reviewer has been commissioned.",
    "FINAL_REPORT": "The final report has been received.",
    "PUBLISHED": "The report (or information about improvements) has been published.",
})
ReviewDecision = described(strawberry.enum(rules.ReviewDecision, description="The decision after a rapid review."), {
    "LOCAL_REVIEW": "A local child safeguarding practice review.",
    "NATIONAL_REVIEW": "The national Panel will review it.",
    "OTHER_LEARNING_REVIEW": "Another kind of learning review.",
    "NONE": "No review.",
})
LearningReviewKind = described(strawberry.enum(rules.LearningReviewKind, description="The kind of another learning review."), {
    "SINGLE_AGENCY": "A review by one agency.",
    "MULTI_AGENCY": "A review by several agencies together.",
    "AUDIT": "An audit.",
})
Methodology = described(strawberry.enum(rules.Methodology, description="A review methodology (Merton App. 8: DfE-recognised)."), {
    "LEARNING_TOGETHER": "SCIE's Learning Together.",
    "CHILD_PRACTICE_REVIEW": "The Welsh child practice review model.",
    "ROOT_CAUSE_ANALYSIS": "Root cause analysis.",
    "SILP": "Significant Incident Learning Process.",
    "APPRECIATIVE_INQUIRY": "Appreciative inquiry.",
    "OTHER": "Another methodology.",
})
NotificationTarget = described(strawberry.enum(rules.NotificationTarget, description="Who was notified of a serious incident."), {
    "PANEL": "The national Child Safeguarding Practice Review Panel (with the DfE and Ofsted).",
    "PARTNERS": "The safeguarding partners.",
})
ActionStatus = described(strawberry.enum(rules.ActionStatus, description="Progress of a review action."), {
    "OPEN": "Not started.",
    "IN_PROGRESS": "Under way.",
    "COMPLETED": "Done.",
})
Rag = described(strawberry.enum(rules.Rag, description="Green, Amber or Red."), {
    "GREEN": "Green: on track, or low risk.",
    "AMBER": "Amber: at some risk.",
    "RED": "Red: off track, or high risk.",
})
PlanKind = described(strawberry.enum(rules.PlanKind, description="A business plan, or the rolling action plan of agreed actions."), {
    "BUSINESS_PLAN": "A business plan: priorities, objectives and numbered actions.",
    "ROLLING_ACTION_PLAN": "The rolling action plan: actions agreed at meetings, until completed.",
})
RiskRaiser = described(strawberry.enum(rules.RiskRaiser, description="Who added a risk to the risk & challenge log."), {
    "BOARD": "The board, at one of its meetings.",
    "CHAIR": "The board's chair, between meetings.",
    "SUBGROUP_CHAIR": "A sub-group's chair.",
})
OverdueKind = described(strawberry.enum(rules.OverdueKind, description="The kind of late item."), {
    "PANEL_NOTIFICATION_LATE": "A serious incident not notified to the national Panel in time.",
    "PARTNER_NOTIFICATION_LATE": "A serious incident not notified to the safeguarding partners in time.",
    "RAPID_REVIEW_PENDING": "A rapid review not sent to the Panel in time.",
    "REVIEW_PAST_TARGET": "A practice review past its target date.",
    "PUBLICATION_TOO_SHORT": "A review report whose publication ends before its minimum period.",
    "ANNUAL_REPORT_COPY_LATE": "A copy of the annual report not sent to a recipient within its days.",
    "REVIEW_ACTION_OVERDUE": "A practice review's action past its due date.",
    "PLAN_ACTION_OVERDUE": "A business or rolling plan's action past its due date.",
    "RISK_ACTION_OVERDUE": "A risk log entry's action past its due date.",
})


def timescales(info: Info, code: str) -> rules.ReviewTimescales:
    return info.context.registry.rules_for(code).review_timescales()


def recipients_rule(info: Info, code: str) -> rules.AnnualReportRecipients:
    return info.context.registry.rules_for(code).annual_report_recipients()


# ----------------------------------------------------------------------------- rule answers


@strawberry.type(description="The deadlines a partnership's serious incidents and practice reviews are held to.")
class ReviewTimescales:
    panel_notification_working_days: int = strawberry.field(description="Working days from becoming aware to notifying the Panel.")
    partner_notification_working_days: int = strawberry.field(description="Working days to report to the safeguarding partners.")
    notification_source: Source = strawberry.field(description="Where the notification deadlines come from.")
    rapid_review_working_days: int = strawberry.field(description="Working days from the Panel notification to the rapid review.")
    rapid_review_source: Source = strawberry.field(description="Where the rapid-review deadline comes from.")
    review_completion_months: int | None = strawberry.field(description="Months from commissioning to complete a local review; null: no target.")
    completion_source: Source = strawberry.field(description="Where the completion target (or its absence) comes from.")
    minimum_publication_months: int = strawberry.field(description="Months a published report must stay public, at least.")
    publication_source: Source = strawberry.field(description="Where the publication rule comes from.")
    rapid_review_group_code: str | None = strawberry.field(description="Code of the group that is the nucleus of rapid reviews, where named.")
    rapid_review_group_source: Source | None = strawberry.field(description="Where that group is named.")
    reasons: list[str] = strawberry.field(description="The rules in words.")

    @classmethod
    def of(cls, t: rules.ReviewTimescales) -> ReviewTimescales:
        return cls(
            panel_notification_working_days=t.panel_notification_working_days,
            partner_notification_working_days=t.partner_notification_working_days,
            notification_source=source_of(t.notification_source),
            rapid_review_working_days=t.rapid_review_working_days, rapid_review_source=source_of(t.rapid_review_source),
            review_completion_months=t.review_completion_months, completion_source=source_of(t.completion_source),
            minimum_publication_months=t.minimum_publication_months, publication_source=source_of(t.publication_source),
            rapid_review_group_code=t.rapid_review_group, rapid_review_group_source=source_of(t.rapid_review_group_source),
            reasons=list(t.reasons),
        )


@strawberry.type(description="Who must receive a copy of the annual report, and how soon after publication.")
class AnnualReportRecipientsRule:
    recipients: list[str] = strawberry.field(description="Each recipient, as the document names it.")
    within_days: int = strawberry.field(description="Days after publication by which each copy is due.")
    reasons: list[str] = strawberry.field(description="The rule in words.")
    source: Source = strawberry.field(description="Where the rule comes from.")
    publication: list[str] = strawberry.field(description="Where the report is published, as the document says; "
                                                          "empty where it is silent.")
    publication_source: Source | None = strawberry.field(description="Where the publication rule comes from.")
    sign_off: str | None = strawberry.field(description="Who signs the report off, where the document says.")
    sign_off_source: Source | None = strawberry.field(description="Where the sign-off rule comes from.")
    contents: list[str] = strawberry.field(description="What the report must contain, as the document lists it.")
    contents_source: Source | None = strawberry.field(description="Where the contents rule comes from.")
    recipients_without_deadline: list[str] = strawberry.field(
        description="Recipients the document names with no time for their copy: no due date is invented for them.")
    recipients_without_deadline_source: Source | None = strawberry.field(
        description="Where those recipients are named.")

    @classmethod
    def of(cls, r: rules.AnnualReportRecipients) -> AnnualReportRecipientsRule:
        return cls(recipients=list(r.recipients), within_days=r.within_days, reasons=list(r.reasons),
                   source=source_of(r.source), publication=list(r.publication),
                   publication_source=source_of(r.publication_source), sign_off=r.sign_off,
                   sign_off_source=source_of(r.sign_off_source), contents=list(r.contents),
                   contents_source=source_of(r.contents_source),
                   recipients_without_deadline=list(r.undated_recipients),
                   recipients_without_deadline_source=source_of(r.undated_source))


@strawberry.type(description="Whether a review is past its completion target on a date, and why.")
class TargetRuling:
    past_target: bool = strawberry.field(description="True when the review is (or was completed) past its target.")
    target: dt.date | None = strawberry.field(description="The target date; null where no target applies.")
    reasons: list[str] = strawberry.field(description="Why, in words.")
    source: Source = strawberry.field(description="Where the target (or its absence) comes from.")


# ----------------------------------------------------------------------------- incidents


def incident_dates(r: IncidentRow) -> rules.IncidentDates:
    return rules.IncidentDates(
        became_aware_on=r.became_aware_on, panel_notified_on=r.panel_notified_on,
        partners_notified_on=r.partners_notified_on, rapid_review_sent_on=r.rapid_review_sent_on,
        decision=r.decision, commissioned_on=r.commissioned_on, final_report_on=r.final_report_on,
        published_on=r.published_on, public_until=r.public_until)


@strawberry.type(description="A recommendation of a review and the action taken on it.")
class ReviewAction(Node):
    pk: strawberry.Private[int]
    recommendation: str = strawberry.field(description="The recommendation.")
    action: str = strawberry.field(description="The action agreed.")
    owner: str = strawberry.field(description="Who owns it (a post or an agency).")
    due_on: dt.date = strawberry.field(description="When it is due.")
    status: ActionStatus = strawberry.field(description="Open, in progress or completed.")
    completed_on: dt.date | None = strawberry.field(description="When it was completed.")

    @classmethod
    def from_row(cls, r: ReviewActionRow) -> ReviewAction:
        return cls(pk=r.id, recommendation=r.recommendation, action=r.action, owner=r.owner, due_on=r.due_on,
                   status=r.status, completed_on=r.completed_on)


@strawberry.type(description="A serious incident and the practice review that may follow (WT2018 ch.4). Holds no "
                             "child-identifying data: only the partnership's case reference and dates. Members only.")
class Incident(Node):
    pk: strawberry.Private[int]
    row: strawberry.Private[IncidentRow]
    partnership_code: strawberry.Private[str]
    case_reference: str = strawberry.field(description="The reference the partnership chose (never a name).")
    stage: IncidentStage = strawberry.field(description="Where the incident has got to.")
    became_aware_on: dt.date = strawberry.field(description="When the local authority became aware of it.")
    panel_notified_on: dt.date | None = strawberry.field(description="When the Panel (with DfE and Ofsted) was notified.")
    partners_notified_on: dt.date | None = strawberry.field(description="When the safeguarding partners were notified.")
    rapid_review_sent_on: dt.date | None = strawberry.field(description="When the rapid review was sent to the Panel.")
    decision: ReviewDecision | None = strawberry.field(description="The decision after the rapid review.")
    learning_review_kind: LearningReviewKind | None = strawberry.field(description="For another learning review: its kind.")
    decision_rationale: str | None = strawberry.field(description="Why that decision.")
    decided_on: dt.date | None = strawberry.field(description="When it was decided.")
    reviewer_name: str | None = strawberry.field(description="The commissioned reviewer's name.")
    commissioned_on: dt.date | None = strawberry.field(description="When the reviewer was commissioned.")
    regulators_informed_on: dt.date | None = strawberry.field(description="When the Panel, Ofsted and DfE were told the reviewer's name.")
    methodology: Methodology | None = strawberry.field(description="The review's methodology.")
    methodology_other: str | None = strawberry.field(description="The methodology's name when OTHER.")
    final_report_on: dt.date | None = strawberry.field(description="When the final report was received.")
    published_on: dt.date | None = strawberry.field(description="When the report (or improvement information) was published.")
    public_until: dt.date | None = strawberry.field(description="Until when it stays publicly available.")
    report_published: bool | None = strawberry.field(description="True: the report itself was published; false: see the reason.")
    not_published_reason: str | None = strawberry.field(description="Why the report was not published.")
    published_instead: str | None = strawberry.field(description="The improvement information published instead.")

    @classmethod
    def from_row(cls, r: IncidentRow, code: str) -> Incident:
        return cls(
            pk=r.id, row=r, partnership_code=code, case_reference=r.case_reference, stage=r.stage,
            became_aware_on=r.became_aware_on, panel_notified_on=r.panel_notified_on,
            partners_notified_on=r.partners_notified_on, rapid_review_sent_on=r.rapid_review_sent_on,
            decision=r.decision, learning_review_kind=r.learning_review_kind, decision_rationale=r.decision_rationale,
            decided_on=r.decided_on, reviewer_name=r.reviewer_name, commissioned_on=r.commissioned_on,
            regulators_informed_on=r.regulators_informed_on, methodology=r.methodology,
            methodology_other=r.methodology_other, final_report_on=r.final_report_on, published_on=r.published_on,
            public_until=r.public_until, report_published=r.report_published,
            not_published_reason=r.not_published_reason, published_instead=r.published_instead)

    def _deadlines(self, info: Info) -> rules.IncidentDeadlines:
        return rules.incident_deadlines(incident_dates(self.row), timescales(info, self.partnership_code))

    @strawberry.field(description="When the Panel notification is due: 5 working days (England bank holidays skipped) "
                                  "after becoming aware, or as the partnership's rule says.")
    def panel_notification_due(self, info: Info) -> dt.date:
        return self._deadlines(info).panel_notification_due

    @strawberry.field(description="When the notification to the safeguarding partners is due.")
    def partner_notification_due(self, info: Info) -> dt.date:
        return self._deadlines(info).partner_notification_due

    @strawberry.field(description="When the rapid review is due: working days from the Panel notification "
                                  "(from its due date while none is made).")
    def rapid_review_due(self, info: Info) -> dt.date:
        return self._deadlines(info).rapid_review_due

    @strawberry.field(description="When a commissioned review should be complete; null where no target applies.")
    def review_target(self, info: Info) -> dt.date | None:
        return self._deadlines(info).review_target

    @strawberry.field(description="The earliest date publication may end (at least a year after publishing).")
    def minimum_public_until(self, info: Info) -> dt.date | None:
        return self._deadlines(info).minimum_public_until

    @strawberry.field(description="Whether the review is past its completion target on a date, by the partnership's rule.")
    def past_target(self, info: Info, as_of: Annotated[dt.date, strawberry.argument(description="The date to judge on.")]) -> TargetRuling:
        t = timescales(info, self.partnership_code)
        late, reasons = rules.past_target(incident_dates(self.row), t, as_of)
        return TargetRuling(past_target=late, target=self._deadlines(info).review_target, reasons=list(reasons),
                            source=source_of(t.completion_source))

    @strawberry.field(description="Every way the incident is late on a date (notifications, rapid review, target, publication).")
    def late_items(self, info: Info, as_of: Annotated[dt.date, strawberry.argument(description="The date to judge on.")]) -> list[OverdueKind]:
        return [x.kind for x in rules.incident_lateness(incident_dates(self.row), timescales(info, self.partnership_code), as_of)]

    @strawberry.field(description="Recommendations and actions arising, with owners, due dates and status.")
    async def actions(self, info: Info) -> list[ReviewAction]:
        rows = await info.context.loaders.of(actions_by_incident).load(self.pk)
        return [ReviewAction.from_row(r) for r in rows]


# ----------------------------------------------------------------------------- annual reports


@strawberry.type(description="A copy of the annual report due to one recipient.")
class AnnualReportCopy(Node):
    pk: strawberry.Private[int]
    recipient: str = strawberry.field(description="Who receives it.")
    due_on: dt.date = strawberry.field(description="When it is due (within the rule's days of publication).")
    sent_on: dt.date | None = strawberry.field(description="When it was sent; null while not sent.")

    @strawberry.field(description="True when sent by its due date; false when sent late; null while not sent.")
    def sent_on_time(self) -> bool | None:
        return None if self.sent_on is None else self.sent_on <= self.due_on

    @classmethod
    def from_row(cls, r: CopyRow) -> AnnualReportCopy:
        return cls(pk=r.id, recipient=r.recipient, due_on=r.due_on, sent_on=r.sent_on)


@strawberry.type(description="An annual report on the effectiveness of the arrangements.")
class AnnualReport(Node):
    pk: strawberry.Private[int]
    period_start: dt.date = strawberry.field(description="First day of the period reported on.")
    period_end: dt.date = strawberry.field(description="Last day of the period reported on.")
    published_on: dt.date = strawberry.field(description="When it was published.")
    recipients_rule: str | None = strawberry.field(description="The rule the recipients were taken from (document and section).")

    @strawberry.field(description="One copy per recipient, each with its due date and the date sent.")
    async def copies(self, info: Info) -> list[AnnualReportCopy]:
        return [AnnualReportCopy.from_row(r) for r in await info.context.loaders.of(copies_by_report).load(self.pk)]

    @classmethod
    def from_row(cls, r: AnnualReportRow) -> AnnualReport:
        return cls(pk=r.id, period_start=r.period_start, period_end=r.period_end, published_on=r.published_on,
                   recipients_rule=r.source_section)


# ----------------------------------------------------------------------------- business plans


@strawberry.type(description="A change of a plan action's Green/Amber/Red status, with its comment.")
class PlanStatusChange:
    status: Rag | None = strawberry.field(description="The status set (null: not rated).")
    comment: str | None = strawberry.field(description="The comment given.")
    changed_on: dt.date = strawberry.field(description="When.")
    actor: str = strawberry.field(description="Who recorded it.")


@strawberry.type(description="An action of a business plan (or of the rolling action plan).")
class PlanAction(Node):
    pk: strawberry.Private[int]
    objective_id: strawberry.Private[int | None]
    number: str | None = strawberry.field(description="The number as printed (e.g. `1.2`); null where the plan prints none.")
    title: str | None = strawberry.field(description="The objective text of the row, where printed.")
    action: str = strawberry.field(description="The action.")
    outcome: str | None = strawberry.field(description="The outcome sought.")
    who: str | None = strawberry.field(description="Who (as printed).")
    when: str | None = strawberry.field(description="When (as printed).")
    due_on: dt.date | None = strawberry.field(description="The due date: the end of the first month named in `when`.")
    status: Rag | None = strawberry.field(description="Green/Amber/Red progress; null while not rated.")
    comments: str | None = strawberry.field(description="Progress comments.")
    completed_on: dt.date | None = strawberry.field(description="When it was completed.")
    source: str | None = strawberry.field(description="Where it comes from.")

    @strawberry.field(description="Every status change, oldest first.")
    async def history(self, info: Info) -> list[PlanStatusChange]:
        rows = await info.context.loaders.of(history_by_action).load(self.pk)
        return [PlanStatusChange(status=r.status, comment=r.comment, changed_on=r.changed_on, actor=r.actor) for r in rows]

    @classmethod
    def from_row(cls, r: PlanActionRow) -> PlanAction:
        return cls(pk=r.id, objective_id=r.objective_id, number=r.number, title=r.title, action=r.action,
                   outcome=r.outcome, who=r.who, when=r.when_text, due_on=r.due_on, status=r.status,
                   comments=r.comments, completed_on=r.completed_on, source=r.source)


@strawberry.type(description="An objective of a business plan and its actions.")
class PlanObjective:
    pk: strawberry.Private[int]
    plan_pk: strawberry.Private[int]
    number: str | None = strawberry.field(description="Its number as printed.")
    title: str = strawberry.field(description="The objective.")

    @strawberry.field(description="Its actions, in the plan's order.")
    async def actions(self, info: Info) -> list[PlanAction]:
        rows = await info.context.loaders.of(plan_actions_by_plan).load(self.plan_pk)
        return [PlanAction.from_row(r) for r in rows if r.objective_id == self.pk]


@strawberry.type(description="A business plan: priorities, objectives and numbered actions with RAG status; or the "
                             "rolling action plan of actions agreed at meetings.")
class BusinessPlan(Node):
    pk: strawberry.Private[int]
    code: str = strawberry.field(description="The plan's code, e.g. `mscb-2014-16`.")
    kind: PlanKind = strawberry.field(description="Business plan or rolling action plan.")
    title: str = strawberry.field(description="Its title.")
    period: str | None = strawberry.field(description="The period it covers, as printed.")
    agreed_on: dt.date | None = strawberry.field(description="When it was agreed.")
    introduction: str | None = strawberry.field(description="Its aim, as printed.")
    source: str | None = strawberry.field(description="Where it comes from.")

    @strawberry.field(description="The priorities for the business year, in order.")
    async def priorities(self, info: Info) -> list[str]:
        return [r.text for r in await info.context.loaders.of(priorities_by_plan).load(self.pk)]

    @strawberry.field(description="The objectives, each with its actions.")
    async def objectives(self, info: Info) -> list[PlanObjective]:
        rows = await info.context.loaders.of(objectives_by_plan).load(self.pk)
        return [PlanObjective(pk=r.id, plan_pk=self.pk, number=r.number, title=r.title) for r in rows]

    @strawberry.field(description="Every action of the plan, in order, optionally only those of one status.")
    async def actions(self, info: Info, status: Annotated[Rag | None, strawberry.argument(description="Only actions with this RAG status.")] = None) -> list[PlanAction]:
        rows = await info.context.loaders.of(plan_actions_by_plan).load(self.pk)
        return [PlanAction.from_row(r) for r in rows if status is None or r.status == status]

    @classmethod
    def from_row(cls, r: PlanRow) -> BusinessPlan:
        return cls(pk=r.id, code=r.code, kind=r.kind, title=r.title, period=r.period, agreed_on=r.agreed_on,
                   introduction=r.introduction, source=r.source)


# ----------------------------------------------------------------------------- risk log


@strawberry.type(description="An entry of the confidential risk & challenge log (partnership members only).")
class RiskEntry(Node):
    pk: strawberry.Private[int]
    number: int = strawberry.field(description="Its number in the log.")
    concern: str = strawberry.field(description="The concern.")
    risks: str = strawberry.field(description="The risks if it is not resolved.")
    action_required: str = strawberry.field(description="The action required.")
    by_whom: str = strawberry.field(description="By whom.")
    by_when: str | None = strawberry.field(description="By when, as recorded.")
    due_on: dt.date | None = strawberry.field(description="The due date (the last date named in `byWhen`).")
    rag: Rag = strawberry.field(description="Red, Amber or Green.")
    raised_by: RiskRaiser = strawberry.field(description="Who added it: the board, its chair or a sub-group chair.")
    closed_on: dt.date | None = strawberry.field(description="When it was reduced to an acceptable level and removed.")
    source: str | None = strawberry.field(description="Where it comes from.")

    @classmethod
    def from_row(cls, r: RiskRow) -> RiskEntry:
        return cls(pk=r.id, number=r.position, concern=r.concern, risks=r.risks, action_required=r.action_required,
                   by_whom=r.by_whom, by_when=r.by_when_text, due_on=r.due_on, rag=r.rag, raised_by=r.raised_by,
                   closed_on=r.closed_on, source=r.source)


# ----------------------------------------------------------------------------- overdue


@strawberry.type(description="Something late on the date asked about, in any partnership.")
class OverdueItem:
    partnership_pk: strawberry.Private[int]
    kind: OverdueKind = strawberry.field(description="What is late.")
    partnership_code: str = strawberry.field(description="The partnership's code.")
    item_id: strawberry.ID = strawberry.field(description="The global ID of the late item (incident, copy, action, risk).")
    due_on: dt.date = strawberry.field(description="When it was due.")
    days_overdue: int = strawberry.field(description="Days between the due date and the date asked about (0 or more).")
    description: str = strawberry.field(description="What is late, in words (never child-identifying).")
    source: Source | None = strawberry.field(description="Where the deadline comes from.")

    @strawberry.field(description="The partnership.")
    async def partnership(self, info: Info) -> PartnershipRef:
        return await info.context.loaders.partnership_by_id.load(self.partnership_pk)


def _item(kind, pid, code, type_name, pk, due, as_of, description, source) -> OverdueItem:
    return OverdueItem(partnership_pk=pid, kind=kind, partnership_code=code, item_id=to_global_id(type_name, pk),
                       due_on=due, days_overdue=max(0, (as_of - due).days), description=description,
                       source=source_of(source))


_OVERDUE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def overdue_items(info: Info, as_of: dt.date) -> asyncio.Future:
    """The late items on ``as_of``, computed once per request (aliases asking for several kinds or
    partnerships share one computation, so a request costs the same statements however asked)."""
    per_request = _OVERDUE.setdefault(info.context.loaders, {})
    task = per_request.get(as_of)
    if task is None:
        task = per_request[as_of] = asyncio.ensure_future(_overdue_items(info, as_of))
    return task


async def _overdue_items(info: Info, as_of: dt.date) -> list[OverdueItem]:
    """Every late item in every partnership the caller may see: one statement per kind of record.

    Incidents, review actions and the risk log are confidential (members only); annual-report
    copies and business-plan actions are public.
    """
    loaders = info.context.loaders
    codes = await partnership_codes(loaders)
    member = loaders.policy.member_partnerships(codes)
    out: list[OverdueItem] = []

    if member:
        for r in await incidents_of(loaders, member):
            code = codes[r.partnership_id]
            for late in rules.incident_lateness(incident_dates(r), timescales(info, code), as_of):
                out.append(_item(late.kind, r.partnership_id, code, "Incident", r.id, late.due_on, as_of,
                                 f"{r.case_reference}: {late.description}", late.source))
        for r in await review_actions_overdue(loaders, member, as_of):
            out.append(_item(rules.OverdueKind.REVIEW_ACTION_OVERDUE, r.partnership_id, codes[r.partnership_id],
                             "ReviewAction", r.id, r.due_on, as_of, f"review action owned by {r.owner}: {r.action}", None))
        for r in await risks_overdue(loaders, member, as_of):
            out.append(_item(rules.OverdueKind.RISK_ACTION_OVERDUE, r.partnership_id, codes[r.partnership_id],
                             "RiskEntry", r.id, r.due_on, as_of, f"risk {r.position} ({r.rag.value}): {r.action_required}",
                             None))

    for r in await report_copies_late(loaders, as_of):
        code = codes[r.partnership_id]
        rule = recipients_rule(info, code)
        what = "sent late" if r.sent_on else "not sent"
        out.append(_item(rules.OverdueKind.ANNUAL_REPORT_COPY_LATE, r.partnership_id, code, "AnnualReportCopy", r.id,
                         r.due_on, as_of, f"annual report copy to {r.recipient} {what}", rule.source))
    for r in await plan_actions_overdue(loaders, as_of):
        label = f"plan action {r.number}" if r.number else "plan action"
        out.append(_item(rules.OverdueKind.PLAN_ACTION_OVERDUE, r.partnership_id, codes[r.partnership_id], "PlanAction",
                         r.id, r.due_on, as_of, f"{label} ({r.who or 'no owner'}): {r.action}", None))
    out.sort(key=lambda i: (i.partnership_code, i.due_on, i.kind.value, i.item_id))
    return out
