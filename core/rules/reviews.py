"""Pure rules for reviews: domain values in, results with reasons and sources out.

Serious incidents and child safeguarding practice reviews (WT2018 ch.4), annual reports
(WT2018 ch.3), business plans and the risk & challenge log (Merton Business Plan 2014–16).

Working days come from the real England bank-holiday calendar of the ``holidays`` package
(``holidays.country_holidays("GB", subdiv="ENG")``), never a hand-kept list: see
:func:`england_bank_holidays` and :func:`add_working_days`.

No child-identifying data is ever stored: an incident is known by a case reference the
partnership chooses. :func:`child_data_problem` rejects input that looks like a name, a date
of birth, an address (postcode) or an NHS number where that can reasonably be detected; it
cannot catch everything, so the API documentation asks partnerships never to enter such data.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import enum
import re
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

import holidays

from core.rules.common import SILENT, WT2018, Citation, baseline

PANEL_GUIDANCE = "Child Safeguarding Practice Review Panel: practice guidance"
WT2018_NOTIFICATION = baseline(WT2018, "ch.4, Notifying the Panel", SILENT)  # notify the Panel within five working days
WT2018_PUBLICATION = baseline(WT2018, "ch.4, Publication of reports", SILENT)  # publish; publicly available for at least one year
WT2018_ANNUAL_REPORT = baseline(WT2018, "ch.3, Reporting", SILENT)  # copy to the Panel and the What Works Centre in 7 days
PANEL_RAPID_REVIEW = baseline(PANEL_GUIDANCE, "Rapid reviews", SILENT)  # within 15 working days of the notification
WT2018_LOCAL_REVIEW = baseline(WT2018, "ch.4, Local child safeguarding practice reviews", SILENT)  # no fixed time to complete a local review


# ----------------------------------------------------------------------------- vocabularies


class IncidentStage(enum.StrEnum):
    """Where a serious incident has got to, in the order of WT2018 ch.4."""

    KNOWN = "KNOWN"  # known to the local authority
    NOTIFIED = "NOTIFIED"  # the Panel has been notified
    RAPID_REVIEW_SENT = "RAPID_REVIEW_SENT"  # rapid review sent to the Panel
    DECIDED = "DECIDED"  # decision on a review, with rationale
    COMMISSIONED = "COMMISSIONED"  # local review: reviewer commissioned
    FINAL_REPORT = "FINAL_REPORT"  # final report received
    PUBLISHED = "PUBLISHED"  # report (or improvement information) published


STAGE_ORDER = {s: i for i, s in enumerate(IncidentStage)}


class ReviewDecision(enum.StrEnum):
    LOCAL_REVIEW = "LOCAL_REVIEW"
    NATIONAL_REVIEW = "NATIONAL_REVIEW"
    OTHER_LEARNING_REVIEW = "OTHER_LEARNING_REVIEW"
    NONE = "NONE"


class LearningReviewKind(enum.StrEnum):
    """The kind of 'other learning review' (Lewisham, Learning from Practice Group ToR)."""

    SINGLE_AGENCY = "SINGLE_AGENCY"
    MULTI_AGENCY = "MULTI_AGENCY"
    AUDIT = "AUDIT"


class Methodology(enum.StrEnum):
    """DfE-recognised review methodologies (Merton App. 8)."""

    LEARNING_TOGETHER = "LEARNING_TOGETHER"  # SCIE Learning Together
    CHILD_PRACTICE_REVIEW = "CHILD_PRACTICE_REVIEW"  # the Welsh model
    ROOT_CAUSE_ANALYSIS = "ROOT_CAUSE_ANALYSIS"
    SILP = "SILP"  # Significant Incident Learning Process
    APPRECIATIVE_INQUIRY = "APPRECIATIVE_INQUIRY"
    OTHER = "OTHER"


class NotificationTarget(enum.StrEnum):
    PANEL = "PANEL"  # the national Child Safeguarding Practice Review Panel (with DfE and Ofsted)
    PARTNERS = "PARTNERS"  # the safeguarding partners


class ActionStatus(enum.StrEnum):
    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"


class Rag(enum.StrEnum):
    """Progress or risk rating: Green, Amber, Red (Merton Business Plan 2014–16)."""

    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"


class PlanKind(enum.StrEnum):
    BUSINESS_PLAN = "BUSINESS_PLAN"  # priorities, objectives, numbered actions
    ROLLING_ACTION_PLAN = "ROLLING_ACTION_PLAN"  # actions agreed at meetings, until completed


class RiskRaiser(enum.StrEnum):
    """Who may add to the risk & challenge log (Merton Business Plan 2014–16, Risk & Challenge Log)."""

    BOARD = "BOARD"  # "At each meeting MSCB will consider any specific risks"
    CHAIR = "CHAIR"  # "The MSCB Chair may also add to this risk log executively"
    SUBGROUP_CHAIR = "SUBGROUP_CHAIR"  # "SubGroup Chairs may also add to the Challenge Log"


class OverdueKind(enum.StrEnum):
    PANEL_NOTIFICATION_LATE = "PANEL_NOTIFICATION_LATE"
    PARTNER_NOTIFICATION_LATE = "PARTNER_NOTIFICATION_LATE"
    RAPID_REVIEW_PENDING = "RAPID_REVIEW_PENDING"
    REVIEW_PAST_TARGET = "REVIEW_PAST_TARGET"
    PUBLICATION_TOO_SHORT = "PUBLICATION_TOO_SHORT"
    ANNUAL_REPORT_COPY_LATE = "ANNUAL_REPORT_COPY_LATE"
    REVIEW_ACTION_OVERDUE = "REVIEW_ACTION_OVERDUE"
    PLAN_ACTION_OVERDUE = "PLAN_ACTION_OVERDUE"
    RISK_ACTION_OVERDUE = "RISK_ACTION_OVERDUE"


# ----------------------------------------------------------------------------- calendar


def england_bank_holidays(years) -> Container[dt.date]:
    """England's bank holidays for the given years, from the ``holidays`` package."""
    return _england(tuple(years))


