"""Values every rule returns: a citation of where the rule comes from, and a ruling."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from core.enums import AgencyKind

WT2018 = "Working Together to Safeguard Children 2018"

#: Why a baseline answer applies: said once, shown on every default answer.
SILENT = "the partnership's document is silent here, so the statutory guidance applies by default"


class RuleStatus(enum.StrEnum):
    """How an answer knows what it says — on every rule answer, so nobody mistakes a default
    or a guess for the document's words."""

    STATED = "STATED"  # the document says it: section and quoted operative words
    DERIVED = "DERIVED"  # follows from stated words by a step that is named
    BASELINE = "BASELINE"  # the document is silent; statutory guidance or the platform default applies
    NOT_STATED = "NOT_STATED"  # nothing says: the answer is unknown (null), never a guess


@dataclass(frozen=True)
class Citation:
    """Where a rule or fact comes from and how: the document, its section, the operative
    words quoted, and a :class:`RuleStatus`.

    Build with :func:`stated`, :func:`derived`, :func:`baseline` or :func:`not_stated`, which
    say what each status needs; a bare ``Citation(document, section)`` is STATED and the
    conformance kit and the rule-walk test refuse it without quoted words."""

    document: str
    section: str | None = None
    quote: str | None = None
    status: RuleStatus = RuleStatus.STATED
    derivation: str | None = None  # DERIVED: the step from the quoted words; others: why

    def __str__(self) -> str:
        return f"{self.document} {self.section}" if self.section else self.document

    @property
    def complete(self) -> bool:
        """Carries what its status promises (STATED: section and quote; DERIVED: those and the
        step; BASELINE and NOT_STATED: a reason)."""
        if self.status == RuleStatus.STATED:
            return bool(self.section and self.quote)
        if self.status == RuleStatus.DERIVED:
            return bool(self.section and self.quote and self.derivation)
        return bool(self.derivation)


def stated(document: str, section: str, quote: str) -> Citation:
    """The document says it, in ``quote`` (its operative words), at ``section``."""
    return Citation(document, section, quote, RuleStatus.STATED)


def derived(document: str, section: str, quote: str, step: str) -> Citation:
    """Follows from ``quote`` at ``section`` by ``step`` (say the step in plain words)."""
    return Citation(document, section, quote, RuleStatus.DERIVED, step)


def baseline(document: str, section: str | None, why: str, quote: str | None = None) -> Citation:
    """The partnership's document is silent; ``document`` (statutory guidance, or the
    platform's default) applies — ``why`` says which and that it is a default."""
    return Citation(document, section, quote, RuleStatus.BASELINE, why)


def not_stated(document: str, why: str, section: str | None = None) -> Citation:
    """Nothing says: the answer is unknown. ``why`` says what was looked for."""
    return Citation(document, section, None, RuleStatus.NOT_STATED, why)


@dataclass(frozen=True)
class PartnerRef:
    """An agency of the partnership as a hook sees it — the one partner value every hook takes.

    ``code`` is the agency's code in the arrangements file; ``statutory`` says whether it is a
    safeguarding partner; ``position`` is the document's order; ``lead_role`` the post that
    leads for it, where one is named. Hooks that take ``partners`` for quorum, voting and
    chairs receive only the statutory partners; funding hooks receive every agency."""

    code: str
    name: str
    kind: AgencyKind
    statutory: bool = True
    position: int = 0
    lead_role: str | None = None

    @property
    def agency_code(self) -> str:
        """The same as ``code`` (the name governance rules have always used)."""
        return self.code


@dataclass(frozen=True)
class Ruling:
    """A yes/no answer with the reasons for it, in plain language, and its source."""

    satisfied: bool
    reasons: tuple[str, ...]
    source: Citation
    provisional: bool = False
    details: dict = field(default_factory=dict)
