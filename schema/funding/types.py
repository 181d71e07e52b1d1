"""GraphQL types for funding: money, budgets and their revisions, contributions, expenditure,
the year's statement, host arrangements, review-cost apportionment and the equity report.

Reads are public: WT2018 ch.3 §36 asks that funding be transparent to children and families.
Every relation is read through a per-request DataLoader over the batch functions of
``schema.funding.loaders`` (keyed by partnership and year), so a request's statement count does
not grow with the number of partnerships asked about; the types here wrap the rows they answer.
"""

from __future__ import annotations

import datetime as dt
import enum
import warnings
from typing import TYPE_CHECKING, Annotated, NewType

import strawberry
from strawberry.types import Info

from core.financial_year import FinancialYear
from core.models.funding import BudgetRevision as BudgetRow
from core.models.funding import Contribution as ContributionRow
from core.models.funding import Expenditure as ExpenditureRow
from core.plugins import PartnershipRules
from core.rules import funding as rules
from core.rules.common import PartnerRef
from schema.disputes.loaders import dispute_by_id
from schema.errors import BadArgument
from schema.funding.loaders import (
    budgets_by_year,
    contributions_by_year,
    expenditure_by_year,
    host_records_by_year,
    reserves_by_year,
)
from schema.types.common import Node, Source, described, source_of
from schema.types.errors import NotFoundError, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    from schema.structure.types import Agency, Group, Partnership

AgencyRef = Annotated["Agency", strawberry.lazy("schema.structure.types")]
GroupRef = Annotated["Group", strawberry.lazy("schema.structure.types")]
PartnershipRef = Annotated["Partnership", strawberry.lazy("schema.structure.types")]


def _parse_pence(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadArgument(f"Pence must be a whole number of pence, e.g. 1000001 for £10,000.01; got {value!r}")
    return value


# GraphQL's Int is 32-bit (at most £21,474,836.47 in pence), too small for money totals, so
# amounts read back travel as their own scalar. Amounts given as input are one contribution,
# budget or cost each, well inside Int, and are plain `Int` arguments. Strawberry now prefers `StrawberryConfig.scalar_map` (set
# where the schema is built); the inline form works the same and keeps this domain self-contained.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    Pence = strawberry.scalar(
        NewType("Pence", int),
        name="Pence",
        serialize=int,
        parse_value=_parse_pence,
        description="A whole number of pence (a 64-bit integer, sent as a JSON number): 1000001 is £10,000.01.",
    )

ContributionKind = described(strawberry.enum(rules.ContributionKind, description="Cash, or provided in kind."), {
    "CASH": "Money.",
    "IN_KIND": "Provided instead of money (accommodation, hosting, legal advice …); not income.",
})
ContributionStatus = described(strawberry.enum(rules.ContributionStatus, description="Pledged, invoiced or received."), {
    "PLEDGED": "Agreed, not yet billed.",
    "INVOICED": "Billed, not yet paid.",
    "RECEIVED": "Paid.",
})
HostRole = described(strawberry.enum(rules.HostRole, description="The capacity in which an agency or post holds the money."), {
    "HOST_AGENCY": "Receives the contributions and pays the expenses (Lewisham).",
    "ACCOUNTABLE_BODY": "Answers for financial probity, and for receiving and monitoring the money (Sandwell §24).",
    "COST_CENTRE_MANAGER": "Manages the cost centre the budget is held in.",
    "DAY_TO_DAY_BUDGET_MANAGER": "Manages the budget day to day.",
})
HostStatus = described(strawberry.enum(rules.HostStatus, description="How settled the host arrangement for the year is."), {
    "STATED": "The published document states it for the year.",
    "RECORDED": "The partnership recorded it through the API.",
    "UNDER_REVIEW": "The document leaves it open until a decision is recorded.",
    "NOT_STATED": "Nothing is published or recorded.",
})
ReviewCostItem = described(strawberry.enum(rules.ReviewCostItem, description="A kind of practice-review cost."), {
    "REVIEWER": "Commissioning the review and its independent author(s).",
    "LEGAL_ADVICE": "Legal advice.",
    "FACILITATION": "Facilitating the review and its meetings.",
    "COMMUNICATIONS": "Media work and communications advice.",
    "DISSEMINATION": "Spreading the lessons learned.",
    "OTHER": "Any other cost.",
})


