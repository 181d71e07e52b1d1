"""Lewisham: disputes hooks — only where the MoU 2019/20 departs from the baseline.

"Decision Making and Dispute Resolution": a partner not fulfilling its obligations is first
discussed within the Executive, then escalated to the Chief Executive of the Borough of
Lewisham, the Accountable Officer of NHS Lewisham CCG and the BCU Commander, and finally the
Scrutineer is called in for mediation and resolution. A member of the Executive who believes
a decision would put children at risk (or expose the partnership to reputational damage) may
ask the Scrutineer directly. "Operational Activity and Management – Funding": a safeguarding
partner that does not fulfil its funding responsibilities triggers the same process (the
funding hook ``funding_default_action`` says so; its dispute climbs this ladder).
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.rules.common import Citation
from core.rules.disputes import DisputeAction, DisputeKind, LadderActor, Step, ladder

__all__ = ["dispute_escalation_ladder"]

SECTION = "Decision Making and Dispute Resolution"
FUNDING = "Operational Activity and Management – Funding"
SCRUTINEER = "the Independent Scrutineer"


@hookimpl
def dispute_escalation_ladder(kind, document):
    source = Citation(document, SECTION)
    if kind == DisputeKind.CHILDREN_AT_RISK_CHALLENGE:
        return ladder(kind, source, [
            Step(LadderActor.SCRUTINEER, SCRUTINEER, (DisputeAction.MEDIATE,), source,
                 "the Scrutineer considers and resolves the challenge"),
        ], reasons=("a member of the Executive who believes a decision would put children at risk or expose the "
                    "partnership to reputational damage may ask the Scrutineer for consideration and resolution",))
    reasons = ("a partner not fulfilling its obligations is discussed in the Executive, then escalated to the "
               "chief officers, then the Scrutineer mediates",)
    if kind == DisputeKind.FUNDING_DEFAULT:
        reasons += ("a safeguarding partner not fulfilling its funding responsibilities deploys the dispute "
                    f"resolution process ({FUNDING})",)
    return ladder(kind, source, [
        Step(LadderActor.EXECUTIVE, "the Executive", (DisputeAction.MEET,), source,
             "discussion within the Executive"),
        Step(LadderActor.CHIEF_OFFICERS,
             "the Chief Executive of the Borough of Lewisham, the Accountable Officer of NHS Lewisham CCG and the "
             "BCU Commander", (DisputeAction.MEET,), source, "escalation to the chief officers"),
        Step(LadderActor.SCRUTINEER, SCRUTINEER, (DisputeAction.MEDIATE,), source,
             "the Scrutineer is called in for mediation and resolution"),
    ], reasons=reasons)
