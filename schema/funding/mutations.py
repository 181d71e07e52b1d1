"""Mutations for funding: set or revise a budget, record contributions and their status,
expenditure, the reserve brought forward, a host arrangement, and escalate overdue
contributions. Business unit or administrator only; each write one audit event; refused
writes return a typed error and write nothing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from core.models.funding import BudgetRevision as BudgetRow
from core.rules import funding as rules
from core.services import funding as svc
from schema.funding.types import (
    Budget,
    BudgetRevision,
    Contribution,
    ContributionKind,
    ContributionStatus,
    ExpenditureLine,
    FundingYear,
    HostRole,
    Money,
    budget_from_rows,
)
from schema.mutations.base import decode_id, result_union, run_write
from schema.types.common import Source, source_of


@strawberry.input(description="Set a year's budget, or revise it (the earlier revisions are kept).")
class SetBudgetInput:
    partnership_code: str = strawberry.field(description="The partnership, e.g. `sandwell`.")
    financial_year: str = strawberry.field(description="The financial year, written like `2021/22`.")
    amount_pence: int = strawberry.field(description="The budget in pence, 0 or more.")
    reason: str | None = strawberry.field(default=None, description="Why it is set or revised.")


@strawberry.type(description="The budget as it now stands, with every revision.")
class BudgetPayload:
    budget: Budget = strawberry.field(description="The budget.")
    revision: BudgetRevision = strawberry.field(description="The revision just recorded.")


@strawberry.input(description="An agency's contribution for a year.")
class RecordContributionInput:
    partnership_code: str = strawberry.field(description="The partnership.")
    agency_code: str = strawberry.field(description="The contributing agency's code, e.g. `sefton-council`.")
    financial_year: str = strawberry.field(description="The financial year, written like `2021/22`.")
    kind: ContributionKind = strawberry.field(description="CASH or IN_KIND.")
    amount_pence: int | None = strawberry.field(
        default=None, description="Cash: the amount (required). In kind: its stated value, only where one is stated.")
    provides: list[str] | None = strawberry.field(default=None, description="In kind: what is provided (required).")
    status: ContributionStatus = strawberry.field(default=rules.ContributionStatus.PLEDGED, description="Pledged, invoiced or received.")
    due_date: dt.date | None = strawberry.field(default=None, description="When it is due.")
    priority: str | None = strawberry.field(default=None, description="For an additional contribution: the named priority.")
    note: str | None = strawberry.field(default=None, description="Anything else to record.")


@strawberry.input(description="A contribution's new status.")
class UpdateContributionStatusInput:
    contribution_id: strawberry.ID = strawberry.field(description="The contribution's ID.")
    status: ContributionStatus = strawberry.field(description="Pledged, invoiced or received.")


@strawberry.type(description="The contribution as written.")
class ContributionPayload:
    contribution: Contribution = strawberry.field(description="The contribution.")


@strawberry.input(description="A line of spending.")
class AddExpenditureInput:
    partnership_code: str = strawberry.field(description="The partnership.")
    financial_year: str = strawberry.field(description="The financial year, written like `2021/22`.")
    description: str = strawberry.field(description="What the money is spent on.")
    amount_pence: int = strawberry.field(description="How much, in pence.")


@strawberry.type(description="The expenditure line as written.")
class ExpenditurePayload:
    expenditure: ExpenditureLine = strawberry.field(description="The line.")


@strawberry.input(description="The reserve a year starts with.")
class SetReserveInput:
    partnership_code: str = strawberry.field(description="The partnership.")
    financial_year: str = strawberry.field(description="The financial year, written like `2021/22`.")
    amount_pence: int = strawberry.field(description="The reserve brought forward, in pence.")
    description: str | None = strawberry.field(default=None, description="What it is, e.g. the LSCB reserve.")
    transferred_on: dt.date | None = strawberry.field(default=None, description="When it was transferred in.")


@strawberry.type(description="The year's funding after the change.")
class FundingYearPayload:
    funding: FundingYear = strawberry.field(description="The year's funding.")


@strawberry.input(description="One role in a host arrangement.")
class HostLineInput:
    role: HostRole = strawberry.field(description="The role.")
    agency_code: str | None = strawberry.field(default=None, description="The agency holding it.")
    post: str | None = strawberry.field(default=None, description="The post holding it.")
    duties: list[str] | None = strawberry.field(default=None, description="What the role does.")


@strawberry.input(description="Record who hosts the money in a year (replaces an earlier record for that year).")
class RecordHostArrangementInput:
    partnership_code: str = strawberry.field(description="The partnership.")
    financial_year: str = strawberry.field(description="The financial year, written like `2020/21`.")
    lines: list[HostLineInput] = strawberry.field(description="Each role and who holds it.")
    decided_on: dt.date | None = strawberry.field(default=None, description="When the partners decided it.")


@strawberry.input(description="Report overdue contributions and act on them as the arrangements say.")
class EscalateOverdueInput:
    partnership_code: str = strawberry.field(description="The partnership.")
    as_of: dt.date | None = strawberry.field(default=None, description="The day to judge by; today if omitted.")


@strawberry.type(description="An overdue contribution and what was done.")
class EscalatedContribution:
    contribution: Contribution = strawberry.field(description="The contribution.")
    amount: Money | None = strawberry.field(description="Its amount.")
    dispute_opened: bool = strawberry.field(description="A funding-default dispute is open for it.")
    dispute_id: int | None = strawberry.field(description="The dispute's number, where one was opened.")
    reasons: list[str] = strawberry.field(description="What follows, in plain language.")
    source: Source = strawberry.field(description="Where the rule comes from.")


@strawberry.type(description="Every overdue contribution, reported, with any disputes opened.")
class EscalationPayload:
    overdue: list[EscalatedContribution] = strawberry.field(description="The overdue contributions.")


BudgetResult = result_union("SetBudgetResult", BudgetPayload)
ContributionResult = result_union("ContributionResult", ContributionPayload)
ExpenditureResult = result_union("ExpenditureResult", ExpenditurePayload)
FundingYearResult = result_union("FundingYearResult", FundingYearPayload)
EscalationResult = result_union("EscalationResult", EscalationPayload)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Set a year's budget, or revise it; every earlier revision is kept (Sandwell §24).")
    async def set_budget(self, info: Info, input: Annotated[SetBudgetInput, strawberry.argument(description="Set a year's budget, or revise it (the earlier revisions are kept).")]) -> BudgetResult:
        async def action(session, principal):
            row = await svc.set_budget(
                session, principal, partnership_code=input.partnership_code, financial_year=input.financial_year,
                amount_pence=input.amount_pence, reason=input.reason,
            )
            rows = (await session.scalars(select(BudgetRow).where(
                BudgetRow.partnership_id == row.partnership_id, BudgetRow.financial_year == row.financial_year))).all()
            return BudgetPayload(budget=budget_from_rows(row.financial_year, list(rows)), revision=BudgetRevision.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Record an agency's contribution for a year: cash, or in kind.")
    async def record_contribution(self, info: Info, input: Annotated[RecordContributionInput, strawberry.argument(description="An agency's contribution for a year.")]) -> ContributionResult:
        async def action(session, principal):
            row = await svc.record_contribution(
                session, principal, partnership_code=input.partnership_code, agency_code=input.agency_code,
                financial_year=input.financial_year, kind=input.kind, amount_pence=input.amount_pence,
                provides=input.provides, status=input.status, due_date=input.due_date, priority=input.priority,
                note=input.note,
            )
            return ContributionPayload(contribution=Contribution.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Move a contribution to pledged, invoiced or received.")
    async def update_contribution_status(self, info: Info, input: Annotated[UpdateContributionStatusInput, strawberry.argument(description="A contribution's new status.")]) -> ContributionResult:
        async def action(session, principal):
            row = await svc.update_contribution_status(
                session, principal, contribution_id=decode_id(input.contribution_id, "Contribution", "contributionId"),
                status=input.status,
            )
            return ContributionPayload(contribution=Contribution.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Add a line of expenditure to a year.")
    async def add_expenditure(self, info: Info, input: Annotated[AddExpenditureInput, strawberry.argument(description="A line of spending.")]) -> ExpenditureResult:
        async def action(session, principal):
            row = await svc.add_expenditure(
                session, principal, partnership_code=input.partnership_code, financial_year=input.financial_year,
                description=input.description, amount_pence=input.amount_pence,
            )
            return ExpenditurePayload(expenditure=ExpenditureLine.from_row(row))

        return await run_write(info, action)

    @strawberry.mutation(description="Set the reserve a year starts with (e.g. Sefton's LSCB reserve, 1 October 2021).")
    async def set_reserve_brought_forward(self, info: Info, input: Annotated[SetReserveInput, strawberry.argument(description="The reserve a year starts with.")]) -> FundingYearResult:
        async def action(session, principal):
            row = await svc.set_reserve_brought_forward(
                session, principal, partnership_code=input.partnership_code, financial_year=input.financial_year,
                amount_pence=input.amount_pence, description=input.description, transferred_on=input.transferred_on,
            )
            return FundingYearPayload(funding=FundingYear.of(row.partnership_id, svc.parse_year(row.financial_year)))

        return await run_write(info, action)

    @strawberry.mutation(description="Record who hosts the money in a year; a recorded arrangement takes precedence "
                                     "over the document's (Lewisham: later years are under review until recorded).")
    async def record_host_arrangement(self, info: Info, input: Annotated[RecordHostArrangementInput, strawberry.argument(description="Record who hosts the money in a year (replaces an earlier record for that year).")]) -> FundingYearResult:
        async def action(session, principal):
            rows = await svc.record_host_arrangement(
                session, principal, partnership_code=input.partnership_code, financial_year=input.financial_year,
                lines=[svc.HostLineInput(role=x.role, agency_code=x.agency_code, post=x.post, duties=tuple(x.duties or ()))
                       for x in input.lines],
                decided_on=input.decided_on,
            )
            return FundingYearPayload(funding=FundingYear.of(rows[0].partnership_id, svc.parse_year(rows[0].financial_year)))

        return await run_write(info, action)

    @strawberry.mutation(description="Report overdue contributions; where the arrangements say so (Lewisham), open a "
                                     "funding-default dispute for each, once.")
    async def escalate_overdue_contributions(self, info: Info, input: Annotated[EscalateOverdueInput, strawberry.argument(description="Report overdue contributions and act on them as the arrangements say.")]) -> EscalationResult:
        registry = info.context.registry

        async def action(session, principal):
            done = await svc.escalate_overdue_contributions(
                session, principal, registry,
                partnership_code=input.partnership_code, as_of=input.as_of or dt.date.today(),
            )
            return EscalationPayload(overdue=[
                EscalatedContribution(
                    contribution=Contribution.from_row(e.contribution), amount=Money.of(e.contribution.amount_pence),
                    dispute_opened=e.dispute_id is not None, dispute_id=e.dispute_id, reasons=list(e.action.reasons),
                    source=source_of(e.action.source),
                )
                for e in done
            ])

        return await run_write(info, action)
