"""Sandwell: governance hooks, each citing the rulebook entry it applies.

§21 quorum: the Partnership decides only when the four safeguarding partners — council, health,
police and Sandwell Children's Trust — are each represented by their Statutory Safeguarding
Partner representative (the lead representative or, in their absence, the Senior Officer with
delegated authority, §11); a group acting for the Partnership needs a member from each of the
four agencies. Seats that support, observe or report (the Business Manager, the Lead Member and
lay member, co-optees, the scrutineer) never make an agency present. Votes, where one is taken,
are the four partners' (§21, §11); the MASA states no threshold, so the majority rule is the
platform's and said to be. Chairs, deputies, attendance, meeting deadlines and executive action
say what the MASA states and, where it is silent, that it is.
"""

from __future__ import annotations

from core.plugin_api import (
    AttendancePolicy,
    AttendancePolicyKind,
    ChairAnswer,
    ChairBasis,
    ExecutiveActionRule,
    GroupKind,
    MeetingRules,
    ProxyRule,
    QuorumRuling,
    SeatRole,
    hookimpl,
    partner_votes,
    partners_represented,
    recorded_answer,
)

from . import RULES

#: Seats that never make their agency present: they support, observe, report or scrutinise
#: (§11: business support; participant observers "with no decision-making rights"; co-optees
#: "invited to attend SCSP meeting to provide reports"; the Independent Scrutineer).
NOT_REPRESENTING = frozenset({
    SeatRole.BOARD_SUPPORT, SeatRole.PARTICIPANT_OBSERVER, SeatRole.CO_OPTED, SeatRole.ATTENDEE,
    SeatRole.ADVISOR, SeatRole.INDEPENDENT_SCRUTINEER,
})

#: Groups §20 ("Role of the Chair within the Sub-groups") covers: their chair is nominated or elected.
SUBGROUP_KINDS = frozenset({GroupKind.SUB_GROUP, GroupKind.PRIORITY_GROUP, GroupKind.REFERENCE_GROUP})

#: Chairs the MASA states, by group: the rulebook entry that states each.
CHAIR_RULES = {"scsp": "chair-partnership", "ccf": "chair-ccf", "qpp": "chair-qpp",
               "sshp": "chair-reference-groups", "vcs-forum": "chair-reference-groups"}

#: How often each group meets, where the MASA says: the rulebook entry that states it.
CADENCE_RULES = {"scsp": "meetings-partnership-cadence", "ccf": "meetings-ccf-cadence", "qpp": "meetings-qpp-cadence",
                 "ldt": "meetings-ldt-cadence", "cspr": "meetings-cspr-cadence", "dsl": "meetings-dsl-cadence"}


def _names(partners) -> str:
    return ", ".join(p.name for p in partners)


def _posts(seats) -> str:
    return ", ".join(f"{s.post} ({s.role.value.lower().replace('_', ' ')})" for s in seats)


# ----------------------------------------------------------------------------- quorum


@hookimpl
def governance_quorum(group, seats, present, partners, acting_for_partnership, document):
    if group.kind == GroupKind.PARTNERSHIP_BOARD:
        return _partnership_quorum(group, seats, present, partners, document)
    if acting_for_partnership:
        return _acting_quorum(group, seats, present, partners, document)
    return _own_business_quorum(group, present, document)


