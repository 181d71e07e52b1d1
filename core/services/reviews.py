"""Reviews use cases: serious incidents through their lifecycle, review actions, annual reports
and their copies, business plans (loaded from a plugin's data file; rolling actions; status
changes) and the confidential risk & challenge log.

Each function is one use case inside the caller's transaction and records exactly one audit
event when it writes. Bad input raises :class:`InvalidInput`, an illegal lifecycle move raises
:class:`Conflict`, before anything is written. Incidents hold no child-identifying data: a
case reference chosen by the partnership; text that looks like a name, a date of birth, an
address or an NHS number is refused (:func:`core.rules.reviews.child_data_problem`).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal
from core.errors import Conflict, InvalidInput, NotAuthorized, NotFound
from core.models import Partnership
from core.models.reviews import (
    AnnualReport,
    AnnualReportCopy,
    BusinessPlan,
    Incident,
    PlanAction,
    PlanActionStatusChange,
    PlanObjective,
    PlanPriority,
    ReviewAction,
    RiskEntry,
)
from core.rules import reviews as rules
from core.rules.reviews import (
    STAGE_ORDER,
    ActionStatus,
    IncidentStage,
    LearningReviewKind,
    Methodology,
    NotificationTarget,
    PlanKind,
    Rag,
    ReviewDecision,
    RiskRaiser,
)
from core.services import audit, inputs

ROLLING_PLAN_CODE = "rolling-action-plan"


# ----------------------------------------------------------------------------- helpers




def _date(value: dt.date | None, field: str, *, required: bool = True, not_before: tuple[dt.date | None, str] | None = None,
          today: dt.date | None = None) -> dt.date | None:
    if value is None:
        if required:
            raise InvalidInput(f"{field} is required (a date, e.g. 2024-05-03)", field=field)
        return None
    today = today or dt.date.today()
    if value > today:
        raise InvalidInput(f"{field} {value.isoformat()} is in the future; record it on or after the day it happens",
                           field=field)
    if not_before and not_before[0] is not None and value < not_before[0]:
        raise InvalidInput(f"{field} {value.isoformat()} is before {not_before[1]} ({not_before[0].isoformat()})",
                           field=field)
    return value


async def editable_partnership(session: AsyncSession, principal: Principal, code: str) -> Partnership:
    p = await session.scalar(select(Partnership).where(Partnership.code == code))
    if p is None:
        raise NotFound(f"no partnership has code {code!r}", ref="partnershipCode")
    if not principal.can_edit(p.id):
        raise NotAuthorized()
    return p


async def _editable(session: AsyncSession, principal: Principal, model, pk: int, what: str, ref: str):
    row = await session.get(model, pk)
    # Missing and not-yours read the same, so a denial does not reveal that a record exists.
    if row is None or not principal.can_edit(row.partnership_id):
        raise NotFound(f"no {what} with that ID that you may change", ref=ref)
    return row


def incident_values(i: Incident) -> dict:
    return {c: getattr(i, c) for c in (
        "case_reference", "stage", "became_aware_on", "panel_notified_on", "partners_notified_on",
        "rapid_review_sent_on", "decision", "learning_review_kind", "decision_rationale", "decided_on",
        "reviewer_name", "commissioned_on", "regulators_informed_on", "methodology", "methodology_other",
        "final_report_on", "published_on", "public_until", "report_published", "not_published_reason",
        "published_instead")}


def _require_stage(i: Incident, allowed: set[IncidentStage], move: str) -> None:
    if i.stage not in allowed:
        wanted = " or ".join(sorted(s.value for s in allowed))
        raise Conflict(f"cannot {move}: the incident is at stage {i.stage.value}; this needs stage {wanted}")


async def _write_incident(session, principal, i: Incident, before: dict | None, action: str) -> Incident:
    session.add(i)
    await session.flush()
    await audit.record(session, actor=principal.actor, action=action, entity_type="Incident", entity_id=i.id,
                       partnership_id=i.partnership_id, before=before, after=incident_values(i), confidential=True)
    return i


# ----------------------------------------------------------------------------- incidents


async def report_incident(session: AsyncSession, principal: Principal, *, partnership_code: str,
                          case_reference: str, became_aware_on: dt.date) -> Incident:
    """A serious incident became known to the local authority on ``became_aware_on``."""
    p = await editable_partnership(session, principal, partnership_code)
    ref = (case_reference or "").strip()
    problem = rules.child_data_problem(ref, case_reference=True)
    if problem:
        raise InvalidInput(f"caseReference: {problem}", field="caseReference")
    aware = _date(became_aware_on, "becameAwareOn")
    taken = await session.scalar(select(Incident.id).where(Incident.partnership_id == p.id, Incident.case_reference == ref))
    if taken:
        raise Conflict(f"the case reference {ref!r} is already used in this partnership; choose another")
    i = Incident(partnership_id=p.id, case_reference=ref, stage=IncidentStage.KNOWN, became_aware_on=aware)
    return await _write_incident(session, principal, i, None, "incident.report")


async def record_notification(session: AsyncSession, principal: Principal, *, incident_id: int,
                              target: NotificationTarget, notified_on: dt.date) -> Incident:
    """The Panel (with DfE and Ofsted) or the safeguarding partners were notified."""
    i = await _editable(session, principal, Incident, incident_id, "incident", "incidentId")
    before = incident_values(i)
    on = _date(notified_on, "notifiedOn", not_before=(i.became_aware_on, "the day the incident became known"))
    if target == NotificationTarget.PANEL:
        if i.panel_notified_on is not None:
            raise Conflict(f"the Panel was already notified on {i.panel_notified_on.isoformat()}")
        i.panel_notified_on = on
        if i.stage == IncidentStage.KNOWN:
            i.stage = IncidentStage.NOTIFIED
    else:
        if i.partners_notified_on is not None:
            raise Conflict(f"the safeguarding partners were already notified on {i.partners_notified_on.isoformat()}")
        i.partners_notified_on = on
    return await _write_incident(session, principal, i, before, f"incident.notify.{target.value.lower()}")


async def record_rapid_review(session: AsyncSession, principal: Principal, *, incident_id: int,
                              sent_on: dt.date) -> Incident:
    """The rapid review was sent to the Panel (after the Panel was notified)."""
    i = await _editable(session, principal, Incident, incident_id, "incident", "incidentId")
    before = incident_values(i)
    _require_stage(i, {IncidentStage.NOTIFIED}, "record a rapid review before the Panel is notified, or twice")
    i.rapid_review_sent_on = _date(sent_on, "sentOn", not_before=(i.panel_notified_on, "the Panel notification"))
    i.stage = IncidentStage.RAPID_REVIEW_SENT
    return await _write_incident(session, principal, i, before, "incident.rapid_review")


async def record_decision(session: AsyncSession, principal: Principal, *, incident_id: int, decision: ReviewDecision,
                          rationale: str, decided_on: dt.date,
                          learning_review_kind: LearningReviewKind | None = None) -> Incident:
    """The partners' decision after the rapid review, with its rationale."""
    i = await _editable(session, principal, Incident, incident_id, "incident", "incidentId")
    before = incident_values(i)
    _require_stage(i, {IncidentStage.RAPID_REVIEW_SENT}, "decide on a review")
    if decision == ReviewDecision.OTHER_LEARNING_REVIEW and learning_review_kind is None:
        raise InvalidInput("learningReviewKind is required for OTHER_LEARNING_REVIEW (SINGLE_AGENCY, MULTI_AGENCY "
                           "or AUDIT)", field="learningReviewKind")
    if decision != ReviewDecision.OTHER_LEARNING_REVIEW and learning_review_kind is not None:
        raise InvalidInput("learningReviewKind applies only to OTHER_LEARNING_REVIEW", field="learningReviewKind")
    i.decision_rationale = inputs.text(rationale, "rationale", 5000, required=True, check=rules.child_data_problem)
    i.decided_on = _date(decided_on, "decidedOn", not_before=(i.rapid_review_sent_on, "the rapid review"))
    i.decision, i.learning_review_kind = decision, learning_review_kind
    i.stage = IncidentStage.DECIDED
    return await _write_incident(session, principal, i, before, "incident.decide")


