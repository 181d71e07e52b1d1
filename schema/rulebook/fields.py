"""Rulebook fields on the structure types (mixed into Partnership by schema/structure/types.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from core.rules import rulebook as rb
from schema.rulebook.types import RulebookEntry, entries_for
from schema.types.common import RuleStatus


@strawberry.type
class PartnershipFields:
    @strawberry.field(description="Every rule of the partnership's document: topic, status, section, quoted words, the "
                                  "rule in plain English and the API field that applies it. Filter by topic or status.")
    def rulebook(
        self, info: Info,
        topic: Annotated[rb.RuleTopic | None, strawberry.argument(description="Only rules about this topic.")] = None,
        status: Annotated[RuleStatus | None, strawberry.argument(description="Only rules with this status.")] = None,
    ) -> list[RulebookEntry]:
        book = entries_for(info, self.code)  # type: ignore[attr-defined]
        return [RulebookEntry.of(e) for e in book.entries
                if (topic is None or e.topic == topic) and (status is None or e.status == status)]
