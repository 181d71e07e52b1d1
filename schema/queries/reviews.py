"""Root query fields for reviews."""

from __future__ import annotations

import strawberry


@strawberry.type
class Query:
    pass