@strawberry.enum(description="Where the figures of a statement come from.")
class StatementBasis(enum.Enum):
    RECORDED = "RECORDED"
    PUBLISHED = "PUBLISHED"
    NONE = "NONE"


described(StatementBasis, {
    "RECORDED": "Computed from the contributions, expenditure and reserves recorded for the year.",
    "PUBLISHED": "The published document's figures: nothing is recorded for the year.",
    "NONE": "Nothing is recorded or published for the year.",
})


@strawberry.type(description="An exact amount of money: integer pence and a display string such as `£10,000.01`.")
class Money:
    pence: Pence = strawberry.field(description="The amount in pence.")  # type: ignore[valid-type]
    display: str = strawberry.field(description="The amount in pounds, e.g. `£10,000.01`.")

    @classmethod
    def of(cls, pence: int | None) -> Money | None:
        return None if pence is None else cls(pence=pence, display=rules.format_pence(pence))


# ----------------------------------------------------------------------------- the partnership as its rules see it


async def partner_refs(info: Info, partnership_id: int) -> tuple[tuple[rules.PartnerRef, ...], dict]:
    """Every agency of the partnership as hook values, and the GraphQL agencies by code."""
    loaders = info.context.loaders
    agencies = await loaders.agencies_by_partnership.load(partnership_id)
    sps = await loaders.statutory_partners_by_partnership.load(partnership_id)
    position = {sp.agency_id: i for i, sp in enumerate(sps)}
    lead = {sp.agency_id: sp.lead_role for sp in sps}
    refs = tuple(
        PartnerRef(code=a.code, name=a.name, kind=a.kind, statutory=a.pk in position,
                   position=position.get(a.pk, 1000 + i), lead_role=lead.get(a.pk))
        for i, a in enumerate(agencies)
    )
    return refs, {a.code: a for a in agencies}


async def rules_for(info: Info, partnership_id: int) -> PartnershipRules:
    """The partnership's rules (``Registry.rules_for``), by its database id."""
    p = await info.context.loaders.partnership_by_id.load(partnership_id)
    return info.context.registry.rules_for(p.code, document=p.document.title)


# ----------------------------------------------------------------------------- host arrangements


@strawberry.type(description="One line of a host arrangement: who holds which role for the money.")
class HostLine:
    role: HostRole = strawberry.field(description="Host agency, accountable body, cost-centre or day-to-day manager.")
    agency: AgencyRef | None = strawberry.field(description="The agency holding the role, where one is named.")
    post: str | None = strawberry.field(description="The post holding the role, as published.")
    duties: list[str] = strawberry.field(description="What the role does, in the document's words.")
    source: Source | None = strawberry.field(description="Where it is stated.")


@strawberry.type(description="Who decides a funding matter.")
class FundingDecision:
    partnership_id: strawberry.Private[int]
    group_code: strawberry.Private[str | None]
    matter: str = strawberry.field(description="The matter decided, e.g. possible misuse of funds.")
    decided_by: str = strawberry.field(description="Who decides, in the document's words.")
    source: Source | None = strawberry.field(description="Where it is stated.")

    @strawberry.field(description="The group that decides, where the document names one.")
    async def group(self, info: Info) -> GroupRef | None:
        if self.group_code is None:
            return None
        groups = await info.context.loaders.groups_by_partnership.load(self.partnership_id)
        return next((g for g in groups if g.code == self.group_code), None)


@strawberry.type(description="Who hosts the partnership's money in a year, in which roles, and who decides what.")
class HostArrangement:
    status: HostStatus = strawberry.field(description="STATED by the document, RECORDED, UNDER_REVIEW or NOT_STATED.")
    lines: list[HostLine] = strawberry.field(description="Each role and who holds it.")
    decisions: list[FundingDecision] = strawberry.field(description="Who decides which funding matters.")
    reasons: list[str] = strawberry.field(description="The answer in plain language.")
    source: Source = strawberry.field(description="The document and section the answer comes from.")
    host: strawberry.Private[HostLine | None]


