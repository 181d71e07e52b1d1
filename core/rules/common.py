"""Values every rule returns: a citation of where the rule comes from, and a ruling."""

from __future__ import annotations

from dataclasses import dataclass, field

WT2018 = "Working Together to Safeguard Children 2018"


@dataclass(frozen=True)
class Citation:
    """The document and section a rule or fact comes from (e.g. Merton Agreement, §8.12)."""

    document: str
    section: str | None = None

    def __str__(self) -> str:
        return f"{self.document} {self.section}" if self.section else self.document


@dataclass(frozen=True)
class Ruling:
    """A yes/no answer with the reasons for it, in plain language, and its source."""

    satisfied: bool
    reasons: tuple[str, ...]
    source: Citation
    provisional: bool = False
    details: dict = field(default_factory=dict)
