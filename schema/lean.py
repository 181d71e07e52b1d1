"""Lean execution for the hot read path (issue 9): the same answers, fewer Python calls.

strawberry and graphql-core are general; a partnership's page is ~5,000 plain fields, and
their generic per-field machinery dominated a cold request (profiled: ~8 calls a field).
Two pieces, used together and only when the ``lean_execution`` setting is on (build_schema
in schema/root.py): :func:`lean_resolvers` marks the plain fields of the built schema and
calls their resolvers directly, and :class:`LeanExecutionContext`, passed to the schema as
its ``execution_context_class``, executes the marked fields without graphql-core's generic
per-field path. Anything unusual falls back to that path.

Both reach into library internals (strawberry's field definitions and resolver wrapper,
graphql-core's ``ExecutionContext``), so they live here, alone, fenced:

* the ``lean_execution`` setting turns them off (the generic path alone then runs);
* tests/test_lean_differential.py runs the fuzzer's queries on the real schema both ways,
  as several roles, and requires byte-identical answers and errors; tests/test_lean.py does
  the same for the corners the real schema rarely meets;
* ``make canary`` runs those tests (and the fuzzer and statement counts) against the newest
  strawberry-graphql and graphql-core releases, so the pins in pyproject.toml move up to the
  newest releases it passed.
"""

from __future__ import annotations

import enum
import inspect
from operator import attrgetter

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLObjectType,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.execution.executor import Path
from graphql.pyutils import gather_with_cancel
from strawberry import Info
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField


