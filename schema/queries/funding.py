"""Root query fields for funding."""

from __future__ import annotations

import strawberry


@strawberry.type
class Query:
    pass
