"""Mutations for governance."""

from __future__ import annotations

import strawberry


@strawberry.type
class Mutation:
    pass
