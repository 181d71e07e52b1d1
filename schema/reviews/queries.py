"""Root query fields for reviews: everything late, across every partnership, in one request."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.reviews.types import OverdueItem, OverdueKind, overdue_items
from schema.types.common import After, Before, Connection, First, Last, paginate


@strawberry.type
class Query:
    @strawberry.field(description="Everything late on a date across every partnership: late notifications, rapid "
                                  "reviews pending, reviews past their target, publications ending before their "
                                  "minimum period, annual-report copies not sent within their days, and review, plan "
                                  "and risk actions past due. Confidential kinds (incidents, review actions, the risk "
                                  "log) only for the partnerships you are a member of.")
    async def overdue(
        self, info: Info,
        as_of: Annotated[dt.date, strawberry.argument(description="The date to judge on, e.g. `2024-07-16`.")],
        kind: Annotated[OverdueKind | None, strawberry.argument(description="Only this kind.")] = None,
        partnership: Annotated[str | None, strawberry.argument(description="Only this partnership's code.")] = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[OverdueItem]:
        items = [i for i in await overdue_items(info, as_of)
                 if (kind is None or i.kind == kind) and (partnership is None or i.partnership_code == partnership)]
        return paginate(items, first, after, info.context.settings.max_page_size, last, before)
