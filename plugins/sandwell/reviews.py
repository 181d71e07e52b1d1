"""Sandwell: reviews hooks — only where the document departs from the baseline.

MASA 2021 §15 (Child Safeguarding Practice Review Group): "The group process endeavours to
have all reviews commissioned completed within 6 months."
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
    # Sandwell §15
    return replace(
        base,
        review_completion_months=6,
        completion_source=Citation(document, "§15"),
        rapid_review_group="cspr",
        rapid_review_group_source=Citation(document, "§15"),
        reasons=(*base.reasons[:2],
                 "the CSPR group aims to complete every commissioned review within 6 months",
                 base.reasons[3]),
    )
