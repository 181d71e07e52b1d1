"""Merton: governance hooks — the Partnership Agreement 2019 as it reads, citing ``rulebook.toml``.

§8.12 quorum (the Partnership: two statutory partners; the Executive Group: all three) and the
Independent Person's letter to a partner missing from a Partnership meeting, quorate or not;
App. 1 voting (the three statutory partners; what carries is not stated); §7.4 chair (the
Independent Person), with nothing said of who chairs the Executive Group or which agency chairs
each sub-group; §7.10 (the Independent Person, Merton's independent chair, cannot be the
Independent Scrutineer); §8.4 executive action (the Partnership only, reported by its next
meeting or in writing); §6.10 attendance; and no meeting deadline anywhere.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from core.plugin_api import (
    AttendancePolicy,
    AttendancePolicyKind,
    ChairAnswer,
    ChairBasis,
    DecisionMethod,
    ExecutiveActionRule,
    GroupKind,
    MeetingRules,
    Office,
    Problem,
    ProxyRule,
    Rulebook,
    hookimpl,
    partner_votes,
    partners_quorum,
    partners_represented,
    recorded_answer,
)

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))

SUB_GROUPS = (GroupKind.SUB_GROUP, GroupKind.TASK_AND_FINISH)

#: §10 annual cycle, for the answer on meeting deadlines (no deadline is stated; the cycle is).
CYCLE = {
    GroupKind.PARTNERSHIP_BOARD: "§10: the Partnership meets in June, September and mid-January, with an Away Day "
                                 "in March",
    GroupKind.EXECUTIVE: "§10: the Executive Group meets in May, July, November and February",
}


@hookimpl
def governance_quorum(group, seats, present, partners, document):
    if group.kind == GroupKind.PARTNERSHIP_BOARD:
        ruling = partners_quorum(present=present, seats=seats, partners=partners, needed=2,
                                 source=RULES.cite("quorum-partnership", document), group_name=group.name)
        return _with_partnership_reasons(ruling, seats, present, partners, document)
    if group.kind == GroupKind.EXECUTIVE:
        # §8.12 (the second paragraph so numbered). The letter of the first is not said of the Executive.
        return partners_quorum(present=present, seats=seats, partners=partners, needed=None,
                               source=RULES.cite("quorum-executive", document), group_name=group.name)
    return None


def _with_partnership_reasons(ruling, seats, present, partners, document):
    """§8.12: every statutory partner not represented calls for the Independent Person's letter,
    whether or not the meeting is quorate; and a partner's staff sitting for a relevant agency do
    not represent the partner (derived, and said to be)."""
    got, missing = partners_represented(present, seats, partners)
    letter = RULES.cite("attendance-partner-letter", document)
    extra = tuple(
        f"{p.name} is not represented: the Independent Person writes to its accountable officer to raise a "
        f"concern regarding the lack of attendance, quorate or not ({letter})"
        for p in missing)
    codes = {p.agency_code for p in partners}
    uncounted = sorted({s.post for s in present if s.agency_code in codes and s.agency_code not in got})
    if uncounted:
        step = RULES.cite("quorum-who-represents-a-partner", document)
        extra += (f"not counted for a statutory partner: {'; '.join(uncounted)} — they sit as relevant-agency or "
                  f"co-opted members, not as the partner's representative ({step}: derived; the Agreement does "
                  "not say outright)",)
    return replace(ruling, reasons=ruling.reasons + extra)


@hookimpl
def governance_voting_rule(group, seats, partners, document):
    carries = ("what carries a vote and what a tie means are not stated: the platform default applies "
               "(a majority of the votes cast carries; a tie fails)")
    if group.kind == GroupKind.PARTNERSHIP_BOARD:
        return partner_votes(seats, partners, RULES.cite("voting-statutory-partners", document), reasons=(
            "on the rare occasions a vote is taken only the three statutory partners vote, one vote each; a "
            "standing deputy votes in its partner's place",
            "decisions are normally made through robust debate and consensus",
            carries))
    if group.kind == GroupKind.EXECUTIVE:
        return partner_votes(seats, partners, RULES.cite("voting-executive", document), reasons=(
            "the Executive Group consists of the three statutory partners, so a vote there is theirs, one each "
            "(derived: no voting rule is stated for the Executive Group)",
            carries))
    return None


@hookimpl
def governance_chair(group, financial_year, recorded, document):
    rule = {GroupKind.PARTNERSHIP_BOARD: "chair-partnership", GroupKind.EXECUTIVE: "chair-executive",
            GroupKind.SUB_GROUP: "chair-subgroups-which-agency", GroupKind.TASK_AND_FINISH: "chair-subgroups-which-agency",
            GroupKind.PANEL: "chair-panels"}.get(group.kind)
    if rule is None:
        return None
    source = RULES.cite(rule, document)
    if recorded is not None:
        return recorded_answer(group, recorded, source)
    if group.kind == GroupKind.PARTNERSHIP_BOARD:
        # §7.4; appointed (and dismissed) by the statutory partners, §7.5 and §8.2. No rotation.
        return ChairAnswer(
            group.chair_basis or ChairBasis.INDEPENDENT_APPOINTMENT, None, group.chair_seat_code, group.chair_office,
            False, False,
            (f"{financial_year}: the Independent Person chairs the Partnership, appointed by the Statutory "
             "Partners",), source)
    reasons = (f"{financial_year}: {source.derivation}; record the selection",)
    if group.kind in SUB_GROUPS:
        reasons += tuple(f"{RULES.get(r).section}: \"{RULES.get(r).quote}\""
                         for r in ("chair-subgroups-partner-agencies", "chair-subgroups-multi-agency"))
    return ChairAnswer(ChairBasis.UNKNOWN, None, None, group.chair_office, True, False, reasons, source)


@hookimpl
def governance_proxy_rule(document):
    return ProxyRule(True, False, (
        "the Agreement provides standing deputies (§6.3, §6.8, App. 1) and says nothing of proxies: the platform "
        "default applies, a proxy is allowed without condition",), RULES.cite("proxies", document))


@hookimpl
def governance_appointment_problems(appointment, current, document):
    # §7.10, and §7.3: Merton's independent chair is the Independent Person, so the same bar applies.
    person = {Office.INDEPENDENT_PERSON, Office.INDEPENDENT_CHAIR}
    if appointment.office == Office.INDEPENDENT_SCRUTINEER:
        clash = person
    elif appointment.office in person:
        clash = {Office.INDEPENDENT_SCRUTINEER}
    else:
        return []
    held = next((a for a in current if a.office in clash and a.holder_key == appointment.holder_key), None)
    if held is None:
        return []
    chair = Office.INDEPENDENT_CHAIR in (held.office, appointment.office)
    source = RULES.cite("appointments-independent-chair-is-the-independent-person" if chair
                        else "appointments-not-the-same-person", document)
    words = {Office.INDEPENDENT_PERSON: "Independent Person", Office.INDEPENDENT_CHAIR: "Independent Chair",
             Office.INDEPENDENT_SCRUTINEER: "Independent Scrutineer"}
    return [Problem(f"{appointment.holder} is the {words[held.office]}; the Independent Person (the Partnership's "
                    "chair) and the Independent Scrutineer cannot be the same person", source)]


@hookimpl
def governance_executive_action_rule(group, decision, document):
    if decision.method != DecisionMethod.EXECUTIVE_ACTION:
        return None
    if group.kind != GroupKind.PARTNERSHIP_BOARD:
        return ExecutiveActionRule(False, False, None, (
            f"no one has executive authority to decide for the {group.name} between meetings: §8.4 gives it for "
            "the Partnership only, to the Independent Person",), RULES.cite("executive-action-other-groups", document))
    return ExecutiveActionRule(True, True, group.code, (
        "the Independent Person has executive authority to decide on behalf of the Partnership between meetings, "
        "consulting the statutory partners as appropriate",
        "the decision is reported to the Partnership no later than its next meeting, or in writing (§8.4); a "
        "written report cannot be recorded here, so the decision stays flagged until a report at a meeting is",
        "the authority is the Independent Person's alone; who took the decision (takenBy) is recorded as given",
    ), RULES.cite("executive-action-independent-person", document))


@hookimpl
def governance_attendance_policy(group, document):
    review = ("a member who does not attend two consecutive meetings is reviewed with their organisation by the "
              "Partnership Manager and may be added to the risk register")
    if group.kind == GroupKind.PARTNERSHIP_BOARD:
        return AttendancePolicy(AttendancePolicyKind.CONSECUTIVE_ABSENCES, (review,),
                                RULES.cite("attendance-two-consecutive-absences", document), consecutive=2)
    if group.kind == GroupKind.EXECUTIVE:
        return AttendancePolicy(AttendancePolicyKind.CONSECUTIVE_ABSENCES, (
            review,
            "applied to the Executive Group as well: §6.10 does not say whether it means Partnership meetings only "
            "(the Executive Group's members are listed in App. 1 among the Partnership's membership)",
        ), RULES.cite("attendance-executive", document), consecutive=2)
    return AttendancePolicy(AttendancePolicyKind.NONE, (
        f"no attendance measure is stated for the {group.name}: §6.11 asks agencies for commitment to the "
        "sub-groups and task and finish groups but sets no measure",), RULES.cite("attendance-other-groups", document))


@hookimpl
def governance_meeting_rules(group, document):
    cycle = CYCLE.get(group.kind, "§10: the sub-group meeting cycle begins in April and continues through the year")
    return MeetingRules(None, None, None, (
        "no deadline is stated for notice of meetings, for circulating papers or for minutes",
        cycle,
        "App. 4: the Independent Person manages the meetings, including agenda setting, chairing of meetings, "
        "agreeing minutes and monitoring actions — with no deadline for any of them",
    ), RULES.cite("meetings-deadlines", document))
