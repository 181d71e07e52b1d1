"""Disputes fields on the structure types (mixed into Partnership by schema/structure/types.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from core.rules import disputes as rules
from schema.disputes.loaders import disputes_by_partnership

# schema.disputes.types imports no structure type at module level, so it can be imported here.
from schema.disputes.types import (
    Dispute,
    DisputeKind,
    DisputeStatus,
    EscalationLadder,
    Scrutiny,
    ladder_for,
)
from schema.types.common import After, Before, Connection, First, Last, paginate


@strawberry.type
class PartnershipFields:
    @strawberry.field(description="The escalation ladder a dispute of this kind climbs here: each stage, who must "
                                  "act and what they may do, with the section it comes from (public: published "
                                  "arrangements).")
    async def escalation_ladder(
        self, info: Info,
        kind: Annotated[DisputeKind, strawberry.argument(description="The kind of dispute.")],
    ) -> EscalationLadder:
        return EscalationLadder.of(await ladder_for(info, self.pk, rules.DisputeKind(kind)))  # type: ignore[attr-defined]

    @strawberry.field(description="The partnership's disputes, oldest first: members only (statutory partners, "
                                  "business unit, scrutineer, administrators, members); others get an empty list.")
    async def disputes(
        self, info: Info,
        status: Annotated[DisputeStatus | None, strawberry.argument(description="Only disputes with this status.")] = None,
        kind: Annotated[DisputeKind | None, strawberry.argument(description="Only disputes of this kind.")] = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[Dispute]:
        rows = await info.context.loaders.of(disputes_by_partnership).load(self.pk)  # type: ignore[attr-defined]
        items = [Dispute.from_row(d) for d in rows
                 if (status is None or d.status == status) and (kind is None or d.kind == kind)]
        return paginate(items, first, after, info.context.settings.max_page_size, last, before)

    @strawberry.field(description="Independent scrutiny: the scrutineer's appointment, activities, reports and the "
                                  "partnership's responses to each recommendation.")
    def scrutiny(self) -> Scrutiny:
        return Scrutiny(partnership_id=self.pk)  # type: ignore[attr-defined]
