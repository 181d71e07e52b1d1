"""Lewisham: evidence for the WT2018 compliance checklist (hook ``compliance_evidence``).

Only what the Memorandum of Understanding 2019/20 itself says and core cannot read off the
data (core already finds the statutory partners, the relevant agencies' and schools' seats
in the Partnership Group ToR, the host under Agree Funding, the dispute ladder and the
Learning from Practice Group as rapid-review group). The MoU has no numbered sections, so
sections are cited by heading, as in the rest of this plugin.

Not evidenced by the document, so left missing: youth custody and residential homes for
children (the only traces are portfolio names in the Partnership Group membership —
"Children's Social Care, Residential, Fostering and Adoption", "Community Safety and Youth
Offending" — which say nothing about how such settings are included).
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.rules.compliance import ComplianceItem, cited

__all__ = ["compliance_evidence"]

Item = ComplianceItem
ROLES = "Roles and Statutory Responsibilities"

#: (item, section, what the MoU says there)
EVIDENCE: tuple[tuple[ComplianceItem, str, str], ...] = (
    # Lewisham MoU, Roles and Statutory Responsibilities – Work with Relevant Agencies
    (Item.RELEVANT_AGENCIES, f"{ROLES} – Work with Relevant Agencies",
     "The partners choose the agencies whose involvement is needed to keep local children safe, whether or not "
     "the regulations list them, review the list every year and work with them to develop and challenge practice."),
    # Lewisham MoU, Schools' Safeguarding Network ToR
    (Item.SCHOOLS_AND_EARLY_YEARS, "Schools' Safeguarding Network ToR",
     "A Schools' Safeguarding Network of early years providers, nursery, primary, secondary, special and post-16 "
     "schools meets six times a year as the channel between all schools and the Partnership."),
    # Lewisham MoU, App. C (MESI ToR) – Scope of Group
    (Item.DATA_AND_INTELLIGENCE, "App. C (MESI ToR) – Scope of Group",
     "The Monitoring, Evaluation and Service Improvement Group keeps an inter-agency dataset and analyses "
     "safeguarding indicators across agencies to judge whether practice has improved outcomes for children."),
    # Lewisham MoU, Roles and Statutory Responsibilities – Oversee Multi Agency Learning and Development
    (Item.TRAINING_AND_AUDITS, f"{ROLES} – Oversee Multi Agency Learning and Development Within the Partnership",
     "The safeguarding partners commission multi-agency training, evaluate how effective it is, and make sure "
     "learning from audits and reviews changes practice."),
    # Lewisham MoU, App. C (MESI ToR) – Purpose of Group; Scope of Group
    (Item.TRAINING_AND_AUDITS, "App. C (MESI ToR) – Purpose of Group; Scope of Group",
     "The Monitoring, Evaluation and Service Improvement Group sets an annual audit programme and commissions "
     "multi-agency audits alongside single-agency ones."),
    # Lewisham MoU, Operational Activity and Management – Funding
    (Item.FUNDING, "Operational Activity and Management – Funding",
     "The Executive agrees a budget at the start of each financial year from equitable and proportionate "
     "contributions, and a partner that does not pay its share triggers the dispute resolution process."),
    # Lewisham MoU, Roles and Statutory Responsibilities – Lead on Safeguarding Practice Reviews
    (Item.PRACTICE_REVIEWS, f"{ROLES} – Lead on Safeguarding Practice Reviews",
     "The partners identify serious cases, send rapid reviews to the National Panel, commission and oversee "
     "local reviews with practitioners and families involved, and make each report set out the improvements needed."),
    # Lewisham MoU, App. B (Partnership Group ToR) – Involvement/Participation of Children, Young People and
    # Parents/Carers (the same paragraph recurs in every group's ToR)
    (Item.VOICE_OF_CHILDREN_AND_FAMILIES,
     "App. B (Partnership Group ToR) – Involvement/Participation of Children, Young People and Parents/Carers",
     "The voice of the child is a core principle: for all its work the Partnership collects the views and "
     "experiences of children, young people and their parents or carers."),
    # Lewisham MoU, Roles and Statutory Responsibilities – Thresholds for Support
    (Item.THRESHOLD_DOCUMENT, f"{ROLES} – Thresholds for Support",
     "The partners agree and publish a threshold document of criteria for action at every level of need, "
     "review it every year, and revised it in December 2018."),
    # Lewisham MoU, Roles and Statutory Responsibilities – Report on Their Arrangements
    (Item.ANNUAL_REPORTING, f"{ROLES} – Report on Their Arrangements",
     "At least once a year the partners publish a report on how effective the arrangements are, including "
     "training, review actions and feedback from children, and send it to the Panel and the What Works Centre."),
    # Lewisham MoU, Roles and Statutory Responsibilities – Implement a System of Scrutiny; Brief for
    # Independent Scrutiny
    (Item.INDEPENDENT_SCRUTINY, f"{ROLES} – Implement a System of Scrutiny; Brief for Independent Scrutiny",
     "The partners commission an independent scrutineer who may attend any meeting or audit, sees their papers "
     "and judges how well the arrangements work for children, families and practitioners."),
)


@hookimpl
def compliance_evidence(document):
    return cited(EVIDENCE, document)
