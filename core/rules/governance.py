"""Governance rules: quorum, voting, chairs, appointments, proxies, executive action and
attendance — pure functions and the frozen values the governance hooks take and return.

Nothing here touches a database. Core builds the values from rows
(``core.services.governance``), asks the partnership's plugin manager through the typed
helpers at the bottom of this module, and shows the answers — with their reasons and the
document and section they come from — through the API.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.enums import ChairBasis, GroupKind, SeatRole
from core.financial_year import FinancialYear
from core.rules.common import SILENT, WT2018, Citation, PartnerRef, baseline, derived, not_stated

WT2018_CH3 = baseline(WT2018, "ch.3", SILENT)


# ----------------------------------------------------------------------------- vocabularies


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "SCHEDULED"
    HELD = "HELD"
    CANCELLED = "CANCELLED"


class AttendanceStatus(enum.StrEnum):
    PRESENT = "PRESENT"
    APOLOGIES = "APOLOGIES"
    ABSENT = "ABSENT"
    DEPUTY = "DEPUTY"  # represented by the seat's standing deputy (Merton §6.3, §6.8)
    PROXY = "PROXY"  # represented by a proxy (Lewisham: only with the chair's agreement)


#: Statuses that count as the seat being represented at the meeting.
REPRESENTED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY, AttendanceStatus.PROXY})


class DecisionMethod(enum.StrEnum):
    CONSENSUS = "CONSENSUS"
    VOTE = "VOTE"
    EXECUTIVE_ACTION = "EXECUTIVE_ACTION"  # taken between meetings (Merton §8.4)


class DecisionStatus(enum.StrEnum):
    OPEN = "OPEN"  # a vote in progress
    AGREED = "AGREED"  # by consensus
    CARRIED = "CARRIED"
    NOT_CARRIED = "NOT_CARRIED"
    TAKEN = "TAKEN"  # an executive action


class VoteChoice(enum.StrEnum):
    FOR = "FOR"
    AGAINST = "AGAINST"
    ABSTAIN = "ABSTAIN"


class TieRule(enum.StrEnum):
    NOT_CARRIED = "NOT_CARRIED"  # a tie fails
    CHAIR_CASTING_VOTE = "CHAIR_CASTING_VOTE"


class Office(enum.StrEnum):
    INDEPENDENT_CHAIR = "INDEPENDENT_CHAIR"
    INDEPENDENT_PERSON = "INDEPENDENT_PERSON"
    INDEPENDENT_SCRUTINEER = "INDEPENDENT_SCRUTINEER"
    SUBGROUP_CHAIR = "SUBGROUP_CHAIR"
    SUBGROUP_VICE_CHAIR = "SUBGROUP_VICE_CHAIR"


class AttendancePolicyKind(enum.StrEnum):
    NONE = "NONE"
    CONSECUTIVE_ABSENCES = "CONSECUTIVE_ABSENCES"  # flagged after N absences in a row
    MINIMUM_RATE = "MINIMUM_RATE"  # flagged below a percentage of meetings
    MINIMUM_OF_MEETINGS = "MINIMUM_OF_MEETINGS"  # flagged below k of the last n meetings


# ----------------------------------------------------------------------------- values in


@dataclass(frozen=True)
class SeatRef:
    """A seat of a group as the rules see it."""

    id: int
    code: str
    role: SeatRole
    post: str
    agency_code: str | None = None
    statutory: bool = False  # the seat's agency is a safeguarding partner
    deputy_of: int | None = None  # the seat this one is the standing deputy of
    sector_representative: bool = False
    membership_code: str | None = None


@dataclass(frozen=True)
class GroupRef:
    """A group and its chairing rule as data (from the arrangements file)."""

    id: int
    code: str
    name: str
    kind: GroupKind
    parent_code: str | None = None
    chair_basis: ChairBasis | None = None
    chair_office: str | None = None
    chair_seat_code: str | None = None
    chair_rotation: tuple[str, ...] = ()
    chair_rotation_start: str | None = None
    chair_source: str | None = None


@dataclass(frozen=True)
class Presence:
    """One seat's attendance at a meeting."""

    seat: SeatRef
    status: AttendanceStatus
    chair_agreed: bool = False  # a proxy the chair agreed to


@dataclass(frozen=True)
class ChairSelection:
    """A chair recorded for a group and financial year (overrides any rotation)."""

    financial_year: FinancialYear
    agency_code: str | None
    seat_code: str | None
    office: str | None
    recorded_on: str | None = None  # ISO date
    at_meeting: str | None = None  # ISO date of the meeting that selected, if any