def _partnership_quorum(group, seats, present, partners, document) -> QuorumRuling:
    """§21 read with §11: each partner represented by its lead representative or its Senior
    Officer with delegated authority (a standing deputy of the lead seat)."""
    source = RULES.cite("quorum-partnership", document)
    n = len(partners)
    requirement = (f"the {group.name} is quorate for decision making when at least one member from each of the four "
                   f"statutory partners is present and that member is the partner's Statutory Safeguarding Partner "
                   f"representative: its lead representative or the Senior Officer with delegated authority")
    got, missing = partners_represented(present, seats, partners)
    members = tuple(s for s in present if s.role not in NOT_REPRESENTING)
    _, not_even_a_member = partners_represented(members, seats, partners, any_member=True)
    if not missing:
        reasons = [f"quorate: all {n} statutory partners are represented by their representatives "
                   f"({', '.join(sorted(got))}) ({source})"]
    else:
        reasons = [f"not quorate: no representative of {_names(missing)} is present; the {group.name} needs the "
                   f"representative of each of the four statutory partners ({source})"]
        for partner in missing:
            if partner in not_even_a_member:
                continue
            stand_ins = [s for s in members if s.agency_code == partner.code]
            reasons.append(
                f"{partner.name} is present only through {_posts(stand_ins)}, not its lead representative or Senior "
                "Officer with delegated authority: §21's first sentence ('at least one member from each of the key "
                "safeguarding partners') would count it, its second ('The four Statutory Safeguarding Partner "
                "representatives must be part of any key actions and decision making') does not; the quorum is "
                "'for the purpose of decision making', so the second is applied")
    bystanders = [s for s in present if s.role in NOT_REPRESENTING and s.agency_code in {p.code for p in partners}]
    if bystanders:
        reasons.append(f"{_posts(bystanders)}: business support, participant observers with no decision-making "
                       "rights, co-optees and the scrutineer do not make their agency present (§11)")
    return QuorumRuling(not missing, tuple(reasons), source, requirement)


def _acting_quorum(group, seats, present, partners, document) -> QuorumRuling:
    """§21: a group carrying out an SCSP function needs representation from the four lead agencies."""
    source = RULES.cite("quorum-acting-groups", document)
    requirement = (f"the {group.name}, acting on behalf of the Partnership, is quorate when a member from each of the "
                   "four lead agencies is present")
    members = tuple(s for s in present if s.role not in NOT_REPRESENTING)
    got, missing = partners_represented(members, seats, partners, any_member=True)
    if not missing:
        reasons = [f"quorate: a member from each of the four lead agencies is present ({', '.join(sorted(got))}) "
                   f"({source})"]
    else:
        reasons = [f"not quorate: acting on behalf of the Partnership, the {group.name} needs representation from "
                   f"the four lead agencies; missing: {_names(missing)} ({source})"]
    bystanders = [s for s in present if s.role in NOT_REPRESENTING and s.agency_code in {p.code for p in partners}]
    if bystanders:
        reasons.append(f"{_posts(bystanders)}: board support, observers and co-optees do not represent their agency")
    return QuorumRuling(not missing, tuple(reasons), source, requirement)


def _own_business_quorum(group, present, document) -> QuorumRuling:
    """No quorum is stated for a group's own business: one member present, with §21's caveat said."""
    source = RULES.cite("quorum-other-groups", document)
    requirement = f"the {group.name} is quorate with at least one member present (the MASA states no quorum for it)"
    members = [s for s in present if s.role not in NOT_REPRESENTING] or list(present)
    caveat = ("§21 holds sub-groups and reference groups 'progressing work on behalf of the Partnership' to the "
              "four-agency rule: record a meeting that carries out an SCSP function as acting on behalf of the "
              "Partnership")
    if members:
        return QuorumRuling(True, (f"quorate: {len(members)} present; {requirement}", caveat), source, requirement)
    return QuorumRuling(False, (f"not quorate: nobody is present; {requirement}", caveat), source, requirement)


# ----------------------------------------------------------------------------- voting


@hookimpl
def governance_voting_rule(group, seats, partners, document):
    if group.kind != GroupKind.PARTNERSHIP_BOARD:
        return None  # no voting rule is stated for the other groups: the baseline's default (rulebook: voting-other-groups)
    threshold = RULES.get("voting-threshold")
    return partner_votes(
        seats, partners, RULES.cite("voting-partners", document),
        carries="a majority of the four partners' votes cast (the platform's default: the MASA states no threshold)",
        reasons=(
            "only the four safeguarding partners vote, one vote each, cast by the lead representative or the Senior "
            "Officer with delegated authority: the four Statutory Safeguarding Partner representatives must be part "
            "of any key actions and decision making (§21); participant observers (the Lead Member, the lay member) "
            "have no decision-making rights and co-optees attend to provide reports (§11)",
            "the MASA states no voting threshold or tie rule: by the platform's default a majority of the votes cast "
            f"carries and a tie fails ({threshold.derivation}); it does not say whether the partners may outvote "
            "one another or must all agree",
            "value for money and the allocation of resources are for the Statutory Safeguarding Partners within the "
            "Partnership meetings (§24)",
        ),
    )


