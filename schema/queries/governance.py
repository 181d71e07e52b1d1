"""Root query fields for governance."""

from __future__ import annotations

import strawberry


@strawberry.type
class Query:
    pass