@dataclass(frozen=True)
class AppointmentRef:
    office: Office
    holder: str  # the holder's name as recorded
    person_code: str | None = None
    group_code: str | None = None

    @property
    def holder_key(self) -> str:
        return self.person_code or " ".join(self.holder.casefold().split())


@dataclass(frozen=True)
class DecisionRef:
    method: DecisionMethod
    taken_by: str | None = None  # for executive action: who took it, e.g. "Independent Person"
    decided_on: str | None = None  # ISO date
    reported: bool = False  # reported to a later meeting


@dataclass(frozen=True)
class AttendanceRecord:
    """A seat's attendance at the group's held meetings, oldest first."""

    seat: SeatRef
    statuses: tuple[AttendanceStatus, ...]


# ----------------------------------------------------------------------------- values out


@dataclass(frozen=True)
class QuorumRuling:
    """Whether a meeting (or a what-if set of seats) is quorate, why, and the rule in words."""

    satisfied: bool
    reasons: tuple[str, ...]
    source: Citation
    requirement: str  # the rule itself, whatever the outcome ("all three statutory partners")


@dataclass(frozen=True)
class VoterRight:
    seat_id: int
    counts_for: str  # the vote's key: one vote per key (a partner's agency code, or the seat code)
    reason: str


@dataclass(frozen=True)
class VotingRule:
    """Who may vote in a group, what carries, what a tie means."""

    voters: tuple[VoterRight, ...]
    carries: str  # in words, e.g. "a majority of the votes cast"
    tie: TieRule
    reasons: tuple[str, ...]
    source: Citation

    def right_of(self, seat_id: int) -> VoterRight | None:
        return next((v for v in self.voters if v.seat_id == seat_id), None)


@dataclass(frozen=True)
class ChairAnswer:
    """Who chairs a group in a financial year and on what basis."""

    basis: ChairBasis
    agency_code: str | None
    seat_code: str | None
    office: str | None
    provisional: bool
    recorded: bool
    reasons: tuple[str, ...]
    source: Citation


@dataclass(frozen=True)
class ProxyRule:
    allowed: bool
    needs_chair_agreement: bool
    reasons: tuple[str, ...]
    source: Citation


@dataclass(frozen=True)
class Problem:
    """Why an appointment is refused."""

    message: str
    source: Citation


@dataclass(frozen=True)
class ExecutiveActionRule:
    allowed: bool
    must_report_at_next_meeting: bool
    report_to_group: str | None  # the group code it must be reported to
    reasons: tuple[str, ...]
    source: Citation


@dataclass(frozen=True)
class AttendancePolicy:
    kind: AttendancePolicyKind
    reasons: tuple[str, ...]
    source: Citation
    consecutive: int = 0
    minimum_percent: int = 0
    minimum_meetings: int = 0
    of_meetings: int = 0


class DeadlineUnit(enum.StrEnum):
    WORKING_DAYS = "WORKING_DAYS"  # England's bank holidays and weekends excluded
    DAYS = "DAYS"
    WEEKS = "WEEKS"
    MONTHS = "MONTHS"


@dataclass(frozen=True)
class Deadline:
    """A stated time limit: ``amount`` units, from ``source``."""

    amount: int
    unit: DeadlineUnit
    source: Citation

    def __str__(self) -> str:
        words = {DeadlineUnit.WORKING_DAYS: "working day", DeadlineUnit.DAYS: "day",
                 DeadlineUnit.WEEKS: "week", DeadlineUnit.MONTHS: "month"}[self.unit]
        return f"{self.amount} {words}{'' if self.amount == 1 else 's'}"


@dataclass(frozen=True)
class MeetingRules:
    """The deadlines a group's meetings are held to; ``None``: the document states none.

    ``notice``: meeting dates are set at least this long before the meeting; ``papers``:
    papers circulated at least this long before it; ``minutes``: minutes circulated within
    this long after it."""

    notice: Deadline | None
    papers: Deadline | None
    minutes: Deadline | None
    reasons: tuple[str, ...]
    source: Citation


class DeadlineKind(enum.StrEnum):
    NOTICE = "NOTICE"  # the meeting's date was set at least this long before it
    PAPERS = "PAPERS"  # papers circulated at least this long before it
    MINUTES = "MINUTES"  # minutes circulated within this long after it


@dataclass(frozen=True)
class DeadlineCheck:
    """One meeting measured against one stated deadline. ``satisfied`` is None while it
    cannot yet be judged (the deadline is still ahead and nothing is recorded)."""

    kind: DeadlineKind
    due: dt.date
    satisfied: bool | None
    reasons: tuple[str, ...]
    source: Citation


