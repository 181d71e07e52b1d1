"""``docs/rules/<code>.md``: each installed borough's rulebook as a page its own staff can
check against their document — every rule with status, section, quoted words, the rule in
plain English and the API field that applies it (or why it is not encoded).

Regenerate with ``partnerships rules-doc`` (``--check`` fails on drift; ``make check`` runs it).
"""

from __future__ import annotations

from pathlib import Path

from core.rules.common import RuleStatus
from core.rules.rulebook import RuleEntry, RuleTopic

RULES_DIR = Path(__file__).resolve().parent.parent.parent / "docs" / "rules"
REGENERATE = "partnerships rules-doc"

_MEANING = {
    RuleStatus.STATED: "the document says it — section and quoted words",
    RuleStatus.DERIVED: "follows from the quoted words by the step given",
    RuleStatus.BASELINE: "the document is silent; statutory guidance or the platform default applies",
    RuleStatus.NOT_STATED: "nothing says; the API answers unknown (null), never a guess",
}


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ").strip()


def render(rules) -> str:
    """One borough's page (``rules``: its ``PartnershipRules``); deterministic."""
    book = rules.rulebook()
    counts = book.counts()
    title = rules.partnership.name if rules.partnership else rules.code
    out = [
        f"# {title}: rulebook",
        "",
        f"<!-- Generated from {_where(book.path)} by `{REGENERATE}`; do not edit by hand. -->",
        "",
        f"Every rule of *{rules.document}* as the API holds it. The same entries are served as",
        f"`partnership(code: \"{rules.code}\") {{ rulebook {{ … }} }}` and cited by every rule answer's `source`.",
        "",
        "| status | rules | meaning |",
        "| --- | --- | --- |",
    ]
    out += [f"| {s.value} | {counts[s.value]} | {_MEANING[s]} |" for s in RuleStatus]
    out += [f"| not encoded | {counts['NOT_ENCODED']} | the API does not apply it (the reason is given) |", ""]
    for topic in RuleTopic:
        entries = [e for e in book.entries if e.topic == topic]
        if not entries:
            continue
        out += [f"## {topic.value.replace('_', ' ').capitalize()}", "",
                "| rule | status | section | the document's words | applied in |",
                "| --- | --- | --- | --- | --- |"]
        out += [_row(e) for e in entries]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _where(path: Path | None) -> str:
    root = RULES_DIR.parent.parent
    try:
        return str(path.relative_to(root)) if path else "the baseline"
    except ValueError:  # a borough installed from elsewhere
        return path.name


def _row(e: RuleEntry) -> str:
    words = f"“{_cell(e.quote)}”" if e.quote else ""
    if e.derivation:
        words += ("<br>" if words else "") + f"*{_cell(e.derivation)}*"
    applied = f"`{e.applies_in}`" if e.encoded and e.applies_in else f"not encoded: {_cell(e.why)}"
    if e.test:
        applied += f"<br>test: `{_cell(e.test)}`"
    return f"| **{_cell(e.id)}**: {_cell(e.rule)} | {e.status.value} | {_cell(e.section)} | {words} | {applied} |"


def pages(registry=None) -> dict[Path, str]:
    from core.plugins import discover

    registry = registry or discover()
    return {RULES_DIR / f"{r.code}.md": render(r) for r in registry}


def stale(registry=None) -> list[Path]:
    return [p for p, text in pages(registry).items()
            if not p.exists() or p.read_text(encoding="utf-8") != text]


def write(registry=None) -> list[Path]:
    RULES_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in pages(registry).items():
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
