"""The one schema: root types merged from each domain's query and mutation classes, plus
the limits every request is held to."""

from __future__ import annotations

import strawberry
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.extensions.disable_introspection import DisableIntrospection
from strawberry.tools import merge_types

from core.config import Settings
from schema.errors import should_mask
from schema.mutations import disputes as disputes_m
from schema.mutations import funding as funding_m
from schema.mutations import governance as governance_m
from schema.mutations import reviews as reviews_m
from schema.mutations.structure import StructureMutation
from schema.queries import disputes, funding, governance, reviews
from schema.queries.structure import StructureQuery
from schema.types import structure

#: Each domain contributes one query class and one mutation class.
QUERIES: tuple[type, ...] = (StructureQuery, governance.Query, disputes.Query, funding.Query, reviews.Query)
MUTATIONS: tuple[type, ...] = (
    StructureMutation, governance_m.Mutation, disputes_m.Mutation, funding_m.Mutation, reviews_m.Mutation,
)
#: Types reachable only through an interface (`node`) still need to be in the schema.
EXTRA_TYPES: tuple[type, ...] = (structure.Person,)


def build_schema(settings: Settings) -> strawberry.Schema:
    extensions = [
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: MaskErrors(should_mask_error=should_mask, error_message="Internal error; quote the request id to support."),
    ]
    if settings.production:
        extensions.append(DisableIntrospection)
    return strawberry.Schema(
        query=merge_types("Query", QUERIES),
        mutation=merge_types("Mutation", MUTATIONS),
        types=list(EXTRA_TYPES),
        extensions=extensions,
    )
