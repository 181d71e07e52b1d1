"""Funding use cases: budgets (each revision kept), contributions, expenditure, reserves,
recorded host arrangements and the escalation of overdue contributions.

Each function is one use case inside the caller's transaction and records exactly one audit
event when it writes. Bad input raises a :mod:`core.errors` error before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal
from core.errors import InvalidInput, NotAuthorized, NotFound
from core.financial_year import FinancialYear, FinancialYearError
from core.models import Agency, Partnership, StatutoryPartner
from core.models.funding import (
    BudgetRevision,
    Contribution,
    Expenditure,
    HostRecord,
    ReserveBroughtForward,
)
from core.plugins import Registry
from core.rules import funding as rules
from core.rules.common import PartnerRef
from core.rules.funding import ContributionKind, ContributionStatus, HostRole
from core.services import audit, disputes, inputs, locks

#: £1,000,000,000.00 — a guard against typos and overflow, far above any partnership's budget.
MAX_PENCE = 100_000_000_000


def parse_year(text: str, field: str = "financialYear") -> FinancialYear:
    try:
        return FinancialYear.parse(text)
    except FinancialYearError as exc:
        raise InvalidInput(str(exc), field=field) from None


def check_amount(pence: int | None, field: str, *, required: bool = True) -> int | None:
    if pence is None:
        if required:
            raise InvalidInput(f"{field} is required: a whole number of pence (e.g. 1000001 for £10,000.01)", field=field)
        return None
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise InvalidInput(f"{field} must be a whole number of pence", field=field)
    if pence < 0:
        raise InvalidInput(f"{field} must not be negative (got {pence}); amounts are whole pence, 0 or more", field=field)
    if pence > MAX_PENCE:
        raise InvalidInput(f"{field} is more than {rules.format_pence(MAX_PENCE)}; check the amount is in pence", field=field)
    return pence




async def editable_partnership(session: AsyncSession, principal: Principal, code: str) -> Partnership:
    p = await session.scalar(select(Partnership).where(Partnership.code == code))
    if p is None:
        raise NotFound(f"no partnership has code {code!r}", ref="partnershipCode")
    if not principal.can_edit(p.id):
        raise NotAuthorized()
    return p


async def agency_by_code(session: AsyncSession, partnership_id: int, code: str, field: str = "agencyCode") -> Agency:
    agency = await session.scalar(select(Agency).where(Agency.partnership_id == partnership_id, Agency.code == code))
    if agency is None:
        known = (await session.scalars(
            select(Agency.code).where(Agency.partnership_id == partnership_id).order_by(Agency.code)
        )).all()
        raise NotFound(f"no agency with code {code!r} in this partnership; known codes: {', '.join(known)}", ref=field)
    return agency


# ----------------------------------------------------------------------------- budgets


def budget_values(b: BudgetRevision) -> dict:
    return {"financial_year": b.financial_year, "revision": b.revision, "amount_pence": b.amount_pence, "reason": b.reason}


async def set_budget(
    session: AsyncSession, principal: Principal, *, partnership_code: str, financial_year: str,
    amount_pence: int, reason: str | None = None,
) -> BudgetRevision:
    """Set the year's budget, or revise it: a new revision, the earlier ones kept."""
    p = await editable_partnership(session, principal, partnership_code)
    fy = parse_year(financial_year)
    check_amount(amount_pence, "amountPence")
    reason = inputs.text(reason, "reason", 2000, required=False)
    previous = await session.scalar(
        select(BudgetRevision).where(BudgetRevision.partnership_id == p.id, BudgetRevision.financial_year == str(fy))
        .order_by(BudgetRevision.revision.desc()).limit(1)
    )
    revision = BudgetRevision(
        partnership_id=p.id, financial_year=str(fy), revision=(previous.revision + 1) if previous else 1,
        amount_pence=amount_pence, reason=reason, actor=principal.actor,
    )
    session.add(revision)
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="budget.revise" if previous else "budget.set",
        entity_type="BudgetRevision", entity_id=revision.id, partnership_id=p.id,
        before=budget_values(previous) if previous else None, after=budget_values(revision),
    )
    return revision


# ----------------------------------------------------------------------------- contributions


def contribution_values(c: Contribution) -> dict:
    return {
        "agency_id": c.agency_id, "financial_year": c.financial_year, "kind": c.kind, "amount_pence": c.amount_pence,
        "provides": c.provides, "status": c.status, "due_date": c.due_date, "priority": c.priority,
        "note": c.note,
        # Not the default_dispute_id: contribution events are public and disputes confidential; the
        # link is recorded by the (confidential) contribution.escalate_overdue event.
    }


