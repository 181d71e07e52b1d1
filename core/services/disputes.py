"""Disputes and independent scrutiny: the use cases that write.

Each move of a dispute is checked against its partnership's escalation ladder (the rule
hook ``dispute_escalation_ladder``) and is one transaction with one audit event. A refused
move raises a domain error, so the API returns a typed error and writes nothing.

Disputes are confidential to the partnership's members (every role in ``core.auth.MEMBERS``:
member, statutory partner, business unit, scrutineer, administrator). Who may record which
move is a rule (``core.rules.disputes.may_escalate`` / ``may_resolve``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal
from core.enums import Role
from core.errors import Conflict, InvalidInput, NotAuthorized, NotFound
from core.models import Agency, Group, Partnership, Person, Seat, StatutoryPartner
from core.models.base import utcnow
from core.models.disputes import (
    Dispute,
    DisputeStageChange,
    ScrutinyActivity,
    ScrutinyAppointment,
    ScrutinyRecommendation,
    ScrutinyReport,
)
from core.plugins import PartnershipRules, Registry
from core.rules import disputes as rules
from core.rules.common import PartnerRef
from core.rules.disputes import (
    DisputeKind,
    DisputeMove,
    DisputeOutcome,
    DisputeStatus,
    EscalationLadder,
    RecommendationResponse,
    ScrutinyActivityKind,
)
from core.services import audit, inputs

MAX_TEXT = 5000


# ----------------------------------------------------------------------------- the ladder


# ----------------------------------------------------------------------------- helpers




async def _partnership(session: AsyncSession, code: str) -> Partnership:
    p = await session.scalar(select(Partnership).where(Partnership.code == code))
    if p is None:
        raise NotFound(f"no partnership has code {code!r}", ref="partnershipCode")
    return p


async def _agency(session: AsyncSession, partnership_id: int, agency_id: int, field: str) -> Agency:
    agency = await session.get(Agency, agency_id)
    if agency is None or agency.partnership_id != partnership_id:
        raise NotFound(f"{field}: no agency with that ID in this partnership", ref=field)
    return agency


def dispute_values(d: Dispute) -> dict:
    return {"kind": d.kind, "stage": d.current_stage, "status": d.status, "outcome": d.outcome,
            "about_agency_id": d.about_agency_id, "subject_decision_ref": d.subject_decision_ref}


async def visible_dispute(session: AsyncSession, principal: Principal, dispute_id: int) -> Dispute:
    """The dispute, for a member of its partnership; anyone else is told it does not exist."""
    d = await session.get(Dispute, dispute_id)
    if d is None or not principal.is_member(d.partnership_id):
        raise NotFound(f"no dispute with ID {dispute_id} is visible to you", ref="disputeId")
    return d


async def _next_sequence(session: AsyncSession, dispute_id: int) -> int:
    return await session.scalar(
        select(func.coalesce(func.max(DisputeStageChange.sequence), 0) + 1).where(
            DisputeStageChange.dispute_id == dispute_id))


async def _move(session: AsyncSession, d: Dispute, *, values: dict) -> None:
    """Apply a move only if nobody moved the dispute first (stage and status unchanged)."""
    result = await session.execute(
        update(Dispute)
        .where(Dispute.id == d.id, Dispute.current_stage == d.current_stage, Dispute.status == DisputeStatus.OPEN)
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        raise Conflict("someone else moved this dispute at the same moment; re-read it and try again")


def _closed(d: Dispute) -> Conflict:
    return Conflict(f"the dispute is closed ({d.outcome.value if d.outcome else 'closed'}); "
                    "raise a new dispute if the matter returns")


# ----------------------------------------------------------------------------- disputes


async def _open(
    session: AsyncSession, *, actor: str, role: Role, partnership: Partnership, ladder: EscalationLadder,
    kind: DisputeKind, summary: str, raised_by_seat_id: int | None, raised_by_agency_id: int | None,
    about_agency_id: int | None, subject_decision_ref: str | None, via: str,
) -> Dispute:
    first = ladder.stage(1)
    d = Dispute(
        partnership_id=partnership.id, kind=kind, summary=summary, raised_by_seat_id=raised_by_seat_id,
        raised_by_agency_id=raised_by_agency_id, about_agency_id=about_agency_id,
        subject_decision_ref=subject_decision_ref, raised_by=actor, current_stage=1,
        status=DisputeStatus.OPEN, outcome=None, raised_at=utcnow(),
    )
    session.add(d)
    await session.flush()
    session.add(DisputeStageChange(
        dispute_id=d.id, sequence=1, move=DisputeMove.RAISED, from_stage=None, to_stage=1,
        stage_actor=first.actor, stage_name=first.name, actor=actor, role=role, notes=None, acted_at=d.raised_at,
    ))
    await session.flush()
    await audit.record(
        session, actor=actor, action="dispute.raise", entity_type="Dispute", entity_id=d.id,
        partnership_id=partnership.id, after={**dispute_values(d), "via": via, "must_act": first.who},
        confidential=True,
    )
    return d


async def raise_dispute(
    session: AsyncSession, principal: Principal, registry: Registry, *, partnership_code: str, kind: DisputeKind,
    summary: str, raised_by_seat_id: int | None = None, raised_by_agency_id: int | None = None,
    about_agency_id: int | None = None, subject_decision_ref: str | None = None,
) -> Dispute:
    p = await _partnership(session, partnership_code)
    if not principal.is_member(p.id):
        raise NotAuthorized("Raising a dispute needs a member-level role in that partnership.")
    summary = inputs.text(summary, "summary", MAX_TEXT, required=True, hint="say in a sentence what the matter is")
    subject_decision_ref = inputs.text(subject_decision_ref, "subjectDecisionRef", 200, required=False, hint="say in a sentence what the matter is")
    if raised_by_seat_id is None and raised_by_agency_id is None:
        raise InvalidInput("say who raises the dispute: give raisedBySeatId (a seat of this partnership) or "
                           "raisedByAgencyId", field="raisedBySeatId")
    raising_agency = raised_by_agency_id
    if raised_by_seat_id is not None:
        seat = await session.get(Seat, raised_by_seat_id)
        if seat is None or seat.partnership_id != p.id:
            raise NotFound("raisedBySeatId: no seat with that ID in this partnership", ref="raisedBySeatId")
        if raised_by_agency_id is not None and seat.agency_id not in (None, raised_by_agency_id):
            raise InvalidInput("raisedByAgencyId differs from the raising seat's agency; give one or make them agree",
                               field="raisedByAgencyId")
        raising_agency = raising_agency or seat.agency_id
        raised_by_agency_id = raising_agency
    if raised_by_agency_id is not None:
        await _agency(session, p.id, raised_by_agency_id, "raisedByAgencyId")
    if about_agency_id is None and subject_decision_ref is None:
        raise InvalidInput("say what the dispute is about: aboutAgencyId (another agency of the partnership) "
                           "and/or subjectDecisionRef (the decision challenged)", field="aboutAgencyId")
    if about_agency_id is not None:
        await _agency(session, p.id, about_agency_id, "aboutAgencyId")
        if about_agency_id == raising_agency:
            raise InvalidInput("a dispute is about another agency: aboutAgencyId is the raising agency itself",
                               field="aboutAgencyId")
    ladder = registry.rules_for(p.code, document=p.document_title).ladder(kind=kind)
    return await _open(
        session, actor=principal.actor, role=principal.role_in(p.id), partnership=p, ladder=ladder, kind=kind,
        summary=summary, raised_by_seat_id=raised_by_seat_id, raised_by_agency_id=raised_by_agency_id,
        about_agency_id=about_agency_id, subject_decision_ref=subject_decision_ref, via="raiseDispute",
    )


async def open_funding_default(
    session: AsyncSession, partnership_rules: PartnershipRules, *, actor: str, partnership_id: int, agency_id: int,
    summary: str,
) -> Dispute | None:
    """Open a FUNDING_DEFAULT dispute about an agency whose contribution is overdue — if the
    partnership's rules say a default triggers the dispute process (Lewisham, "Operational
    Activity and Management – Funding"); otherwise (the WT2018 baseline) return ``None``.

    The funding domain calls this inside its own transaction, so it writes through ``session``
    and does not commit; the dispute's opening is its own (confidential) audit event.
    The rule asked is the funding hook ``funding_default_action`` (one hook answers "does a
    default open a dispute?", so the funding domain and this function cannot disagree).
    """
    p = await session.get(Partnership, partnership_id)
    if p is None:
        raise NotFound(f"no partnership with ID {partnership_id}", ref="partnershipId")
    agency = await _agency(session, p.id, agency_id, "agencyId")
    r = partnership_rules
    sp = await session.scalar(select(StatutoryPartner).where(StatutoryPartner.partnership_id == p.id,
                                                             StatutoryPartner.agency_id == agency.id))
    ref = PartnerRef(code=agency.code, name=agency.name, kind=agency.kind, statutory=sp is not None,
                                   position=sp.position if sp else 0, lead_role=sp.lead_role if sp else None)
    action = r.funding_default_action(agency=ref)
    if not action.open_dispute:
        return None
    summary = inputs.text(summary, "summary", MAX_TEXT, required=True, hint="say in a sentence what the matter is")
    return await _open(
        session, actor=actor, role=Role.BUSINESS_UNIT, partnership=p, ladder=r.ladder(kind=DisputeKind.FUNDING_DEFAULT),
        kind=DisputeKind.FUNDING_DEFAULT, summary=summary, raised_by_seat_id=None, raised_by_agency_id=None,
        about_agency_id=agency.id, subject_decision_ref=None, via=f"funding default ({action.source})",
    )


async def escalate_dispute(
    session: AsyncSession, principal: Principal, registry: Registry, *, dispute_id: int,
    to_stage: int | None = None, notes: str | None = None,
) -> Dispute:
    d = await visible_dispute(session, principal, dispute_id)
    if d.status != DisputeStatus.OPEN:
        raise _closed(d)
    p = await session.get(Partnership, d.partnership_id)
    ladder = registry.rules_for(p.code, document=p.document_title).ladder(kind=d.kind)
    here = ladder.stage(d.current_stage)
    role = principal.role_in(p.id)
    if here is not None and not rules.may_escalate(role, here):
        raise NotAuthorized(f"Your role ({role.value}) may not escalate a dispute from {here.name}.")
    target = d.current_stage + 1 if to_stage is None else to_stage
    if target < 1 or target > len(ladder.stages) + 1:
        raise InvalidInput(f"toStage must be a stage of the ladder, 1 to {len(ladder.stages)}", field="toStage")
    ruling = rules.check_escalation(ladder, d.current_stage, target)
    if not ruling.allowed:
        raise Conflict(ruling.problem or "that move is not on the ladder")
    notes = inputs.text(notes, "notes", MAX_TEXT, required=False, hint="say in a sentence what the matter is")
    before = dispute_values(d)
    nxt = ladder.stage(target)
    sequence = await _next_sequence(session, d.id)
    await _move(session, d, values={"current_stage": target})
    session.add(DisputeStageChange(
        dispute_id=d.id, sequence=sequence, move=DisputeMove.ESCALATED, from_stage=before["stage"], to_stage=target,
        stage_actor=nxt.actor, stage_name=nxt.name, action=rules.DisputeAction.ESCALATE, actor=principal.actor,
        role=role, notes=notes, acted_at=utcnow(),
    ))
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="dispute.escalate", entity_type="Dispute", entity_id=d.id,
        partnership_id=p.id, before=before, after={**dispute_values(d), "must_act": nxt.who, "notes": notes},
        confidential=True,
    )
    return d


async def resolve_dispute(
    session: AsyncSession, principal: Principal, registry: Registry, *, dispute_id: int,
    outcome: DisputeOutcome, notes: str | None = None,
) -> Dispute:
    d = await visible_dispute(session, principal, dispute_id)
    if d.status != DisputeStatus.OPEN:
        raise _closed(d)
    p = await session.get(Partnership, d.partnership_id)
    ladder = registry.rules_for(p.code, document=p.document_title).ladder(kind=d.kind)
    here = ladder.stage(d.current_stage)
    if here is None:
        raise Conflict(f"the dispute is at stage {d.current_stage}, which its ladder no longer has")
    role = principal.role_in(p.id)
    ruling = rules.check_resolution(ladder, d.current_stage, outcome,
                                    by=rules.LadderActor.SCRUTINEER if role == Role.SCRUTINEER else None)
    if not ruling.allowed:
        raise Conflict(ruling.problem or "that outcome is not on the ladder")
    if not rules.may_resolve(role, here, outcome, ladder):
        raise NotAuthorized(f"Your role ({role.value}) may not record the outcome at {here.name}: "
                            f"{here.who} act there.")
    notes = inputs.text(notes, "notes", MAX_TEXT, required=False, hint="say in a sentence what the matter is")
    before = dispute_values(d)
    action = next((a for a, o in rules.OUTCOME_OF.items() if o == outcome and a in here.actions), None)
    if action is None and outcome == DisputeOutcome.REFERRED_OUTSIDE:
        action = rules.DisputeAction.REFER
    disclosure = outcome not in here.outcomes
    sequence = await _next_sequence(session, d.id)
    now = utcnow()
    await _move(session, d, values={"status": DisputeStatus.CLOSED, "outcome": outcome, "closed_at": now})
    by = next((x for x in ladder.disclosures), None) if disclosure else None
    session.add(DisputeStageChange(
        dispute_id=d.id, sequence=sequence, move=DisputeMove.RESOLVED, from_stage=before["stage"],
        to_stage=None, stage_actor=by.actor if by else here.actor, stage_name=here.name, action=action,
        outcome=outcome, actor=principal.actor, role=role, notes=notes, acted_at=now,
    ))
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="dispute.resolve", entity_type="Dispute", entity_id=d.id,
        partnership_id=p.id, before=before,
        after={**dispute_values(d), "reasons": list(ruling.reasons), "source": str(ruling.source), "notes": notes},
        confidential=True,
    )
    return d


async def withdraw_dispute(
    session: AsyncSession, principal: Principal, *, dispute_id: int, notes: str | None = None,
) -> Dispute:
    """The business unit, an administrator or whoever raised it may withdraw an open dispute."""
    d = await visible_dispute(session, principal, dispute_id)
    if d.status != DisputeStatus.OPEN:
        raise _closed(d)
    role = principal.role_in(d.partnership_id)
    if not (principal.can_edit(d.partnership_id) or principal.actor == d.raised_by):
        raise NotAuthorized("Only whoever raised a dispute, the business unit or an administrator may withdraw it.")
    notes = inputs.text(notes, "notes", MAX_TEXT, required=False, hint="say in a sentence what the matter is")
    before = dispute_values(d)
    sequence = await _next_sequence(session, d.id)
    now = utcnow()
    await _move(session, d, values={"status": DisputeStatus.CLOSED, "outcome": DisputeOutcome.WITHDRAWN,
                                    "closed_at": now})
    session.add(DisputeStageChange(
        dispute_id=d.id, sequence=sequence, move=DisputeMove.WITHDRAWN, from_stage=before["stage"], to_stage=None,
        outcome=DisputeOutcome.WITHDRAWN, actor=principal.actor, role=role, notes=notes, acted_at=now,
    ))
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="dispute.withdraw", entity_type="Dispute", entity_id=d.id,
        partnership_id=d.partnership_id, before=before, after={**dispute_values(d), "notes": notes},
        confidential=True,
    )
    return d


# ----------------------------------------------------------------------------- scrutiny

SCRUTINY_RECORDERS = frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.SCRUTINEER})
RESPONDERS = frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.STATUTORY_PARTNER})


async def appoint_scrutineer(
    session: AsyncSession, principal: Principal, *, partnership_code: str, scrutineer: str, appointed_by: str,
    appointed_from: dt.date, appointed_until: dt.date | None = None, person_code: str | None = None,
    source: str | None = None,
) -> ScrutinyAppointment:
    """Record the scrutineer's appointment (business unit or administrator)."""
    p = await _partnership(session, partnership_code)
    if not principal.can_edit(p.id):
        raise NotAuthorized()
    scrutineer = inputs.text(scrutineer, "scrutineer", 300, required=True, hint="say in a sentence what the matter is")
    appointed_by = inputs.text(appointed_by, "appointedBy", 300, required=True, hint="say in a sentence what the matter is")
    source = inputs.text(source, "source", 200, required=False, hint="say in a sentence what the matter is")
    if appointed_until is not None and appointed_until < appointed_from:
        raise InvalidInput("appointedUntil is before appointedFrom; give the end of the appointment, or leave it out",
                           field="appointedUntil")
    person_id = None
    if person_code is not None:
        person_id = await session.scalar(select(Person.id).where(Person.partnership_id == p.id,
                                                                 Person.code == person_code))
        if person_id is None:
            raise NotFound(f"personCode: no published office holder {person_code!r} in this partnership",
                           ref="personCode")
    a = ScrutinyAppointment(partnership_id=p.id, scrutineer=scrutineer, person_id=person_id,
                            appointed_by=appointed_by, appointed_from=appointed_from, appointed_until=appointed_until,
                            source=source, recorded_by=principal.actor, recorded_at=utcnow())
    session.add(a)
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="scrutiny.appoint", entity_type="ScrutinyAppointment",
        entity_id=a.id, partnership_id=p.id,
        after={"scrutineer": scrutineer, "appointed_by": appointed_by, "appointed_from": appointed_from,
               "appointed_until": appointed_until},
    )
    return a