async def statement_for(info: Info, partnership_id: int, fy: FinancialYear) -> FundingStatement:
    """A year's statement: recorded figures, else the published ones (batched loads)."""
    loaders = info.context.loaders
    key = (partnership_id, str(fy))
    contributions = await loaders.of(contributions_by_year).load(key)
    expenditure = await loaders.of(expenditure_by_year).load(key)
    reserves = await loaders.of(reserves_by_year).load(key)
    partnership_rules = await rules_for(info, partnership_id)
    published = partnership_rules.published_funding(financial_year=fy)
    return _statement(contributions, expenditure, reserves, published)


def _primary(lines: list[HostLine]) -> HostLine | None:
    for role in (rules.HostRole.HOST_AGENCY, rules.HostRole.ACCOUNTABLE_BODY):
        for line in lines:
            if line.role == role:
                return line
    return lines[0] if lines else None


async def resolve_host(info: Info, partnership_id: int, fy: FinancialYear) -> HostArrangement:
    loaders = info.context.loaders
    recorded = await loaders.of(host_records_by_year).load((partnership_id, str(fy)))
    refs, by_code = await partner_refs(info, partnership_id)
    partnership_rules = await rules_for(info, partnership_id)
    if recorded:
        by_id = {a.pk: a for a in by_code.values()}
        lines = [
            HostLine(role=r.role, agency=by_id.get(r.agency_id), post=r.post,
                     duties=(r.duties or "").splitlines(), source=None)
            for r in recorded
        ]
        decided = recorded[0].decided_on
        return HostArrangement(
            status=rules.HostStatus.RECORDED, lines=lines, decisions=[], host=_primary(lines),
            reasons=[f"recorded by the partnership for {fy}" + (f", decided on {decided.isoformat()}" if decided else "")],
            source=Source(document="Recorded by the partnership", section=str(fy)),
        )
    answer = partnership_rules.host(financial_year=fy, partners=refs)
    lines = [
        HostLine(role=line.role, agency=by_code.get(line.agency_code) if line.agency_code else None, post=line.post,
                 duties=list(line.duties), source=source_of(line.source))
        for line in answer.lines
    ]
    return HostArrangement(
        status=answer.status, lines=lines, host=_primary(lines), reasons=list(answer.reasons),
        source=source_of(answer.source),
        decisions=[
            FundingDecision(partnership_id=partnership_id, group_code=d.group_code, matter=d.matter,
                            decided_by=d.decided_by, source=source_of(d.source))
            for d in answer.decisions
        ],
    )


# ----------------------------------------------------------------------------- budgets, contributions


@strawberry.type(description="One version of a year's budget; revisions are kept, never overwritten.")
class BudgetRevision(Node):
    pk: strawberry.Private[int]
    revision: int = strawberry.field(description="1 for the budget as first set, then 2, 3 …")
    amount: Money = strawberry.field(description="The budget in this revision.")
    reason: str | None = strawberry.field(description="Why it was set or revised.")
    set_at: dt.datetime = strawberry.field(description="When this revision was recorded.")

    @classmethod
    def from_row(cls, r: BudgetRow) -> BudgetRevision:
        return cls(pk=r.id, revision=r.revision, amount=Money.of(r.amount_pence), reason=r.reason, set_at=r.created_at)


@strawberry.type(description="A partnership's budget for a financial year, with every revision.")
class Budget:
    financial_year: str = strawberry.field(description="The financial year, e.g. `2019/20`.")
    amount: Money = strawberry.field(description="The current budget (the latest revision).")
    current: BudgetRevision = strawberry.field(description="The latest revision.")
    revisions: list[BudgetRevision] = strawberry.field(description="Every revision, oldest first.")


def budget_from_rows(financial_year: str, rows: list[BudgetRow]) -> Budget | None:
    if not rows:
        return None
    revisions = [BudgetRevision.from_row(r) for r in sorted(rows, key=lambda r: r.revision)]
    return Budget(financial_year=financial_year, amount=revisions[-1].amount, current=revisions[-1], revisions=revisions)