def _methodology(methodology: Methodology | None, other: str | None) -> tuple[Methodology | None, str | None]:
    other = inputs.text(other, "methodologyOther", 300, required=False, check=rules.child_data_problem)
    if methodology == Methodology.OTHER and not other:
        raise InvalidInput("methodologyOther is required when the methodology is OTHER: name it", field="methodologyOther")
    if methodology != Methodology.OTHER and other:
        raise InvalidInput("methodologyOther applies only when the methodology is OTHER", field="methodologyOther")
    return methodology, other


async def commission_reviewer(session: AsyncSession, principal: Principal, *, incident_id: int, reviewer_name: str,
                              commissioned_on: dt.date, regulators_informed_on: dt.date | None = None,
                              methodology: Methodology | None = None, methodology_other: str | None = None) -> Incident:
    """A local review's reviewer is commissioned; the Panel, Ofsted and DfE informed of the name."""
    i = await _editable(session, principal, Incident, incident_id, "incident", "incidentId")
    before = incident_values(i)
    _require_stage(i, {IncidentStage.DECIDED}, "commission a reviewer")
    if i.decision != ReviewDecision.LOCAL_REVIEW:
        raise Conflict(f"a reviewer is commissioned for a LOCAL_REVIEW; the decision was {i.decision.value}")
    i.reviewer_name = inputs.text(reviewer_name, "reviewerName", 300, required=True)
    i.commissioned_on = _date(commissioned_on, "commissionedOn", not_before=(i.decided_on, "the decision"))
    i.regulators_informed_on = _date(regulators_informed_on, "regulatorsInformedOn", required=False,
                                     not_before=(i.commissioned_on, "the commissioning"))
    i.methodology, i.methodology_other = _methodology(methodology, methodology_other)
    i.stage = IncidentStage.COMMISSIONED
    return await _write_incident(session, principal, i, before, "incident.commission")


