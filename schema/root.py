"""The one schema: root types merged from each domain's query and mutation classes, plus
the limits every request is held to."""

from __future__ import annotations

import re

import strawberry
from graphql import ArgumentNode, GraphQLError, IntValueNode, ValidationRule
from strawberry.extensions import (
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.disable_introspection import DisableIntrospection
from strawberry.tools import merge_types

from core.config import Settings
from schema.compare import queries as compare_q
from schema.cost import cost_limit
from schema.disputes import mutations as disputes_m
from schema.disputes import queries as disputes_q
from schema.errors import error_contract_extension
from schema.funding import mutations as funding_m
from schema.funding import queries as funding_q
from schema.governance import mutations as governance_m
from schema.governance import queries as governance_q
from schema.integrations import mutations as integrations_m
from schema.integrations import queries as integrations_q
from schema.lean import LeanExecutionContext, lean_resolvers
from schema.reviews import mutations as reviews_m
from schema.reviews import queries as reviews_q
from schema.structure import types as structure
from schema.structure.mutations import StructureMutation
from schema.structure.queries import StructureQuery
from schema.subscriptions import Subscription

#: Each domain contributes one query class and one mutation class (schema/<domain>/queries.py
#: and mutations.py).
QUERIES: tuple[type, ...] = (
    StructureQuery, governance_q.Query, disputes_q.Query, funding_q.Query, reviews_q.Query, integrations_q.Query,
    compare_q.Query,
)
MUTATIONS: tuple[type, ...] = (
    StructureMutation, governance_m.Mutation, disputes_m.Mutation, funding_m.Mutation, reviews_m.Mutation,
    integrations_m.Mutation,
)
#: Types reachable only through an interface (`node`) still need to be in the schema.
EXTRA_TYPES: tuple[type, ...] = (structure.Person,)


class RequestLimits(SchemaExtension):
    """The token limit (the parse option strawberry's ``MaxTokensLimiter`` sets) and the
    validation rules (depth, aliases, page size; ``AddValidationRules`` adds them the same
    way), in one extension whose hook closes once the document is parsed: an extension's
    ``on_operation`` hook stays suspended for as long as its operation runs, and one worker may
    hold 10,000 subscriptions (1.5 KB a subscription for the three separate extensions)."""

    def __init__(self, validation_rules: list, max_tokens: int) -> None:
        self.validation_rules = tuple(validation_rules)
        self.max_tokens = max_tokens

    def on_parse(self):
        self.execution_context.parse_options["max_tokens"] = self.max_tokens
        self.execution_context.validation_rules = self.execution_context.validation_rules + self.validation_rules
        yield


class HideSuggestions(SchemaExtension):
    """With introspection off, don't suggest field and type names ("Did you mean …?"):
    suggestions would otherwise leak the schema piece by piece."""

    def on_operation(self):
        yield
        result = self.execution_context.result
        for error in (result.errors if result else None) or []:
            error.message = _SUGGESTION.sub("", error.message)


_SUGGESTION = re.compile(r" ?Did you mean [^?]*\?")


def page_size_rule(max_page: int) -> type[ValidationRule]:
    """Reject a literal `first:` or `last:` over the page-size limit at validation, before
    any resolver runs (a value passed in a variable is checked by the connection itself)."""

    class PageSizeLimit(ValidationRule):
        def enter_argument(self, node: ArgumentNode, *_args) -> None:
            name = node.name.value
            if name in ("first", "last") and isinstance(node.value, IntValueNode) and int(node.value.value) > max_page:
                self.report_error(GraphQLError(
                    f"`{name}: {node.value.value}` is over the page-size limit of {max_page}; page with "
                    f"`{'after' if name == 'first' else 'before'}`.", node, extensions={"code": "BAD_USER_INPUT"}))

    return PageSizeLimit


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema, with its limits; executed by the lean path (schema.lean) when the
    ``lean_execution`` setting is on, by strawberry's generic path alone when it is off.

    The validation rules are made once, here, and every request's extensions reuse them: the
    depth and alias limiters and ``page_size_rule`` make a new rule class each time they are
    built, and the rules are part of ``ValidationCache``'s key, so rules made per request
    meant every request re-validated its document (~3 ms for a partnership's page)."""
    # strawberry counts the root field as depth 0: `max_depth` N accepts N + 1 levels
    depth_rules = QueryDepthLimiter(max_depth=settings.max_query_depth - 1).validation_rules
    alias_rules = MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules
    page_rules = [page_size_rule(settings.max_page_size)]
    validation_rules = [*depth_rules, *alias_rules, *page_rules]
    extensions = [
        error_contract_extension(),  # first: its hooks close last
        lambda: RequestLimits(validation_rules, settings.max_query_tokens),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        cost_limit(settings.max_query_cost, settings.max_page_size, settings.cost_list_size),  # after validation
    ]
    if not settings.introspection:
        extensions += [DisableIntrospection, HideSuggestions]
    schema = strawberry.Schema(
        query=merge_types("Query", QUERIES),
        mutation=merge_types("Mutation", MUTATIONS),
        subscription=Subscription,
        types=list(EXTRA_TYPES),
        extensions=extensions,
        execution_context_class=LeanExecutionContext if settings.lean_execution else None,
    )
    if settings.lean_execution:
        lean_resolvers(schema)
    return schema