@strawberry.type(description="An agency's contribution for a year: cash, or in kind.")
class Contribution(Node):
    pk: strawberry.Private[int]
    agency_id: strawberry.Private[int]
    financial_year: str = strawberry.field(description="The financial year it is for.")
    kind: ContributionKind = strawberry.field(description="Cash or in kind.")
    amount: Money | None = strawberry.field(description="Cash amount, or the stated value of an in-kind contribution; null where none is stated.")
    provides: list[str] = strawberry.field(description="In kind: what is provided (accommodation, legal advice …).")
    status: ContributionStatus = strawberry.field(description="Pledged, invoiced or received.")
    due_date: dt.date | None = strawberry.field(description="When it is due.")
    priority: str | None = strawberry.field(description="The named priority an additional contribution is for.")
    note: str | None = strawberry.field(description="Anything else recorded about it.")
    default_dispute_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, r: ContributionRow) -> Contribution:
        return cls(
            pk=r.id, agency_id=r.agency_id, financial_year=r.financial_year, kind=r.kind,
            amount=Money.of(r.amount_pence), provides=(r.provides or "").splitlines(), status=r.status,
            due_date=r.due_date, priority=r.priority, note=r.note, default_dispute_id=r.default_dispute_id,
        )

    @strawberry.field(description="The contributing agency.")
    async def agency(self, info: Info) -> AgencyRef:
        return await info.context.loaders.agency_by_id.load(self.agency_id)

    @strawberry.field(description="Whether a funding-default dispute has been opened for it (disputes are "
                                  "confidential: false for anyone outside the partnership, as if none were).")
    async def dispute_opened(self, info: Info) -> bool:
        if self.default_dispute_id is None:
            return False
        # the disputes batch reads only the disputes the caller may see (members only)
        return await info.context.loaders.of(dispute_by_id).load(self.default_dispute_id) is not None


@strawberry.type(description="A line of spending in a year.")
class ExpenditureLine(Node):
    pk: strawberry.Private[int]
    description: str = strawberry.field(description="What the money is spent on.")
    amount: Money = strawberry.field(description="How much.")

    @classmethod
    def from_row(cls, r: ExpenditureRow) -> ExpenditureLine:
        return cls(pk=r.id, description=r.description, amount=Money.of(r.amount_pence))


@strawberry.type(description="A contribution the published document names; its amount is null unless printed.")
class PublishedContribution:
    agency: AgencyRef | None = strawberry.field(description="The contributing agency, where it is in the data file.")
    label: str = strawberry.field(description="The contributor as the document names it.")
    kind: ContributionKind = strawberry.field(description="Cash or in kind.")
    amount: Money | None = strawberry.field(description="The amount, only where published.")
    provides: list[str] = strawberry.field(description="In kind: what is provided.")


@strawberry.type(description="A spending line the published document gives.")
class PublishedExpenditure:
    description: str = strawberry.field(description="What the money is spent on.")
    amount: Money | None = strawberry.field(description="The amount, where published.")
    items: list[str] = strawberry.field(description="What the line pays for, e.g. the posts.")


@strawberry.type(description="A reserve brought into the year, as published.")
class PublishedReserve:
    description: str = strawberry.field(description="What the reserve is.")
    transferred_on: dt.date | None = strawberry.field(description="When it was transferred.")
    amount: Money | None = strawberry.field(description="The amount, where published.")


@strawberry.type(description="The funding figures the partnership's published document gives for a year.")
class PublishedFunding:
    financial_year: str = strawberry.field(description="The financial year.")
    income: Money | None = strawberry.field(description="Income, where published.")
    income_approximate: bool = strawberry.field(description="The document gives income as approximate (\"around\").")
    contributions: list[PublishedContribution] = strawberry.field(description="The contributors named.")
    expenditure: list[PublishedExpenditure] = strawberry.field(description="The spending lines given.")
    reserve: PublishedReserve | None = strawberry.field(description="A reserve brought into the year.")
    notes: list[str] = strawberry.field(description="What else the document says of the year's funding.")
    source: Source = strawberry.field(description="Where the figures are published.")


def published_type(f: rules.PublishedFunding, by_code: dict) -> PublishedFunding:
    return PublishedFunding(
        financial_year=str(f.financial_year), income=Money.of(f.income_pence), income_approximate=f.income_approximate,
        contributions=[
            PublishedContribution(agency=by_code.get(c.agency_code) if c.agency_code else None, label=c.label,
                                  kind=c.kind, amount=Money.of(c.amount_pence), provides=list(c.provides))
            for c in f.contributions
        ],
        expenditure=[PublishedExpenditure(description=e.description, amount=Money.of(e.amount_pence), items=list(e.items))
                     for e in f.expenditure],
        reserve=None if f.reserve is None else PublishedReserve(
            description=f.reserve.description, transferred_on=f.reserve.transferred_on, amount=Money.of(f.reserve.amount_pence)),
        notes=list(f.notes), source=source_of(f.source),
    )


