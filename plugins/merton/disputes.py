"""Merton: disputes hooks — only where the document departs from the baseline.

Merton Partnership Agreement §14 (Dispute Resolution): stage 1 the Statutory Partners meet;
stage 2 the Independent Person arbitrates; stage 3 the Independent Person determines; stage 4
the Secretary of State may take enforcement action (CSWA 2017). §8.13: the Independent
Scrutineer discloses to Ofsted and the DfE when normal dispute resolution has become untenable.
The same ladder serves every kind of dispute ("disputes within the Partnership", §14.1).
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.rules.common import Citation
from core.rules.disputes import Disclosure, DisputeAction, LadderActor, Step, ladder

__all__ = ["dispute_escalation_ladder"]


@hookimpl
def dispute_escalation_ladder(kind, document):
    s14 = Citation(document, "§14")
    ip = "the Independent Person"
    return ladder(kind, s14, [
        # Merton §14 Stage 1
        Step(LadderActor.STATUTORY_PARTNERS, "the Statutory Partners", (DisputeAction.MEET,),
             Citation(document, "§14 Stage 1"), "the Statutory Partners meet to secure an agreement"),
        # Merton §14 Stage 2
        Step(LadderActor.INDEPENDENT_PERSON, ip, (DisputeAction.ARBITRATE,),
             Citation(document, "§14 Stage 2"), "the Independent Person arbitrates"),
        # Merton §14 Stage 3
        Step(LadderActor.INDEPENDENT_PERSON, ip, (DisputeAction.DETERMINE,),
             Citation(document, "§14 Stage 3"), "the Independent Person determines"),
        # Merton §14 Stage 4
        Step(LadderActor.SECRETARY_OF_STATE, "the Secretary of State", (DisputeAction.REFER,),
             Citation(document, "§14 Stage 4"), "the Secretary of State's enforcement action"),
    ], reasons=("§14.1: disputes are normally raised and resolved at meetings of the Executive Group",),
        disclosures=(Disclosure(
            LadderActor.SCRUTINEER, "the Independent Scrutineer", "Ofsted and the DfE",
            "the Partnership is failing to fulfil its statutory responsibilities and normal processes of "
            "challenge and dispute resolution have become untenable", Citation(document, "§8.13")),))