async def record_scrutiny_activity(
    session: AsyncSession, principal: Principal, *, partnership_code: str, kind: ScrutinyActivityKind, title: str,
    happened_on: dt.date, group_id: int | None = None, notes: str | None = None,
) -> ScrutinyActivity:
    """The scrutineer (or the business unit, an administrator) records a scrutiny activity."""
    p = await _partnership(session, partnership_code)
    if not principal.has_role(p.id, SCRUTINY_RECORDERS):
        raise NotAuthorized()
    title = inputs.text(title, "title", 300, required=True, hint="say in a sentence what the matter is")
    notes = inputs.text(notes, "notes", MAX_TEXT, required=False, hint="say in a sentence what the matter is")
    if group_id is not None:
        g = await session.get(Group, group_id)
        if g is None or g.partnership_id != p.id:
            raise NotFound("groupId: no group with that ID in this partnership", ref="groupId")
    a = ScrutinyActivity(partnership_id=p.id, kind=kind, title=title, happened_on=happened_on, group_id=group_id,
                         notes=notes, recorded_by=principal.actor, recorded_at=utcnow())
    session.add(a)
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="scrutiny.activity", entity_type="ScrutinyActivity", entity_id=a.id,
        partnership_id=p.id, after={"kind": kind, "title": title, "happened_on": happened_on, "group_id": group_id},
        confidential=True,
    )
    return a


