"""Working Together 2018 baseline: reviews hooks (trylast).

WT2018 ch.4: notify the Panel and the safeguarding partners within five working days; the
Panel's guidance: rapid review within 15 working days of the notification; no fixed time to
complete a local review; publications public for at least a year. WT2018 ch.3: the annual
report goes to the Panel and the What Works Centre within seven days of publication.
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.rules.reviews import baseline_annual_report_recipients, baseline_timescales


@hookimpl(trylast=True)
def review_timescales(document):
    return baseline_timescales()


@hookimpl(trylast=True)
def annual_report_recipients(document):
    return baseline_annual_report_recipients()
