"""Pure rules for funding: domain values in, results with reasons and sources out.

Money is always a whole number of pence (``int``), never a float. Every answer carries the
:class:`~core.rules.common.Citation` it comes from. The hooks that let a borough depart from
Working Together 2018 are declared in :mod:`core.hookspecs` (funding hooks) and called only
through the small typed helpers at the end of this module.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from core.financial_year import FinancialYear
from core.rules.common import SILENT, WT2018, Citation, PartnerRef, baseline

#: WT2018 ch.3 §36–37: funding equitable, proportionate, transparent; covers local reviews.
WT2018_FUNDING = baseline(WT2018, "ch.3 §36–37", SILENT)


# ----------------------------------------------------------------------------- vocabularies


class ContributionKind(enum.StrEnum):
    """Money, or something provided instead of money (accommodation, hosting, legal advice)."""

    CASH = "CASH"
    IN_KIND = "IN_KIND"


class ContributionStatus(enum.StrEnum):
    """Where a contribution has got to: agreed, billed, paid."""

    PLEDGED = "PLEDGED"
    INVOICED = "INVOICED"
    RECEIVED = "RECEIVED"


class HostRole(enum.StrEnum):
    """The capacities in which an agency or post holds a partnership's money (Sandwell §24)."""

    HOST_AGENCY = "HOST_AGENCY"  # receives contributions and pays expenses (Lewisham)
    ACCOUNTABLE_BODY = "ACCOUNTABLE_BODY"  # financial probity, receipt and monitoring (Sandwell §24)
    COST_CENTRE_MANAGER = "COST_CENTRE_MANAGER"
    DAY_TO_DAY_BUDGET_MANAGER = "DAY_TO_DAY_BUDGET_MANAGER"


class HostStatus(enum.StrEnum):
    """How settled the host arrangement for a year is."""

    STATED = "STATED"  # the published document states it for that year
    RECORDED = "RECORDED"  # the partnership recorded it through the API
    UNDER_REVIEW = "UNDER_REVIEW"  # the document leaves it open until a decision is recorded
    NOT_STATED = "NOT_STATED"  # nothing published or recorded


class ReviewCostItem(enum.StrEnum):
    """The costs of a practice review (Merton App. 7 "Budget", §11.2)."""

    REVIEWER = "REVIEWER"  # commissioning, independent author/s
    LEGAL_ADVICE = "LEGAL_ADVICE"
    FACILITATION = "FACILITATION"  # facilitating the review and meetings
    COMMUNICATIONS = "COMMUNICATIONS"  # media work, communications advice
    DISSEMINATION = "DISSEMINATION"  # dissemination of lessons
    OTHER = "OTHER"


# ----------------------------------------------------------------------------- domain values


@dataclass(frozen=True)
class HostLine:
    """One line of a host arrangement: who holds which role, and what it is for."""

    role: HostRole
    agency_code: str | None  # an agency code from the arrangements file, or None
    post: str | None = None  # the post that holds the role, as published
    duties: tuple[str, ...] = ()
    source: Citation | None = None


@dataclass(frozen=True)
class FundingDecision:
    """Who decides a funding matter (Sandwell §24: misuse → Accountable Body; VfM → partners)."""

    matter: str
    decided_by: str
    group_code: str | None = None  # the group that decides, where there is one
    source: Citation | None = None


@dataclass(frozen=True)
class HostArrangement:
    """The answer to "who hosts this partnership's money in this year, and who decides what"."""

    status: HostStatus
    lines: tuple[HostLine, ...]
    decisions: tuple[FundingDecision, ...]
    reasons: tuple[str, ...]
    source: Citation

    @property
    def host(self) -> HostLine | None:
        """The principal line: the host agency, else the accountable body, else the first."""
        for role in (HostRole.HOST_AGENCY, HostRole.ACCOUNTABLE_BODY):
            for line in self.lines:
                if line.role == role:
                    return line
        return self.lines[0] if self.lines else None


@dataclass(frozen=True)
class PublishedContribution:
    """A contribution the document names; ``amount_pence`` is None where no amount is published."""

    agency_code: str | None
    label: str  # the contributor as the document puts it
    kind: ContributionKind
    amount_pence: int | None = None
    provides: tuple[str, ...] = ()  # in kind: what is provided


@dataclass(frozen=True)
class PublishedExpenditure:
    description: str
    amount_pence: int | None
    items: tuple[str, ...] = ()  # e.g. the posts the line pays for


@dataclass(frozen=True)
class PublishedReserve:
    """A reserve brought into the year (Sefton: the LSCB reserve, transferred 1 October 2021)."""

    description: str
    transferred_on: dt.date | None
    amount_pence: int | None = None


@dataclass(frozen=True)
class PublishedFunding:
    """The figures a published document gives for one financial year — and nothing invented."""

    financial_year: FinancialYear
    source: Citation
    income_pence: int | None = None
    income_approximate: bool = False
    contributions: tuple[PublishedContribution, ...] = ()
    expenditure: tuple[PublishedExpenditure, ...] = ()
    reserve: PublishedReserve | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewCost:
    item: ReviewCostItem
    pence: int


@dataclass(frozen=True)
class Involvement:
    """An agency's involvement in the case under review, as a relative weight (e.g. 50)."""

    agency: PartnerRef
    weight: int


@dataclass(frozen=True)
class Share:
    agency_code: str
    pence: int
    weight: int


@dataclass(frozen=True)
class Exclusion:
    agency_code: str
    reason: str