@lru_cache(maxsize=64)
def _england(years: tuple[int, ...]) -> Container[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=years).keys())


def is_working_day(day: dt.date, calendar: Container[dt.date]) -> bool:
    return day.weekday() < 5 and day not in calendar


def add_working_days(start: dt.date, days: int, calendar: Container[dt.date] | None = None) -> dt.date:
    """The date ``days`` working days after ``start`` (before it when negative; weekends and
    England bank holidays skipped). Friday 2024-05-03 + 5 → Monday 2024-05-13 (the early-May
    bank holiday, 6 May, is not a working day)."""
    step = 1 if days >= 0 else -1
    if calendar is None:
        span = 2 + abs(days) // 200
        calendar = england_bank_holidays(range(start.year - (span if step < 0 else 0), start.year + span))
    day = start
    left = abs(days)
    while left > 0:
        day += dt.timedelta(days=step)
        if is_working_day(day, calendar):
            left -= 1
    return day


def add_months(start: dt.date, months: int) -> dt.date:
    """Calendar months later; the last day of a shorter month where the day does not exist."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, _calendar.monthrange(year, month)[1]))


# ----------------------------------------------------------------------------- timescales


@dataclass(frozen=True)
class ReviewTimescales:
    """The deadlines a partnership works to, each with where it comes from.

    ``review_completion_months`` is ``None`` where no target is set (WT2018 sets none for a
    local review); ``rapid_review_group`` is the code of the group that does rapid reviews,
    where the document names one.
    """

    panel_notification_working_days: int
    partner_notification_working_days: int
    notification_source: Citation
    rapid_review_working_days: int
    rapid_review_source: Citation
    review_completion_months: int | None
    completion_source: Citation
    minimum_publication_months: int
    publication_source: Citation
    rapid_review_group: str | None = None
    rapid_review_group_source: Citation | None = None
    reasons: tuple[str, ...] = ()


def baseline_timescales() -> ReviewTimescales:
    """WT2018 ch.4 and the Panel's guidance."""
    return ReviewTimescales(
        panel_notification_working_days=5,
        partner_notification_working_days=5,
        notification_source=WT2018_NOTIFICATION,
        rapid_review_working_days=15,
        rapid_review_source=PANEL_RAPID_REVIEW,
        review_completion_months=None,
        completion_source=WT2018_LOCAL_REVIEW,
        minimum_publication_months=12,
        publication_source=WT2018_PUBLICATION,
        reasons=(
            "the local authority notifies the Panel, and reports to the safeguarding partners, within "
            "five working days of becoming aware of the incident",
            "the rapid review is sent to the Panel within 15 working days of the notification",
            "WT2018 sets no fixed time for completing a local review",
            "a published report or improvement information stays public for at least one year",
        ),
    )


