"""Lewisham: governance hooks, each answer citing its entry in ``rulebook.toml``.

What the MoU 2019/20 states: the Partnership Group's quorum (each statutory partner and
fifty percent of the membership, App. B) and its proxies (only with the chair's agreement);
the Executive's votes (one per safeguarding partner, a majority decides); the chairs of every
group — the Executive and the Partnership Group in annual rotation with only the 2019/20 chair
named, so later years are not stated until a selection is recorded; the attendance and
deputies each ToR expects; the Partnership Group's and the Concern Hub Board's deadlines for
notice, papers and minutes; and the one decision the Executive may take between meetings.
Where a sentence can be read two ways the answer's reasons say which reading it applies.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from core.plugin_api import (
    AttendancePolicy,
    AttendancePolicyKind,
    ChairAnswer,
    ChairBasis,
    Deadline,
    DeadlineUnit,
    DecisionMethod,
    ExecutiveActionRule,
    GroupKind,
    MeetingRules,
    ProxyRule,
    QuorumRuling,
    Rulebook,
    RuleStatus,
    hookimpl,
    membership,
    partner_votes,
    partners_represented,
    recorded_answer,
    rotation_answer,
)

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))


# ----------------------------------------------------------------------------- quorum


@hookimpl
def governance_quorum(group, seats, present, partners, document):
    if group.kind != GroupKind.PARTNERSHIP_BOARD:
        return None  # no other ToR states a quorum: rules quorum-executive, quorum-other-groups
    source = RULES.cite("quorum-partnership-group", document)
    requirement = (f"the {group.name} is quorate when a representative of each statutory partner "
                   "and at least fifty percent of the membership are present")
    members = membership(seats)
    member_ids = {s.id for s in members}
    # Only members count, for both halves of the rule: Business Unit support and attendees "are
    # not members of the groups", so they neither make up the half nor represent a partner.
    # A standing deputy present for a member stands in for that member, once.
    at_meeting = tuple(s for s in present if s.id in member_ids or s.deputy_of in member_ids)
    counted = {s.deputy_of if s.deputy_of in member_ids else s.id for s in at_meeting}
    _, missing = partners_represented(at_meeting, seats, partners, any_member=True)
    half_ok = len(counted) * 2 >= len(members)
    parts = []
    if missing:
        parts.append("missing statutory partner(s): " + ", ".join(p.name for p in missing))
    parts.append(f"{len(counted)} of {len(members)} members present"
                 + (" (at least half)" if half_ok else f" (fewer than half; {-(-len(members) // 2)} needed)"))
    ok = not missing and half_ok
    reasons = (
        ("quorate: " if ok else "not quorate: ") + "; ".join(parts) + f" ({source})",
        "read as: any member from a partner agency is 'a representative from' it; whether only its lead "
        "representative counts is not stated",
        f"'the membership' is counted as the {len(members)} member seats of the group (attendees and Business "
        "Unit support are not members); the ToR prints no number",
    )
    return QuorumRuling(ok, reasons, source, requirement)


# ----------------------------------------------------------------------------- voting


@hookimpl
def governance_voting_rule(group, seats, partners, document):
    if group.kind != GroupKind.EXECUTIVE:
        return None  # who votes elsewhere is not stated: rule voting-other-groups (the baseline)
    return partner_votes(
        seats, partners, RULES.cite("voting-executive", document),
        reasons=("consensus wherever possible; where it cannot be reached a formal vote: in the Executive each "
                 "safeguarding partner has one vote, cast by its lead representative, and a majority decides",
                 "whether 'a majority' is of the three partners or of the votes cast is not stated: the votes cast "
                 "are counted (more for than against), and a tie is not a majority",),
        carries="a majority of the partners' votes cast")


# ----------------------------------------------------------------------------- chairs

#: The rule each group's chair is answered by (its ToR's words), by group code.
_CHAIRS = {
    "mesi": "chair-mesi",
    "schools-network": "chair-schools-network",
    "learning-from-practice": "chair-learning-from-practice",
    "concern-hub-board": "chair-concern-hub-board",
    "concern-hub": "chair-concern-hub",
}

#: Rotating chairs: (the rotation, the year named, the selection, later years), by group code.
_ROTATIONS = {
    "executive": ("chair-executive-rotation", "chair-executive-2019-20", "chair-executive-selection",
                  "chair-executive-later-years"),
    "partnership-group": ("chair-partnership-group-rotation", "chair-partnership-group-2019-20",
                          "chair-partnership-group-selection", "chair-partnership-group-later-years"),
}

_AMBIGUOUS_CHAIRS = {
    "concern-hub-board": ("App. F's Governance names the police SI and the AD Public Protection as joint chairs with "
                          "children's social care 'TBC', while its membership list marks the Director of Public "
                          "Protection and Safety, the Director Children's Social Care and the SI Operations and crime "
                          "as 'Joint Chair'; which is meant is not stated",),
    "concern-hub": ("a children's social care chair is 'to be agreed'",),
}


@hookimpl
def governance_chair(group, financial_year, recorded, document):
    if group.code in _ROTATIONS:
        return _rotating_chair(group, financial_year, recorded, document, *_ROTATIONS[group.code])
    rule_id = _CHAIRS.get(group.code)
    if rule_id is None:
        return None
    source = RULES.cite(rule_id, document)
    if recorded is not None:
        return recorded_answer(group, recorded, source)
    basis = group.chair_basis or ChairBasis.UNKNOWN
    if source.status == RuleStatus.NOT_STATED:
        return ChairAnswer(ChairBasis.UNKNOWN, None, None, None, True, False,
                           (f"who chairs the {group.name} is not stated ({source.derivation}); record the "
                            "selection",), source)
    known = basis in (ChairBasis.FIXED_OFFICE, ChairBasis.JOINT)
    reasons = (f"{financial_year}: chaired by {group.chair_office or 'as the document states'}"
               + ("" if known else "; who that is is not named: record the selection"),
               *_AMBIGUOUS_CHAIRS.get(group.code, ()))
    return ChairAnswer(basis, None, group.chair_seat_code, group.chair_office, not known, False, reasons, source)


def _rotating_chair(group, financial_year, recorded, document, rotation, named, selection, later) -> ChairAnswer:
    """The year the ToR names is stated; any other is not stated (no order is published) until
    the partnership records the selection, which is then the answer."""
    if recorded is not None:
        return recorded_answer(group, recorded, RULES.cite(selection, document))
    answer = rotation_answer(group, financial_year, RULES.cite(named, document), order_stated=False)
    if answer.agency_code is not None:
        return answer
    if group.kind == GroupKind.EXECUTIVE:
        when = "a new Chair is agreed at the start of each financial year"
    else:
        when = (f"the Chair is selected at the first Executive meeting after 1 April {financial_year.start_year}")
    reasons = (f"the chair rotates annually among the three lead representatives; the document names only the "
               f"2019/20 chair and gives no order, so who chairs in {financial_year} is not stated",
               f"{when}; record the selection")
    return replace(answer, reasons=reasons, source=RULES.cite(later, document))


# ----------------------------------------------------------------------------- proxies and attendance


@hookimpl
def governance_proxy_rule(group, document):
    if group.kind == GroupKind.PARTNERSHIP_BOARD:
        return ProxyRule(True, True, (
            "proxies may be sent in exceptional circumstances and with the agreement of the Chair; whether the "
            "circumstances are exceptional is the Chair's to judge",), RULES.cite("proxies-partnership-group", document))
    if group.code == "mesi":
        return ProxyRule(True, False, (
            "a nominated member who cannot attend must send an agreed deputy; who agrees the deputy is not stated",),
            RULES.cite("deputies-mesi", document))
    if group.code == "concern-hub-board":
        return ProxyRule(True, False, (
            "a member unable to attend provides a suitable agreed substitute; who agrees it is not stated",),
            RULES.cite("substitutes-concern-hub-board", document))
    return None  # rule proxies-other-groups (the baseline)


#: Attendance expectations by group, as the terms of reference state them: (rule, kind, reasons, measure).
_ATTENDANCE = {
    "mesi": ("attendance-mesi", AttendancePolicyKind.MINIMUM_RATE,
             ("nominated members are expected to attend with at least 75% attendance; an agreed deputy must attend "
              "otherwise",
              "the ToR says both 'all meetings' and 'at least 75%': the 75% is applied, over the group's held meetings "
              "(no period is stated)"), {"minimum_percent": 75}),
    "schools-network": ("attendance-schools-network", AttendancePolicyKind.MINIMUM_OF_MEETINGS,
                        ("members attend a minimum of 66% of meetings throughout the year (4 out of 6); the network "
                         "meets six times a year, so the last six meetings stand for the year",),
                        {"minimum_meetings": 4, "of_meetings": 6}),
    "concern-hub-board": ("attendance-concern-hub-board", AttendancePolicyKind.MINIMUM_RATE,
                          ("members attend each meeting or provide a suitable agreed substitute: a meeting missed "
                           "without one is reported",), {"minimum_percent": 100}),
    "partnership-group": ("attendance-partnership-group", AttendancePolicyKind.NONE,
                          ("members are expected to regularly attend meetings; no measure is stated, so nobody is "
                           "flagged",), {}),
    "learning-from-practice": ("attendance-learning-from-practice", AttendancePolicyKind.NONE,
                               ("members are expected to prioritise attendance at Rapid Review meetings; no measure "
                                "is stated, so nobody is flagged",), {}),
}


@hookimpl
def governance_attendance_policy(group, document):
    found = _ATTENDANCE.get(group.code)
    if found is None:
        return None  # rule attendance-other-groups (the baseline)
    rule_id, kind, reasons, measure = found
    return AttendancePolicy(kind, reasons, RULES.cite(rule_id, document), **measure)


# ----------------------------------------------------------------------------- meeting deadlines


@hookimpl
def governance_meeting_rules(group, document):
    if group.kind == GroupKind.PARTNERSHIP_BOARD:
        notice = RULES.cite("meetings-notice-partnership-group", document)
        return MeetingRules(
            Deadline(3, DeadlineUnit.MONTHS, notice),
            Deadline(5, DeadlineUnit.WORKING_DAYS, RULES.cite("meetings-papers-partnership-group", document)),
            Deadline(10, DeadlineUnit.WORKING_DAYS, RULES.cite("meetings-minutes-partnership-group", document)),
            ("meeting dates circulated at least three months ahead; agendas and papers at least five working days "
             "before; minutes prepared by the Business Unit within ten working days after",
             "the ToR says 'all meetings' in the Partnership Group's terms of reference: it is applied to the "
             "Partnership Group's meetings; whether it reaches the other groups is not stated",
             "the ToR says minutes are 'prepared' within ten working days; the date they are published is checked"),
            notice)
    if group.code == "concern-hub-board":
        papers = RULES.cite("meetings-papers-concern-hub-board", document)
        return MeetingRules(None, Deadline(1, DeadlineUnit.WEEKS, papers), None, (
            "papers, previous minutes and the agenda circulated at least one week before the Board; no notice or "
            "minutes deadline is stated",), papers)
    return MeetingRules(None, None, None, ("no deadline for notice of meetings, papers or minutes is stated",),
                        RULES.cite("meetings-deadlines-other-groups", document))


# ----------------------------------------------------------------------------- between meetings


@hookimpl
def governance_executive_action_rule(group, decision, document):
    if group.kind != GroupKind.EXECUTIVE or decision.method != DecisionMethod.EXECUTIVE_ACTION:
        return None  # rule executive-action-other-groups (the baseline: not allowed)
    return ExecutiveActionRule(True, True, group.code, (
        "the three safeguarding partners' choice of a single partner to act and speak for the Partnership is "
        "normally made outside formal meetings and is to be documented and recorded at the next Executive Meeting",
        "that is the only decision the MoU provides for between meetings; the API cannot tell a decision's subject, "
        "so it holds every Executive decision taken between meetings to this rule",
    ), RULES.cite("executive-action-spokesperson", document))
