"""Merton: evidence for the WT2018 compliance checklist (hook ``compliance_evidence``).

Only what the Partnership Agreement 2019 itself says and core cannot read off the data
(core already finds the statutory partners, the relevant agencies' and schools' seats in
App. 1, the §14 dispute ladder and the §9.3 report recipients).

Not evidenced by the document, so left missing: youth custody and residential homes for
children (the agreement never mentions them).
"""

from __future__ import annotations

from core.plugin_api import ComplianceItem, cited, hookimpl

Item = ComplianceItem

#: (item, section, what the agreement says there)
EVIDENCE: tuple[tuple[ComplianceItem, str, str], ...] = (
    # Merton §4.3; App. 1 (note under Co-opted Members)
    (Item.SCHOOLS_AND_EARLY_YEARS, "§4.3, App. 1",
     "Schools, colleges and other educational providers are included as a primary relevant agency through "
     "sector representatives, and the statutory partners make sure their voice is heard at Executive meetings."),
    # Merton §8.10; App. 6 (ensuring effectiveness: Multi-Agency Data Set)
    (Item.DATA_AND_INTELLIGENCE, "§8.10, App. 6",
     "Every agency must answer the Partnership's requests for data and performance information, and the "
     "Quality Assurance Sub-Group monitors agency and multi-agency services through a multi-agency data set."),
    # Merton §12.2–12.3
    (Item.TRAINING_AND_AUDITS, "§12.2–12.3",
     "The Partnership commissions multi-agency training under a training strategy and monitors it for impact, "
     "and the Quality Assurance Sub-Group carries out multi-agency and inter-agency audits."),
    # Merton §11.1
    (Item.FUNDING, "§11.1",
     "A shared budget to which the statutory partners agree equitable and proportionate contributions each "
     "autumn for the following year, and may propose contributions from relevant agencies."),
    # Merton §8.5–8.6; App. 7
    (Item.PRACTICE_REVIEWS, "§8.5–8.6, App. 7",
     "The statutory partners identify serious cases, hold a rapid review, commission and publish local "
     "reviews, and the Quality Assurance Sub-Group monitors the resulting recommendations."),
    # Merton §5B (principle 1); §8.8
    (Item.VOICE_OF_CHILDREN_AND_FAMILIES, "§5B (principle 1), §8.8",
     "Listening to children and young people is a founding principle, and the Partnership works with the "
     "participation managers so that young people are consulted and it is accountable to them."),
    # Merton §5B (principle 8). The model itself is an appendix the seed does not reproduce (the contents
    # call it App. 9, footnote 5 App. 10), so only §5B is cited.
    (Item.THRESHOLD_DOCUMENT, "§5B (principle 8)",
     "The Merton Child, Young Person and Family Well-being Model is the Partnership's threshold document, "
     "setting out how every agency responds across the continuum of need."),
    # Merton §9.1–9.2
    (Item.ANNUAL_REPORTING, "§9.1–9.2",
     "An annual report on what the partners did and how effective the arrangements were, including review "
     "actions, the self-evaluation, the Independent Scrutineer's findings and feedback from children."),
    # Merton §7.6–7.9; App. 5
    (Item.INDEPENDENT_SCRUTINY, "§7.6–7.9, App. 5",
     "An Independent Scrutineer, appointed by the statutory partners, reviews the Partnership's performance "
     "and impact every year and reports to a panel of the statutory partners."),
)


@hookimpl
def compliance_evidence(document):
    return cited(EVIDENCE, document)