# ----------------------------------------------------------------------------- statement, equity, overdue


@strawberry.type(description="A year's income and expenditure, balance and reserves.")
class FundingStatement:
    basis: StatementBasis = strawberry.field(description="RECORDED figures, the PUBLISHED document's figures, or NONE.")
    income: Money | None = strawberry.field(description="Cash contributions agreed for the year (pledged, invoiced or received).")
    income_received: Money | None = strawberry.field(description="Cash contributions received.")
    income_approximate: bool = strawberry.field(description="The income figure is approximate as published.")
    expenditure: Money | None = strawberry.field(description="Total of the year's expenditure lines.")
    balance: Money | None = strawberry.field(description="Income less expenditure.")
    reserves_brought_forward: Money | None = strawberry.field(description="Reserve the year starts with; null where unknown.")
    reserve_transferred_on: dt.date | None = strawberry.field(description="When the reserve was transferred in, where stated.")
    reserves_carried_forward: Money | None = strawberry.field(description="Reserve brought forward plus balance; null where either is unknown.")
    reasons: list[str] = strawberry.field(description="How the figures were arrived at.")
    source: Source | None = strawberry.field(description="The published source, for PUBLISHED figures.")


@strawberry.type(description="A statutory partner's share of the year's statutory contributions.")
class EquityShare:
    agency: AgencyRef = strawberry.field(description="The statutory partner.")
    cash: Money = strawberry.field(description="Its cash contributions.")
    cash_share_percent: float | None = strawberry.field(description="Its percentage of all statutory partners' cash; null if none.")
    in_kind_value: Money = strawberry.field(description="The stated value of its in-kind contributions.")
    in_kind_share_percent: float | None = strawberry.field(description="Its percentage of the stated in-kind value; null if none.")
    in_kind_provides: list[str] = strawberry.field(description="What it provides in kind.")
    in_kind_unvalued: int = strawberry.field(description="In-kind contributions with no stated value (not in the shares).")


@strawberry.type(description="Each statutory partner's share of the year's statutory contributions, cash and in kind apart (WT2018 ch.3 §36–37: equitable and proportionate).")
class EquityReport:
    total_cash: Money = strawberry.field(description="All statutory partners' cash.")
    total_in_kind_value: Money = strawberry.field(description="All statutory partners' stated in-kind value.")
    partners: list[EquityShare] = strawberry.field(description="One entry per statutory partner, in the document's order.")
    reasons: list[str] = strawberry.field(description="What is counted.")
    source: Source = strawberry.field(description="The rule the report serves.")


@strawberry.type(description="A contribution not received by its due date, and what follows.")
class OverdueContribution:
    contribution: Contribution = strawberry.field(description="The contribution.")
    days_overdue: int = strawberry.field(description="Days since it was due.")
    opens_dispute: bool = strawberry.field(description="The arrangements open a funding-default dispute for it.")
    dispute_opened: bool = strawberry.field(description="A funding-default dispute has been opened (false for anyone "
                                                        "outside the partnership: disputes are confidential).")
    reasons: list[str] = strawberry.field(description="What follows, in plain language.")
    source: Source = strawberry.field(description="Where the rule comes from.")


