"""Lewisham: reviews hooks — only where the document departs from the baseline.

MoU 2019/20, Learning from Practice Group ToR: the group "will also act as the nucleus for any
Rapid Reviews undertaken as a result of a serious safeguarding incident that has been reported
to the national Panel". Deadlines follow the baseline.
"""

from __future__ import annotations

from dataclasses import replace

from core.hookspecs import hookimpl
from core.rules.common import Citation
from core.rules.reviews import baseline_timescales

__all__ = ["review_timescales"]


@hookimpl
def review_timescales(document):
    base = baseline_timescales()
    return replace(
        base,
        rapid_review_group="learning-from-practice",
        rapid_review_group_source=Citation(document, "Learning from Practice Group ToR"),
        reasons=(*base.reasons, "the Learning from Practice Group is the nucleus for rapid reviews"),
    )
