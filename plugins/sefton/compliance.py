"""Sefton: evidence for the WT2018 compliance checklist (hook ``compliance_evidence``).

Sefton's Introduction reproduces the WT2018 list itself (the checklist's source). Only what
the Arrangements 2021 say and core cannot read off the data is cited here (core already
finds the statutory partners, the relevant agencies' and schools' seats on the Safeguarding
Forum, the host under Resourcing and the escalation ladder). Sections are cited by heading.

Not evidenced by the document, so left missing: the threshold document — the Introduction
only lists publishing one among the partnership's functions; the document never names it or
says how it aligns with the arrangements.
"""

from __future__ import annotations

from core.plugin_api import ComplianceItem, cited, hookimpl

Item = ComplianceItem

#: (item, section, what the arrangements say there)
EVIDENCE: tuple[tuple[ComplianceItem, str, str], ...] = (
    # Sefton, Relevant Agencies
    (Item.RELEVANT_AGENCIES, "Relevant Agencies",
     "The partners chose as relevant agencies those they already work with and who can actively help protect "
     "children in Sefton, adding bodies the regulations do not name such as the fire service and faith groups."),
    # Sefton, Relevant Agencies list; Accountability of Partner Agencies
    (Item.SCHOOLS_AND_EARLY_YEARS, "Relevant Agencies list; Accountability of Partner Agencies",
     "Schools of every kind, FE colleges, children's centres, nurseries and childminders are relevant agencies, "
     "and schools complete an annual section 175 safeguarding audit."),
    # Sefton, Relevant Agencies list; Sefton Safeguarding Forum (members include the youth offending service)
    (Item.YOUTH_CUSTODY_AND_RESIDENTIAL_HOMES, "Relevant Agencies list; Sefton Safeguarding Forum",
     "Residential homes for children and the Youth Justice Service are named relevant agencies and the youth "
     "offending service sits on the Safeguarding Forum; no youth custody establishment is named."),
    # Sefton, Performance, Quality Assurance & Data Subgroup
    (Item.DATA_AND_INTELLIGENCE, "Performance, Quality Assurance & Data Subgroup",
     "A sub-group receives validated data from partner agencies, publishes a quarterly multi-agency dataset "
     "and scorecard, and reports trends so the partners can judge how well children are helped and protected."),
    # Sefton, Learning & Development Subgroup
    (Item.TRAINING_AND_AUDITS, "Learning & Development Subgroup",
     "A sub-group runs the multi-agency training programme, tracks attendance, undertakes a bi-annual training "
     "needs analysis and evidences the impact of training on practice and on children."),
    # Sefton, Performance, Quality Assurance & Data Subgroup (responsibilities 1–5)
    (Item.TRAINING_AND_AUDITS, "Performance, Quality Assurance & Data Subgroup",
     "The same sub-group keeps a multi-agency audit framework and calendar, oversees section 11/175 audits and "
     "carries out up to three multi-agency audits a year for the partners."),
    # Sefton, Resourcing - How the arrangements are funded
    (Item.FUNDING, "Resourcing - How the arrangements are funded",
     "The partners agree equitable and proportionate funding signed off by the Leadership Team; in 2021-22 the "
     "council, the CCGs, the police, the prison and probation service and schools contributed."),
    # Sefton, Practice Review Group (PRG)
    (Item.PRACTICE_REVIEWS, "Practice Review Group (PRG)",
     "A Practice Review Group recommends reviews, carries out rapid reviews with the National Panel, commissions "
     "independent authors, oversees action plans and makes sure learning is spread across the partnership."),
    # Sefton, Voice of children and families
    (Item.VOICE_OF_CHILDREN_AND_FAMILIES, "Voice of children and families",
     "Children and families have their say through forums such as the Children in Care Council, every sub-group "
     "reports how it heard children, and the annual report has a section on their voice."),
    # Sefton, Governance and Accountability; Governance Structure 2021 (Leadership Team responsibilities)
    (Item.ANNUAL_REPORTING, "Governance and Accountability; Governance Structure 2021",
     "The safeguarding partners report on the effectiveness of the arrangements every twelve months in an "
     "annual report published on the partnership's website."),
    # Sefton, Arrangements for independent scrutiny of the effectiveness of the arrangements
    (Item.INDEPENDENT_SCRUTINY, "Arrangements for independent scrutiny of the effectiveness of the arrangements",
     "An independent scrutineer assesses how well agencies work together, their audits, training and early help, "
     "offers mediation, and reports to the Leadership Team and the Council's Overview & Scrutiny Committee."),
)


@hookimpl
def compliance_evidence(document):
    return cited(EVIDENCE, document)