async def record_contribution(
    session: AsyncSession, principal: Principal, *, partnership_code: str, agency_code: str, financial_year: str,
    kind: ContributionKind, amount_pence: int | None = None, provides: list[str] | None = None,
    status: ContributionStatus = ContributionStatus.PLEDGED, due_date: dt.date | None = None,
    priority: str | None = None, note: str | None = None,
) -> Contribution:
    """An agency's contribution: cash (amount required) or in kind (what is provided
    required; its stated value only where one is published)."""
    p = await editable_partnership(session, principal, partnership_code)
    fy = parse_year(financial_year)
    check_amount(amount_pence, "amountPence", required=kind == ContributionKind.CASH)
    items = [i.strip() for i in (provides or []) if i and i.strip()]
    if kind == ContributionKind.IN_KIND and not items:
        raise InvalidInput("an in-kind contribution needs `provides`: what is provided (e.g. accommodation)", field="provides")
    provided = "\n".join(items) or None
    if provided and len(provided) > 4000:
        raise InvalidInput("provides must be at most 4000 characters in all", field="provides")
    priority = inputs.text(priority, "priority", 300, required=False)
    note = inputs.text(note, "note", 2000, required=False)
    agency = await agency_by_code(session, p.id, agency_code)
    c = Contribution(
        partnership_id=p.id, agency_id=agency.id, financial_year=str(fy), kind=kind, amount_pence=amount_pence,
        provides=provided, status=status, due_date=due_date, priority=priority, note=note,
    )
    session.add(c)
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="contribution.create", entity_type="Contribution", entity_id=c.id,
        partnership_id=p.id, after=contribution_values(c),
    )
    return c


async def update_contribution_status(
    session: AsyncSession, principal: Principal, *, contribution_id: int, status: ContributionStatus,
) -> Contribution:
    c = await session.get(Contribution, contribution_id)
    if c is None:
        raise NotFound(f"no contribution with id {contribution_id}", ref="contributionId")
    if not principal.can_edit(c.partnership_id):
        raise NotAuthorized()
    before = contribution_values(c)
    c.status = status
    c.updated_at = dt.datetime.now(dt.UTC)
    await session.flush()
    await audit.record(
        session, actor=principal.actor,
        action="contribution.receive" if status == ContributionStatus.RECEIVED else "contribution.status",
        entity_type="Contribution", entity_id=c.id,
        partnership_id=c.partnership_id, before=before, after=contribution_values(c),
    )
    return c


# ----------------------------------------------------------------------------- expenditure, reserves


async def add_expenditure(
    session: AsyncSession, principal: Principal, *, partnership_code: str, financial_year: str,
    description: str, amount_pence: int,
) -> Expenditure:
    p = await editable_partnership(session, principal, partnership_code)
    fy = parse_year(financial_year)
    check_amount(amount_pence, "amountPence")
    description = inputs.text(description, "description", 300, required=True)
    e = Expenditure(partnership_id=p.id, financial_year=str(fy), description=description, amount_pence=amount_pence)
    session.add(e)
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="expenditure.create", entity_type="Expenditure", entity_id=e.id,
        partnership_id=p.id, after={"financial_year": e.financial_year, "description": description, "amount_pence": amount_pence},
    )
    return e


async def set_reserve_brought_forward(
    session: AsyncSession, principal: Principal, *, partnership_code: str, financial_year: str, amount_pence: int,
    description: str | None = None, transferred_on: dt.date | None = None,
) -> ReserveBroughtForward:
    p = await editable_partnership(session, principal, partnership_code)
    fy = parse_year(financial_year)
    check_amount(amount_pence, "amountPence")
    description = inputs.text(description, "description", 300, required=False)
    r = await session.scalar(select(ReserveBroughtForward).where(
        ReserveBroughtForward.partnership_id == p.id, ReserveBroughtForward.financial_year == str(fy)))
    before = None
    if r is None:
        r = ReserveBroughtForward(partnership_id=p.id, financial_year=str(fy), amount_pence=amount_pence)
        session.add(r)
    else:
        before = {"amount_pence": r.amount_pence, "description": r.description, "transferred_on": r.transferred_on}
    r.amount_pence, r.description, r.transferred_on = amount_pence, description, transferred_on
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="reserve.set", entity_type="ReserveBroughtForward", entity_id=r.id,
        partnership_id=p.id, before=before,
        after={"financial_year": r.financial_year, "amount_pence": amount_pence, "description": description,
               "transferred_on": transferred_on},
    )
    return r


# ----------------------------------------------------------------------------- host arrangements


@dataclass(frozen=True)
class HostLineInput:
    role: HostRole
    agency_code: str | None = None
    post: str | None = None
    duties: tuple[str, ...] = ()


