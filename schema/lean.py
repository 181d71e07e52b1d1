"""Lean execution for the hot read path (issue 9): the same answers, fewer Python calls.

strawberry and graphql-core are general; a partnership's page is ~5,000 plain fields, and
their generic per-field machinery dominated a cold request (profiled: ~8 calls a field).
These three adjustments are applied once to the built schema, keep every answer and every
error identical (the whole test suite, the fuzzer and the authorization matrix run through
them), and fall back to the generic path for anything unusual. They touch library
internals, so they live here, alone, and are the first thing to check after upgrading
strawberry or graphql-core: `tests/test_perf_counts.py`, `tests/test_fuzz.py` and the
statement-count tests will tell.
"""

from __future__ import annotations

import enum


def _leaf(value, gql_type) -> tuple:
    """(how to read the value, how its type serialises it, whether null is an error)."""
    from graphql import GraphQLEnumType, get_nullable_type, is_non_null_type

    nullable = get_nullable_type(gql_type)
    serialize = nullable.serialize
    members = getattr(nullable, "wrapped_cls", None)
    if isinstance(nullable, GraphQLEnumType) and isinstance(members, enum.EnumMeta):
        # a member's name by one dict lookup (strawberry scans the values); the same name it finds
        names = {}
        for member in members:
            names[member] = next((n for n, v in nullable.values.items() if v.value == member.value), None)

        def serialize(value, _names=names, _slow=nullable.serialize):
            name = _names.get(value) if isinstance(value, enum.Enum) else None
            return _slow(value) if name is None else name

    return value, serialize, is_non_null_type(gql_type)


def lean_resolvers(schema) -> int:
    """Call plain resolvers directly from GraphQL execution (issue 9, lean execution).

    strawberry reaches every resolver through a generic wrapper (argument conversion, field
    extensions, exception handlers) even when a field has none of them: ~8 calls per field,
    thousands of fields per page. For a field with no arguments, extensions, exception
    handlers or ``parent``/``root`` parameter, the resolver gets exactly what the wrapper
    would give it (``self``, and an ``Info`` when it asks for one); a field without a
    resolver reads its attribute. Anything else keeps strawberry's path. Returns how many
    fields were changed."""
    import inspect
    from operator import attrgetter

    from graphql import get_nullable_type, is_leaf_type
    from strawberry.schema.schema_converter import GraphQLCoreConverter
    from strawberry.types.field import StrawberryField

    info_class = schema.config.info_class
    default = schema.config.default_resolver
    changed = 0
    for gql_type in schema._schema.type_map.values():
        fields = getattr(gql_type, "fields", None)
        if gql_type.name.startswith("__") or not isinstance(fields, dict) or not hasattr(gql_type, "interfaces"):
            continue
        for gql_field in fields.values():
            field = (gql_field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if type(field) is not StrawberryField or field.extensions or field.arguments or gql_field.args:
                continue
            if getattr(field, "exception_handlers", None) or getattr(field, "permission_classes", None):
                continue
            if schema.schema_converter._get_field_exception_handlers(field):
                continue
            resolver = field.base_resolver
            if resolver is None:
                if default is not getattr:
                    continue
                name = field.python_name
                gql_field.resolve = lambda source, info, _name=name: getattr(source, _name)
                if is_leaf_type(get_nullable_type(gql_field.type)):
                    gql_field.resolve.leaf = _leaf(attrgetter(name), gql_field.type)  # see lean_execution
                changed += 1
                continue
            if resolver.parent_parameter or resolver.root_parameter or resolver.self_parameter is None:
                continue
            fn, info_param = resolver.wrapped_func, resolver.info_parameter
            if not callable(fn) or set(resolver.signature.parameters) - {resolver.self_parameter.name,
                                                                        *( [info_param.name] if info_param else [])}:
                continue
            if info_param is None:
                gql_field.resolve = lambda source, info, _fn=fn: _fn(source)
                if is_leaf_type(get_nullable_type(gql_field.type)) and not inspect.iscoroutinefunction(fn):
                    gql_field.resolve.leaf = _leaf(fn, gql_field.type)  # e.g. Node.id
            else:
                gql_field.resolve = (lambda source, info, _fn=fn, _field=field, _name=info_param.name:
                                     _fn(source, **{_name: info_class(_raw_info=info, _field=_field)}))
            changed += 1
    return changed


def lean_execution(schema) -> None:
    """Execute the commonest field — a scalar read straight off its object — without the
    generic per-field machinery (resolve info, awaitable checks, completion dispatch): a
    partnership's page is ~4,000 of them. The value is serialised exactly as the generic path
    would; anything unusual (null, an error, arguments, middleware) takes the generic path."""
    from graphql import Undefined

    base = schema.execution_context_class

    class LeanExecutionContext(base):
        def execute_field(self, parent_type, source, field_details_list, path, *rest):
            node = field_details_list[0].node
            field_def = self.schema.get_field(parent_type, node.name.value)
            leaf = getattr(field_def.resolve, "leaf", None) if field_def is not None else None
            manager = self.middleware_manager
            if leaf is not None and not node.arguments and (
                    manager is None or getattr(manager, "_middleware_resolvers", True) is None):
                read, serialize, non_null = leaf
                try:
                    value = read(source)
                    if value is not None:
                        serialized = serialize(value)
                        if serialized is not None and serialized is not Undefined:
                            return serialized
                    elif not non_null:
                        return None
                except Exception:  # the generic path reports it as it always has
                    pass
            return super().execute_field(parent_type, source, field_details_list, path, *rest)

    schema.execution_context_class = LeanExecutionContext


def stable_validation_rules(schema) -> None:
    """Give every request the same validation rule classes, so ``ValidationCache`` hits.

    The depth, alias and page-size limits are extensions that build a new rule class per
    instance, i.e. per request; the rules are part of the validation cache's key, so every
    request re-validated its document (~3 ms for a partnership's page). Each such factory
    is replaced by one that reuses the rules it made once (same rules, same order)."""
    from strawberry.extensions import AddValidationRules, SchemaExtension

    stable = []
    for factory in schema.extensions:
        probe = None if isinstance(factory, SchemaExtension) else factory()
        if isinstance(probe, AddValidationRules):
            stable.append(lambda rules=tuple(probe.validation_rules): AddValidationRules(list(rules)))
        else:
            stable.append(factory)
    schema.extensions = stable