async def record_regulators_informed(session: AsyncSession, principal: Principal, *, incident_id: int,
                                     informed_on: dt.date) -> Incident:
    i = await _editable(session, principal, Incident, incident_id, "incident", "incidentId")
    before = incident_values(i)
    if i.commissioned_on is None:
        raise Conflict("inform the Panel, Ofsted and DfE of the reviewer once a reviewer is commissioned")
    if i.regulators_informed_on is not None:
        raise Conflict(f"already recorded as informed on {i.regulators_informed_on.isoformat()}")
    i.regulators_informed_on = _date(informed_on, "informedOn", not_before=(i.commissioned_on, "the commissioning"))
    return await _write_incident(session, principal, i, before, "incident.regulators_informed")


async def choose_methodology(session: AsyncSession, principal: Principal, *, incident_id: int,
                             methodology: Methodology, methodology_other: str | None = None) -> Incident:
    i = await _editable(session, principal, Incident, incident_id, "incident", "incidentId")
    before = incident_values(i)
    _require_stage(i, {IncidentStage.COMMISSIONED}, "choose the methodology")
    i.methodology, i.methodology_other = _methodology(methodology, methodology_other)
    return await _write_incident(session, principal, i, before, "incident.methodology")


async def record_final_report(session: AsyncSession, principal: Principal, *, incident_id: int,
                              received_on: dt.date) -> Incident:
    i = await _editable(session, principal, Incident, incident_id, "incident", "incidentId")
    before = incident_values(i)
    _require_stage(i, {IncidentStage.COMMISSIONED}, "record the final report")
    if i.methodology is None:
        raise Conflict("choose the review's methodology before recording its final report")
    i.final_report_on = _date(received_on, "receivedOn", not_before=(i.commissioned_on, "the commissioning"))
    i.stage = IncidentStage.FINAL_REPORT
    return await _write_incident(session, principal, i, before, "incident.final_report")


