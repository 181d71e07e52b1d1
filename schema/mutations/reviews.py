"""Mutations for reviews."""

from __future__ import annotations

import strawberry


@strawberry.type
class Mutation:
    pass
