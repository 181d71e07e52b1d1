"""The Working Together 2018 compliance checklist of a partnership, as GraphQL types.

The evidence is read off data the other domains already load (through their own resolver
helpers, so an item can never disagree with the field it points at) and off the borough's
own rule answers; compliance has no table of its own."""

from __future__ import annotations

import asyncio
import datetime as dt

import strawberry
from strawberry.types import Info

from core.enums import AgencyKind, SeatRole
from core.financial_year import FinancialYear
from core.rules import compliance as rules
from core.rules.common import Citation
from core.rules.disputes import DisputeKind
from core.rules.funding import HostStatus
from schema.disputes.types import ladder_for
from schema.funding.types import resolve_host
from schema.reviews.types import timescales
from schema.types.common import Source, described

ComplianceItem = described(
    strawberry.enum(rules.ComplianceItem, description="An item WT2018 says published arrangements must cover."),
    {item.name: f"The arrangements must set out {title}." for item, title in rules.TITLES.items()})


@strawberry.type(description="Something in the arrangements that covers a checklist item.")
class ComplianceEvidence:
    summary: str = strawberry.field(description="What the arrangements say, in a sentence.")
    source: Source = strawberry.field(description="Where they say it.")


@strawberry.type(description="One checklist item: covered by named data or rules, or missing.")
class ComplianceItemResult:
    item: ComplianceItem = strawberry.field(description="The item.")
    title: str = strawberry.field(description="What WT2018 asks, in its words (abridged).")
    satisfied: bool = strawberry.field(description="At least one piece of evidence covers it.")
    evidence: list[ComplianceEvidence] = strawberry.field(description="The evidence; empty when the item is missing.")


@strawberry.type(description="The partnership's arrangements against the WT2018 checklist.")
class ComplianceReport:
    items: list[ComplianceItemResult] = strawberry.field(description="Every item, in WT2018's order.")
    satisfied_count: int = strawberry.field(description="How many items are covered.")
    missing: list[ComplianceItem] = strawberry.field(description="Items the arrangements do not evidence.")
    source: Source = strawberry.field(description="Where the checklist comes from.")


def _own(c: Citation, document: str) -> bool:
    return c is not None and c.document == document


async def data_evidence(info: Info, p) -> list[rules.Evidence]:
    """Evidence core reads off the loaded data and the borough's own rule answers."""
    doc = p.document.title
    E, Item = rules.Evidence, rules.ComplianceItem
    loaders = info.context.loaders
    partners, agencies, groups = await asyncio.gather(
        loaders.statutory_partners_by_partnership.load(p.pk), loaders.agencies_by_partnership.load(p.pk),
        loaders.groups_by_partnership.load(p.pk))
    seats = [s for per in await loaders.seats_by_group.load_many([g.pk for g in groups]) for s in per]
    out: list[rules.Evidence] = []
    if len(partners) >= 3:
        out.append(E(Item.PARTNERS, f"{len(partners)} safeguarding partners named",
                     Citation(doc, partners[0].source_section)))
    relevant = [s for s in seats if s.role == SeatRole.RELEVANT_AGENCY]
    if relevant:
        out.append(E(Item.RELEVANT_AGENCIES, f"{len({s.agency_id for s in relevant})} relevant agencies hold seats",
                     Citation(doc, relevant[0].source_section)))
    education = {a.pk for a in agencies if a.kind == AgencyKind.EDUCATION}
    schools = [s for s in seats if s.agency_id in education]
    if schools:
        out.append(E(Item.SCHOOLS_AND_EARLY_YEARS, f"{len(schools)} seats for schools and education",
                     Citation(doc, schools[0].source_section)))
    scrutineers = [s for s in seats if s.role == SeatRole.INDEPENDENT_SCRUTINEER]
    if scrutineers:
        out.append(E(Item.INDEPENDENT_SCRUTINY, f"a seat for the {scrutineers[0].post}", Citation(doc, scrutineers[0].source_section)))

    ladder = await ladder_for(info, p.pk, DisputeKind.PROFESSIONAL_DISAGREEMENT)
    if _own(ladder.source, doc):
        out.append(E(Item.DISPUTE_RESOLUTION, f"a {len(ladder.stages)}-stage escalation ladder", ladder.source))
    host = await resolve_host(info, p.pk, FinancialYear.containing(dt.date.today()))
    # Only a host the document states (or the partnership recorded) is evidence; "not stated" is none.
    if host.status in (HostStatus.STATED, HostStatus.RECORDED) and host.source and host.source.document == doc:
        out.append(E(Item.FUNDING, "who hosts the partnership's money",
                     Citation(doc, host.source.section, host.source.quote)))
    t = timescales(info, p.code)
    own = [c for c in (t.notification_source, t.rapid_review_source, t.completion_source, t.rapid_review_group_source)
           if _own(c, doc)]
    if own:
        out.append(E(Item.PRACTICE_REVIEWS, "its own practice-review timescales or rapid-review group", own[0]))
    recipients = info.context.registry.rules_for(p.code, document=doc).annual_report_recipients()
    if _own(recipients.source, doc):
        out.append(E(Item.ANNUAL_REPORTING, f"the annual report goes to {len(recipients.recipients)} named recipients",
                     recipients.source))
    return out


async def compliance_for(info: Info, p) -> ComplianceReport:
    evidence = (await data_evidence(info, p)
                + info.context.registry.rules_for(p.code, document=p.document.title).compliance_evidence())
    results = rules.checklist(evidence)
    return ComplianceReport(
        items=[ComplianceItemResult(item=r.item, title=r.title, satisfied=r.satisfied,
                                    evidence=[ComplianceEvidence(summary=e.summary, source=Source(
                                        document=e.source.document, section=e.source.section)) for e in r.evidence])
               for r in results],
        satisfied_count=sum(r.satisfied for r in results),
        missing=[r.item for r in results if not r.satisfied],
        source=Source(document=rules.CHECKLIST_SOURCE.document, section=rules.CHECKLIST_SOURCE.section),
    )