async def record_publication(session: AsyncSession, principal: Principal, *, incident_id: int, published_on: dt.date,
                             public_until: dt.date, report_published: bool = True,
                             not_published_reason: str | None = None, published_instead: str | None = None) -> Incident:
    """The report is published — or, with a recorded reason, the improvement information instead —
    and stays public until ``public_until`` (at least a year: shorter is flagged by ``overdue``)."""
    i = await _editable(session, principal, Incident, incident_id, "incident", "incidentId")
    before = incident_values(i)
    _require_stage(i, {IncidentStage.FINAL_REPORT}, "record the publication")
    i.published_on = _date(published_on, "publishedOn", not_before=(i.final_report_on, "the final report"))
    if public_until is None or public_until <= i.published_on:
        raise InvalidInput("publicUntil must be after publishedOn (and at least a year after it)", field="publicUntil")
    i.public_until = public_until
    if report_published:
        if not_published_reason or published_instead:
            raise InvalidInput("notPublishedReason and publishedInstead apply only when the report is not published",
                               field="notPublishedReason")
    else:
        i.not_published_reason = inputs.text(not_published_reason, "notPublishedReason", 5000, required=True, check=rules.child_data_problem)
        i.published_instead = inputs.text(published_instead, "publishedInstead", 5000, required=True, check=rules.child_data_problem)
    i.report_published = report_published
    i.stage = IncidentStage.PUBLISHED
    return await _write_incident(session, principal, i, before, "incident.publish")


def action_values(a: ReviewAction) -> dict:
    return {"incident_id": a.incident_id, "recommendation": a.recommendation, "action": a.action, "owner": a.owner,
            "due_on": a.due_on, "status": a.status, "completed_on": a.completed_on}


async def add_review_action(session: AsyncSession, principal: Principal, *, incident_id: int, recommendation: str,
                            action: str, owner: str, due_on: dt.date) -> ReviewAction:
    i = await _editable(session, principal, Incident, incident_id, "incident", "incidentId")
    if STAGE_ORDER[i.stage] < STAGE_ORDER[IncidentStage.DECIDED]:
        raise Conflict("recommendations and actions follow the decision on a review; record the decision first")
    if due_on is None:
        raise InvalidInput("dueOn is required", field="dueOn")
    a = ReviewAction(partnership_id=i.partnership_id, incident_id=i.id,
                     recommendation=inputs.text(recommendation, "recommendation", 5000, required=True, check=rules.child_data_problem),
                     action=inputs.text(action, "action", 5000, required=True, check=rules.child_data_problem),
                     owner=inputs.text(owner, "owner", 300, required=True, check=rules.child_data_problem), due_on=due_on, status=ActionStatus.OPEN)
    session.add(a)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="review_action.add", entity_type="ReviewAction",
                       entity_id=a.id, partnership_id=a.partnership_id, after=action_values(a), confidential=True)
    return a


async def update_review_action(session: AsyncSession, principal: Principal, *, action_id: int, status: ActionStatus,
                               completed_on: dt.date | None = None) -> ReviewAction:
    a = await _editable(session, principal, ReviewAction, action_id, "review action", "actionId")
    before = action_values(a)
    if status == ActionStatus.COMPLETED:
        a.completed_on = _date(completed_on, "completedOn")
    elif completed_on is not None:
        raise InvalidInput("completedOn applies only to a COMPLETED action", field="completedOn")
    else:
        a.completed_on = None
    a.status = status
    await session.flush()
    await audit.record(session, actor=principal.actor, action="review_action.update", entity_type="ReviewAction",
                       entity_id=a.id, partnership_id=a.partnership_id, before=before, after=action_values(a),
                       confidential=True)
    return a


# ----------------------------------------------------------------------------- annual reports


