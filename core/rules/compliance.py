"""The Working Together 2018 checklist of what published arrangements must cover, and the
evidence that a partnership's arrangements cover it.

The list is WT2018 ch.3, pp. 79–80, as Sefton's arrangements reproduce it in their
Introduction. Evidence comes from two places: what core can read off the data and the rule
hooks (a statutory partner list, a ladder the borough's own document sets …), and what a
borough's plugin cites through the collecting hook ``compliance_evidence``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from core.rules.common import WT2018, Citation

CHECKLIST_SOURCE = Citation(WT2018, "ch.3, pp. 79–80 (as reproduced in Sefton's arrangements, Introduction)")


class ComplianceItem(enum.StrEnum):
    PARTNERS = "PARTNERS"
    RELEVANT_AGENCIES = "RELEVANT_AGENCIES"
    SCHOOLS_AND_EARLY_YEARS = "SCHOOLS_AND_EARLY_YEARS"
    YOUTH_CUSTODY_AND_RESIDENTIAL_HOMES = "YOUTH_CUSTODY_AND_RESIDENTIAL_HOMES"
    DATA_AND_INTELLIGENCE = "DATA_AND_INTELLIGENCE"
    TRAINING_AND_AUDITS = "TRAINING_AND_AUDITS"
    FUNDING = "FUNDING"
    PRACTICE_REVIEWS = "PRACTICE_REVIEWS"
    VOICE_OF_CHILDREN_AND_FAMILIES = "VOICE_OF_CHILDREN_AND_FAMILIES"
    THRESHOLD_DOCUMENT = "THRESHOLD_DOCUMENT"
    DISPUTE_RESOLUTION = "DISPUTE_RESOLUTION"
    ANNUAL_REPORTING = "ANNUAL_REPORTING"
    INDEPENDENT_SCRUTINY = "INDEPENDENT_SCRUTINY"


#: What each item asks, in WT2018's words (abridged).
TITLES: dict[ComplianceItem, str] = {
    ComplianceItem.PARTNERS: "who the local safeguarding partners are",
    ComplianceItem.RELEVANT_AGENCIES: "the relevant agencies the partners will work with, and why",
    ComplianceItem.SCHOOLS_AND_EARLY_YEARS: "how early years settings, schools and other educational establishments are included",
    ComplianceItem.YOUTH_CUSTODY_AND_RESIDENTIAL_HOMES: "how youth custody and residential homes for children are included",
    ComplianceItem.DATA_AND_INTELLIGENCE: "how data and intelligence are used to assess the help given, including early help",
    ComplianceItem.TRAINING_AND_AUDITS: "how inter-agency training is commissioned and monitored, and how audits are undertaken",
    ComplianceItem.FUNDING: "how the arrangements will be funded",
    ComplianceItem.PRACTICE_REVIEWS: "the process for local child safeguarding practice reviews and embedding learning",
    ComplianceItem.VOICE_OF_CHILDREN_AND_FAMILIES: "how the arrangements include the voice of children and families",
    ComplianceItem.THRESHOLD_DOCUMENT: "how the threshold document aligns with the arrangements",
    ComplianceItem.DISPUTE_RESOLUTION: "dispute resolution",
    ComplianceItem.ANNUAL_REPORTING: "reporting annually",
    ComplianceItem.INDEPENDENT_SCRUTINY: "independent scrutiny of the effectiveness of the arrangements",
}


@dataclass(frozen=True)
class Evidence:
    item: ComplianceItem
    summary: str
    source: Citation


@dataclass(frozen=True)
class ItemResult:
    item: ComplianceItem
    title: str
    evidence: tuple[Evidence, ...]

    @property
    def satisfied(self) -> bool:
        return bool(self.evidence)


def cited(rows: Iterable[tuple[ComplianceItem, str, str]], document: str) -> list[Evidence]:
    """Evidence from a plugin's table of ``(item, section, what the document says there)``,
    each cited to ``document`` at its section: what a ``compliance_evidence`` hook returns."""
    return [Evidence(item, summary, Citation(document, section)) for item, section, summary in rows]


def checklist(evidence: Iterable[Evidence]) -> list[ItemResult]:
    """Every item, in WT2018's order, with the evidence found for it (none: missing)."""
    by_item: dict[ComplianceItem, list[Evidence]] = {item: [] for item in ComplianceItem}
    for e in evidence:
        if e not in by_item[e.item]:
            by_item[e.item].append(e)
    return [ItemResult(item, TITLES[item], tuple(by_item[item])) for item in ComplianceItem]
