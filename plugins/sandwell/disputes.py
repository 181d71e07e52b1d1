"""Sandwell: disputes hooks — only where the MASA 2021 departs from the baseline.

§25 Dispute Resolution: where members are concerned about agency inaction on a real-time case,
the practitioner protocol "Resolving Practitioner Disagreement and Escalation of Concerns" is
followed first; members then resolve differences through discussion or meeting; unresolved
concerns are referred to the SCSP Chair. A dispute about a partner's obligations or funding is
not a practitioner matter, so it starts with the members.
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.rules.common import Citation
from core.rules.disputes import DisputeAction, DisputeKind, LadderActor, Step, ladder

__all__ = ["dispute_escalation_ladder"]

#: Kinds that can arise from a real-time case, where the practitioner protocol comes first.
CASE_KINDS = frozenset({DisputeKind.PROFESSIONAL_DISAGREEMENT, DisputeKind.CHILDREN_AT_RISK_CHALLENGE})


@hookimpl
def dispute_escalation_ladder(kind, document):
    s25 = Citation(document, "§25")
    steps = []
    if kind in CASE_KINDS:
        steps.append(Step(LadderActor.PRACTITIONERS, "practitioners and managers of the agencies concerned",
                          (DisputeAction.MEET,), s25, "the practitioner escalation protocol"))
    steps += [
        Step(LadderActor.PARTNERSHIP_MEMBERS, "the SCSP members concerned", (DisputeAction.MEET,), s25,
             "members resolve by discussion or meeting"),
        Step(LadderActor.PARTNERSHIP_CHAIR, "the SCSP Chair", (DisputeAction.ARBITRATE,), s25,
             "unresolved concerns go to the Partnership Chair"),
    ]
    return ladder(kind, s25, steps, reasons=("§25: resolve close to where the issue arose; the SCSP Chair last",))