async def record_annual_report(session: AsyncSession, principal: Principal, registry, *, partnership_code: str,
                               period_start: dt.date, period_end: dt.date, published_on: dt.date) -> AnnualReport:
    """An annual report was published; one copy per recipient the partnership names falls due
    within the days its rule gives (hook ``annual_report_recipients``)."""
    p = await editable_partnership(session, principal, partnership_code)
    if period_start is None or period_end is None or period_end <= period_start:
        raise InvalidInput("periodEnd must be after periodStart", field="periodEnd")
    published = _date(published_on, "publishedOn", not_before=(period_start, "the start of the period"))
    taken = await session.scalar(select(AnnualReport.id).where(AnnualReport.partnership_id == p.id,
                                                               AnnualReport.period_start == period_start))
    if taken:
        raise Conflict(f"an annual report for the period from {period_start.isoformat()} is already recorded")
    rule = registry.rules_for(p.code, document=p.document_title).annual_report_recipients()
    report = AnnualReport(partnership_id=p.id, period_start=period_start, period_end=period_end,
                          published_on=published, source_section=str(rule.source))
    session.add(report)
    await session.flush()
    due = published + dt.timedelta(days=rule.within_days)
    for n, recipient in enumerate(rule.recipients):
        session.add(AnnualReportCopy(partnership_id=p.id, report_id=report.id, position=n, recipient=recipient,
                                     due_on=due))
    await session.flush()
    await audit.record(session, actor=principal.actor, action="annual_report.record", entity_type="AnnualReport",
                       entity_id=report.id, partnership_id=p.id,
                       after={"period_start": period_start, "period_end": period_end, "published_on": published,
                              "recipients": list(rule.recipients), "copies_due_on": due})
    return report


async def record_copy_sent(session: AsyncSession, principal: Principal, *, copy_id: int,
                           sent_on: dt.date) -> AnnualReportCopy:
    c = await session.get(AnnualReportCopy, copy_id)
    if c is None or not principal.can_edit(c.partnership_id):
        raise NotFound("no annual-report copy with that ID that you may change", ref="copyId")
    if c.sent_on is not None:
        raise Conflict(f"this copy was already sent on {c.sent_on.isoformat()}")
    report = await session.get(AnnualReport, c.report_id)
    c.sent_on = _date(sent_on, "sentOn", not_before=(report.published_on, "the publication"))
    await session.flush()
    await audit.record(session, actor=principal.actor, action="annual_report.copy_sent", entity_type="AnnualReportCopy",
                       entity_id=c.id, partnership_id=c.partnership_id, before={"sent_on": None},
                       after={"recipient": c.recipient, "sent_on": c.sent_on})
    return c


# ----------------------------------------------------------------------------- business plans


def plan_action_values(a: PlanAction) -> dict:
    return {"number": a.number, "action": a.action, "who": a.who, "when": a.when_text, "due_on": a.due_on,
            "status": a.status, "comments": a.comments, "completed_on": a.completed_on}


async def update_plan_action(session: AsyncSession, principal: Principal, *, action_id: int, status: Rag | None,
                             comment: str | None = None, changed_on: dt.date | None = None,
                             completed_on: dt.date | None = None) -> PlanAction:
    """A new Green/Amber/Red status (and comment) for a plan action; the history is kept."""
    a = await _editable(session, principal, PlanAction, action_id, "plan action", "actionId")
    before = plan_action_values(a)
    on = _date(changed_on or dt.date.today(), "changedOn")
    a.status = status
    a.comments = inputs.text(comment, "comment", 5000, required=False, check=rules.child_data_problem) or a.comments
    if completed_on is not None:
        a.completed_on = _date(completed_on, "completedOn")
    session.add(PlanActionStatusChange(action_id=a.id, status=status, comment=inputs.text(comment, "comment", 5000, required=False, check=rules.child_data_problem),
                                       changed_on=on, actor=principal.actor))
    await session.flush()
    await audit.record(session, actor=principal.actor, action="plan_action.status", entity_type="PlanAction",
                       entity_id=a.id, partnership_id=a.partnership_id, before=before, after=plan_action_values(a))
    return a


