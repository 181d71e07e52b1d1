"""Sefton: disputes hooks — only where the Arrangements 2021 depart from the baseline.

"Resolution of disputes": the Sefton Escalation Procedure; partners and relevant agencies
resolve disputes locally; in extremis non-compliance is referred to the Secretary of State.
"Arrangements for independent scrutiny": the Independent Scrutineer offers mediation to the
statutory partners and agencies in disagreement, and independent review of escalated concerns.
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.rules.common import Citation
from core.rules.disputes import DisputeAction, LadderActor, Step, ladder

__all__ = ["dispute_escalation_ladder"]

DISPUTES = "Resolution of disputes"
SCRUTINY = "Arrangements for independent scrutiny of the effectiveness of the arrangements"


@hookimpl
def dispute_escalation_ladder(kind, document):
    source = Citation(document, DISPUTES)
    return ladder(kind, source, [
        Step(LadderActor.PARTNERSHIP_MEMBERS,
             "the safeguarding partners and relevant agencies, under the Sefton Escalation Procedure",
             (DisputeAction.MEET,), source, "the Sefton Escalation Procedure"),
        Step(LadderActor.SCRUTINEER, "the Independent Scrutineer", (DisputeAction.MEDIATE,),
             Citation(document, SCRUTINY), "the Scrutineer offers mediation and independent review"),
        Step(LadderActor.SECRETARY_OF_STATE, "the Secretary of State", (DisputeAction.REFER,), source,
             "in extremis, referral to the Secretary of State"),
    ], reasons=("disputes are resolved locally under the Sefton Escalation Procedure",))