@dataclass(frozen=True)
class Apportionment:
    """Who pays what of a review's costs. ``sum(shares) + from_training_budget == total``."""

    total_pence: int
    shares: tuple[Share, ...]
    from_training_budget_pence: int
    excluded: tuple[Exclusion, ...]
    reasons: tuple[str, ...]
    source: Citation
    details: dict = field(default_factory=dict)

    @property
    def apportioned_pence(self) -> int:
        return sum(s.pence for s in self.shares)

    @property
    def unapportioned_pence(self) -> int:
        """What no stated rule shares out (the whole cost when the document sets no split)."""
        return self.total_pence - self.apportioned_pence - self.from_training_budget_pence


@dataclass(frozen=True)
class FundingDefaultAction:
    """What follows when a contribution is overdue: always reported; maybe a dispute."""

    open_dispute: bool
    reasons: tuple[str, ...]
    source: Citation


# ----------------------------------------------------------------------------- pure rules


def format_pence(pence: int) -> str:
    """``1000001`` → ``"£10,000.01"``; negative amounts get a leading minus."""
    sign = "-" if pence < 0 else ""
    pounds, p = divmod(abs(int(pence)), 100)
    return f"{sign}£{pounds:,}.{p:02d}"


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` pence in proportion to ``weights`` so the parts sum exactly to ``total``.

    Each part gets the floor of its exact share; the pennies left over go one each to the
    largest fractional remainders (ties: the earlier weight). No penny is lost or invented.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if not weights:
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    wsum = sum(weights)
    if wsum == 0:
        weights, wsum = [1] * len(weights), len(weights)
    parts = [total * w // wsum for w in weights]
    remainders = [total * w % wsum for w in weights]
    left = total - sum(parts)
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        parts[i] += 1
    return parts


def not_apportioned(costs: tuple[ReviewCost, ...], source: Citation, reasons: tuple[str, ...]) -> Apportionment:
    """No stated split: nobody's share is known, so none is given (never a guessed split);
    the whole cost is ``unapportioned_pence`` until the partners agree and record one."""
    total = sum(c.pence for c in costs)
    return Apportionment(total_pence=total, shares=(), from_training_budget_pence=0, excluded=(),
                         reasons=reasons, source=source)


def equal_apportionment(
    costs: tuple[ReviewCost, ...], partners: tuple[PartnerRef, ...], involvement: tuple[Involvement, ...], source: Citation
) -> Apportionment:
    """Baseline: the whole cost in equal shares among all the statutory partners."""
    total = sum(c.pence for c in costs)
    statutory = sorted((p for p in partners if p.statutory), key=lambda p: p.position)
    parts = largest_remainder(total, [1] * len(statutory))
    excluded = tuple(
        Exclusion(i.agency.code, "not a statutory partner: the baseline shares review costs among the statutory partners")
        for i in involvement if not i.agency.statutory
    )
    return Apportionment(
        total_pence=total,
        shares=tuple(Share(p.code, pence, 1) for p, pence in zip(statutory, parts, strict=True)),
        from_training_budget_pence=0,
        excluded=excluded,
        reasons=(
            f"{format_pence(total)} shared equally among the {len(statutory)} statutory partners, "
            "who fund the arrangements, including local reviews, equitably (WT2018 ch.3 §36–37)",
        ),
        source=source,
    )


def apportion_by_involvement(
    costs: tuple[ReviewCost, ...],
    involvement: tuple[Involvement, ...],
    source: Citation,
    *,
    training_budget_items: frozenset[ReviewCostItem] = frozenset(),
) -> Apportionment:
    """The statutory partners involved in the case pay in proportion to their involvement;
    other agencies are excluded; items in ``training_budget_items`` come from the training
    budget instead."""
    total = sum(c.pence for c in costs)
    training = sum(c.pence for c in costs if c.item in training_budget_items)
    to_share = total - training
    payers = [i for i in involvement if i.agency.statutory and i.weight > 0]
    excluded = [
        Exclusion(i.agency.code, "not a statutory partner: relevant agencies and others are excluded from the subscription")
        for i in involvement if not i.agency.statutory
    ] + [
        Exclusion(i.agency.code, "no involvement recorded (weight 0)")
        for i in involvement if i.agency.statutory and i.weight <= 0
    ]
    reasons = []
    if payers:
        parts = largest_remainder(to_share, [i.weight for i in payers])
        shares = tuple(Share(i.agency.code, pence, i.weight) for i, pence in zip(payers, parts, strict=True))
        reasons.append(
            f"{format_pence(to_share)} apportioned among the {len(payers)} statutory partners involved in the case "
            "by their involvement (largest remainder: the shares sum exactly to the cost)"
        )
    else:
        shares = ()
        if to_share:
            reasons.append("no statutory partner's involvement was given, so nothing could be apportioned")
    if training:
        reasons.append(f"{format_pence(training)} of dissemination costs is met from the training budget")
    return Apportionment(
        total_pence=total, shares=shares, from_training_budget_pence=training,
        excluded=tuple(excluded), reasons=tuple(reasons), source=source,
        details={"unapportioned_pence": 0 if payers else to_share},
    )


def is_overdue(status: ContributionStatus, due: dt.date | None, as_of: dt.date) -> bool:
    """A contribution not yet received after its due date is overdue."""
    return due is not None and status != ContributionStatus.RECEIVED and due < as_of


def shares_of(amounts: dict[str, int]) -> dict[str, float | None]:
    """Each key's share of the total as a percentage (two decimals); None when the total is 0."""
    total = sum(amounts.values())
    return {k: (round(100 * v / total, 2) if total else None) for k, v in amounts.items()}