async def add_rolling_action(session: AsyncSession, principal: Principal, *, partnership_code: str, action: str,
                             who: str, due_on: dt.date, agreed_on: dt.date | None = None,
                             outcome: str | None = None) -> PlanAction:
    """An action agreed at a meeting, on the partnership's rolling action plan until completed."""
    p = await editable_partnership(session, principal, partnership_code)
    if due_on is None:
        raise InvalidInput("dueOn is required", field="dueOn")
    plan = await session.scalar(select(BusinessPlan).where(BusinessPlan.partnership_id == p.id,
                                                           BusinessPlan.code == ROLLING_PLAN_CODE))
    if plan is None:
        plan = BusinessPlan(partnership_id=p.id, code=ROLLING_PLAN_CODE, kind=PlanKind.ROLLING_ACTION_PLAN,
                            title="Rolling action plan", source="agreed actions from meetings")
        session.add(plan)
        await session.flush()
    position = await session.scalar(select(func.count()).select_from(PlanAction).where(PlanAction.plan_id == plan.id))
    a = PlanAction(partnership_id=p.id, plan_id=plan.id, position=position or 0,
                   action=inputs.text(action, "action", 5000, required=True, check=rules.child_data_problem), outcome=inputs.text(outcome, "outcome", 5000, required=False, check=rules.child_data_problem),
                   who=inputs.text(who, "who", 500, required=True, check=rules.child_data_problem), due_on=due_on,
                   when_text=due_on.isoformat(), source=f"agreed {agreed_on.isoformat()}" if agreed_on else None)
    session.add(a)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="plan_action.add", entity_type="PlanAction",
                       entity_id=a.id, partnership_id=p.id, after=plan_action_values(a))
    return a


# ----------------------------------------------------------------------------- risk & challenge log


def risk_values(r: RiskEntry) -> dict:
    return {"concern": r.concern, "risks": r.risks, "action_required": r.action_required, "by_whom": r.by_whom,
            "by_when": r.by_when_text, "due_on": r.due_on, "rag": r.rag, "raised_by": r.raised_by,
            "closed_on": r.closed_on}


async def add_risk(session: AsyncSession, principal: Principal, *, partnership_code: str, concern: str, risks: str,
                   action_required: str, by_whom: str, due_on: dt.date, rag: Rag, raised_by: RiskRaiser,
                   by_when: str | None = None) -> RiskEntry:
    """An entry on the confidential risk & challenge log, added by the board, its chair or a
    sub-group chair (Merton Business Plan 2014–16) and recorded by the business unit."""
    p = await editable_partnership(session, principal, partnership_code)
    if due_on is None:
        raise InvalidInput("dueOn is required", field="dueOn")
    position = await session.scalar(select(func.count()).select_from(RiskEntry).where(RiskEntry.partnership_id == p.id))
    r = RiskEntry(partnership_id=p.id, position=(position or 0) + 1,
                  concern=inputs.text(concern, "concern", 2000, required=True, check=rules.child_data_problem),
                  risks=inputs.text(risks, "risks", 5000, required=True, check=rules.child_data_problem),
                  action_required=inputs.text(action_required, "actionRequired", 5000, required=True, check=rules.child_data_problem),
                  by_whom=inputs.text(by_whom, "byWhom", 300, required=True, check=rules.child_data_problem),
                  by_when_text=inputs.text(by_when, "byWhen", 300, required=False, check=rules.child_data_problem) or due_on.isoformat(), due_on=due_on, rag=rag,
                  raised_by=raised_by)
    session.add(r)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="risk.add", entity_type="RiskEntry", entity_id=r.id,
                       partnership_id=p.id, after=risk_values(r), confidential=True)
    return r