def _statement(contributions, expenditure, reserves, published: list[rules.PublishedFunding]) -> FundingStatement:
    cash = [c for c in contributions if c.kind == rules.ContributionKind.CASH and c.amount_pence is not None]
    if cash or expenditure or reserves:
        income = sum(c.amount_pence for c in cash)
        received = sum(c.amount_pence for c in cash if c.status == rules.ContributionStatus.RECEIVED)
        spent = sum(e.amount_pence for e in expenditure)
        reserve = reserves[0] if reserves else None
        bf = reserve.amount_pence if reserve else None
        reasons = ["income is the cash contributions recorded for the year; in-kind contributions are not income"]
        if reserve is None:
            reasons.append("no reserve brought forward is recorded, so the reserve carried forward is unknown")
        return FundingStatement(
            basis=StatementBasis.RECORDED, income=Money.of(income), income_received=Money.of(received),
            income_approximate=False, expenditure=Money.of(spent), balance=Money.of(income - spent),
            reserves_brought_forward=Money.of(bf), reserve_transferred_on=reserve.transferred_on if reserve else None,
            reserves_carried_forward=Money.of(None if bf is None else bf + income - spent), reasons=reasons, source=None,
        )
    if published:
        f = published[0]
        spent_items = [e.amount_pence for e in f.expenditure]
        spent = None if not spent_items or None in spent_items else sum(spent_items)
        balance = None if f.income_pence is None or spent is None else f.income_pence - spent
        bf = f.reserve.amount_pence if f.reserve else None
        reasons = ["the figures are the published document's; nothing is recorded for the year"]
        if f.income_approximate:
            reasons.append("income is published as approximate, so the balance is approximate too")
        if f.reserve and bf is None:
            reasons.append("the reserve's amount is not published, so reserves are unknown")
        return FundingStatement(
            basis=StatementBasis.PUBLISHED, income=Money.of(f.income_pence), income_received=None,
            income_approximate=f.income_approximate, expenditure=Money.of(spent), balance=Money.of(balance),
            reserves_brought_forward=Money.of(bf), reserve_transferred_on=f.reserve.transferred_on if f.reserve else None,
            reserves_carried_forward=Money.of(None if bf is None or balance is None else bf + balance),
            reasons=reasons, source=source_of(f.source),
        )
    return FundingStatement(
        basis=StatementBasis.NONE, income=None, income_received=None, income_approximate=False, expenditure=None,
        balance=None, reserves_brought_forward=None, reserve_transferred_on=None, reserves_carried_forward=None,
        reasons=["nothing is recorded or published for the year"], source=None,
    )


# ----------------------------------------------------------------------------- the year


