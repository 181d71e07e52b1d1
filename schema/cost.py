"""The static cost of an operation: how many objects it may return, known before it runs.

Depth, token and alias limits bound the *document*; none of them bounds the *answer*. A few
hundred characters that follow the seat → group → partnership loop ask for millions of
objects while staying inside each of them. The cost counts what a document may return, the
way GitHub's node limit and Shopify's calculated cost do:

* every field that returns an object costs 1 for each object it may return; scalars and
  enums cost nothing (they come with their object);
* a list's items are multiplied in: a connection's ``nodes`` and ``edges`` count ``first:``
  items (a literal, a variable's value, or — omitted — the page size, the most a page can
  hold), and a list without ``first:`` (``subgroups``, a chair's ``rotation`` …) counts
  ``cost_list_size`` items;
* introspection (``__schema``, ``__type``, ``__typename``) is free: it is bounded by the
  schema, not the data.

The cost is an upper bound, computed over the document once it is valid (so fragments are
acyclic and every field exists), in time linear in its size. No library computes this
(``first:`` on a connection multiplies the list *inside* it), so it is here, small.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
)


class _Costing:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any] | None,
                 page_size: int, list_size: int):
        self.schema = schema
        self.variables = dict(variables or {})
        self.page_size = page_size
        self.list_size = list_size
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.memo: dict[tuple[str, int | None], int] = {}

    def page(self, field: FieldNode, definition) -> int | None:
        """The page size a field with a ``first`` argument asks for; None without one."""
        if "first" not in definition.args:
            return None
        value: Any = None
        for argument in field.arguments or ():
            if argument.name.value != "first":
                continue
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                value = self.variables.get(argument.value.name.value)
        if value is None:
            value = definition.args["first"].default_value
        if not isinstance(value, int) or isinstance(value, bool):
            return self.page_size
        # Over the page size is refused by the connection itself, with its own error.
        return max(0, min(value, self.page_size))

    def selection_set(self, node: SelectionSetNode | None, parent: GraphQLNamedType, page: int | None) -> int:
        if node is None:
            return 0
        total = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_set(selection.selection_set, target or parent, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.spread(selection.name.value, page)
        return total

    def spread(self, name: str, page: int | None) -> int:
        key = (name, page)
        if key not in self.memo:
            fragment = self.fragments.get(name)
            target = self.schema.get_type(fragment.type_condition.name.value) if fragment else None
            self.memo[key] = 0 if target is None else self.selection_set(fragment.selection_set, target, page)
        return self.memo[key]

    def field(self, node: FieldNode, parent: GraphQLNamedType, page: int | None) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        definition = getattr(parent, "fields", {}).get(name)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        if is_leaf_type(named):
            return 0
        asked = self.page(node, definition)
        if isinstance(get_nullable_type(definition.type), GraphQLList):
            # a list: its own `first:`, else the page of the connection around it, else the estimate
            count = asked if asked is not None else page if page is not None else self.list_size
            return count * (1 + self.selection_set(node.selection_set, named, None))
        # an object (a connection among them): its lists count the page it asked for
        return 1 + self.selection_set(node.selection_set, named, asked)


def operation_cost(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
                   variables: dict[str, Any] | None, *, page_size: int, list_size: int) -> int:
    """The cost of the operation a request runs (the only one, or the one named)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if not chosen:
        return 0
    operation = chosen[0]
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    values = {}
    for definition in operation.variable_definitions or ():
        default = definition.default_value
        if isinstance(default, IntValueNode):
            values[definition.variable.name.value] = int(default.value)
    values.update(variables or {})
    return _Costing(schema, document, values, page_size, list_size).selection_set(operation.selection_set, root, None)


def cost_limit(limit: int, page_size: int, list_size: int) -> type:
    """A schema extension that refuses an operation over ``limit`` once the document is
    valid, before it executes, and reports each operation's cost in ``extensions.cost``."""
    from graphql import GraphQLError
    from strawberry.extensions import SchemaExtension

    class CostLimit(SchemaExtension):
        cost: int | None = None

        def on_validate(self):
            context = self.execution_context
            if context.pre_execution_errors is None:  # nothing validated it yet (no ValidationCache)
                from strawberry.schema.schema import validate_document

                context.pre_execution_errors = validate_document(
                    context.schema._schema, context.graphql_document, context.validation_rules)
            if not context.pre_execution_errors and context.graphql_document is not None:
                self.cost = operation_cost(context.schema._schema, context.graphql_document, context.operation_name,
                                           context.variables, page_size=page_size, list_size=list_size)
                if self.cost > limit:
                    context.pre_execution_errors = [GraphQLError(
                        f"This operation may cost {self.cost:,}, over the limit of {limit:,}: every object it may "
                        "return counts, and a list counts `first:` of them (the page size when omitted). Ask for "
                        "smaller pages, fewer levels or fewer aliases.",
                        extensions={"code": "COST_LIMIT_EXCEEDED", "cost": self.cost, "limit": limit})]
            yield

        def get_results(self) -> dict:
            return {} if self.cost is None else {"cost": {"requested": self.cost, "limit": limit}}

    return CostLimit