async def update_risk(session: AsyncSession, principal: Principal, *, risk_id: int, rag: Rag | None = None,
                      closed_on: dt.date | None = None) -> RiskEntry:
    r = await _editable(session, principal, RiskEntry, risk_id, "risk", "riskId")
    before = risk_values(r)
    if rag is None and closed_on is None:
        raise InvalidInput("give a new rag, or closedOn to remove the risk from the log", field="rag")
    if rag is not None:
        r.rag = rag
    if closed_on is not None:
        r.closed_on = _date(closed_on, "closedOn")
    await session.flush()
    await audit.record(session, actor=principal.actor, action="risk.update", entity_type="RiskEntry", entity_id=r.id,
                       partnership_id=r.partnership_id, before=before, after=risk_values(r), confidential=True)
    return r


# ----------------------------------------------------------------------------- loading plan data


async def load_business_plan_file(session: AsyncSession, partnership_id: int, path: Path) -> BusinessPlan | None:
    """Load one transcribed plan (and its risk log) for a partnership; a plan already loaded
    (same code) is left as it is, so loading twice changes nothing. Returns the new plan."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    head = data["plan"]
    exists = await session.scalar(select(BusinessPlan.id).where(BusinessPlan.partnership_id == partnership_id,
                                                                BusinessPlan.code == head["code"]))
    if exists:
        return None
    plan = BusinessPlan(partnership_id=partnership_id, code=head["code"], kind=PlanKind.BUSINESS_PLAN,
                        title=head["title"], period=head.get("period"), agreed_on=head.get("agreed_on"),
                        introduction=head.get("introduction"), source=head.get("source"))
    session.add(plan)
    await session.flush()
    for n, text in enumerate(head.get("priorities", [])):
        session.add(PlanPriority(plan_id=plan.id, position=n, text=text))
    position = 0
    for on, obj in enumerate(data.get("objectives", [])):
        objective = PlanObjective(plan_id=plan.id, position=on, number=obj.get("number"), title=obj["title"])
        session.add(objective)
        await session.flush()
        for act in obj.get("actions", []):
            status = act.get("status")
            session.add(PlanAction(
                partnership_id=partnership_id, plan_id=plan.id, objective_id=objective.id, position=position,
                number=act.get("number"), title=act.get("title"), action=act["action"], outcome=act.get("outcome"),
                who=act.get("who"), when_text=act.get("when"),
                due_on=act.get("due") or (rules.month_end(act["when"]) if act.get("when") else None),
                status=Rag(status) if status else None, comments=act.get("comments"),
                source=act.get("source") or head.get("source")))
            position += 1
    existing = await session.scalar(select(func.count()).select_from(RiskEntry)
                                    .where(RiskEntry.partnership_id == partnership_id))
    for n, risk in enumerate(data.get("risks", []), start=(existing or 0) + 1):
        session.add(RiskEntry(
            partnership_id=partnership_id, position=n, concern=risk["concern"], risks=risk["risks"],
            action_required=risk["action_required"], by_whom=risk["by_whom"], by_when_text=risk.get("by_when"),
            due_on=risk.get("due"), rag=Rag(risk["rag"]), raised_by=RiskRaiser(risk.get("raised_by", "BOARD")),
            source=risk.get("source") or f"{head.get('source')}, Risk & Challenge Log"))
    await session.flush()
    return plan


async def load_business_plans(session: AsyncSession, partnership_rules) -> list[BusinessPlan]:
    """Load every business plan a partnership's plugin provides (hook ``business_plan_files``)
    into the database, for ``partnerships load``: call it after ``load_partnership`` in the same
    transaction. Idempotent. Returns the plans newly loaded."""
    pid = await session.scalar(select(Partnership.id).where(Partnership.code == partnership_rules.code))
    if pid is None:
        raise NotFound(f"partnership {partnership_rules.code!r} is not loaded yet")
    loaded = []
    for path in partnership_rules.business_plan_files():
        plan = await load_business_plan_file(session, pid, path)
        if plan is not None:
            loaded.append(plan)
    return loaded
