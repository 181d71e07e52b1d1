"""Working Together 2018 baseline: disputes hooks (trylast).

WT2018 ch.3 expects safeguarding partners and relevant agencies to resolve disputes locally;
a public body that fails its obligations under the Children and Social Work Act 2017 answers
in extremis to the Secretary of State. So the baseline ladder has two stages, the same for
every kind of dispute.
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.rules.disputes import WT2018_DISPUTES, DisputeAction, LadderActor, Step, ladder


@hookimpl(trylast=True)
def dispute_escalation_ladder(kind, document):
    return ladder(kind, WT2018_DISPUTES, [
        Step(LadderActor.STATUTORY_PARTNERS, "the safeguarding partners and relevant agencies",
             (DisputeAction.MEET,), WT2018_DISPUTES, "the partners resolve it locally"),
        Step(LadderActor.SECRETARY_OF_STATE, "the Secretary of State",
             (DisputeAction.REFER,), WT2018_DISPUTES, "in extremis, the Secretary of State"),
    ], reasons=("WT2018 ch.3: disputes are resolved locally; in extremis the Secretary of State acts",))