@strawberry.type(description="A partnership's funding in one UK financial year (1 April – 31 March).")
class FundingYear:
    partnership_id: strawberry.Private[int]
    fy: strawberry.Private[FinancialYear]
    financial_year: str = strawberry.field(description="The financial year, e.g. `2019/20`.")
    start: dt.date = strawberry.field(description="1 April of the year.")
    end: dt.date = strawberry.field(description="31 March of the next year.")

    @classmethod
    def of(cls, partnership_id: int, fy: FinancialYear) -> FundingYear:
        return cls(partnership_id=partnership_id, fy=fy, financial_year=str(fy), start=fy.start, end=fy.end)

    @property
    def key(self) -> tuple[int, str]:
        return (self.partnership_id, str(self.fy))

    @strawberry.field(description="The partnership.")
    async def partnership(self, info: Info) -> PartnershipRef:
        return await info.context.loaders.partnership_by_id.load(self.partnership_id)

    @strawberry.field(description="The principal host line (host agency, else accountable body); null while none is stated or recorded.")
    async def host(self, info: Info) -> HostLine | None:
        return (await resolve_host(info, self.partnership_id, self.fy)).host

    @strawberry.field(description="The whole host arrangement: every role, who decides what, and why.")
    async def host_arrangement(self, info: Info) -> HostArrangement:
        return await resolve_host(info, self.partnership_id, self.fy)

    @strawberry.field(description="The year's budget with every revision; null if none is set.")
    async def budget(self, info: Info) -> Budget | None:
        rows = await info.context.loaders.of(budgets_by_year).load(self.key)
        return budget_from_rows(str(self.fy), rows)

    @strawberry.field(description="Contributions recorded for the year.")
    async def contributions(self, info: Info) -> list[Contribution]:
        return [Contribution.from_row(r) for r in await info.context.loaders.of(contributions_by_year).load(self.key)]

    @strawberry.field(description="Expenditure lines recorded for the year.")
    async def expenditure(self, info: Info) -> list[ExpenditureLine]:
        rows = await info.context.loaders.of(expenditure_by_year).load(self.key)
        return [ExpenditureLine.from_row(r) for r in rows]

    @strawberry.field(description="The figures the published document gives for the year (served as published).")
    async def published(self, info: Info) -> list[PublishedFunding]:
        partnership_rules = await rules_for(info, self.partnership_id)
        found = partnership_rules.published_funding(financial_year=self.fy)
        if not found:
            return []
        _, by_code = await partner_refs(info, self.partnership_id)
        return [published_type(f, by_code) for f in found]

    @strawberry.field(description="Income, expenditure, balance and reserves: recorded figures, else the published ones.")
    async def statement(self, info: Info) -> FundingStatement:
        return await statement_for(info, self.partnership_id, self.fy)

    @strawberry.field(description="Each statutory partner's share of the year's statutory contributions, cash and in kind apart.")
    async def equity(self, info: Info) -> EquityReport:
        rows = await info.context.loaders.of(contributions_by_year).load(self.key)
        sps = await info.context.loaders.statutory_partners_by_partnership.load(self.partnership_id)
        agencies = {a.pk: a for a in await info.context.loaders.agencies_by_partnership.load(self.partnership_id)}
        ids = [sp.agency_id for sp in sps]
        cash = {i: 0 for i in ids}
        kind_value = {i: 0 for i in ids}
        provides: dict[int, list[str]] = {i: [] for i in ids}
        unvalued = {i: 0 for i in ids}
        for r in rows:
            if r.agency_id not in cash:
                continue  # relevant agencies' contributions are not statutory contributions
            if r.kind == rules.ContributionKind.CASH:
                cash[r.agency_id] += r.amount_pence or 0
            else:
                provides[r.agency_id] += (r.provides or "").splitlines()
                if r.amount_pence is None:
                    unvalued[r.agency_id] += 1
                else:
                    kind_value[r.agency_id] += r.amount_pence
        cash_share = rules.shares_of({str(i): v for i, v in cash.items()})
        kind_share = rules.shares_of({str(i): v for i, v in kind_value.items()})
        return EquityReport(
            total_cash=Money.of(sum(cash.values())), total_in_kind_value=Money.of(sum(kind_value.values())),
            partners=[
                EquityShare(agency=agencies[i], cash=Money.of(cash[i]), cash_share_percent=cash_share[str(i)],
                            in_kind_value=Money.of(kind_value[i]), in_kind_share_percent=kind_share[str(i)],
                            in_kind_provides=provides[i], in_kind_unvalued=unvalued[i])
                for i in ids
            ],
            reasons=[
                "counts the statutory partners' recorded contributions for the year, whatever their status; "
                "relevant agencies' contributions are left out",
                "cash and in-kind are shown apart; in-kind contributions without a stated value are counted, not valued",
            ],
            source=source_of(rules.WT2018_FUNDING),
        )

    @strawberry.field(description="Contributions not received by their due date, as of a day (default today), and what follows.")
    async def overdue_contributions(
        self, info: Info,
        as_of: Annotated[dt.date | None, strawberry.argument(description="The day to judge by; today if omitted.")] = None,
    ) -> list[OverdueContribution]:
        day = as_of or dt.date.today()
        rows = await info.context.loaders.of(contributions_by_year).load(self.key)
        late = [r for r in rows if rules.is_overdue(r.status, r.due_date, day)]
        if not late:
            return []
        refs, _ = await partner_refs(info, self.partnership_id)
        agencies = {a.pk: a for a in await info.context.loaders.agencies_by_partnership.load(self.partnership_id)}
        by_code = {r.code: r for r in refs}
        partnership_rules = await rules_for(info, self.partnership_id)
        out = []
        for r in late:
            action = partnership_rules.funding_default_action(agency=by_code[agencies[r.agency_id].code])
            out.append(OverdueContribution(
                contribution=Contribution.from_row(r), days_overdue=(day - r.due_date).days,
                opens_dispute=action.open_dispute,
                # Disputes are confidential: outsiders get the answer of a partnership with none.
                dispute_opened=r.default_dispute_id is not None and info.context.principal.is_member(self.partnership_id),
                reasons=list(action.reasons), source=source_of(action.source),
            ))
        return out


# ----------------------------------------------------------------------------- apportionment


@strawberry.input(description="One cost of a practice review.")
class ReviewCostInput:
    item: ReviewCostItem = strawberry.field(description="What the cost is for.")
    amount_pence: int = strawberry.field(description="The cost in pence, 0 or more.")


