"""Sefton: governance hooks — chairs and meeting deadlines, as the Arrangements 2021 state them.

The document states no quorum, voting, proxy, attendance or between-meetings rule for any
group, so those questions go to the baseline, which answers with WT2018 or the platform
default and says so (rulebook: quorum-*, voting, proxies, attendance, executive-action).

Chairs, group by group (rulebook: chair-*), cited to the document's words:

- the Strategic Leadership Team is chaired "on a rotational basis by one of the 3 key
  partners" — no order, no first chair, no period — so no year's chair is known until a
  selection is recorded (never a guessed order);
- the Forum is chaired by "one of the statutory agencies"; its Members column names the
  CCGs' Chief Nurse as Chair, as published for 2021/22 — and the Practice Model Group's and
  the Performance, Quality Assurance & Data Subgroup's Members columns name their chair the
  same way, so those chairs are known for 2021/22 only;
- three sub-groups mark the chairing post in their Agencies column: a fixed office;
- before 2021/22 the LSCB still stood: nothing is stated.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from core.plugin_api import (
    ChairAnswer,
    ChairBasis,
    FinancialYear,
    MeetingRules,
    Rulebook,
    hookimpl,
    recorded_answer,
    rotation_answer,
)

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))

#: The arrangements "came into effect on 31st October 2021" (Resourcing): 2021/22.
FIRST_YEAR = FinancialYear(2021)

#: Chairs the Members column names, as published for 2021/22: the rulebook entry and the
#: agency printed with the name (None where the row prints none).
NAMED_AS_PUBLISHED = {
    "forum": ("chair-forum-2021", "sefton-ccgs"),
    "pmg": ("chair-practice-model-group", None),
    "pqad": ("chair-performance-subgroup", None),
}

#: Chairs the Agencies column names as a post: the rulebook entry and, where the Members
#: column words it differently, that difference.
FIXED_OFFICES = {
    "csg": ("chair-contextual-safeguarding",
            "the Members column names 'Mike O'Malley, Chief Inspector (Police) (Chair)': the two columns differ "
            "on the rank"),
    "ld": ("chair-learning-and-development",
           "the Members column names 'Deborah Hughes, Partnership Manager (SSCP) – Chair': the document uses both "
           "titles for the post"),
    "prg": ("chair-practice-review-group", None),
}

#: Each group's chairing rule, cited when a selection is recorded.
CHAIR_RULE = {"slt": "chair-leadership-team", "forum": "chair-forum",
              **{code: rule for code, (rule, _) in NAMED_AS_PUBLISHED.items() if code != "forum"},
              **{code: rule for code, (rule, _) in FIXED_OFFICES.items()}}


@hookimpl
def governance_chair(group, financial_year, recorded, document):
    if group.code not in CHAIR_RULE:
        return None  # a group the document does not describe: the baseline reads its data
    if recorded is not None:
        return recorded_answer(group, recorded, RULES.cite(CHAIR_RULE[group.code], document))
    if financial_year < FIRST_YEAR:
        return ChairAnswer(group.chair_basis or ChairBasis.UNKNOWN, None, None, group.chair_office, True, False, (
            f"{financial_year}: not stated — the partnership remained an LSCB until the Arrangements 2021 came into "
            "effect on 31 October 2021, and they describe no earlier chair; record the selection",),
            RULES.cite("chair-before-the-arrangements", document))
    if group.code == "slt":
        return _leadership_team(group, financial_year, document)
    if group.code in NAMED_AS_PUBLISHED:
        return _named_as_published(group, financial_year, document)
    rule, difference = FIXED_OFFICES[group.code]
    return ChairAnswer(ChairBasis.FIXED_OFFICE, None, group.chair_seat_code, group.chair_office, False, False, (
        f"{financial_year}: chaired by the {group.chair_office}, the post the Agencies column marks as chair",
        *((difference,) if difference else ())), RULES.cite(rule, document))


def _leadership_team(group, financial_year, document) -> ChairAnswer:
    """The rotation's order is not published: every year is not stated (never a guessed order)."""
    stated = RULES.get("chair-leadership-team")
    answer = rotation_answer(group, financial_year, RULES.cite("chair-leadership-team", document), order_stated=False)
    return replace(answer, reasons=(
        f"the Strategic Leadership Team is chaired in rotation: \"{stated.quote}\"",
        f"{financial_year}: who chairs is not stated — the document gives no order, no first chair and no period "
        "of rotation; record the selection",
    ), source=RULES.cite("chair-leadership-team-year", document))


def _named_as_published(group, financial_year, document) -> ChairAnswer:
    rule, agency = NAMED_AS_PUBLISHED[group.code]
    forum = RULES.get("chair-forum")
    general = (f"\"{forum.quote}\" ({forum.section})",) if group.code == "forum" else ()
    if financial_year == FIRST_YEAR:
        return ChairAnswer(group.chair_basis or ChairBasis.UNKNOWN, agency, group.chair_seat_code, group.chair_office,
                           False, False, (*general, f"{financial_year}: the Members column names the chair: "
                                                     f"\"{RULES.get(rule).quote}\""), RULES.cite(rule, document))
    return ChairAnswer(group.chair_basis or ChairBasis.UNKNOWN, None, None, group.chair_office, True, False, (
        *general, f"{financial_year}: who chairs is not stated — the document names the chair only as published "
                  "for 2021/22 and says neither how nor how often the chair changes; record the selection"),
        RULES.cite("chair-named-other-years", document))


@hookimpl
def governance_meeting_rules(group, document):
    source = RULES.cite("meetings-deadlines", document)
    cadence = (RULES.get("meetings-leadership-team-cadence").quote,) if group.code == "slt" else ()
    return MeetingRules(None, None, None, (
        *(f"the document gives the meetings' frequency: \"{c}\"" for c in cadence),
        "no deadline for notice of the meeting dates, for papers or for minutes is stated for the "
        f"{group.name}, so none is checked",
    ), source)
