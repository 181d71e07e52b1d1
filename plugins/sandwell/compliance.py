"""Sandwell: evidence for the WT2018 compliance checklist (hook ``compliance_evidence``).

The MASA 2021 heads several sections with the WT2018 requirement they answer (§6, §13, §14,
§15, §24). Only what the document says and core cannot read off the data is cited here (core
already finds the four safeguarding partners, the relevant agencies' and education seats and
the Independent Scrutineer in the §11 table, the §24 accountable body, the §25 ladder and the
§15 review timescales). Every checklist item is evidenced.
"""

from __future__ import annotations

from core.plugin_api import ComplianceItem, cited, hookimpl

Item = ComplianceItem

#: (item, section, what the MASA says there)
EVIDENCE: tuple[tuple[ComplianceItem, str, str], ...] = (
    # Sandwell §11 (Safeguarding Partners and Relevant Agencies)
    (Item.RELEVANT_AGENCIES, "§11",
     "The partners invited as relevant partners the agencies whose involvement they consider necessary and that "
     "can work together to protect and support children, expecting the list to change over time."),
    # Sandwell §14 (Role of Early Years, Schools and Other Learning Establishments)
    (Item.SCHOOLS_AND_EARLY_YEARS, "§14",
     "A Designated Safeguarding Leads Group of early years, primary and secondary leads meets quarterly as the "
     "schools' link to the Partnership and checks school safeguarding through the section 175 audit."),
    # Sandwell §13 (Role of Youth Offending, Custody Services and Residential Homes)
    (Item.YOUTH_CUSTODY_AND_RESIDENTIAL_HOMES, "§13",
     "The council runs no children's homes, so the Partnership seeks assurance from relevant partners about "
     "children known to youth offending, involved in custody or placed in residential homes in or out of the borough."),
    # Sandwell §15 (Quality of Practice Performance and Assurance Group)
    (Item.DATA_AND_INTELLIGENCE, "§15 (Quality of Practice Performance and Assurance Group)",
     "The Quality of Practice, Performance and Assurance Group analyses quarterly performance data, audits, "
     "self-assessments and the voices of children to judge how well the help given keeps children safe."),
    # Sandwell §15 (Learning Development and Training Group)
    (Item.TRAINING_AND_AUDITS, "§15 (Learning Development and Training Group)",
     "The Learning, Development and Training Group commissions and delivers multi-agency training from a "
     "training needs analysis and evaluates its impact on practice."),
    # Sandwell §15 (Quality of Practice Performance and Assurance Group)
    (Item.TRAINING_AND_AUDITS, "§15 (Quality of Practice Performance and Assurance Group)",
     "The Quality of Practice, Performance and Assurance Group carries out multi-agency audits and weighs them "
     "with agencies' section 11 and 175 self-assessments."),
    # Sandwell §24 (Funding and Financial Accountability)
    (Item.FUNDING, "§24",
     "The partnership budget is set every year according to its needs, the statutory partners decide on value "
     "for money and allocations, and a finance report goes to each bi-monthly meeting."),
    # Sandwell §15 (Serious Incidents and Learning from Local Child Safeguarding Practice Reviews)
    (Item.PRACTICE_REVIEWS, "§15 (Serious Incidents and Learning from Local Child Safeguarding Practice Reviews)",
     "A rapid review panel considers each serious incident, early learning is shared before a review ends, "
     "qualifying reviews are published, and every sub-group builds the learning into its plan."),
    # Sandwell §18 (The Golden Threads); §15 (Tell Us!)
    (Item.VOICE_OF_CHILDREN_AND_FAMILIES, "§18; §15 (Tell Us!)",
     "The voices of children and families are a golden thread of the governance, and every sub-group is "
     "expected to seek the views of children, families and practitioners through the 'Tell Us!' work."),
    # Sandwell §6 (Effective Support and Levels of Need)
    (Item.THRESHOLD_DOCUMENT, "§6",
     "Everyone working with children works to the multi-agency thresholds document, which sets four levels of "
     "need from universal to complex and significant."),
    # Sandwell §8 (Annual Report)
    (Item.ANNUAL_REPORTING, "§8",
     "An annual report on impact, slow progress, review actions and children's feedback is published on each "
     "partner's website and presented to the partners' own governance bodies."),
    # Sandwell §8 (Independent Scrutiny of the Effectiveness of the MASA)
    (Item.INDEPENDENT_SCRUTINY, "§8",
     "The partners subject the arrangements to independent scrutiny every year."),
)


@hookimpl
def compliance_evidence(document):
    return cited(EVIDENCE, document)