@strawberry.input(description="An agency's involvement in the case under review.")
class InvolvementInput:
    agency_code: str = strawberry.field(description="The agency's code in the partnership, e.g. `met-police`.")
    weight: int = strawberry.field(description="Its relative involvement, e.g. 50 for 50%.")


@strawberry.type(description="What one agency pays of a review's costs.")
class CostShare:
    agency: AgencyRef = strawberry.field(description="The paying agency.")
    amount: Money = strawberry.field(description="Its share.")
    weight: int = strawberry.field(description="The involvement weight it was apportioned by.")


@strawberry.type(description="An agency left out of the apportionment, and why.")
class ExcludedAgency:
    agency: AgencyRef = strawberry.field(description="The agency.")
    reason: str = strawberry.field(description="Why it pays no share.")


@strawberry.type(description="Who pays what of a practice review's costs; the shares, the training-budget part and "
                             "the unapportioned rest sum exactly to the total.")
class ReviewCostApportionment:
    total: Money = strawberry.field(description="The review's total cost.")
    shares: list[CostShare] = strawberry.field(description="Each paying agency's share.")
    apportioned: Money = strawberry.field(description="The sum of the shares.")
    unapportioned: Money = strawberry.field(description="What no stated rule shares out: the whole cost where the "
                                                        "document sets no split (never a guessed one).")
    from_training_budget: Money = strawberry.field(description="The part met from the training budget (e.g. dissemination).")
    excluded: list[ExcludedAgency] = strawberry.field(description="Agencies involved that pay no share, and why.")
    reasons: list[str] = strawberry.field(description="The answer in plain language.")
    source: Source = strawberry.field(description="The document and section of the rule.")


ReviewCostApportionmentResult = Annotated[
    ReviewCostApportionment | ValidationError | NotFoundError,
    strawberry.union("ReviewCostApportionmentResult", description="The apportionment, or what was wrong with the question."),
]


async def apportion(
    info: Info, partnership_id: int, costs: list[ReviewCostInput], involvement: list[InvolvementInput]
) -> ReviewCostApportionment | ValidationError | NotFoundError:
    if not costs:
        return ValidationError(message="give at least one cost", field="costs")
    if len(costs) > 50 or len(involvement) > 50:
        return ValidationError(message="at most 50 costs and 50 agencies", field="costs")
    for i, c in enumerate(costs):
        if c.amount_pence < 0:
            return ValidationError(message=f"costs[{i}].amountPence must be 0 or more pence; got {c.amount_pence}",
                                   field=f"costs[{i}].amountPence")
    refs, by_code = await partner_refs(info, partnership_id)
    ref_by_code = {r.code: r for r in refs}
    seen: set[str] = set()
    inv = []
    for i, x in enumerate(involvement):
        if x.agency_code not in ref_by_code:
            return NotFoundError(message=f"no agency with code {x.agency_code!r} in this partnership; known codes: "
                                         f"{', '.join(sorted(ref_by_code))}", ref=f"involvement[{i}].agencyCode")
        if x.agency_code in seen:
            return ValidationError(message=f"agency {x.agency_code!r} is listed twice", field=f"involvement[{i}].agencyCode")
        if x.weight < 0 or x.weight > 1_000_000:
            return ValidationError(message=f"involvement[{i}].weight must be between 0 and 1000000", field=f"involvement[{i}].weight")
        seen.add(x.agency_code)
        inv.append(rules.Involvement(agency=ref_by_code[x.agency_code], weight=x.weight))
    partnership_rules = await rules_for(info, partnership_id)
    answer = partnership_rules.review_costs(
        costs=tuple(rules.ReviewCost(c.item, c.amount_pence) for c in costs), involvement=tuple(inv), partners=refs)
    return ReviewCostApportionment(
        total=Money.of(answer.total_pence),
        shares=[CostShare(agency=by_code[s.agency_code], amount=Money.of(s.pence), weight=s.weight) for s in answer.shares],
        apportioned=Money.of(answer.apportioned_pence),
        unapportioned=Money.of(answer.unapportioned_pence),
        from_training_budget=Money.of(answer.from_training_budget_pence),
        excluded=[ExcludedAgency(agency=by_code[e.agency_code], reason=e.reason) for e in answer.excluded],
        reasons=list(answer.reasons), source=source_of(answer.source),
    )
