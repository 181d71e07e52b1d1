"""Sandwell: the §25 escalation ladder, each stage citing the rulebook entry it applies.

Where members are concerned about agency inaction on a real-time case, the practitioner
protocol "Resolving Practitioner Disagreement and Escalation of Concerns" is followed first;
members then resolve differences through discussion or meeting, close to where the issue arose;
unresolved concerns are referred to the SCSP Chair. The MASA says neither how the Chair settles
a concern (recorded as arbitration, a DERIVED step) nor of any stage after the Chair, nor of a
partner that does not pay (its ladder is §25's for issues between constituent partners).
"""

from __future__ import annotations

from core.plugin_api import DisputeAction, DisputeKind, LadderActor, Step, hookimpl, ladder

from . import RULES

#: Kinds that can arise from a real-time case, where the practitioner protocol comes first.
CASE_KINDS = frozenset({DisputeKind.PROFESSIONAL_DISAGREEMENT, DisputeKind.CHILDREN_AT_RISK_CHALLENGE})

#: The rulebook entry that says which ladder a kind of dispute climbs.
SCOPE = {
    DisputeKind.PROFESSIONAL_DISAGREEMENT: "disputes-case-kinds",
    DisputeKind.CHILDREN_AT_RISK_CHALLENGE: "disputes-case-kinds",
    DisputeKind.PARTNER_NOT_MEETING_OBLIGATIONS: "disputes-partner-kinds",
    DisputeKind.FUNDING_DEFAULT: "disputes-funding-default",
}


@hookimpl
def dispute_escalation_ladder(kind, document):
    steps = []
    reasons = ["§25: resolve close to where the issue arose; unresolved concerns go to the SCSP Chair, the last "
               "stage the MASA names (it names none after the Chair, and does not say how the Chair settles a concern)"]
    if kind in CASE_KINDS:
        steps.append(Step(LadderActor.PRACTITIONERS, "practitioners and managers of the agencies concerned",
                          (DisputeAction.MEET,), RULES.cite("disputes-practitioner-first", document),
                          "the practitioner escalation protocol"))
        reasons.append("§25 puts the practitioner protocol first where the concern is agency inaction affecting a "
                       "real-time case; a disagreement that is not about a case starts, in effect, with the members: "
                       "escalate it past the first stage")
    if kind == DisputeKind.FUNDING_DEFAULT:
        reasons.append("the MASA says nothing of a partner that does not pay: §25's ladder for issues between "
                       "constituent partners applies")
    steps += [
        Step(LadderActor.PARTNERSHIP_MEMBERS, "the SCSP members concerned", (DisputeAction.MEET,),
             RULES.cite("disputes-members", document), "members resolve by discussion or meeting"),
        Step(LadderActor.PARTNERSHIP_CHAIR, "the SCSP Chair", (DisputeAction.ARBITRATE,),
             RULES.cite("disputes-chair", document), "unresolved concerns go to the Partnership Chair"),
    ]
    return ladder(kind, RULES.cite(SCOPE[kind], document), steps, reasons=tuple(reasons))
