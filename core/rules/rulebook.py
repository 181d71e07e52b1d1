"""A partnership's rulebook: every rule sentence of its published document, with how the API
knows it (stated, derived, baseline or not stated), the section, the quoted words, the rule
in plain English and the API field that applies it — or why it is not encoded.

A borough keeps its rulebook in ``rulebook.toml`` beside its arrangements and returns the
path from the ``partnership_rulebook`` hook. Its hookimpls cite the same entries
(``RULES.cite("quorum-partnership", document)``), so the citation an answer carries and the
rulebook a partnership's staff check against their document are one text, not two.

The file::

    [[rule]]
    id = "quorum-partnership"            # unique, lower-case, used by the hooks
    topic = "QUORUM"                     # RuleTopic
    status = "STATED"                    # STATED | DERIVED | BASELINE | NOT_STATED
    section = "§8.12"
    quote = "The Partnership will be quorate when two Statutory Partners are present"
    rule = "The Partnership is quorate with two of the three statutory partners represented."
    applies_in = "Group.quorum"          # the API field that applies it; omit if not encoded
    test = "tests/test_rules_merton.py::test_partnership_quorum"  # the test that encodes it
    # derivation = "…"   DERIVED: the step from the quote; BASELINE / NOT_STATED: why
    # encoded = false, why = "…"   a rule the API does not apply, and why not
"""

from __future__ import annotations

import enum
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.rules.common import WT2018, Citation, RuleStatus


class RuleTopic(enum.StrEnum):
    """What a rule is about, in the order a rulebook lists them."""

    MEMBERSHIP = "MEMBERSHIP"
    QUORUM = "QUORUM"
    VOTING = "VOTING"
    CHAIR = "CHAIR"
    DEPUTIES_AND_PROXIES = "DEPUTIES_AND_PROXIES"
    ATTENDANCE = "ATTENDANCE"
    MEETINGS = "MEETINGS"  # cadence, notice, papers and minutes deadlines
    EXECUTIVE_ACTION = "EXECUTIVE_ACTION"
    APPOINTMENTS = "APPOINTMENTS"
    DISPUTES = "DISPUTES"
    SCRUTINY = "SCRUTINY"
    FUNDING = "FUNDING"
    HOSTING = "HOSTING"
    REVIEW_COSTS = "REVIEW_COSTS"
    REVIEWS = "REVIEWS"  # notification and practice-review timescales
    ANNUAL_REPORT = "ANNUAL_REPORT"  # contents, recipients, sign-off, publication
    MEDIA = "MEDIA"
    INFORMATION_SHARING = "INFORMATION_SHARING"
    OTHER = "OTHER"


@dataclass(frozen=True)
class RuleEntry:
    """One rule of a partnership's document and how the API holds it."""

    id: str
    topic: RuleTopic
    status: RuleStatus
    rule: str  # the rule in plain English
    section: str | None = None
    quote: str | None = None
    derivation: str | None = None  # DERIVED: the step; BASELINE / NOT_STATED: why
    applies_in: str | None = None  # the API field that applies it
    test: str | None = None  # the test that encodes it
    encoded: bool = True
    why: str | None = None  # not encoded: why not
    # BASELINE: the guidance applied (its section is ``section``); WT2018 unless named.
    document: str | None = None

    def citation(self, document: str) -> Citation:
        """The Citation an answer that applies this rule carries: the partnership's document,
        or — for a BASELINE rule — the guidance applied in its place."""
        if self.status == RuleStatus.BASELINE:
            document = self.document or WT2018
        return Citation(document, self.section, self.quote, self.status, self.derivation)


class RulebookError(ValueError):
    """A rulebook file that cannot be used: names the file, the entry and what is wrong."""


_FIELDS = {f for f in RuleEntry.__dataclass_fields__}


def problems_of(entry: RuleEntry) -> list[str]:
    """What an entry lacks for its status (empty: complete)."""
    out = []
    if not entry.rule.strip():
        out.append("`rule` (the rule in plain English) is empty")
    if entry.status in (RuleStatus.STATED, RuleStatus.DERIVED) and not (entry.section and entry.quote):
        out.append(f"a {entry.status} rule needs `section` and `quote` (the document's operative words)")
    if entry.status == RuleStatus.DERIVED and not entry.derivation:
        out.append("a DERIVED rule needs `derivation`: the step from the quoted words")
    if entry.status in (RuleStatus.BASELINE, RuleStatus.NOT_STATED) and not entry.derivation:
        out.append(f"a {entry.status} rule needs `derivation`: why the default applies or what was looked for")
    if entry.encoded and not entry.applies_in:
        out.append("an encoded rule needs `applies_in`: the API field that applies it (or encoded = false)")
    if not entry.encoded and not entry.why:
        out.append("a rule that is not encoded needs `why`")
    return out


@dataclass(frozen=True)
class Rulebook:
    """A partnership's rules as its document states them (see the module docstring)."""

    entries: tuple[RuleEntry, ...]
    path: Path | None = None

    def __post_init__(self) -> None:
        twice = [k for k, n in Counter(e.id for e in self.entries).items() if n > 1]
        if twice:
            raise RulebookError(f"{self.path}: rule ids used twice: {', '.join(sorted(twice))}")

    @staticmethod
    def load(path: Path | str) -> Rulebook:
        return _load(Path(path).resolve())

    def get(self, rule_id: str) -> RuleEntry:
        for e in self.entries:
            if e.id == rule_id:
                return e
        raise RulebookError(f"{self.path}: no rule {rule_id!r}")

    def cite(self, rule_id: str, document: str) -> Citation:
        """The Citation of rule ``rule_id`` in ``document`` — what a hook returns as ``source``."""
        return self.get(rule_id).citation(document)

    def counts(self) -> dict[str, int]:
        """Rules by status, and those not encoded."""
        out = {s.value: 0 for s in RuleStatus} | {"NOT_ENCODED": 0}
        for e in self.entries:
            out[e.status.value] += 1
            if not e.encoded:
                out["NOT_ENCODED"] += 1
        return out


@lru_cache(maxsize=64)
def _load(path: Path) -> Rulebook:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RulebookError(f"{path}: {exc}") from exc
    entries = []
    problems = []
    for n, item in enumerate(raw.get("rule", [])):
        where = f"rule[{n}] {item.get('id', '?')!r}"
        unknown = set(item) - _FIELDS
        if unknown:
            problems.append(f"{where}: unknown keys {', '.join(sorted(unknown))}")
            continue
        try:
            entry = RuleEntry(**{**item, "topic": RuleTopic(item.get("topic", "")),
                                 "status": RuleStatus(item.get("status", ""))})
        except (TypeError, ValueError) as exc:
            problems.append(f"{where}: {exc}")
            continue
        problems += [f"{where}: {p}" for p in problems_of(entry)]
        entries.append(entry)
    if problems:
        raise RulebookError(f"{path}: " + "; ".join(problems))
    return Rulebook(tuple(entries), path)


EMPTY = Rulebook(())