@dataclass(frozen=True)
class AnnualReportRecipients:
    """Who gets a copy of the annual report, and within how many days of publication."""

    recipients: tuple[str, ...]
    within_days: int
    source: Citation
    reasons: tuple[str, ...] = ()
    # Where the report is published (e.g. "the partnership's website"), who signs it off and
    # what it must contain — each with its own source; empty / None where the document is silent.
    publication: tuple[str, ...] = ()
    publication_source: Citation | None = None
    sign_off: str | None = None
    sign_off_source: Citation | None = None
    contents: tuple[str, ...] = ()
    contents_source: Citation | None = None
    # Recipients the document names with no deadline: listed, but no copy falls due by a date.
    undated_recipients: tuple[str, ...] = ()
    undated_source: Citation | None = None


def baseline_annual_report_recipients() -> AnnualReportRecipients:
    return AnnualReportRecipients(
        recipients=("Child Safeguarding Practice Review Panel", "What Works Centre for Children's Social Care"),
        within_days=7,
        source=WT2018_ANNUAL_REPORT,
        reasons=("a copy goes to the Panel and the What Works Centre within seven days of publication",),
    )


# ----------------------------------------------------------------------------- incidents


@dataclass(frozen=True)
class IncidentDates:
    """An incident as the rules see it: dates only, never anything about the child."""

    became_aware_on: dt.date
    panel_notified_on: dt.date | None = None
    partners_notified_on: dt.date | None = None
    rapid_review_sent_on: dt.date | None = None
    decision: ReviewDecision | None = None
    commissioned_on: dt.date | None = None
    final_report_on: dt.date | None = None
    published_on: dt.date | None = None
    public_until: dt.date | None = None


@dataclass(frozen=True)
class IncidentDeadlines:
    panel_notification_due: dt.date
    partner_notification_due: dt.date
    rapid_review_due: dt.date
    review_target: dt.date | None
    minimum_public_until: dt.date | None


def incident_deadlines(incident: IncidentDates, t: ReviewTimescales,
                       calendar: Container[dt.date] | None = None) -> IncidentDeadlines:
    panel_due = add_working_days(incident.became_aware_on, t.panel_notification_working_days, calendar)
    partner_due = add_working_days(incident.became_aware_on, t.partner_notification_working_days, calendar)
    # The rapid review counts from the notification; before one is made, from the day it is due.
    rapid_from = incident.panel_notified_on or panel_due
    rapid_due = add_working_days(rapid_from, t.rapid_review_working_days, calendar)
    target = None
    if t.review_completion_months is not None and incident.commissioned_on is not None:
        target = add_months(incident.commissioned_on, t.review_completion_months)
    minimum = None
    if incident.published_on is not None:
        minimum = add_months(incident.published_on, t.minimum_publication_months)
    return IncidentDeadlines(panel_due, partner_due, rapid_due, target, minimum)


@dataclass(frozen=True)
class Lateness:
    kind: OverdueKind
    due_on: dt.date
    description: str
    source: Citation


def incident_lateness(incident: IncidentDates, t: ReviewTimescales, as_of: dt.date,
                      calendar: Container[dt.date] | None = None) -> list[Lateness]:
    """Every way an incident is late on ``as_of``."""
    d = incident_deadlines(incident, t, calendar)
    out: list[Lateness] = []

    def late(done: dt.date | None, due: dt.date) -> bool:
        return (done is None and as_of > due) or (done is not None and done > due)

    if late(incident.panel_notified_on, d.panel_notification_due):
        out.append(Lateness(OverdueKind.PANEL_NOTIFICATION_LATE, d.panel_notification_due,
                            "Panel notification " + ("made late" if incident.panel_notified_on else "not made"),
                            t.notification_source))
    if late(incident.partners_notified_on, d.partner_notification_due):
        out.append(Lateness(OverdueKind.PARTNER_NOTIFICATION_LATE, d.partner_notification_due,
                            "notification to the safeguarding partners "
                            + ("made late" if incident.partners_notified_on else "not made"), t.notification_source))
    if incident.rapid_review_sent_on is None and as_of > d.rapid_review_due:
        out.append(Lateness(OverdueKind.RAPID_REVIEW_PENDING, d.rapid_review_due,
                            "rapid review not yet sent to the Panel", t.rapid_review_source))
    if d.review_target is not None and incident.final_report_on is None and as_of > d.review_target:
        out.append(Lateness(OverdueKind.REVIEW_PAST_TARGET, d.review_target,
                            f"review not completed within {t.review_completion_months} months of commissioning",
                            t.completion_source))
    if (d.minimum_public_until is not None and incident.public_until is not None
            and incident.public_until < d.minimum_public_until):
        out.append(Lateness(OverdueKind.PUBLICATION_TOO_SHORT, d.minimum_public_until,
                            f"publication ends {incident.public_until.isoformat()}, before the minimum "
                            f"{t.minimum_publication_months} months", t.publication_source))
    return out