@dataclass(frozen=True)
class RecommendationDraft:
    text: str
    addressed_to: str | None = None


async def publish_scrutiny_report(
    session: AsyncSession, principal: Principal, *, partnership_code: str, title: str, published_on: dt.date,
    summary: str | None, findings: list[str], recommendations: list[RecommendationDraft],
) -> ScrutinyReport:
    """The scrutineer (or the business unit, an administrator) records a report with its
    findings and recommendations; each recommendation then awaits the partnership's response."""
    p = await _partnership(session, partnership_code)
    if not principal.has_role(p.id, SCRUTINY_RECORDERS):
        raise NotAuthorized()
    title = inputs.text(title, "title", 300, required=True, hint="say in a sentence what the matter is")
    summary = inputs.text(summary, "summary", MAX_TEXT, required=False, hint="say in a sentence what the matter is")
    clean_findings = []
    for i, f in enumerate(findings):
        clean_findings.append(inputs.text(f, f"findings[{i}]", MAX_TEXT, required=True, hint="say in a sentence what the matter is"))
    if len(recommendations) > 200 or len(findings) > 200:
        raise InvalidInput("at most 200 findings and 200 recommendations per report", field="recommendations")
    r = ScrutinyReport(partnership_id=p.id, title=title, published_on=published_on, summary=summary,
                       findings=clean_findings, recorded_by=principal.actor, recorded_at=utcnow())
    session.add(r)
    await session.flush()
    for i, rec in enumerate(recommendations):
        session.add(ScrutinyRecommendation(
            report_id=r.id, partnership_id=p.id, position=i + 1,
            text=inputs.text(rec.text, f"recommendations[{i}].text", MAX_TEXT, required=True, hint="say in a sentence what the matter is"),
            addressed_to=inputs.text(rec.addressed_to, f"recommendations[{i}].addressedTo", 300, required=False, hint="say in a sentence what the matter is"),
        ))
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="scrutiny.report", entity_type="ScrutinyReport", entity_id=r.id,
        partnership_id=p.id,
        after={"title": title, "published_on": published_on, "findings": len(clean_findings),
               "recommendations": len(recommendations)},
        confidential=True,
    )
    return r