# ----------------------------------------------------------------------------- chairs


@hookimpl
def governance_chair(group, financial_year, recorded, document):
    rule_id = CHAIR_RULES.get(group.code)
    if rule_id is None:
        rule_id = "chair-subgroups-unnamed" if group.kind in SUBGROUP_KINDS else "chair-not-stated"
    source = RULES.cite(rule_id, document)
    how = RULES.get("chair-subgroups")
    review = RULES.get("chair-review")
    subgroup = group.kind in SUBGROUP_KINDS
    if recorded is not None:
        return recorded_answer(group, recorded, source)
    if rule_id in ("chair-partnership", "chair-ccf", "chair-qpp"):
        basis = group.chair_basis or ChairBasis.FIXED_OFFICE
        words = "an independent appointment" if basis == ChairBasis.INDEPENDENT_APPOINTMENT else "a fixed office"
        return ChairAnswer(basis, None, group.chair_seat_code, group.chair_office, False, False,
                           (f"{financial_year}: chaired by {words}: {group.chair_office} ({source.section}: "
                            f"'{source.quote}')",), source)
    reasons = []
    if rule_id == "chair-reference-groups":
        reasons.append(f"{financial_year}: the §11 membership table names the {group.name}'s chair as a "
                       f"{group.chair_office}; who holds the post is not recorded")
    else:
        reasons.append(f"{financial_year}: who chairs the {group.name} is not stated; record the selection")
    if subgroup:
        reasons.append(f"§20: '{how.quote}'; '{review.quote}'")
    return ChairAnswer(group.chair_basis or ChairBasis.UNKNOWN, None, group.chair_seat_code, group.chair_office,
                       True, False, tuple(reasons), source)


# ----------------------------------------------------------------------------- deputies, attendance, meetings


@hookimpl
def governance_proxy_rule(group, document):
    if group.kind != GroupKind.PARTNERSHIP_BOARD:
        return None  # nothing is stated outside the Partnership (rulebook: proxies-other-groups)
    return ProxyRule(True, False, (
        "a relevant partner who cannot attend sends a deputy with delegated authority (§11); no one's agreement is "
        "needed",
        "a safeguarding partner's lead representative is represented by its Senior Officer with delegated authority, "
        "who may make decisions on behalf of their organisation (§11)",
    ), RULES.cite("deputies-relevant-partners", document))


@hookimpl
def governance_attendance_policy(group, document):
    reasons = ["the MASA sets no number or rate of absences that is flagged",
               f"§19: '{RULES.get('attendance-subgroups').quote}' — an expectation of each agency, stated here and "
               "not checked"]
    if group.kind == GroupKind.PARTNERSHIP_BOARD:
        reasons.append(f"§11: '{RULES.get('deputies-relevant-partners').quote}'")
    return AttendancePolicy(AttendancePolicyKind.NONE, tuple(reasons), RULES.cite("attendance-threshold", document))


@hookimpl
def governance_meeting_rules(group, document):
    reasons = ["the MASA states no deadline for notice of a meeting, its papers or its minutes, so none is checked"]
    cadence = CADENCE_RULES.get(group.code)
    if cadence:
        entry = RULES.get(cadence)
        reasons.append(f"what it states is how often the {group.name} meets ({entry.section}): '{entry.quote}'")
    return MeetingRules(None, None, None, tuple(reasons), RULES.cite("meetings-deadlines", document))


@hookimpl
def governance_executive_action_rule(group, document):
    if group.kind != GroupKind.PARTNERSHIP_BOARD:
        return None  # the baseline: no executive authority (rulebook: executive-action-other-groups)
    return ExecutiveActionRule(False, False, None, (
        f"no one may decide for the {group.name} between meetings: the Partnership 'is required to be quorate for "
        "the purpose of decision making' (§21), and the MASA gives no one authority to decide between meetings",
        f"§11: '{RULES.get('meetings-actions').quote}'",
    ), RULES.cite("executive-action", document))
