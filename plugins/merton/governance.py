"""Merton: governance hooks — only where the Partnership Agreement 2019 departs from the baseline.

§8.12 quorum (Partnership: two statutory partners; Executive Group: all three), App. 1
voting (only the three statutory partners' votes count; §6.3/§6.8 a standing deputy votes
for its partner), §7.10 (the Independent Person cannot be the Independent Scrutineer), §8.4
(the Independent Person's executive authority between meetings, reported no later than the
next Partnership meeting) and §6.10 (two consecutive absences are reviewed).
"""

from __future__ import annotations

from dataclasses import replace

from core.enums import GroupKind
from core.hookspecs import hookimpl
from core.rules.common import Citation
from core.rules.governance import (
    AttendancePolicy,
    AttendancePolicyKind,
    DecisionMethod,
    ExecutiveActionRule,
    Office,
    Problem,
    partner_votes,
    partners_quorum,
)

__all__ = [
    "governance_appointment_problems",
    "governance_attendance_policy",
    "governance_executive_action_rule",
    "governance_quorum",
    "governance_voting_rule",
]

MAIN = (GroupKind.PARTNERSHIP_BOARD, GroupKind.EXECUTIVE)


@hookimpl
def governance_quorum(group, seats, present, partners, acting_for_partnership, document):
    source = Citation(document, "§8.12")
    if group.kind == GroupKind.PARTNERSHIP_BOARD:  # Merton §8.12: two statutory partners
        ruling = partners_quorum(present=present, seats=seats, partners=partners, needed=2, source=source,
                                 group_name=group.name)
    elif group.kind == GroupKind.EXECUTIVE:  # Merton §8.12: all three statutory partners
        ruling = partners_quorum(present=present, seats=seats, partners=partners, needed=None, source=source,
                                 group_name=group.name)
    else:
        return None
    if "missing:" in ruling.reasons[0]:
        ruling = replace(ruling, reasons=ruling.reasons + (
            "the Independent Person writes to the accountable officer of a statutory partner that fails to "
            f"ensure representation ({source})",))
    return ruling


@hookimpl
def governance_voting_rule(group, seats, partners, document):
    if group.kind not in MAIN:
        return None
    # Merton App. 1: "the votes will be taken from the three statutory [partners]";
    # §6.3, §6.8: a standing deputy holds the same authority on the agency's behalf.
    return partner_votes(
        seats, partners, Citation(document, "App. 1; §6.3, §6.8"),
        reasons=("decisions are normally by consensus; on a vote only the three statutory partners' votes count, "
                 "and a standing deputy votes for its partner",),
    )


@hookimpl
def governance_appointment_problems(appointment, current, document):
    # Merton §7.10: the Independent Person and the Independent Scrutineer cannot be the same person.
    clash = {Office.INDEPENDENT_SCRUTINEER: Office.INDEPENDENT_PERSON,
             Office.INDEPENDENT_PERSON: Office.INDEPENDENT_SCRUTINEER}.get(appointment.office)
    if clash and any(a.office == clash and a.holder_key == appointment.holder_key for a in current):
        return [Problem(
            f"{appointment.holder} is the {'Independent Person' if clash == Office.INDEPENDENT_PERSON else 'Independent Scrutineer'}; "
            "the Independent Person and the Independent Scrutineer cannot be the same person",
            Citation(document, "§7.10"))]
    return []


@hookimpl
def governance_executive_action_rule(group, decision, document):
    if group.kind != GroupKind.PARTNERSHIP_BOARD or decision.method != DecisionMethod.EXECUTIVE_ACTION:
        return None
    # Merton §8.4: executive authority between meetings; reported no later than the next meeting.
    return ExecutiveActionRule(
        True, True, group.code,
        ("the Independent Person has executive authority to decide on behalf of the Partnership between meetings, "
         "consulting the statutory partners, and reports the decision no later than the next Partnership meeting",),
        Citation(document, "§8.4"))


@hookimpl
def governance_attendance_policy(group, document):
    if group.kind not in MAIN:
        return None
    # Merton §6.10: a member who misses two consecutive meetings is reviewed, may join the risk register.
    return AttendancePolicy(
        AttendancePolicyKind.CONSECUTIVE_ABSENCES,
        ("a member who does not attend two consecutive meetings is reviewed with their organisation by the "
         "Partnership Manager and may be added to the risk register",),
        Citation(document, "§6.10"), consecutive=2)