def shift(day: dt.date, deadline: Deadline, direction: int) -> dt.date:
    """``day`` moved by the deadline's amount, forwards (1) or backwards (-1)."""
    from core.rules.reviews import add_months, add_working_days

    n = deadline.amount * direction
    if deadline.unit == DeadlineUnit.WORKING_DAYS:
        return add_working_days(day, n)
    if deadline.unit == DeadlineUnit.MONTHS:
        return add_months(day, n)
    return day + dt.timedelta(days=n * (7 if deadline.unit == DeadlineUnit.WEEKS else 1))


def check_meeting_deadlines(rules: MeetingRules, *, scheduled_on: dt.date, arranged_on: dt.date | None,
                            papers_on: dt.date | None, minutes_on: dt.date | None, held: bool,
                            today: dt.date) -> list[DeadlineCheck]:
    """Each stated deadline against a meeting's recorded dates (none for a cancelled meeting:
    pass ``held=False`` and a future ``scheduled_on`` for one still to come)."""
    out: list[DeadlineCheck] = []
    if rules.notice is not None and arranged_on is not None:
        due = shift(scheduled_on, rules.notice, -1)
        ok = arranged_on <= due
        out.append(DeadlineCheck(DeadlineKind.NOTICE, due, ok, (
            f"the date was set on {arranged_on.isoformat()}; dates are to be set at least {rules.notice} ahead, "
            f"by {due.isoformat()} ({rules.notice.source})",), rules.notice.source))
    if rules.papers is not None:
        due = shift(scheduled_on, rules.papers, -1)
        if papers_on is not None:
            ok: bool | None = papers_on <= due
            said = f"papers circulated on {papers_on.isoformat()}"
        else:
            ok = False if today > due else None
            said = "no circulation of papers is recorded"
        out.append(DeadlineCheck(DeadlineKind.PAPERS, due, ok, (
            f"{said}; papers are due at least {rules.papers} before the meeting, by {due.isoformat()} "
            f"({rules.papers.source})",), rules.papers.source))
    if rules.minutes is not None and held:
        due = shift(scheduled_on, rules.minutes, 1)
        if minutes_on is not None:
            ok = minutes_on <= due
            said = f"minutes circulated on {minutes_on.isoformat()}"
        else:
            ok = False if today > due else None
            said = "no minutes are recorded"
        out.append(DeadlineCheck(DeadlineKind.MINUTES, due, ok, (
            f"{said}; minutes are due within {rules.minutes} of the meeting, by {due.isoformat()} "
            f"({rules.minutes.source})",), rules.minutes.source))
    return out


@dataclass(frozen=True)
class AttendanceConcern:
    seat: SeatRef
    meetings: int
    attended: int
    reasons: tuple[str, ...]
    source: Citation


@dataclass(frozen=True)
class Tally:
    status: DecisionStatus
    counted: dict = field(default_factory=dict)  # choice -> count
    reasons: tuple[str, ...] = ()
    source: Citation = WT2018_CH3


# ----------------------------------------------------------------------------- pure rules


def represented(presences: Iterable[Presence]) -> tuple[SeatRef, ...]:
    return tuple(p.seat for p in presences if p.status in REPRESENTED)


#: Seats that speak for a safeguarding partner: its lead representative or delegated officer.
PARTNER_ROLES = frozenset({SeatRole.STATUTORY_PARTNER_LEAD, SeatRole.DELEGATED_OFFICER})


def partners_represented(present: Iterable[SeatRef], seats: Iterable[SeatRef], partners: Iterable[PartnerRef],
                         *, any_member: bool = False) -> tuple[set[str], list[PartnerRef]]:
    """Which statutory partners the present seats represent, and which are missing.

    By default only a partner's own seats count (its lead representative, a delegated
    officer, or a standing deputy of either); with ``any_member`` any member from the
    partner agency counts (Sandwell §21: "at least one member from each")."""
    by_id = {s.id: s for s in seats}
    codes: set[str] = set()
    for s in present:
        principal = by_id.get(s.deputy_of) if s.deputy_of else None
        speaks = any_member or s.role in PARTNER_ROLES or (principal is not None and principal.role in PARTNER_ROLES)
        if speaks and s.agency_code:
            codes.add(s.agency_code)
        if speaks and principal is not None and principal.agency_code:
            codes.add(principal.agency_code)
    partner_codes = {p.agency_code for p in partners}
    return codes & partner_codes, [p for p in partners if p.agency_code not in codes]