def past_target(incident: IncidentDates, t: ReviewTimescales, as_of: dt.date) -> tuple[bool, tuple[str, ...]]:
    d = incident_deadlines(incident, t)
    if incident.commissioned_on is None:
        return False, ("no reviewer commissioned yet",)
    if d.review_target is None:
        return False, (f"no completion target applies ({t.completion_source})",)
    if incident.final_report_on is not None:
        on_time = incident.final_report_on <= d.review_target
        return (not on_time, (f"final report {incident.final_report_on.isoformat()} against a target of "
                              f"{d.review_target.isoformat()} ({t.completion_source})",))
    return (as_of > d.review_target, (f"target {d.review_target.isoformat()}: "
                                      f"{t.review_completion_months} months from commissioning ({t.completion_source})",))


# ----------------------------------------------------------------------------- child data

_DATE_PATTERNS = (
    re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b"),
    re.compile(r"\b(19|20)\d{2}-\d{1,2}-\d{1,2}\b"),
    re.compile(r"\b\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{2,4}\b", re.I),
)
_DOB = re.compile(r"\b(d\.?o\.?b\.?|date of birth|born on|born in|aged? \d+)\b", re.I)
_NHS = re.compile(r"\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)
_ADDRESS = re.compile(r"\b\d+[a-z]?\s+[A-Za-z]+(\s+[A-Za-z]+)?\s+(road|rd|street|st|avenue|ave|lane|close|drive|way|"
                      r"crescent|gardens|court|place|grove|terrace|estate)\b", re.I)
_NAME = re.compile(r"\b[A-Z][a-z]{2,}\s+[A-Z][a-z]{2,}\b")
#: Capitalised words a case reference may hold without looking like a name.
_NOT_NAMES = frozenset("""child children young person review practice case incident serious rapid local national
learning safeguarding partnership panel cspr lcspr scr family sibling baby infant""".split())
CASE_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 /_.\-]{1,39}$")


def child_data_problem(text: str, *, case_reference: bool = False) -> str | None:
    """Why ``text`` looks like child-identifying data, or ``None``.

    Detects (where it reasonably can): dates (in a case reference) and date-of-birth phrases,
    NHS numbers (ten digits, optionally 3-3-4), postcodes and street addresses, and — in a case
    reference — two capitalised words that read like a forename and surname. It cannot
    recognise every name in free text: never enter one.
    """
    if case_reference:
        if not CASE_REFERENCE.match(text):
            return ("a case reference is 2–40 letters, digits, spaces, '/', '_', '.' or '-', e.g. `MSCP-2024-03` "
                    "or `Child Q`")
        if any(p.search(text) for p in _DATE_PATTERNS):
            return "a case reference must not contain a date (it could be a date of birth); use a sequence like `2024-03`"
        for m in _NAME.finditer(text):
            words = m.group(0).lower().split()
            if not any(w in _NOT_NAMES for w in words):
                return "a case reference must not be a person's name; choose a neutral reference such as `Child Q`"
    if _DOB.search(text):
        return "remove any date of birth or age: no child-identifying data may be recorded"
    if _NHS.search(text):
        return "remove the ten-digit number (it could be an NHS number): no child-identifying data may be recorded"
    if _POSTCODE.search(text) or _ADDRESS.search(text):
        return "remove the address or postcode: no child-identifying data may be recorded"
    return None


# ----------------------------------------------------------------------------- plan dates

_MONTHS = {m.lower(): i for i, m in enumerate(_calendar.month_abbr) if m}
_MONTHS["sept"] = 9


def month_end(text: str) -> dt.date | None:
    """The last day of the first 'Month YYYY' in a printed 'when' (e.g. `Sept 2014` → 2014-09-30)."""
    for m in re.finditer(r"\b([A-Za-z]{3,9})\.?\s+(\d{4})\b", text):
        word = m.group(1).lower()
        month = _MONTHS.get(word[:4] if word.startswith("sept") else word[:3])
        if month:
            year = int(m.group(2))
            return dt.date(year, month, _calendar.monthrange(year, month)[1])
    return None