async def respond_to_recommendation(
    session: AsyncSession, principal: Principal, *, recommendation_id: int, response: RecommendationResponse,
    reason: str | None = None,
) -> ScrutinyRecommendation:
    """The partnership's response: ACCEPTED, IN_PROGRESS, or REJECTED with a reason. A response
    may be revised (IN_PROGRESS, then ACCEPTED); each revision is one audit event."""
    rec = await session.get(ScrutinyRecommendation, recommendation_id)
    if rec is None or not principal.is_member(rec.partnership_id):
        raise NotFound(f"no recommendation with ID {recommendation_id} is visible to you", ref="recommendationId")
    if not principal.has_role(rec.partnership_id, RESPONDERS):
        raise NotAuthorized("The partnership responds through a statutory partner, the business unit or an "
                            "administrator.")
    reason = inputs.text(reason, "reason", MAX_TEXT, required=False, hint="say in a sentence what the matter is")
    if response == RecommendationResponse.REJECTED and reason is None:
        raise InvalidInput("a rejected recommendation needs a reason: say why the partnership rejects it",
                           field="reason")
    if rec.response == response and rec.response_reason == reason:
        raise Conflict(f"the recommendation already has the response {response.value}")
    before = {"response": rec.response, "reason": rec.response_reason}
    rec.response, rec.response_reason = response, reason
    rec.responded_by, rec.responded_at = principal.actor, utcnow()
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="scrutiny.respond", entity_type="ScrutinyRecommendation",
        entity_id=rec.id, partnership_id=rec.partnership_id, before=before,
        after={"response": response, "reason": reason}, confidential=True,
    )
    return rec
