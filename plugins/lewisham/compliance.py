"""Lewisham: evidence for the WT2018 compliance checklist (hook ``compliance_evidence``).

Only what the Memorandum of Understanding 2019/20 itself says and core cannot read off the
data (core already finds the statutory partners, the relevant agencies' and schools' seats
in the Partnership Group ToR, the host under Agree Funding, the dispute ladder and the
Learning from Practice Group as rapid-review group). Each piece of evidence cites its rule in
``rulebook.toml``, so it carries the MoU's own words.

Not evidenced by the document, so left missing: youth custody and residential homes for
children (the only traces are portfolio names in the Partnership Group membership —
"Children's Social Care, Residential, Fostering and Adoption", "Community Safety and Youth
Offending" — which say nothing about how such settings are included).
"""

from __future__ import annotations

from pathlib import Path

from core.plugin_api import ComplianceItem, Evidence, Rulebook, hookimpl

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))

Item = ComplianceItem

#: (item, rule in the rulebook, what the MoU says there)
EVIDENCE: tuple[tuple[ComplianceItem, str, str], ...] = (
    (Item.RELEVANT_AGENCIES, "relevant-agencies",
     "The partners choose the agencies whose involvement is needed to keep local children safe, whether or not "
     "the regulations list them, review the list every year and work with them to develop and challenge practice."),
    (Item.SCHOOLS_AND_EARLY_YEARS, "schools-network",
     "A Schools' Safeguarding Network of early years providers, nursery, primary, secondary, special and post-16 "
     "schools meets six times a year as the channel between all schools and the Partnership."),
    (Item.DATA_AND_INTELLIGENCE, "mesi-dataset",
     "The Monitoring, Evaluation and Service Improvement Group keeps an inter-agency dataset and analyses "
     "safeguarding indicators across agencies to judge whether practice has improved outcomes for children."),
    (Item.TRAINING_AND_AUDITS, "training",
     "The safeguarding partners commission multi-agency training, evaluate how effective it is, and make sure "
     "learning from audits and reviews changes practice."),
    (Item.TRAINING_AND_AUDITS, "mesi-audit-programme",
     "The Monitoring, Evaluation and Service Improvement Group sets an annual audit programme and commissions "
     "multi-agency audits alongside single-agency ones."),
    (Item.FUNDING, "funding-agreed-each-year",
     "The Executive agrees a budget at the start of each financial year from equitable and proportionate "
     "contributions, and a partner that does not pay its share triggers the dispute resolution process."),
    (Item.PRACTICE_REVIEWS, "reviews-practice-reviews",
     "The partners identify serious cases, send rapid reviews to the National Panel, commission and oversee "
     "local reviews with practitioners and families involved, and make each report set out the improvements needed."),
    # The same paragraph recurs in every group's ToR; cited in App. B.
    (Item.VOICE_OF_CHILDREN_AND_FAMILIES, "voice-of-the-child",
     "The voice of the child is a core principle: for all its work the Partnership collects the views and "
     "experiences of children, young people and their parents or carers."),
    (Item.THRESHOLD_DOCUMENT, "threshold-document",
     "The partners agree and publish a threshold document of criteria for action at every level of need, "
     "review it every year, and revised it in December 2018."),
    (Item.ANNUAL_REPORTING, "annual-report-publish",
     "At least once a year the partners publish a report on how effective the arrangements are, including "
     "training, review actions and feedback from children, and send it to the Panel and the What Works Centre."),
    (Item.INDEPENDENT_SCRUTINY, "scrutiny-system",
     "The partners commission an independent scrutineer who may attend any meeting or audit, sees their papers "
     "and judges how well the arrangements work for children, families and practitioners."),
)


@hookimpl
def compliance_evidence(document):
    return [Evidence(item, summary, RULES.cite(rule_id, document)) for item, rule_id, summary in EVIDENCE]
