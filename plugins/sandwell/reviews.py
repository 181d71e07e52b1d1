"""Sandwell: reviews and annual-report hooks, each citing the rulebook entry it applies.

§15: the local authority notifies the DfE, Ofsted and the National Panel within 5 working
days; a Rapid Review Panel of the statutory agencies considers each case; the CSPR group
"endeavours to have all reviews commissioned completed within 6 months". §8: the annual
report's contents, its presentation to the partners' own governance bodies and its
publication on each partner's website. What the MASA does not set (the rapid review's 15
working days, the year a publication stays up, the seven days for the Panel's copy, who
signs the report off) is WT2018's or not stated, and said to be.
"""

from __future__ import annotations

from dataclasses import replace

from core.plugin_api import (
    AnnualReportRecipients,
    baseline_annual_report_recipients,
    baseline_timescales,
    hookimpl,
)

from . import RULES

#: The four safeguarding partners whose websites publish the annual report (§8), as §2 names them.
PARTNER_WEBSITES = (
    "Sandwell Metropolitan Borough Council's website",
    "Sandwell Children's Trust's website",
    "West Midlands Police's website",
    "Sandwell Clinical Commissioning Group's website",
)

#: §8's governance and accountability bodies, read with §7's list (rulebook: annual-report-recipients).
GOVERNANCE_BODIES = (
    "the Local Authority Overview and Scrutiny Committee (Sandwell Metropolitan Borough Council's Scrutiny Committee)",
    "Sandwell Children's Trust (its Board)",
    "the Police and Crime Commissioner",
    "the Clinical Commissioning Group (its Governing Body)",
)

#: §8 (a–e, and its first paragraph), §15 and §26, in the document's order.
CONTENTS = (
    "evidence of the impact of the work of the safeguarding partners and relevant agencies, including training, on "
    "outcomes for children and families from early help to looked-after children and care leavers (§8 a)",
    "an analysis of any areas where there has been little or no evidence of progress on agreed priorities (§8 b)",
    "a record of decisions and actions taken by the partners in the report's period (or planned to be taken) to "
    "implement the recommendations of any local and national child safeguarding practice reviews, including any "
    "resulting improvements (§8 c)",
    "ways in which the partners have sought and utilised feedback from children and families to inform their work "
    "and influence service provision (§8 d)",
    "the safeguarding partners' review of the use of restraint where applicable within their establishments, from "
    "their annual report returns (§8 e)",
    "weaknesses, their causes and the action taken to address them, other proposals for action, achievements, and a "
    "realistic assessment of the challenges to be overcome (§8, first paragraph; it may describe the independent "
    "scrutiny rather than the annual report)",
    "the Child Safeguarding Practice Review group's annual report on the learning from reviews and how it has "
    "improved multi-agency services and practice, and how the risk of children experiencing serious harm has "
    "reduced (§15)",
    "any updates to the published arrangements and the proposed timescale for implementation (§26)",
)


@hookimpl
def review_timescales(document):
    base = baseline_timescales()
    return replace(
        base,
        notification_source=RULES.cite("reviews-notification", document),
        review_completion_months=6,
        completion_source=RULES.cite("reviews-completion", document),
        rapid_review_group="rapid-review-panel",
        rapid_review_group_source=RULES.cite("reviews-rapid-review-panel", document),
        reasons=(
            "the local authority notifies the DfE, Ofsted and the National Panel within 5 working days of becoming "
            "aware of a serious incident (§15); the report to the safeguarding partners within five working days "
            "is WT2018's, which the MASA does not repeat",
            "a Rapid Review Panel of the statutory agencies considers each case referred (§15); the MASA sets no "
            f"time for it, so the Panel guidance's 15 working days apply ({base.rapid_review_source})",
            "the CSPR group endeavours to complete every commissioned review within 6 months (§15): an aim, "
            "applied as the target",
            f"a published review stays public for at least a year ({base.publication_source}); the MASA says only "
            "that every local review will be published (§15)",
        ),
    )


@hookimpl
def annual_report_recipients(document):
    base = baseline_annual_report_recipients()
    other = RULES.get("annual-report-scsp-website")
    return AnnualReportRecipients(
        # WT2018's seven days bind the Panel and the What Works Centre only; the MASA sets no
        # time for the four governance bodies, so they are named without a due date.
        recipients=base.recipients,
        within_days=base.within_days,
        source=RULES.cite("annual-report-recipients", document),
        undated_recipients=GOVERNANCE_BODIES,
        undated_source=RULES.cite("annual-report-recipients", document),
        reasons=(
            "the annual report is presented to the safeguarding partners' own governance and accountability bodies "
            "(§8; named as in §7), and a copy goes to the Panel and the What Works Centre (WT2018 ch.3)",
            f"the MASA sets no time for presenting it to the four governance bodies, so no due date is given for "
            f"them; the {base.within_days} days are WT2018's, for the Panel and the What Works Centre",
            "it is published on the website of each of the four safeguarding partners (§8)",
            f"§11 also says: '{other.quote}' — it is not clear whether that is this report",
            "who signs the report off is not stated",
            "its contents: §8 a–e, with the CSPR group's yearly report (§15) and updates to the arrangements (§26)",
        ),
        publication=PARTNER_WEBSITES,
        publication_source=RULES.cite("annual-report-publication", document),
        sign_off=None,
        sign_off_source=RULES.cite("annual-report-sign-off", document),
        contents=CONTENTS,
        contents_source=RULES.cite("annual-report-contents", document),
    )
