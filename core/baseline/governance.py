"""Working Together 2018 baseline: governance hooks (trylast).

WT2018 ch.3 gives the three safeguarding partners equal and joint responsibility for the
local arrangements and leaves quorum, voting and chairing to them. The baseline therefore:
holds partnership boards and executives quorate only with every safeguarding partner
represented (and other groups with any member present); gives every member one vote with a
simple majority of the votes cast and a tie failing; reads the chairing rule as data;
allows proxies without condition; grants no executive authority between meetings; and sets
no attendance policy.
"""

from __future__ import annotations

from core.enums import ChairBasis, GroupKind, SeatRole
from core.hookspecs import hookimpl
from core.rules.common import WT2018, Citation, baseline, not_stated
from core.rules.governance import (
    AttendancePolicy,
    AttendancePolicyKind,
    ChairAnswer,
    ExecutiveActionRule,
    MeetingRules,
    ProxyRule,
    QuorumRuling,
    TieRule,
    VoterRight,
    VotingRule,
    membership,
    partners_quorum,
    recorded_answer,
    rotation_answer,
)

WT2018_GOVERNANCE = baseline(WT2018, "ch.3 §8–§12 (equal and joint responsibility)",
                             "the partnership's document is silent here, so the statutory guidance applies by default: equal and joint responsibility of the safeguarding partners")

#: Seats that take part but do not vote, by default.
NON_VOTING = frozenset({
    SeatRole.ATTENDEE, SeatRole.BOARD_SUPPORT, SeatRole.PARTICIPANT_OBSERVER, SeatRole.ADVISOR,
    SeatRole.INDEPENDENT_SCRUTINEER,
})


@hookimpl(trylast=True)
def governance_quorum(group, seats, present, partners, acting_for_partnership, document):
    if group.kind in (GroupKind.PARTNERSHIP_BOARD, GroupKind.EXECUTIVE) or acting_for_partnership:
        return partners_quorum(present=present, seats=seats, partners=partners, needed=None,
                               source=WT2018_GOVERNANCE, group_name=group.name)
    requirement = f"the {group.name} is quorate with at least one member present (no quorum is stated)"
    members = [s for s in present if s in membership(seats)] or list(present)
    if members:
        return QuorumRuling(True, (f"quorate: {len(members)} present; {requirement}",), WT2018_GOVERNANCE, requirement)
    return QuorumRuling(False, (f"not quorate: nobody is present; {requirement}",), WT2018_GOVERNANCE, requirement)


@hookimpl(trylast=True)
def governance_voting_rule(group, seats, partners, document):
    voters = tuple(
        VoterRight(s.id, s.code, f"{s.post}: one vote as a member")
        for s in seats if s.role not in NON_VOTING and s.deputy_of is None
    )
    # A standing deputy votes in its principal's place (one vote between them).
    by_id = {s.id: s for s in seats}
    voters += tuple(
        VoterRight(s.id, by_id[s.deputy_of].code, f"{s.post}: votes for {by_id[s.deputy_of].post} as standing deputy")
        for s in seats if s.deputy_of in by_id and by_id[s.deputy_of].role not in NON_VOTING
    )
    return VotingRule(
        voters=voters, carries="a majority of the votes cast", tie=TieRule.NOT_CARRIED,
        reasons=("WT2018 leaves voting to local arrangements; by default each member has one vote "
                 "(not attendees, board support, participant observers, advisors or the scrutineer), "
                 "a majority of the votes cast carries and a tie fails",),
        source=WT2018_GOVERNANCE,
    )


@hookimpl(trylast=True)
def governance_chair(group, financial_year, recorded, partners, document):
    # The data file transcribes who holds the chair "as the document puts it" (``office``):
    # those are the quoted words; without them nothing is claimed as stated.
    if group.chair_basis in (None, ChairBasis.UNKNOWN):
        source = not_stated(document, "the document does not say how the chair is chosen", group.chair_source)
    elif group.chair_office:
        source = Citation(document, group.chair_source or None, group.chair_office)
    else:
        source = not_stated(document, "the arrangements name the chairing basis but not in the document's words",
                            group.chair_source)
    if recorded is not None:
        return recorded_answer(group, recorded, source)
    basis = group.chair_basis
    if basis in (ChairBasis.ANNUAL_ROTATION, ChairBasis.ROTATION):
        return rotation_answer(group, financial_year, source)
    if basis is None or basis == ChairBasis.UNKNOWN:
        return ChairAnswer(
            ChairBasis.UNKNOWN, None, group.chair_seat_code, group.chair_office, True, False,
            ("the document does not say how the chair is chosen" + (f"; it names: {group.chair_office}" if group.chair_office else "")
             + "; record the selection",), source)
    if basis == ChairBasis.ELECTION:
        return ChairAnswer(basis, None, group.chair_seat_code, group.chair_office, True, False,
                           (f"the chair is elected; record the election for {financial_year}",), source)
    words = {
        ChairBasis.INDEPENDENT_APPOINTMENT: "an independent appointment",
        ChairBasis.FIXED_OFFICE: "a fixed office",
        ChairBasis.JOINT: "joint chairs",
    }.get(basis, basis.value)
    return ChairAnswer(basis, None, group.chair_seat_code, group.chair_office, False, False,
                       (f"{financial_year}: chaired by {words}: {group.chair_office or 'as the document states'}",), source)


@hookimpl(trylast=True)
def governance_proxy_rule(group, document):
    return ProxyRule(True, False, ("WT2018 sets no condition on proxies",), WT2018_GOVERNANCE)


@hookimpl(trylast=True)
def governance_appointment_problems(appointment, current, document):
    from core.rules.governance import Office, Problem

    problems = []
    if appointment.office in (Office.SUBGROUP_CHAIR, Office.SUBGROUP_VICE_CHAIR) and appointment.group_code is None:
        problems.append(Problem("a sub-group chair or vice-chair is appointed to a group: give groupId", WT2018_GOVERNANCE))
    other = {Office.SUBGROUP_CHAIR: Office.SUBGROUP_VICE_CHAIR, Office.SUBGROUP_VICE_CHAIR: Office.SUBGROUP_CHAIR}.get(appointment.office)
    if other and any(a.office == other and a.group_code == appointment.group_code and a.holder_key == appointment.holder_key
                     for a in current):
        problems.append(Problem(f"{appointment.holder} already holds the other of chair and vice-chair of this group",
                                WT2018_GOVERNANCE))
    return problems


@hookimpl(trylast=True)
def governance_executive_action_rule(group, decision, document):
    return ExecutiveActionRule(
        False, False, None,
        (f"no one has executive authority to decide for the {group.name} between meetings; "
         "WT2018 leaves it to the arrangements, and these grant none",), WT2018_GOVERNANCE)


@hookimpl(trylast=True)
def governance_attendance_policy(group, document):
    return AttendancePolicy(AttendancePolicyKind.NONE, ("no attendance rule is stated",), WT2018_GOVERNANCE)


@hookimpl(trylast=True)
def governance_meeting_rules(group, document):
    return MeetingRules(None, None, None, ("no deadline for meeting notice, papers or minutes is stated",),
                        not_stated(document, "the arrangements state no deadline for notice of meetings, papers "
                                             "or minutes, and WT2018 sets none"))
