"""Lewisham: governance hooks — only where the MoU 2019/20 departs from the baseline.

Decision Making and Dispute Resolution (Executive: one vote per safeguarding partner, the
majority decides); App. A / App. B chairs in annual rotation among the three lead
representatives (2019/20 the Director for Children's Services; the Partnership Group's chair
selected at the first Executive meeting after the start of each financial year); App. B
quorum (each statutory partner represented and fifty percent of the membership) and proxies
(only with the chair's agreement); MESI (75% attendance) and Schools' Safeguarding Network
(66%, 4 of 6 meetings) attendance expectations.
"""

from __future__ import annotations

from dataclasses import replace

from core.enums import ChairBasis, GroupKind
from core.hookspecs import hookimpl
from core.rules.common import Citation
from core.rules.governance import (
    AttendancePolicy,
    AttendancePolicyKind,
    ProxyRule,
    QuorumRuling,
    membership,
    partner_votes,
    partners_represented,
    rotation_answer,
)

__all__ = [
    "governance_attendance_policy",
    "governance_chair",
    "governance_proxy_rule",
    "governance_quorum",
    "governance_voting_rule",
]

PARTNERSHIP_GROUP_TOR = "App. B (Partnership Group ToR) – Chair and Membership"


@hookimpl
def governance_quorum(group, seats, present, partners, acting_for_partnership, document):
    if group.kind != GroupKind.PARTNERSHIP_BOARD:
        return None
    # Lewisham App. B: a representative of each statutory partner AND fifty percent of the membership.
    source = Citation(document, PARTNERSHIP_GROUP_TOR)
    requirement = (f"the {group.name} is quorate when a representative of each statutory partner "
                   "and at least fifty percent of the membership are present")
    members = membership(seats)
    member_ids = {s.id for s in members}
    # A seat present for a member counts once (a deputy stands in for its principal).
    counted = {s.deputy_of if s.deputy_of in member_ids else s.id for s in present} & member_ids
    got, missing = partners_represented(present, seats, partners, any_member=True)
    half_ok = len(counted) * 2 >= len(members)
    reasons = []
    if missing:
        reasons.append("missing statutory partner(s): " + ", ".join(p.name for p in missing))
    reasons.append(f"{len(counted)} of {len(members)} members present"
                   + (" (at least half)" if half_ok else f" (fewer than half; {-(-len(members) // 2)} needed)"))
    ok = not missing and half_ok
    return QuorumRuling(ok, ((("quorate: " if ok else "not quorate: ") + "; ".join(reasons) + f" ({source})"),),
                        source, requirement)


@hookimpl
def governance_voting_rule(group, seats, partners, document):
    if group.kind != GroupKind.EXECUTIVE:
        return None
    # Lewisham, Decision Making: in the Executive each safeguarding partner has one vote; majority decides.
    return partner_votes(
        seats, partners, Citation(document, "Decision Making and Dispute Resolution"),
        reasons=("consensus wherever possible; otherwise a formal vote: in the Executive each safeguarding "
                 "partner has one vote and decisions are decided by a majority",),
        carries="a majority of the partners' votes cast")


@hookimpl
def governance_chair(group, financial_year, recorded, partners, document):
    if recorded is not None or group.chair_basis != ChairBasis.ANNUAL_ROTATION:
        return None
    answer = rotation_answer(group, financial_year, Citation(document, group.chair_source))
    if not answer.provisional:
        return answer
    if group.kind == GroupKind.EXECUTIVE:
        note = (f"a new Chair is agreed at the start of each financial year; provisional until the selection "
                f"for {financial_year} is recorded")
    else:
        note = (f"the Chair is selected at the first Executive meeting after 1 April {financial_year.start_year}; "
                "provisional until that selection is recorded")
    return replace(answer, reasons=answer.reasons + (note,))


@hookimpl
def governance_proxy_rule(group, document):
    if group.kind != GroupKind.PARTNERSHIP_BOARD:
        return None
    # Lewisham App. B: proxies in exceptional circumstances and with the agreement of the Chair.
    return ProxyRule(True, True, ("proxies may be sent in exceptional circumstances and with the agreement of the Chair",),
                     Citation(document, PARTNERSHIP_GROUP_TOR))


#: Attendance expectations by group, as the terms of reference state them.
_POLICIES = {
    # App. C (MESI ToR): at least 75% attendance; an agreed deputy must attend otherwise.
    "mesi": AttendancePolicy(
        AttendancePolicyKind.MINIMUM_RATE,
        ("nominated members are expected to attend with at least 75% attendance; an agreed deputy must attend otherwise",),
        Citation("", "App. C (MESI ToR) – Chair and Membership"), minimum_percent=75),
    # Schools' Safeguarding Network ToR: a minimum of 66% of meetings (4 out of 6).
    "schools-network": AttendancePolicy(
        AttendancePolicyKind.MINIMUM_OF_MEETINGS,
        ("members attend a minimum of 66% of meetings throughout the year (4 out of 6)",),
        Citation("", "Schools' Safeguarding Network ToR – Chair and Membership"), minimum_meetings=4, of_meetings=6),
}


@hookimpl
def governance_attendance_policy(group, document):
    policy = _POLICIES.get(group.code)
    if policy is None:
        return None
    return replace(policy, source=Citation(document, policy.source.section))