#: Seats that do not count as membership (attend, support or scrutinise only).
NOT_MEMBERSHIP = frozenset({SeatRole.ATTENDEE, SeatRole.BOARD_SUPPORT, SeatRole.INDEPENDENT_SCRUTINEER})


def membership(seats: Iterable[SeatRef]) -> tuple[SeatRef, ...]:
    """Seats that make up a group's membership (standing deputies are not extra members)."""
    return tuple(s for s in seats if s.role not in NOT_MEMBERSHIP and s.deputy_of is None)


def partners_quorum(
    *, present: Iterable[SeatRef], seats: Iterable[SeatRef], partners: Iterable[PartnerRef],
    needed: int | None, source: Citation, group_name: str, any_member: bool = False,
) -> QuorumRuling:
    """Quorate when ``needed`` statutory partners (all of them when None) are represented."""
    partners = tuple(partners)
    seats = tuple(seats)
    got, missing = partners_represented(tuple(present), seats, partners, any_member=any_member)
    need = len(partners) if needed is None else needed
    words = f"all {_count_word(len(partners))} statutory partners" if needed is None else f"{_count_word(need)} statutory partners"
    if any_member and needed is None:
        words = f"at least one member from each of the {_count_word(len(partners))} statutory partners"
    requirement = f"the {group_name} is quorate when {words} are present"
    if len(got) >= need:
        reasons = (f"quorate: {len(got)} of {len(partners)} statutory partners present ({', '.join(sorted(got))}); "
                   f"{requirement} ({source})",)
        return QuorumRuling(True, reasons, source, requirement)
    missing_names = ", ".join(p.name for p in missing)
    reasons = (f"not quorate: the {group_name} needs {words}; {len(got)} of {len(partners)} present"
               + (f" (missing: {missing_names})" if missing else "") + f" ({source})",)
    return QuorumRuling(False, reasons, source, requirement)


def _count_word(n: int) -> str:
    return {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))


def rotation_answer(group: GroupRef, financial_year: FinancialYear, source: Citation, *,
                    order_stated: bool = False) -> ChairAnswer:
    """Who chairs by a rotation in a financial year — only as far as the document says.

    ``source`` cites the rotation's words. The year ``group.chair_rotation_start`` names has
    the first listed agency, as stated. Other years are known only when the document states
    the order (``order_stated``): then they follow from it (DERIVED, provisional until a
    selection is recorded); otherwise the answer is NOT_STATED, with no agency — a rotation
    whose order is not published is a rotation with an unknown order."""
    order = group.chair_rotation
    basis = group.chair_basis or ChairBasis.ROTATION
    among = ", ".join(order) if order else "the partners"
    start = FinancialYear.parse(group.chair_rotation_start) if group.chair_rotation_start else None
    if start is not None and financial_year == start:
        return ChairAnswer(basis, order[0], None, group.chair_office, False, False,
                           (f"{financial_year}: {order[0]} chairs, as the document states",), source)
    unknown = not_stated(source.document, section=source.section, why=(
        f"the chair rotates among {among}, but the document does not give the order, so who chairs in "
        f"{financial_year} is not stated" if not order_stated or not order or start is None else
        f"the rotation starts in {start}; {financial_year} is before it"))
    if not order_stated or not order or start is None or financial_year - start < 0:
        return ChairAnswer(basis, None, None, group.chair_office, True, False,
                           (unknown.derivation + "; record the selection",), unknown)
    offset = financial_year - start
    agency = order[offset % len(order)]
    step = (f"the stated order ({' → '.join(order)}) applied one year at a time from {start}")
    answer_source = derived(source.document, source.section or "", source.quote or "", step)
    return ChairAnswer(
        basis, agency, None, group.chair_office, True, False,
        (f"{financial_year}: {agency} by {step}; provisional until a selection is recorded",), answer_source)


def recorded_answer(group: GroupRef, selection: ChairSelection, source: Citation) -> ChairAnswer:
    who = selection.agency_code or selection.seat_code or selection.office or "the recorded chair"
    when = f" at the meeting of {selection.at_meeting}" if selection.at_meeting else ""
    return ChairAnswer(
        group.chair_basis or ChairBasis.UNKNOWN, selection.agency_code, selection.seat_code,
        selection.office or group.chair_office, False, True,
        (f"{selection.financial_year}: {who} chairs, as recorded{when}",), source)


