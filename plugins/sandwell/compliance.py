"""Sandwell: evidence for the WT2018 compliance checklist (hook ``compliance_evidence``).

The MASA 2021 heads several sections with the WT2018 requirement they answer (§6, §13, §14,
§15, §24). Only what the document says and core cannot read off the data is cited here (core
already finds the four safeguarding partners, the relevant agencies' and education seats and
the Independent Scrutineer in the §11 table, the §24 accountable body, the §25 ladder and the
§15 review timescales). Every checklist item is evidenced, each with the document's own words.
"""

from __future__ import annotations

from core.plugin_api import ComplianceItem, Evidence, hookimpl, stated

Item = ComplianceItem

#: (item, section, what the MASA says there, its words)
EVIDENCE: tuple[tuple[ComplianceItem, str, str, str], ...] = (
    (Item.RELEVANT_AGENCIES, "§11",
     "The partners invited as relevant partners the agencies whose involvement they consider necessary and that "
     "can work together to protect and support children, expecting the list to change over time.",
     "Relevant agencies are those organisations and agencies whose involvement the Safeguarding Partners consider "
     "is required to safeguard and promote the welfare of local children."),
    (Item.SCHOOLS_AND_EARLY_YEARS, "§14",
     "A Designated Safeguarding Leads Group of early years, primary and secondary leads meets quarterly as the "
     "schools' link to the Partnership and checks school safeguarding through the section 175 audit.",
     "The DSL Group will seek assurance from schools and early years safeguarding practice through the engagement "
     "of schools and early years provision in the work of the partnership."),
    (Item.YOUTH_CUSTODY_AND_RESIDENTIAL_HOMES, "§13",
     "The council runs no children's homes, so the Partnership seeks assurance from relevant partners about "
     "children known to youth offending, involved in custody or placed in residential homes in or out of the borough.",
     "The SCSP will seek assurance from relevant partners about the arrangements for safeguarding children known to "
     "the youth offending service, involved in a custody incident or placed in a residential home within or outside "
     "the borough."),
    (Item.DATA_AND_INTELLIGENCE, "§15 (Quality of Practice Performance and Assurance Group)",
     "The Quality of Practice, Performance and Assurance Group analyses quarterly performance data, audits, "
     "self-assessments and the voices of children to judge how well the help given keeps children safe.",
     "It does this by monitoring performance including carrying out multi-agency audits, interrogating and "
     "analysing data from partner agencies."),
    (Item.TRAINING_AND_AUDITS, "§15 (Learning Development and Training Group)",
     "The Learning, Development and Training Group commissions and delivers multi-agency training from a "
     "training needs analysis and evaluates its impact on practice.",
     "The Learning, Development and Training Group will, coordinate, deliver and commission training and, evaluate "
     "the impact of training on multi-agency safeguarding practice."),
    (Item.TRAINING_AND_AUDITS, "§15 (Quality of Practice Performance and Assurance Group)",
     "The Quality of Practice, Performance and Assurance Group carries out multi-agency audits and weighs them "
     "with agencies' section 11 and 175 self-assessments.",
     "Evidence from self-assessments including (section 11 and 175 returns), peer challenge"),
    (Item.FUNDING, "§24",
     "The partnership budget is set every year according to its needs, the statutory partners decide on value "
     "for money and allocations, and a finance report goes to each bi-monthly meeting.",
     "The SCSP budget will be set annually (but may be revised throughout the year at the discretion of the "
     "partnership) according to the needs of the SCSP to fulfil its functions."),
    (Item.PRACTICE_REVIEWS, "§15 (Serious Incidents and Learning from Local Child Safeguarding Practice Reviews)",
     "A rapid review panel considers each serious incident, early learning is shared before a review ends, "
     "qualifying reviews are published, and every sub-group builds the learning into its plan.",
     "All cases which meet the criteria for Local Safeguarding Practice review will be published."),
    (Item.VOICE_OF_CHILDREN_AND_FAMILIES, "§18; §15 (Tell Us!)",
     "The voices of children and families are a golden thread of the governance, and every sub-group is "
     "expected to seek the views of children, families and practitioners through the 'Tell Us!' work.",
     "All sub-groups within the SCSPs governance arrangements will be expected to give consideration to "
     "consultation and engagement to obtain the views of CYPF and frontline practitioners"),
    (Item.THRESHOLD_DOCUMENT, "§6",
     "Everyone working with children works to the multi-agency thresholds document, which sets four levels of "
     "need from universal to complex and significant.",
     "All those that work with children and their families or carers are required to work to the multi-agency "
     "thresholds document to ensure that children and families get the right support at the right time."),
    (Item.ANNUAL_REPORTING, "§8",
     "An annual report on impact, slow progress, review actions and children's feedback is published on each "
     "partner's website and presented to the partners' own governance bodies.",
     "The SCSP Annual Report will be made publicly available on the each of the Safeguarding Partners organisation "
     "websites."),
    (Item.INDEPENDENT_SCRUTINY, "§8",
     "The partners subject the arrangements to independent scrutiny every year.",
     "will subject the multiagency safeguarding arrangements to annual independent scrutiny."),
)


@hookimpl
def compliance_evidence(document):
    return [Evidence(item, summary, stated(document, section, quote)) for item, section, summary, quote in EVIDENCE]