def _leaf(value, gql_type) -> tuple:
    """(how to read the value, how its type serialises it, whether null is an error)."""
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
    resolver reads its attribute. Anything else keeps strawberry's path. Each changed
    resolver is marked (``leaf``, ``call``) for :class:`LeanExecutionContext`, which the
    schema must have been built with. Returns how many fields were changed (none for a
    schema with its own ``Info`` class: the lean path builds strawberry's)."""
    info_class = schema.config.info_class
    if info_class is not Info:
        return 0
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
                gql_field.resolve.call = (attrgetter(name), None, field)
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
            gql_field.resolve.call = (fn, info_param.name if info_param else None, field)  # see lean_execution
            changed += 1
    return changed


def _object_completion(gql_type) -> tuple | None:
    """(object type, is a list, item type, may be null) for a field returning one concrete
    object type or a list of them: the shapes completed without graphql-core's generic
    dispatch."""
    nullable = get_nullable_type(gql_type)
    may_be_null = nullable is gql_type
    if isinstance(nullable, GraphQLObjectType):
        return nullable, False, None, may_be_null
    if isinstance(nullable, GraphQLList):
        item = get_nullable_type(nullable.of_type)
        if isinstance(item, GraphQLObjectType):
            return item, True, nullable.of_type, may_be_null
    return None


_LEAF, _CALL = 1, 2


class _LazyInfo(Info):
    """strawberry's ``Info`` with ``context`` at once and the rest on first use."""

    def __init__(self, executor, field, field_def, details, parent_type, path):
        self._field = field
        self._lazy = (executor, field_def, details, parent_type, path)

    @property
    def context(self):
        return self._lazy[0].context_value

    def __getattr__(self, name):
        if name != "_raw_info":
            raise AttributeError(name)
        executor, field_def, details, parent_type, path = self.__dict__["_lazy"]
        self._raw_info = executor.build_resolve_info(field_def, [d.node for d in details], parent_type, path)
        return self._raw_info


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Execute a page's commonest fields without graphql-core's generic per-field machinery.

    A partnership's page is ~4,000 scalars read straight off their objects and ~1,000
    relations (a seat's agency, a group's seats) whose resolvers return loaded objects. The
    generic path builds a resolve info, a response path, a strawberry ``Info`` and five
    levels of completion dispatch for each. Here each selection set gets a plan once per
    request (graphql-core memoises a list item's selection set, so 500 seats share one):

    * a scalar read (``lean_resolvers`` marks it ``leaf``) is read and serialised in place;
    * a relation to one concrete object type, or a list of them (marked ``call``), calls its
      resolver directly with an ``Info`` whose ``context`` is at hand and whose graphql-core
      part is built only if the resolver asks for more, and executes the object's selection
      set straight away when the resolver returned (or, awaited, resolved to) objects of
      that type, or a null the type allows.

    Values are serialised and errors located exactly as the generic path would
    (``tests/test_lean.py`` compares the two); anything unusual — a null where none is
    allowed, a wrong type, arguments, directives, middleware — goes to graphql-core's own
    completion with the value already resolved."""

    _plans: dict | None = None

    def _plan(self, parent_type, grouped_field_set) -> list:
        """[(response name, field details, kind, how)] in the selection set's order."""
        plans = self._plans
        if plans is None:
            plans = self._plans = {}
        key = (parent_type.name, id(grouped_field_set))
        entry = plans.get(key)
        if entry is not None and entry[0] is grouped_field_set:
            return entry[1]
        manager = self.middleware_manager
        plain = manager is None or getattr(manager, "_middleware_resolvers", True) is None
        plan = []
        for response_name, details in grouped_field_set.items():
            field_def = self.schema.get_field(parent_type, details[0].node.name.value)
            resolve = field_def.resolve if field_def is not None else None
            simple = plain and resolve is not None and not any(
                d.node.arguments or d.node.directives for d in details)
            leaf = getattr(resolve, "leaf", None) if simple else None
            call = getattr(resolve, "call", None) if simple and leaf is None else None
            completion = _object_completion(field_def.type) if call is not None else None
            if leaf is not None:
                plan.append((response_name, details, _LEAF, leaf))
            elif completion is not None:
                plan.append((response_name, details, _CALL, (field_def, call, completion)))
            else:
                plan.append((response_name, details, 0, None))
        plans[key] = (grouped_field_set, plan)  # holding the set keeps its id unique
        return plan

    def execute_fields(self, parent_type, source_value, path, grouped_field_set, position_context, *rest):
        results: dict = {}
        awaitable_fields: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for response_name, details, kind, how in self._plan(parent_type, grouped_field_set):
                if kind == _LEAF:
                    read, serialize, non_null = how
                    try:
                        value = read(source_value)
                        if value is not None:
                            serialized = serialize(value)
                            if serialized is not None and serialized is not Undefined:
                                results[response_name] = serialized
                                continue
                        elif not non_null:
                            results[response_name] = None
                            continue
                    except Exception:  # the generic path reports it as it always has
                        pass
                field_path = Path(path, response_name, parent_type.name)
                if kind == _CALL:
                    result = self._execute_relation(parent_type, source_value, details, field_path,
                                                    position_context, *how)
                else:
                    result = self.execute_field(parent_type, source_value, details, field_path,
                                                position_context, *rest)
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:  # settle what other fields started: they may fail too
                self.settle_in_background([results[f] for f in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict:
            if len(awaitable_fields) == 1:
                results[awaitable_fields[0]] = await results[awaitable_fields[0]]
            else:
                values = await gather_with_cancel(*(results[f] for f in awaitable_fields))
                results.update(zip(awaitable_fields, values, strict=True))
            return results

        return get_results()

    def _execute_relation(self, parent_type, source, details, path, position_context, field_def, call,
                          completion):
        """``execute_field`` for a relation: resolve directly, complete objects in place."""
        fn, info_name, field = call
        return_type = field_def.type
        info = None
        try:
            if info_name is None:
                result = fn(source)
            else:
                info = _LazyInfo(self, field, field_def, details, parent_type, path)
                result = fn(source, **{info_name: info})
            if self.is_awaitable(result):  # a relation not loaded yet: complete it once it is
                return self._complete_later(result, parent_type, details, path, position_context, field_def,
                                            completion, info)
            completed = self._complete(result, parent_type, details, path, position_context, field_def,
                                       completion, info)
            if self.is_awaitable(completed):
                return self._settle(completed, return_type, details, path)
            return completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None

    async def _complete_later(self, result, parent_type, details, path, position_context, field_def,
                              completion, info):
        """``complete_awaitable_value`` with the same in-place completion."""
        return_type = field_def.type
        try:
            resolved = await self.with_abort_signal(result)
            completed = self._complete(resolved, parent_type, details, path, position_context, field_def,
                                       completion, info)
            if self.is_awaitable(completed):
                completed = await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            completed = None
        return completed

    def _complete(self, result, parent_type, details, path, position_context, field_def, completion, info):
        """A resolved relation completed in place, or by graphql-core when it is not the
        plain shape (possibly awaitable either way)."""
        completed = self._complete_objects(result, completion, details, path, position_context)
        if completed is Undefined:
            completed = self.complete_value(field_def.type, details, self._raw_info(info, field_def, details,
                                            parent_type, path), path, result, position_context)
        return completed

    def _raw_info(self, info, field_def, details, parent_type, path):
        """graphql-core's resolve info: the one the resolver's ``Info`` built, if it did."""
        if info is not None:
            return info._raw_info
        return self.build_resolve_info(field_def, [d.node for d in details], parent_type, path)

    def _complete_objects(self, result, completion, details, path, position_context):
        """The completed object, list of objects or permitted null, or ``Undefined`` when
        ``result`` is not simply that (a forbidden null, another type): then the generic
        path decides, and reports it as it always has."""
        object_type, is_list, item_type, may_be_null = completion
        if result is None:
            return None if may_be_null else Undefined  # graphql-core reports a null it may not be
        is_type_of = object_type.is_type_of
        if not is_list:
            if self.is_awaitable(result) or (is_type_of is not None and not is_type_of(result, None)):
                return Undefined
            return self._execute_subfields(object_type, details, path, result, position_context)
        if type(result) is not list or any(
                item is None or (is_type_of is not None and not is_type_of(item, None)) for item in result):
            return Undefined
        is_awaitable = self.is_awaitable
        execute = self._execute_subfields
        completed: list = []
        awaitable_indices: list[int] = []
        for index, item in enumerate(result):
            item_path = Path(path, index, None)
            try:
                value = execute(object_type, details, item_path, item, position_context)
            except Exception as raw_error:
                self.handle_field_error(raw_error, item_type, details, item_path)
                value = None
            if is_awaitable(value):
                value = self._settle(value, item_type, details, item_path)
                awaitable_indices.append(index)
            completed.append(value)
        if not awaitable_indices:
            return completed

        async def get_completed() -> list:
            values = await gather_with_cancel(*(completed[i] for i in awaitable_indices))
            for i, value in zip(awaitable_indices, values, strict=True):
                completed[i] = value
            return completed

        return get_completed()

    def _execute_subfields(self, object_type, details, path, source, position_context):
        """``collect_and_execute_subfields``, straight to ``execute_fields`` when nothing
        in the selection is deferred (the selection set is memoised per field)."""
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(object_type, details)
        if new_defer_usages or position_context is not None:
            return self.collect_and_execute_subfields(object_type, details, path, source, position_context)
        return self.execute_fields(object_type, source, path, grouped_field_set, None)

    async def _settle(self, completed, return_type, details, path):
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None
