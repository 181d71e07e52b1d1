"""The comparison matrix: one row per aspect, one cell per partnership.

Each aspect is answered by the same rule hooks (through the same resolver helpers) that
answer the per-partnership fields, so a cell can never disagree with the partnership's own
page, and a newly installed borough appears with no change here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from core.enums import GroupKind, SeatRole
from core.financial_year import FinancialYear
from core.rules.disputes import DisputeKind
from schema.compare.loaders import independent_seats
from schema.disputes.types import EscalationLadder, ladder_for
from schema.funding.types import resolve_host, statement_for
from schema.governance.types import comparison_for, rule_context
from schema.reviews.types import timescales
from schema.types.common import Source, described, source_of

PartnershipT = Annotated["Partnership", strawberry.lazy("schema.structure.types")]  # noqa: F821


@strawberry.enum(description="What to compare across partnerships.")
class ComparisonAspect(enum.Enum):
    STATUTORY_PARTNERS = "STATUTORY_PARTNERS"
    CHAIRS = "CHAIRS"
    INDEPENDENT_SCRUTINY = "INDEPENDENT_SCRUTINY"
    QUORUM = "QUORUM"
    VOTING = "VOTING"
    DISPUTE_RESOLUTION = "DISPUTE_RESOLUTION"
    FUNDING = "FUNDING"
    MEETING_CADENCE = "MEETING_CADENCE"
    SUBGROUPS = "SUBGROUPS"
    REVIEW_TIMESCALES = "REVIEW_TIMESCALES"
    RULE_STATUS = "RULE_STATUS"


@strawberry.type(description="One partnership's answer for one aspect.")
class ComparisonCell:
    partnership_id: strawberry.Private[int]
    value: JSON = strawberry.field(description="The answer as data (its shape depends on the aspect).")
    summary: str = strawberry.field(description="The answer in plain words.")
    sources: list[Source] = strawberry.field(description="The documents and sections the answer comes from.")

    @strawberry.field(description="The partnership.")
    async def partnership(self, info: Info) -> PartnershipT:
        return await info.context.loaders.partnership_by_id.load(self.partnership_id)


@strawberry.type(description="One aspect across the partnerships compared.")
class ComparisonRow:
    aspect: ComparisonAspect = strawberry.field(description="The aspect.")
    title: str = strawberry.field(description="What the row shows.")
    cells: list[ComparisonCell] = strawberry.field(description="One cell per partnership, in the order asked.")


@strawberry.type(description="Partnerships side by side.")
class ComparisonMatrix:
    financial_year: str = strawberry.field(description="The financial year that chairs and funding are answered for.")
    rows: list[ComparisonRow] = strawberry.field(description="One row per aspect, in the order asked.")


@dataclass
class Answer:
    value: Any
    summary: str
    sources: list[Source]


def _words(value: str) -> str:
    return value.replace("_", " ").lower()


async def _main_groups(info: Info, p) -> tuple[Any, Any]:
    groups = await info.context.loaders.groups_by_partnership.load(p.pk)
    board = next((g for g in groups if g.kind == GroupKind.PARTNERSHIP_BOARD), None) or next(
        (g for g in groups if g.parent_id is None), None)
    executive = next((g for g in groups if g.kind == GroupKind.EXECUTIVE and g is not board), None)
    return board, executive


def _board_and_executive(c) -> list[tuple[str, Any]]:
    """Where the executive is itself the top of the structure (Sefton's Leadership Team),
    it is shown once, as the main board."""
    same = c.executive is not None and c.main_board is not None and c.executive.group.pk == c.main_board.group.pk
    return [("mainBoard", c.main_board), ("executive", None if same else c.executive)]


async def statutory_partners(info: Info, p, fy: FinancialYear) -> Answer:
    partners = await info.context.loaders.statutory_partners_by_partnership.load(p.pk)
    kinds = [sp.kind.value for sp in partners]
    return Answer(
        {"count": len(partners), "kinds": kinds},
        f"{len(partners)}: " + ", ".join(_words(k) for k in kinds),
        [Source(document=p.document.title, section=sp.source_section) for sp in partners if sp.source_section],
    )


async def chairs(info: Info, p, fy: FinancialYear) -> Answer:
    c = await comparison_for(info, p, fy)
    value, words, sources = {}, [], []
    for label, g in _board_and_executive(c):
        if g is None:
            value[label] = None
            continue
        ch = g.chair
        value[label] = {"group": g.group.name, "basis": ch.basis.value, "office": ch.office,
                        "provisional": ch.provisional}
        words.append(f"{g.group.name}: {ch.office or 'not stated'} ({_words(ch.basis.value)}"
                     f"{', provisional' if ch.provisional else ''})")
        sources.append(ch.source)
    return Answer(value, "; ".join(words) or "no board found", sources)


async def independent_scrutiny(info: Info, p, fy: FinancialYear) -> Answer:
    seats = await info.context.loaders.of(independent_seats).load(p.pk)
    chairs_ = sorted({s.post for s in seats if s.role == SeatRole.INDEPENDENT_CHAIR})
    scrutineers = sorted({s.post for s in seats if s.role == SeatRole.INDEPENDENT_SCRUTINEER})
    sources = [Source(document=p.document.title, section=s.source_section) for s in seats
               if s.role in (SeatRole.INDEPENDENT_CHAIR, SeatRole.INDEPENDENT_SCRUTINEER) and s.source_section]
    summary = (f"independent chair: {', '.join(chairs_) or 'none'}; "
               f"scrutineer: {', '.join(scrutineers) or 'none listed as a seat'}")
    return Answer({"independentChairs": chairs_, "scrutineers": scrutineers}, summary, sources[:4])


async def quorum(info: Info, p, fy: FinancialYear) -> Answer:
    c = await comparison_for(info, p, fy)
    value, words, sources = {}, [], []
    for label, g in _board_and_executive(c):
        value[label] = None if g is None else {"group": g.group.name, "requirement": g.quorum_requirement}
        if g is not None:
            words.append(f"{g.group.name}: {g.quorum_requirement}")
            sources.append(g.quorum_source)
    return Answer(value, "; ".join(words), sources)


async def voting(info: Info, p, fy: FinancialYear) -> Answer:
    value, words, sources = {}, [], []
    for label, g in zip(("mainBoard", "executive"), await _main_groups(info, p), strict=True):
        if g is None:
            value[label] = None
            continue
        ctx = await rule_context(info, g)
        r = ctx.rules.voting_rule(group=ctx.ref, seats=ctx.seats, partners=ctx.partners)
        value[label] = {"group": g.name, "carries": r.carries, "tie": r.tie.value, "voters": len(r.voters)}
        words.append(f"{g.name}: {len(r.voters)} votes; {r.carries}")
        sources.append(source_of(r.source))
    return Answer(value, "; ".join(words), sources)


async def dispute_resolution(info: Info, p, fy: FinancialYear) -> Answer:
    ladder = EscalationLadder.of(await ladder_for(info, p.pk, DisputeKind.PROFESSIONAL_DISAGREEMENT))
    independent = [{"stage": s.number, "who": s.who, "actions": [a.value for a in s.actions]}
                   for s in ladder.independent_stages]
    last = ladder.last_resort
    summary = ("arbitrates/mediates: " + ("; ".join(f"{s['who']} ({', '.join(_words(a) for a in s['actions'])})"
                                                     for s in independent) or "no independent stage")
               + f"; last resort: {last.who}")
    return Answer({"independentStages": independent, "lastResort": last.who, "stages": len(ladder.stages)},
                  summary, [ladder.source])


async def funding(info: Info, p, fy: FinancialYear) -> Answer:
    host, statement = await asyncio.gather(resolve_host(info, p.pk, fy), statement_for(info, p.pk, fy))
    line = host.host
    who = (line.agency.name if line and line.agency else (line.post if line else None)) or "not stated"
    money = {k: (getattr(statement, k).pence if getattr(statement, k) else None)
             for k in ("income", "expenditure", "balance")}
    income = statement.income.display if statement.income else "not published"
    expenditure = statement.expenditure.display if statement.expenditure else "not published"
    summary = (f"{who} as {_words(line.role.value) if line else 'host'} ({_words(host.status.value)}); "
               f"income {income}{' (approx.)' if statement.income_approximate else ''}, expenditure {expenditure}")
    sources = [host.source] + ([statement.source] if statement.source else [])
    return Answer({"host": who, "role": line.role.value if line else None, "status": host.status.value, **money},
                  summary, sources)


async def meeting_cadence(info: Info, p, fy: FinancialYear) -> Answer:
    value, words, sources = {}, [], []
    for label, g in zip(("mainBoard", "executive"), await _main_groups(info, p), strict=True):
        value[label] = None if g is None else {"group": g.name, "cadence": g.cadence, "meetingsPerYear": g.meetings_per_year}
        if g is not None:
            words.append(f"{g.name}: {g.cadence or 'not stated'}")
            if g.source_section:
                sources.append(Source(document=p.document.title, section=g.source_section))
    return Answer(value, "; ".join(words), sources)


async def subgroups(info: Info, p, fy: FinancialYear) -> Answer:
    groups = await info.context.loaders.groups_by_partnership.load(p.pk)
    board, executive = await _main_groups(info, p)
    others = [g for g in groups if g is not board and g is not executive]
    by_kind: dict[str, int] = {}
    for g in others:
        by_kind[g.kind.value] = by_kind.get(g.kind.value, 0) + 1
    return Answer({"count": len(others), "byKind": by_kind},
                  f"{len(others)} groups below the main board and executive ("
                  + ", ".join(f"{n} {_words(k)}" for k, n in sorted(by_kind.items())) + ")",
                  [Source(document=p.document.title, section=g.source_section) for g in others if g.source_section][:3])


async def review_timescales(info: Info, p, fy: FinancialYear) -> Answer:
    t = timescales(info, p.code)
    completion = (f"commissioned reviews within {t.review_completion_months} months"
                  if t.review_completion_months else "no completion target for a local review")
    summary = (f"Panel notified within {t.panel_notification_working_days} working days; rapid review within "
               f"{t.rapid_review_working_days} working days; {completion}; published for at least "
               f"{t.minimum_publication_months} months")
    if t.rapid_review_group:
        summary += f"; rapid reviews by the {t.rapid_review_group} group"
    cited = [t.notification_source, t.rapid_review_source, t.completion_source, t.publication_source,
             t.rapid_review_group_source]
    sources: list[Source] = []
    for c in cited:
        if c is not None and source_of(c) not in sources:
            sources.append(source_of(c))
    return Answer({
        "panelNotificationWorkingDays": t.panel_notification_working_days,
        "rapidReviewWorkingDays": t.rapid_review_working_days,
        "reviewCompletionMonths": t.review_completion_months,
        "minimumPublicationMonths": t.minimum_publication_months,
        "rapidReviewGroup": t.rapid_review_group,
    }, summary, sources)


async def rule_status(info: Info, p, fy: FinancialYear) -> Answer:
    """How much of what the API answers the partnership's document states, per topic."""
    book = info.context.registry.rules_for(p.code, document=p.document.title).rulebook()
    counts = book.counts()
    by_topic: dict[str, dict[str, int]] = {}
    for e in book.entries:
        by_topic.setdefault(e.topic.value, {}).setdefault(e.status.value, 0)
        by_topic[e.topic.value][e.status.value] += 1
    summary = (f"{counts['STATED']} stated, {counts['DERIVED']} derived, {counts['BASELINE']} baseline, "
               f"{counts['NOT_STATED']} not stated; {counts['NOT_ENCODED']} not encoded")
    return Answer({"counts": counts, "byTopic": by_topic}, summary,
                  [Source(document=p.document.title, section="rulebook")])


ASPECTS: dict[ComparisonAspect, tuple[str, Callable[[Info, Any, FinancialYear], Awaitable[Answer]]]] = {
    ComparisonAspect.STATUTORY_PARTNERS: ("Statutory partners: how many and which kinds", statutory_partners),
    ComparisonAspect.CHAIRS: ("Who chairs the main board and the executive, and on what basis", chairs),
    ComparisonAspect.INDEPENDENT_SCRUTINY: ("Independent chair and scrutineer", independent_scrutiny),
    ComparisonAspect.QUORUM: ("What makes the main board and the executive quorate", quorum),
    ComparisonAspect.VOTING: ("Who votes and what carries", voting),
    ComparisonAspect.DISPUTE_RESOLUTION: ("Who arbitrates or mediates a partner dispute, and the last resort",
                                          dispute_resolution),
    ComparisonAspect.FUNDING: ("Who hosts the money, and the year's totals", funding),
    ComparisonAspect.MEETING_CADENCE: ("How often the main board and the executive meet", meeting_cadence),
    ComparisonAspect.SUBGROUPS: ("Sub-groups and other groups", subgroups),
    ComparisonAspect.REVIEW_TIMESCALES: ("Practice review timescales", review_timescales),
    ComparisonAspect.RULE_STATUS: ("How many of the rules the document states, derives, leaves to the baseline or "
                                   "does not state", rule_status),
}
described(ComparisonAspect, {aspect.name: f"{title}." for aspect, (title, _) in ASPECTS.items()})


async def build_matrix(info: Info, partnerships: list, aspects: list[ComparisonAspect], fy: FinancialYear) -> ComparisonMatrix:
    """Every cell concurrently, so each relation is one batched statement for all partnerships."""
    jobs = [ASPECTS[a][1](info, p, fy) for a in aspects for p in partnerships]
    answers = iter(await asyncio.gather(*jobs))
    rows = []
    for aspect in aspects:
        cells = []
        for p in partnerships:
            answer = next(answers)
            cells.append(ComparisonCell(partnership_id=p.pk, value=answer.value, summary=answer.summary,
                                        sources=answer.sources))
        rows.append(ComparisonRow(aspect=aspect, title=ASPECTS[aspect][0], cells=cells))
    return ComparisonMatrix(financial_year=str(fy), rows=rows)


def current_financial_year() -> FinancialYear:
    return FinancialYear.containing(dt.date.today())