async def record_host_arrangement(
    session: AsyncSession, principal: Principal, *, partnership_code: str, financial_year: str,
    lines: list[HostLineInput], decided_on: dt.date | None = None,
) -> list[HostRecord]:
    """Record who hosts the money in a year; replaces any earlier record for that year."""
    p = await editable_partnership(session, principal, partnership_code)
    fy = parse_year(financial_year)
    if not lines:
        raise InvalidInput("give at least one line (role and agency or post)", field="lines")
    if len(lines) > 20:
        raise InvalidInput("at most 20 lines", field="lines")
    rows = []
    for i, line in enumerate(lines):
        post = inputs.text(line.post, f"lines[{i}].post", 300, required=False)
        if line.agency_code is None and post is None:
            raise InvalidInput(f"lines[{i}]: give the agency, the post, or both", field=f"lines[{i}]")
        agency = await agency_by_code(session, p.id, line.agency_code, f"lines[{i}].agencyCode") if line.agency_code else None
        duties = "\n".join(d.strip() for d in line.duties if d and d.strip()) or None
        if duties and len(duties) > 4000:
            raise InvalidInput(f"lines[{i}].duties: at most 4000 characters in all", field=f"lines[{i}].duties")
        rows.append(HostRecord(partnership_id=p.id, financial_year=str(fy), position=i, role=line.role,
                               agency_id=agency.id if agency else None, post=post, duties=duties, decided_on=decided_on))
    old = (await session.scalars(select(HostRecord).where(
        HostRecord.partnership_id == p.id, HostRecord.financial_year == str(fy)).order_by(HostRecord.position))).all()
    before = [{"role": o.role, "agency_id": o.agency_id, "post": o.post} for o in old] or None
    await session.execute(delete(HostRecord).where(HostRecord.partnership_id == p.id, HostRecord.financial_year == str(fy)))
    session.add_all(rows)
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="host_arrangement.record", entity_type="HostArrangement",
        entity_id=f"{p.id}:{fy}", partnership_id=p.id,
        before={"lines": before} if before else None,
        after={"financial_year": str(fy), "decided_on": decided_on,
               "lines": [{"role": r.role, "agency_id": r.agency_id, "post": r.post} for r in rows]},
    )
    return rows


# ----------------------------------------------------------------------------- overdue contributions


async def partner_refs(session: AsyncSession, partnership_id: int) -> tuple[PartnerRef, ...]:
    """Every agency of the partnership as the plain values hooks receive."""
    agencies = (await session.scalars(select(Agency).where(Agency.partnership_id == partnership_id).order_by(Agency.id))).all()
    sps = {sp.agency_id: sp for sp in (await session.scalars(
        select(StatutoryPartner).where(StatutoryPartner.partnership_id == partnership_id))).all()}
    return tuple(
        PartnerRef(code=a.code, name=a.name, kind=a.kind, statutory=a.id in sps,
                   position=sps[a.id].position if a.id in sps else 1000 + i,
                   lead_role=sps[a.id].lead_role if a.id in sps else None)
        for i, a in enumerate(agencies)
    )


@dataclass(frozen=True)
class Escalation:
    contribution: Contribution
    agency: Agency
    action: rules.FundingDefaultAction
    dispute_id: int | None


async def escalate_overdue_contributions(
    session: AsyncSession, principal: Principal, registry: Registry, *, partnership_code: str, as_of: dt.date,
) -> list[Escalation]:
    """Report every overdue contribution and, where the arrangements say so (Lewisham), open a
    funding-default dispute for it — once: a contribution already escalated is not reopened."""
    p = await editable_partnership(session, principal, partnership_code)
    # Locked before the contributions are read: two escalations at once would both see a
    # contribution with no dispute yet and open two (see core/services/locks.py).
    await locks.locked(session, Partnership, p.id)
    partnership_rules = registry.rules_for(p.code, document=p.document_title)
    refs = {r.code: r for r in await partner_refs(session, p.id)}
    rows = (await session.execute(
        select(Contribution, Agency).join(Agency, Agency.id == Contribution.agency_id)
        .where(Contribution.partnership_id == p.id, Contribution.status != ContributionStatus.RECEIVED,
               Contribution.due_date.is_not(None), Contribution.due_date < as_of)
        .order_by(Contribution.due_date, Contribution.id)
    )).all()
    result: list[Escalation] = []
    opened: list[dict] = []
    for c, agency in rows:
        action = partnership_rules.funding_default_action(agency=refs[agency.code])
        dispute_id = c.default_dispute_id
        if action.open_dispute and dispute_id is None:
            amount = rules.format_pence(c.amount_pence) if c.amount_pence is not None else "an unvalued"
            dispute = await disputes.open_funding_default(
                session, partnership_rules, actor=principal.actor, partnership_id=p.id, agency_id=agency.id,
                summary=(f"{agency.name}: {amount} {c.kind.value.lower().replace('_', '-')} contribution for "
                         f"{c.financial_year} was due on {c.due_date.isoformat()} and is {c.status.value.lower()}, "
                         f"not received, as of {as_of.isoformat()}"),
            )
            dispute_id = getattr(dispute, "id", dispute)
            c.default_dispute_id = dispute_id
            opened.append({"contribution_id": c.id, "agency_id": agency.id, "dispute_id": dispute_id})
        result.append(Escalation(contribution=c, agency=agency, action=action, dispute_id=dispute_id))
    if opened:
        await session.flush()
        await audit.record(
            session, actor=principal.actor, action="contribution.escalate_overdue", entity_type="Contribution",
            entity_id=",".join(str(o["contribution_id"]) for o in opened)[:60], partnership_id=p.id,
            after={"as_of": as_of, "opened": opened},
            confidential=True,  # it opens disputes, which only the partnership's members may see
        )
    return result

