"""Merton: reviews hooks — App. 7 and §§8.7, 9 as they read, citing ``rulebook.toml``.

App. 7 quotes Working Together 2018 into the Agreement: notify the Panel and the safeguarding
partners within five working days; published reports stay public for at least one year. The
rapid review is "promptly … in line with any guidance published by the Panel" (the Panel's 15
working days stay the default) and no completion time is set.

The annual report (§8.7, §9, §10): published on the Partnership's website, signed off through
the statutory partners' governance and approved at the September Partnership meeting, sent
within seven days of publication to the Secretary of State, the DfE, Ofsted, the Panel and the
What Works Centre (§9.3). §8.7 also shares it with the Health and Well-Being Board, with no time
stated: the Board is named in the reasons, not given an invented seven-day due date.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from core.plugin_api import AnnualReportRecipients, Rulebook, baseline_timescales, hookimpl

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))

#: What §8.7, §9.1–9.3 and App. 6 say the annual report contains, in their order.
CONTENTS = (
    "the work partners have done as a result of the arrangements and how effective the arrangements have been "
    "in practice",
    "actions relating to local child safeguarding practice reviews and what the safeguarding partners have done "
    "as a result",
    "a summary of the Partnership's self-evaluation",
    "the key findings of the Independent Scrutineer's evaluation of the effectiveness of the Partnership",
    "evidence of the impact of the work of the safeguarding partners and relevant agencies on outcomes for "
    "children and families",
    "a record of actions taken (or planned) in the period to implement the recommendations of any reviews",
    "ways in which the partners have sought and used feedback from children, young people and families",
    "local challenges to safeguarding and any national implications arising from these",
    "an evaluation of the effectiveness of the Partnership's own work and of the local multi-agency partnership",
    "a rigorous and transparent assessment of the effectiveness of local services, including any identified "
    "weaknesses and any lessons from reviews",
)


@hookimpl
def business_plan_files():
    # Merton Safeguarding Children Board Business Plan 2014–16 (with its Risk & Challenge Log)
    return [Path(__file__).with_name("business_plan_2014_16.toml")]


@hookimpl
def review_timescales(document):
    notify = RULES.cite("reviews-notify-panel", document)
    return replace(
        baseline_timescales(),
        notification_source=notify,
        publication_source=RULES.cite("reviews-public-for-a-year", document),
        reasons=(
            "App. 7: the local authority notifies the Panel within five working days of becoming aware of the "
            "incident, and reports it to the safeguarding partners within five working days",
            "App. 7: the safeguarding partners undertake the rapid review promptly, in line with the Panel's "
            "guidance: the Panel's 15 working days from the notification apply by default",
            "no time is set for completing a local review (neither the Agreement nor WT2018 sets one)",
            "App. 7: published reports or information stay publicly available for at least one year",
        ),
    )


@hookimpl
def annual_report_recipients(document):
    shared = RULES.get("annual-report-shared")
    return AnnualReportRecipients(
        recipients=(
            "Secretary of State for Education",
            "Department for Education",
            "Ofsted",
            "Child Safeguarding Practice Review Panel",
            "What Works Centre for Children's Social Care",
        ),
        within_days=7,
        source=RULES.cite("annual-report-recipients", document),
        reasons=(
            "§9.3: the approved report is sent to the Secretary of State for Education, the DfE, Ofsted, the Panel "
            "and the What Works Centre within seven days of publication",
            f"§8.7: the report is also shared with the Health and Well-Being Board, with no time stated, so no due "
            f"date is given for it (\"{shared.quote}\"; whether the statutory partners' own governance bodies also "
            "receive it is not clear)",
            "§10: the report is approved at the September Partnership meeting",
        ),
        publication=("the Merton Safeguarding Children Partnership website",),
        publication_source=RULES.cite("annual-report-website", document),
        sign_off="through the governance arrangements of the Statutory Partners; approved at the September "
                 "Partnership meeting (§10)",
        sign_off_source=RULES.cite("annual-report-sign-off", document),
        contents=CONTENTS,
        contents_source=RULES.cite("annual-report-contents-work-and-effectiveness", document),
        undated_recipients=("Health and Well-Being Board",),
        undated_source=RULES.cite("annual-report-shared", document),
    )
