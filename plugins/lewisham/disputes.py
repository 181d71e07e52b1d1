"""Lewisham: the escalation ladders of "Decision Making and Dispute Resolution", each kind
citing the words that send it there (``rulebook.toml``).

The MoU gives one ladder, for a partner whose delegated lead representative "is not ensuring
that their agency is fulfilling its obligations": the Executive, then the Chief Executive,
Accountable Officer and BCU Commander, then the Scrutineer "for mediation and resolution"
(STATED). A funding default climbs it because the Funding section deploys "the dispute
resolution process", and a dispute between partners or agencies because the MoU gives no other
(both DERIVED, and the reasons say so). An Executive member who believes a decision would put
children at risk may ask the Scrutineer directly (STATED). Practitioner and case-level disputes
follow the Escalation Policy, whose stages the MoU does not publish: the reasons point to it.
"""

from __future__ import annotations

from pathlib import Path

from core.plugin_api import (
    DisputeAction,
    DisputeKind,
    LadderActor,
    Rulebook,
    Step,
    hookimpl,
    ladder,
)

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))

SCRUTINEER = "the Independent Scrutineer"
CHIEF_OFFICERS = ("the Chief Executive of the Borough of Lewisham, the Accountable Officer of NHS Lewisham CCG and "
                  "the BCU Commander")
PRACTITIONER_POLICY = ("at practitioner and individual case level, disputes about the best way to safeguard "
                       "children follow the Lewisham Safeguarding Children Escalation Policy on resolving "
                       "professional differences, whose stages the MoU does not publish")

#: Why each kind climbs the obligations ladder: (rule, reasons).
_TRIGGERS = {
    DisputeKind.PARTNER_NOT_MEETING_OBLIGATIONS: ("disputes-obligations-executive", (
        "a partner whose delegated lead representative is not ensuring that their agency fulfils its obligations "
        "is discussed in the Executive, then escalated to the chief officers, then the Scrutineer mediates",)),
    DisputeKind.FUNDING_DEFAULT: ("disputes-funding-default", (
        "a safeguarding partner not fulfilling its funding responsibilities deploys 'the dispute resolution "
        "process': the MoU's one ladder, written for a partner not fulfilling its obligations",)),
    DisputeKind.PROFESSIONAL_DISAGREEMENT: ("disputes-between-partners", (
        "the MoU commits to resolving any dispute between the partners, relevant agencies and other organisations "
        "quickly, and gives one ladder (for a partner not fulfilling its obligations); no other is given for a "
        "dispute between partners or agencies, so that one is applied",
        PRACTITIONER_POLICY)),
}


@hookimpl
def dispute_escalation_ladder(kind, document):
    if kind == DisputeKind.CHILDREN_AT_RISK_CHALLENGE:
        source = RULES.cite("disputes-children-at-risk", document)
        return ladder(kind, source, [
            Step(LadderActor.SCRUTINEER, SCRUTINEER, (DisputeAction.MEDIATE, DisputeAction.DETERMINE), source,
                 "the Scrutineer considers and resolves the challenge"),
        ], reasons=("a member of the Executive who believes a decision would put children at risk or expose the "
                    "partnership to reputational damage may ask the Scrutineer for consideration and resolution",
                    "'consideration and resolution' does not say whether the Scrutineer mediates or decides: both "
                    "are open"))
    rule_id, reasons = _TRIGGERS[kind]
    return ladder(kind, RULES.cite(rule_id, document), [
        Step(LadderActor.EXECUTIVE, "the Executive", (DisputeAction.MEET,),
             RULES.cite("disputes-obligations-executive", document), "discussion within the Executive"),
        Step(LadderActor.CHIEF_OFFICERS, CHIEF_OFFICERS, (DisputeAction.MEET,),
             RULES.cite("disputes-obligations-chief-officers", document), "escalation to the chief officers"),
        Step(LadderActor.SCRUTINEER, SCRUTINEER, (DisputeAction.MEDIATE,),
             RULES.cite("disputes-obligations-scrutineer", document),
             "the Scrutineer is called in for mediation and resolution"),
    ], reasons=reasons)
