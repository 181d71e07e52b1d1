"""Root query fields for disputes."""

from __future__ import annotations

import strawberry


@strawberry.type
class Query:
    pass
