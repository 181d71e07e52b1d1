"""Sefton: reviews and annual-report hooks, as the Arrangements 2021 state them.

Practice reviews: the document sets no timescales of its own (WT2018 ch.4 and the Panel's
guidance apply), but names the group that undertakes rapid reviews — the Practice Review
Group, "where directed".

The annual report: the safeguarding partners publish it on the partnership's website; the
Leadership Team reports on the arrangements' effectiveness every 12 months; it covers their
effectiveness and performance and that of local services (the Scrutineer contributes) and
has a whole section on the voice of children and young people; the Forum receives it. Its
copies and their seven days are WT2018's: the document names no recipient with a deadline,
so the Forum is named in the reasons rather than given an invented one.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from core.plugin_api import (
    AnnualReportRecipients,
    Rulebook,
    baseline_annual_report_recipients,
    baseline_timescales,
    hookimpl,
)

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))


@hookimpl
def review_timescales(document):
    base = baseline_timescales()
    return replace(base, rapid_review_group="prg", rapid_review_group_source=RULES.cite("rapid-review-group", document),
                   reasons=(*base.reasons, "the Practice Review Group undertakes rapid reviews where directed and "
                                           "recommends the level of review to the Panel"))


@hookimpl
def annual_report_recipients(document):
    base = baseline_annual_report_recipients()
    forum = RULES.get("annual-report-forum")
    voice = RULES.get("annual-report-voice")
    return AnnualReportRecipients(
        recipients=base.recipients,
        within_days=base.within_days,
        source=RULES.cite("annual-report-recipients", document),
        reasons=(
            "a copy goes to the Panel and the What Works Centre within seven days of publication: WT2018's rule, "
            "as the Arrangements name no recipient of their own",
            f"the Sefton Safeguarding Forum is to \"{forum.quote}\" ({forum.section}); no deadline is given for it, "
            "so none is checked",
            "the safeguarding partners publish the report on the Sefton Safeguarding Children Partnership website",
            f"\"{voice.quote}\" ({voice.section})",
        ),
        publication=("the Sefton Safeguarding Children Partnership website",),
        publication_source=RULES.cite("annual-report-publication", document),
        sign_off="the Strategic Leadership Team (the three safeguarding partners' leaders), reporting every 12 months",
        sign_off_source=RULES.cite("annual-report-sign-off", document),
        contents=(
            "the effectiveness of the safeguarding arrangements, their performance and the effectiveness of local "
            "services (the Independent Scrutineer contributes)",
            "a whole section on the voice of children and young people",
        ),
        contents_source=RULES.cite("annual-report-contents", document),
    )
