"""Lewisham: reviews and annual-report hooks, each answer citing its entry in ``rulebook.toml``.

MoU 2019/20, Learning from Practice Group ToR: the group "will also act as the nucleus for any
Rapid Reviews undertaken as a result of a serious safeguarding incident that has been reported
to the national Panel". The MoU states no notification, rapid review, completion or publication
period, so those are WT2018's and the Panel's, as defaults. "Report on Their Arrangements": a
copy of the annual report to the Panel and the What Works Centre within seven days of
publication, and the five things the report includes; where it is published and who signs it
off are not stated.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from core.plugin_api import AnnualReportRecipients, Rulebook, baseline_timescales, hookimpl

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))

#: "The report will include:" — the five bullets of "Report on Their Arrangements", in order.
CONTENTS = (
    "evidence of the impact of the work of the safeguarding partners and relevant agencies, including training, on "
    "outcomes for children and families from early help to children in care and care leavers",
    "an analysis of areas where there has been little or no evidence of progress on agreed priorities",
    "a record of decisions and actions taken, or planned, to implement the recommendations of any local and "
    "national child safeguarding practice reviews",
    "ways in which the partners have sought and used feedback from children and families to inform their work and "
    "influence service",
    "any updates to the published arrangements and the proposed timescale for implementation",
)


@hookimpl
def review_timescales(document):
    base = baseline_timescales()
    return replace(
        base,
        rapid_review_group="learning-from-practice",
        rapid_review_group_source=RULES.cite("reviews-rapid-review-group", document),
        reasons=(*base.reasons, "the Learning from Practice Group is the nucleus for rapid reviews; the MoU states "
                                "no period, so the periods above are WT2018's and the Panel's, as defaults"),
    )


@hookimpl
def annual_report_recipients(document):
    return AnnualReportRecipients(
        # As the MoU names them ("the Child Safeguarding Review Panel" is the Child Safeguarding Practice
        # Review Panel).
        recipients=("Child Safeguarding Review Panel", "What Works Centre for Children's Social Care"),
        within_days=7,
        source=RULES.cite("annual-report-recipients", document),
        reasons=("the safeguarding partners publish a report on the effectiveness of their arrangements at least "
                 "once a year and send a copy to the Child Safeguarding Review Panel (the Child Safeguarding "
                 "Practice Review Panel) and the What Works Centre within seven days of publication",
                 "where it is published is not stated (only that it is 'widely shared'), nor who signs it off"),
        publication=(),
        publication_source=RULES.cite("annual-report-publication", document),
        sign_off=None,
        sign_off_source=RULES.cite("annual-report-sign-off", document),
        contents=CONTENTS,
        contents_source=RULES.cite("annual-report-contents", document),
    )
