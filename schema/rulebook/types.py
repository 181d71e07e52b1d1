"""``Partnership.rulebook``: every rule of a partnership's document — topic, status, section,
quoted words, the plain-English rule and the API field that applies it — so a partnership's
own staff can check the API against their document in minutes.

The entries come from ``Registry.rules_for(code).rulebook()`` (the borough's
``rulebook.toml``, or the WT2018 baseline's for a partnership no plugin provides); the same
entries are cited by the rule answers, and ``docs/rules/<code>.md`` is generated from them.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from core.rules import rulebook as rb
from schema.types.common import RuleStatus, described

RuleTopic = described(strawberry.enum(rb.RuleTopic, description="What a rule is about."), {
    "MEMBERSHIP": "Who the partners and members are.",
    "QUORUM": "What makes a meeting quorate.",
    "VOTING": "Who votes and what carries.",
    "CHAIR": "Who chairs, and how the chair is chosen.",
    "DEPUTIES_AND_PROXIES": "Who may stand in for a member.",
    "ATTENDANCE": "What attendance is expected of members.",
    "MEETINGS": "How often groups meet; notice, papers and minutes deadlines.",
    "EXECUTIVE_ACTION": "Decisions taken between meetings.",
    "APPOINTMENTS": "Appointments to the partnership's offices.",
    "DISPUTES": "How disputes are resolved and escalated.",
    "SCRUTINY": "Independent scrutiny.",
    "FUNDING": "Contributions, budgets and who pays what.",
    "HOSTING": "Which agency hosts the partnership's money.",
    "REVIEW_COSTS": "Who pays for practice reviews.",
    "REVIEWS": "Notification of serious incidents and practice-review timescales.",
    "ANNUAL_REPORT": "The annual report: contents, recipients, sign-off and publication.",
    "MEDIA": "Dealing with the media.",
    "INFORMATION_SHARING": "Sharing information between agencies.",
    "OTHER": "Any other rule.",
})


@strawberry.type(description="One rule of a partnership's published document and how the API holds it.")
class RulebookEntry:
    id: str = strawberry.field(description="The rule's id in the partnership's rulebook, cited by rule answers.")
    topic: RuleTopic = strawberry.field(description="What the rule is about.")
    status: RuleStatus = strawberry.field(description="STATED, DERIVED, BASELINE or NOT_STATED.")
    section: str | None = strawberry.field(description="Section, paragraph or appendix of the document.")
    quote: str | None = strawberry.field(description="The document's operative words, quoted.")
    rule: str = strawberry.field(description="The rule in plain English.")
    derivation: str | None = strawberry.field(
        description="DERIVED: the step from the quoted words; BASELINE or NOT_STATED: why.")
    applies_in: str | None = strawberry.field(description="The API field that applies the rule, e.g. `Group.quorum`.")
    encoded: bool = strawberry.field(description="False: the API does not apply this rule (see `why`).")
    why: str | None = strawberry.field(description="Why a rule is not encoded.")

    @classmethod
    def of(cls, e: rb.RuleEntry) -> RulebookEntry:
        return cls(id=e.id, topic=e.topic, status=e.status, section=e.section, quote=e.quote, rule=e.rule,
                   derivation=e.derivation, applies_in=e.applies_in, encoded=e.encoded, why=e.why)


def entries_for(info: Info, code: str) -> rb.Rulebook:
    return info.context.registry.rules_for(code).rulebook()