def evaluate_attendance(policy: AttendancePolicy, records: Iterable[AttendanceRecord]) -> list[AttendanceConcern]:
    """Members whose attendance breaks the policy. Represented by a deputy or an agreed proxy
    counts as attending; apologies and absence do not."""
    concerns: list[AttendanceConcern] = []
    if policy.kind == AttendancePolicyKind.NONE:
        return concerns
    for rec in records:
        attended = [s in REPRESENTED for s in rec.statuses]
        n, k = len(attended), sum(attended)
        if n == 0:
            continue
        if policy.kind == AttendancePolicyKind.CONSECUTIVE_ABSENCES:
            run = best = 0
            for a in attended:
                run = 0 if a else run + 1
                best = max(best, run)
            if best >= policy.consecutive:
                concerns.append(AttendanceConcern(rec.seat, n, k, (
                    f"{rec.seat.post}: absent from {best} consecutive meetings; to be reviewed with the member's "
                    f"organisation and may be added to the risk register ({policy.source})",), policy.source))
        elif policy.kind == AttendancePolicyKind.MINIMUM_RATE:
            if k * 100 < policy.minimum_percent * n:
                concerns.append(AttendanceConcern(rec.seat, n, k, (
                    f"{rec.seat.post}: attended {k} of {n} meetings ({k * 100 // n}%), below the "
                    f"{policy.minimum_percent}% expected ({policy.source})",), policy.source))
        elif policy.kind == AttendancePolicyKind.MINIMUM_OF_MEETINGS:
            window = attended[-policy.of_meetings:] if policy.of_meetings else attended
            # Judge only once a member has missed enough that the minimum can no longer be met.
            if sum(window) < policy.minimum_meetings and (len(window) - sum(window)) > policy.of_meetings - policy.minimum_meetings:
                concerns.append(AttendanceConcern(rec.seat, len(window), sum(window), (
                    f"{rec.seat.post}: attended {sum(window)} of the last {len(window)} meetings; at least "
                    f"{policy.minimum_meetings} of {policy.of_meetings} expected ({policy.source})",), policy.source))
    return concerns


def tally(rule: VotingRule, votes: dict[str, VoteChoice], chair_key: str | None = None) -> Tally:
    """Count the votes (one per ``counts_for`` key) by the rule: a majority of the votes cast
    for and against carries; a tie follows ``rule.tie``."""
    counted = {c: sum(1 for v in votes.values() if v == c) for c in VoteChoice}
    yes, no = counted[VoteChoice.FOR], counted[VoteChoice.AGAINST]
    base = f"{yes} for, {no} against, {counted[VoteChoice.ABSTAIN]} abstaining; carries on {rule.carries}"
    if yes > no:
        return Tally(DecisionStatus.CARRIED, {k.value: v for k, v in counted.items()}, (f"carried: {base} ({rule.source})",), rule.source)
    if yes == no and rule.tie == TieRule.CHAIR_CASTING_VOTE and chair_key in votes:
        status = DecisionStatus.CARRIED if votes[chair_key] == VoteChoice.FOR else DecisionStatus.NOT_CARRIED
        return Tally(status, {k.value: v for k, v in counted.items()}, (f"tie decided by the chair's casting vote: {base} ({rule.source})",), rule.source)
    why = "a tie does not carry" if yes == no else "not carried"
    return Tally(DecisionStatus.NOT_CARRIED, {k.value: v for k, v in counted.items()}, (f"{why}: {base} ({rule.source})",), rule.source)


# ----------------------------------------------------------------------------- answer builders


def partner_votes(seats: Iterable[SeatRef], partners: Iterable[PartnerRef], source: Citation, *,
                  reasons: tuple[str, ...], carries: str = "a majority of the votes cast",
                  tie: TieRule = TieRule.NOT_CARRIED) -> VotingRule:
    """One vote per safeguarding partner: its lead representative's seat, or its standing
    deputy voting for it (the vote counts under the partner's agency code)."""
    seats = tuple(seats)
    codes = {p.agency_code for p in partners}
    leads = {s.id: s for s in seats if s.role == SeatRole.STATUTORY_PARTNER_LEAD and s.agency_code in codes}
    voters = [VoterRight(s.id, s.agency_code, f"{s.post}: the vote of {s.agency_code}") for s in leads.values()]
    voters += [VoterRight(s.id, leads[s.deputy_of].agency_code,
                          f"{s.post}: standing deputy, votes for {leads[s.deputy_of].agency_code}")
               for s in seats if s.deputy_of in leads]
    return VotingRule(tuple(voters), carries, tie, reasons, source)
