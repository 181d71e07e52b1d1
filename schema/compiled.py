"""Plain structure compiled to one SQL statement (issue 20).

A partnership's page or the partnership list is table-to-table: partnerships, agencies,
groups, seats, people, statutory partners and their connections, from the roots
``partnership(code:)``, ``partnerships``, ``agencies`` and ``node(id:)`` of those types.
Executing it field by field costs the application ~20 ms of Python a page (thousands of
objects built, most of them only to be turned back into JSON); PostgreSQL can build the
same JSON in one statement, the way the raw-SQL floor and PostGraphile do. This module
plans a query's selection set into that statement:

- only the columns the query selects are read, and nested objects are built by PostgreSQL
  (``json_build_object``/``json_agg``);
- who may see what is the read policy's, compiled into the statement as conditions
  (:meth:`core.read_policy.ReadPolicy.group_condition_sql`): confidential groups and their
  seats are never read for a caller who may not see them;
- connections follow :func:`schema.types.common.paginate` exactly (the same offsets,
  cursors, ``pageInfo`` and page-size limit).

A field a resolver computes on an object with an ID (a rule answered by a plugin — quorum,
chair, ladder, host … — or a domain's records) keeps its resolver: the statement leaves a
marker and one execution answers every marked field (:func:`settle_markers`). Anything else
outside the plain subset — another root field, ``node(id:)`` of another type, a directive
other than ``@skip``/``@include``, an argument the generic path would refuse — and the whole
operation runs on the generic executor, so errors are always the generic path's. The answer
is the generic path's byte for byte (``tests/test_compiled.py`` runs the same queries both
ways, as anonymous, member and administrator callers). PostgreSQL only: SQLite keeps the
generic executor.
"""

from __future__ import annotations

import itertools
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from inspect import isawaitable

import orjson
from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    execute,
    get_named_type,
    parse,
    print_ast,
)
from graphql.execution.values import get_argument_values, get_directive_values, get_variable_values
from graphql.type import GraphQLIncludeDirective, GraphQLSkipDirective
from strawberry.extensions import SchemaExtension

from core.read_policy import ReadPolicy
from core.weburl import web_url_or_none
from schema.types.common import cursor_offset, from_global_id

log = logging.getLogger("partnerships.compiled")


class NotCompilable(Exception):
    """The operation (or this caller's arguments) leaves the plain subset: run it generically."""


def _gid(type_name: str, column: str) -> str:
    """SQL for the API's global ID (:func:`schema.types.common.to_global_id`): URL-safe
    base64 of ``Type:pk`` without padding."""
    return f"rtrim(translate(encode(convert_to('{type_name}:' || {column}, 'UTF8'), 'base64'), '+/', '-_'), '=')"


def _cursor(offset_sql: str) -> str:
    """SQL for a connection cursor (``schema.types.common._cursor``): URL-safe base64 of
    ``o:<offset>``, padding kept."""
    return f"translate(encode(convert_to('o:' || ({offset_sql}), 'UTF8'), 'base64'), '+/', '-_')"


def _json_list(column: str) -> str:
    """A JSON list column as the types read it (``list(value or [])``): JSON null, SQL NULL
    and anything not a list are the empty list."""
    return f"CASE WHEN json_typeof({column}) = 'array' THEN {column} ELSE '[]'::json END"


# Each type's plain fields: GraphQL name → SQL over the row alias ``{t}``.
SCALARS: dict[str, dict[str, str]] = {
    "Partnership": {"code": "{t}.code", "name": "{t}.name", "localAuthority": "{t}.local_authority",
                    "region": "{t}.region", "population": "{t}.population", "plugin": "{t}.plugin"},
    "Document": {"title": "{t}.document_title", "published": "{t}.document_published",
                 "version": "{t}.document_version"},
    "Agency": {"code": "{t}.code", "name": "{t}.name", "kind": "{t}.kind"},
    "StatutoryPartner": {"kind": "{t}.kind", "leadRole": "{t}.lead_role", "delegatedTo": "{t}.delegated_to",
                         "reason": "{t}.reason"},
    "Person": {"roleTitle": "{t}.role_title", "name": "{t}.name"},
    "Group": {"code": "{t}.code", "name": "{t}.name", "kind": "{t}.kind", "purpose": "{t}.purpose",
              "cadence": "{t}.cadence", "meetingsPerYear": "{t}.meetings_per_year",
              "termsOfReferenceReview": "{t}.terms_of_reference_review",
              "sharedWith": _json_list("{t}.shared_with"), "confidential": "{t}.confidential"},
    "ChairingRule": {"basis": "{t}.chair_basis", "office": "{t}.chair_office",
                     "rotationStart": "{t}.chair_rotation_start"},
    "Seat": {"code": "{t}.code", "role": "{t}.role", "post": "{t}.post",
             "sectorRepresentative": "{t}.sector_representative", "membershipCode": "{t}.membership_code",
             "notes": "{t}.notes", "origin": "{t}.origin", "endedOn": "{t}.ended_on"},
}
#: The key of a marker the statement leaves where a resolver's answer goes (no GraphQL
#: response name can start with "#", so it never meets a field of the answer).
DEFERRED = "#deferred"
#: The key of a marker holding a stored document URL, served only if it is a web URL
#: (:func:`core.weburl.web_url_or_none`: the check is Python's, so it runs on the answer).
WEB_URL = "#weburl"
#: Types with a global ID (made from the row's ``id``), and their tables.
NODE_TABLES = {"Partnership": "partnership", "Agency": "agency", "Group": '"group"', "Seat": "seat", "Person": "person"}
#: Where a row's citation section is, for `source` (ChairingRule's also quotes the office).
SOURCE_SECTIONS = {"Agency": "{t}.source", "StatutoryPartner": "{t}.sp_source", "Group": "{t}.source",
                   "Seat": "{t}.source", "ChairingRule": "{t}.chair_source"}


@dataclass(frozen=True)
class Page:
    """A connection's page arguments, checked and decoded as ``paginate`` does them."""

    first: int | None
    last: int | None
    start: int  # the offset after `after` (0 without it)
    before: int | None
    max_page: int

    @classmethod
    def of(cls, args: dict, max_page: int) -> Page:
        first, last = args.get("first"), args.get("last")
        for value in (first, last):
            if value is not None and not 0 <= value <= max_page:
                raise NotCompilable("page size out of range: the generic path says so")
        try:
            after = args.get("after")
            before = args.get("before")
            start = max(0, cursor_offset(after) + 1) if after else 0
            before_offset = cursor_offset(before, "before") if before else None
        except Exception:
            raise NotCompilable("not a cursor: the generic path says so") from None
        return cls(first, last, start, before_offset, max_page)

    def bounds(self, n: str) -> tuple[str, str]:
        """SQL for the page's [start, end) in a list of ``n`` items (``paginate``'s arithmetic)."""
        start = str(self.start)
        end = f"GREATEST({start}, LEAST({n}, {self.before}))" if self.before is not None else f"GREATEST({start}, {n})"
        if self.first is not None:
            end = f"LEAST({end}, {self.start + self.first})"
        if self.last is not None:
            start = f"GREATEST({self.start}, ({end}) - {self.last})"
        elif self.first is None:
            end = f"LEAST({end}, {self.start + self.max_page})"
        return start, end


class Compiler:
    """Plans one operation into one statement. Strings from the caller are bind parameters;
    integers (page sizes, offsets, member partnership ids) are checked ints written inline."""

    def __init__(self, graphql_schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], variables: dict,
                 policy: ReadPolicy, max_page: int):
        self.schema = graphql_schema
        self.fragments = fragments
        self.variables = variables
        self.policy = policy
        self.max_page = max_page
        self.params: list = []
        self.deferred_fields: list[tuple[str, tuple[FieldNode, ...]]] = []
        self.marked = False  # the answer holds markers (DEFERRED, WEB_URL) to settle in Python
        self._aliases = itertools.count(1)

    # ------------------------------------------------------------------ helpers

    def alias(self) -> str:
        return f"t{next(self._aliases)}"

    def param(self, value) -> str:
        self.params.append(value)
        return f"${len(self.params)}"

    def visible(self, group_alias: str) -> str:
        return self.policy.group_condition_sql(f"{group_alias}.partnership_id", f"{group_alias}.confidential")

    def fields(self, type_: GraphQLObjectType, selection_set: SelectionSetNode | None) -> dict[str, list[FieldNode]]:
        """The selection's fields by response name, fragments and ``@skip``/``@include``
        applied, as graphql-core collects them."""
        out: dict[str, list[FieldNode]] = {}
        if selection_set is None:
            raise NotCompilable("an object without a selection")
        self._collect(type_, selection_set, out)
        return out

    def _collect(self, type_, selection_set, out) -> None:
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                out.setdefault((selection.alias or selection.name).value, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if selection.type_condition is None or self._applies(selection.type_condition.name.value, type_):
                    self._collect(type_, selection.selection_set, out)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is None:
                    raise NotCompilable("a fragment the document does not define")
                if self._applies(fragment.type_condition.name.value, type_):
                    self._collect(type_, fragment.selection_set, out)

    def _applies(self, condition: str, type_: GraphQLObjectType) -> bool:
        """Whether a fragment on ``condition`` applies to an object of ``type_`` (graphql-core's
        ``does_fragment_condition_match``). Under an interface (``node(id:)``) a fragment on
        another object type does not; validation allows no other case of that."""
        if condition == type_.name or condition in {i.name for i in type_.interfaces}:
            return True
        named = self.schema.get_type(condition)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            return False
        raise NotCompilable(f"a fragment on {condition}")

    def _included(self, node) -> bool:
        for directive in node.directives or ():
            if directive.name.value not in ("skip", "include"):
                raise NotCompilable(f"@{directive.name.value}")
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip and skip.get("if"):
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include is not None and not include.get("if"))

    def arguments(self, type_: GraphQLObjectType, nodes: list[FieldNode]) -> dict:
        field_def = type_.fields[nodes[0].name.value]
        args = get_argument_values(field_def, nodes[0], self.variables)
        for name, value in list(args.items()):  # enum arguments → the stored member name
            arg_type = get_named_type(field_def.args[name].type)
            if isinstance(arg_type, GraphQLEnumType) and value is not None:
                args[name] = next(n for n, v in arg_type.values.items() if v.value == value)
        return args

    @staticmethod
    def sub_selection(nodes: list[FieldNode]) -> SelectionSetNode:
        if len(nodes) == 1:
            return nodes[0].selection_set
        return SelectionSetNode(selections=tuple(s for n in nodes for s in (n.selection_set.selections
                                                                              if n.selection_set else ())))

    # ------------------------------------------------------------------ objects

    def obj(self, type_: GraphQLObjectType, t: str, selection_set: SelectionSetNode | None) -> str:
        """``json_build_object`` of the selection on a row aliased ``t`` of ``type_``."""
        fields = self.fields(type_, selection_set)
        if len(fields) > 50:  # json_build_object takes at most 100 arguments
            raise NotCompilable("too many fields for one json_build_object")
        parts = []
        for response_name, nodes in fields.items():
            parts.append(f"'{response_name}', {self.field(type_, t, nodes)}")
        return f"json_build_object({', '.join(parts)})"

    def field(self, type_: GraphQLObjectType, t: str, nodes: list[FieldNode]) -> str:
        name = nodes[0].name.value
        type_name = type_.name
        if name == "__typename":
            return f"'{type_name}'"
        if name == "id" and type_name in NODE_TABLES:
            return _gid(type_name, f"{t}.id")
        column = SCALARS.get(type_name, {}).get(name)
        if column is not None:
            return column.format(t=t)
        if type_name == "Document" and name == "url":
            self.marked = True
            return f"CASE WHEN {t}.document_url IS NULL THEN NULL ELSE json_build_object('{WEB_URL}', {t}.document_url) END"
        if name == "source" and type_name in SOURCE_SECTIONS:
            return self.source(type_, t, nodes)
        relation = RELATIONS.get((type_name, name))
        if relation is None:
            if type_name not in NODE_TABLES or name not in type_.fields or name.startswith("__"):
                raise NotCompilable(f"{type_name}.{name} is not plain structure")
            return self.deferred(type_name, t, nodes)
        field_type = type_.fields[name].type
        return relation(self, t, self.arguments(type_, nodes), field_type, self.sub_selection(nodes))

    def deferred(self, type_name: str, t: str, nodes: list[FieldNode]) -> str:
        """A field a resolver computes (a rule answered by a plugin, a domain's records): the
        statement leaves a marker naming the object, and :func:`settle_markers` runs the
        field's own resolver for every marked object at once, then puts each answer in its place."""
        self.marked = True
        self.deferred_fields.append((type_name, tuple(nodes)))
        marker = len(self.deferred_fields) - 1
        return f"json_build_object('{DEFERRED}', {marker}, 'id', {_gid(type_name, f'{t}.id')})"

    def source(self, type_, t: str, nodes) -> str:
        """`source`: the partnership's document title and the row's section (null without one)."""
        section = SOURCE_SECTIONS[type_.name].format(t=t)
        quote = f"{t}.chair_office" if type_.name == "ChairingRule" else "null"
        source_type = get_named_type(type_.fields["source"].type)
        values = {"document": f"(SELECT d.document_title FROM partnership d WHERE d.id = {t}.partnership_id)",
                  "section": section, "status": "'STATED'", "quote": quote, "derivation": "null",
                  "__typename": f"'{source_type.name}'"}
        parts = []
        for response_name, field_nodes in self.fields(source_type, self.sub_selection(nodes)).items():
            parts.append(f"'{response_name}', {values[field_nodes[0].name.value]}")
        return f"CASE WHEN {section} IS NULL THEN NULL ELSE json_build_object({', '.join(parts)}) END"

    def one(self, field_type, from_sql: str, alias: str, selection_set) -> str:
        """A nullable object read by a subselect (null when no row)."""
        return f"(SELECT {self.obj(get_named_type(field_type), alias, selection_set)} FROM {from_sql})"

    def many(self, field_type, from_sql: str, alias: str, order: str, selection_set) -> str:
        """A plain list (`statutoryPartners`, `subgroups` …) in the list's order."""
        node = self.obj(get_named_type(field_type), alias, selection_set)
        return f"COALESCE((SELECT json_agg({node} ORDER BY {order}) FROM {from_sql}), '[]'::json)"

    def connection(self, field_type, from_sql: str, alias: str, order: str, args: dict, selection_set) -> str:
        """A Relay connection over the rows of ``from_sql`` in ``order``, paged as ``paginate``."""
        page = Page.of(args, self.max_page)
        conn_type = get_named_type(field_type)
        x = self.alias()
        start_item, end_item = page.bounds(f"{x}.n")
        start, end = page.bounds("count(*)")
        in_page = f"{x}.rn >= {start_item} AND {x}.rn < {end_item}"
        parts = []
        for response_name, nodes in self.fields(conn_type, selection_set).items():
            name = nodes[0].name.value
            if name == "__typename":
                value = f"'{conn_type.name}'"
            elif name == "totalCount":
                value = "count(*)"
            elif name == "nodes":
                node_type = get_named_type(conn_type.fields["nodes"].type)
                node = self.obj(node_type, x, self.sub_selection(nodes))
                value = f"COALESCE(json_agg({node} ORDER BY {x}.rn) FILTER (WHERE {in_page}), '[]'::json)"
            elif name == "edges":
                value = self.edges(conn_type, x, in_page, nodes)
            elif name == "pageInfo":
                value = self.page_info(conn_type, start, end, nodes)
            else:
                raise NotCompilable(f"{conn_type.name}.{name}")
            parts.append(f"'{response_name}', {value}")
        numbered = (f"SELECT {alias}.*, row_number() OVER (ORDER BY {order}) - 1 AS rn, count(*) OVER () AS n "
                    f"FROM {from_sql}")
        return f"(SELECT json_build_object({', '.join(parts)}) FROM ({numbered}) {x})"

    def edges(self, conn_type, x: str, in_page: str, nodes) -> str:
        edge_type = get_named_type(conn_type.fields["edges"].type)
        parts = []
        for response_name, edge_nodes in self.fields(edge_type, self.sub_selection(nodes)).items():
            name = edge_nodes[0].name.value
            if name == "__typename":
                value = f"'{edge_type.name}'"
            elif name == "cursor":
                value = _cursor(f"{x}.rn")
            elif name == "node":
                value = self.obj(get_named_type(edge_type.fields["node"].type), x, self.sub_selection(edge_nodes))
            else:
                raise NotCompilable(f"{edge_type.name}.{name}")
            parts.append(f"'{response_name}', {value}")
        return (f"COALESCE(json_agg(json_build_object({', '.join(parts)}) ORDER BY {x}.rn) "
                f"FILTER (WHERE {in_page}), '[]'::json)")

    def page_info(self, conn_type, start: str, end: str, nodes) -> str:
        info_type = get_named_type(conn_type.fields["pageInfo"].type)
        values = {"hasNextPage": f"({end}) < count(*)", "hasPreviousPage": f"({start}) > 0",
                  "startCursor": f"CASE WHEN ({end}) > ({start}) THEN {_cursor(start)} END",
                  "endCursor": f"CASE WHEN ({end}) > ({start}) THEN {_cursor(f'({end}) - 1')} END",
                  "__typename": f"'{info_type.name}'"}
        parts = [f"'{r}', {values[n[0].name.value]}" for r, n in self.fields(info_type, self.sub_selection(nodes)).items()]
        return f"json_build_object({', '.join(parts)})"

    # ------------------------------------------------------------------ the roots

    def root(self, query_type: GraphQLObjectType, nodes: list[FieldNode]) -> tuple[str, bool]:
        """(SQL of a root field, whether a null answer must be left to the generic path)."""
        name = nodes[0].name.value
        if name == "__typename":
            return f"'{query_type.name}'", False
        if name not in ("partnership", "partnerships", "agencies", "node"):
            raise NotCompilable(f"Query.{name} is not plain structure")
        args = self.arguments(query_type, nodes)
        field_type = query_type.fields[name].type
        selection = self.sub_selection(nodes)
        if name == "partnership":
            p = self.alias()
            return self.one(field_type, f"partnership {p} WHERE {p}.code = {self.param(args['code'])}", p,
                            selection), True  # an unknown code: the generic path's NOT_FOUND names the known ones
        if name == "partnerships":
            p = self.alias()
            return self.connection(field_type, f"partnership {p}", p, f"{p}.code", args, selection), False
        if name == "node":
            return self.node(nodes, args["id"])
        if name == "agencies":  # every partnership's agencies, by partnership code, then as a partnership lists them
            a, p = self.alias(), self.alias()
            rows = (f"(SELECT {a}.*, {p}.code AS partnership_code FROM agency {a} JOIN partnership {p} "
                    f"ON {p}.id = {a}.partnership_id WHERE true{_filter(self, a, args, 'kind')}) {a}")
            return self.connection(field_type, rows, a, f"{a}.partnership_code, {a}.name, {a}.id", args,
                                   selection), False
        raise NotCompilable(f"Query.{name} is not plain structure")

    def node(self, nodes: list[FieldNode], gid: str) -> tuple[str, bool]:
        """``node(id:)`` of a plain type, read as its by-id loader reads it (a group, or a seat
        of a group, the caller may not see is no row). Its type is the ID's, so fragments on
        other types fall away here as at execution; a null answer is the generic path's to give."""
        try:
            type_name, pk = from_global_id(gid)
        except Exception:
            raise NotCompilable("not an ID: the generic path says so") from None
        if type_name not in NODE_TABLES:
            raise NotCompilable(f"node of {type_name}")
        type_ = self.schema.get_type(type_name)
        x, g = self.alias(), self.alias()
        key = f"{x}.id = {int(pk)}"
        from_sql = {"Group": f'"group" {x} WHERE {key} AND {self.visible(x)}',
                    "Seat": f'seat {x} JOIN "group" {g} ON {g}.id = {x}.group_id WHERE {key} AND {self.visible(g)}',
                    }.get(type_name, f"{NODE_TABLES[type_name]} {x} WHERE {key}")
        return f"(SELECT {self.obj(type_, x, self.sub_selection(nodes))} FROM {from_sql})", True


# ---------------------------------------------------------------------- relations
# Each: (compiler, parent alias, arguments, GraphQL type, selection) → SQL. They mirror the
# resolvers of schema/structure/types.py and the batch functions of schema/loaders.py.

def _filter(c: Compiler, alias: str, args: dict, argument: str) -> str:
    """`kind:` / `role:` — only rows with that stored member name."""
    value = args.get(argument)
    return "" if value is None else f" AND {alias}.{argument} = {c.param(value)}"


def _partnership_statutory_partners(c: Compiler, t, args, type_, sel) -> str:
    sp = c.alias()
    rows = (f"(SELECT a.*, s.lead_role, s.delegated_to, s.reason, s.source AS sp_source, s.position AS sp_position "
            f"FROM statutory_partner s JOIN agency a ON a.id = s.agency_id WHERE s.partnership_id = {t}.id) {sp}")
    return c.many(type_, rows, sp, f"{sp}.sp_position", sel)


def _statutory_partner_agency(c: Compiler, t, args, type_, sel) -> str:
    return c.obj(get_named_type(type_), t, sel)  # the partner's row is its agency's row


def _partnership_agencies(c: Compiler, t, args, type_, sel) -> str:
    a = c.alias()
    return c.connection(type_, f"agency {a} WHERE {a}.partnership_id = {t}.id{_filter(c, a, args, 'kind')}", a,
                        f"{a}.name, {a}.id", args, sel)


def _partnership_groups(c: Compiler, t, args, type_, sel) -> str:
    g = c.alias()
    return c.connection(type_, f'"group" {g} WHERE {g}.partnership_id = {t}.id AND {c.visible(g)}'
                               f"{_filter(c, g, args, 'kind')}", g, f"{g}.position", args, sel)


def _partnership_root_groups(c: Compiler, t, args, type_, sel) -> str:
    g, up = c.alias(), c.alias()
    return c.many(type_, f'"group" {g} WHERE {g}.partnership_id = {t}.id AND {c.visible(g)} AND NOT EXISTS '
                         f'(SELECT 1 FROM "group" {up} WHERE {up}.partnership_id = {t}.id AND {up}.id = {g}.parent_id '
                         f"AND {c.visible(up)})", g, f"{g}.position", sel)


def _partnership_group(c: Compiler, t, args, type_, sel) -> str:
    g = c.alias()
    return c.one(type_, f'"group" {g} WHERE {g}.partnership_id = {t}.id AND {c.visible(g)} '
                        f"AND {g}.code = {c.param(args['code'])} ORDER BY {g}.position LIMIT 1", g, sel)


def _seats_in_force(c: Compiler, where, args, type_, sel) -> str:
    """Seats in force of visible groups, ordered by group then seat (``seats_by_agency`` and
    a partnership's seats); ``where(seat, group)`` says whose."""
    s, g = c.alias(), c.alias()
    rows = (f"(SELECT {s}.*, {g}.position AS group_position FROM seat {s} JOIN \"group\" {g} ON {g}.id = {s}.group_id "
            f"WHERE {where(s, g)} AND {c.visible(g)} AND {s}.ended_on IS NULL{_filter(c, s, args, 'role')}) {s}")
    return c.connection(type_, rows, s, f"{s}.group_position, {s}.position", args, sel)


def _partnership_seats(c: Compiler, t, args, type_, sel) -> str:
    return _seats_in_force(c, lambda s, g: f"{g}.partnership_id = {t}.id", args, type_, sel)


def _parent_partnership(c: Compiler, t, args, type_, sel) -> str:
    p = c.alias()
    return c.one(type_, f"partnership {p} WHERE {p}.id = {t}.partnership_id", p, sel)


def _agency_is_statutory_partner(c: Compiler, t, args, type_, sel) -> str:
    return (f"EXISTS (SELECT 1 FROM statutory_partner sp WHERE sp.partnership_id = {t}.partnership_id "
            f"AND sp.agency_id = {t}.id)")


def _agency_seats(c: Compiler, t, args, type_, sel) -> str:
    return _seats_in_force(c, lambda s, g: f"{s}.agency_id = {t}.id", args, type_, sel)


def _agency_of(c: Compiler, t, args, type_, sel) -> str:
    """A seat's or a person's agency: one of its partnership's agencies (``agency_in``)."""
    a = c.alias()
    return c.one(type_, f"agency {a} WHERE {a}.id = {t}.agency_id AND {a}.partnership_id = {t}.partnership_id", a, sel)


def _group_chairing_rule(c: Compiler, t, args, type_, sel) -> str:
    return f"CASE WHEN {t}.chair_basis IS NULL THEN NULL ELSE {c.obj(get_named_type(type_), t, sel)} END"


def _chairing_rule_rotation(c: Compiler, t, args, type_, sel) -> str:
    a, r = c.alias(), c.alias()
    rows = (f"json_array_elements_text({_json_list(f'{t}.chair_rotation')}) WITH ORDINALITY AS {r}(code, ord) "
            f"JOIN agency {a} ON {a}.partnership_id = {t}.partnership_id AND {a}.code = {r}.code")
    return c.many(type_, rows, a, f"{r}.ord", sel)


def _group_accountable_to(c: Compiler, t, args, type_, sel) -> str:
    up = c.alias()
    return c.one(type_, f'"group" {up} WHERE {up}.id = {t}.parent_id AND {up}.partnership_id = {t}.partnership_id '
                        f"AND {c.visible(up)}", up, sel)


def _group_subgroups(c: Compiler, t, args, type_, sel) -> str:
    g = c.alias()
    return c.many(type_, f'"group" {g} WHERE {g}.parent_id = {t}.id AND {g}.partnership_id = {t}.partnership_id '
                         f"AND {c.visible(g)}", g, f"{g}.position", sel)


def _group_seats(c: Compiler, t, args, type_, sel) -> str:
    s = c.alias()
    return c.connection(type_, f"seat {s} WHERE {s}.group_id = {t}.id AND {s}.ended_on IS NULL{_filter(c, s, args, 'role')}", s,
                        f"{s}.position", args, sel)


def _seat_group(c: Compiler, t, args, type_, sel) -> str:
    g = c.alias()
    return c.one(type_, f'"group" {g} WHERE {g}.id = {t}.group_id AND {g}.partnership_id = {t}.partnership_id '
                        f"AND {c.visible(g)}", g, sel)


def _seat_person(c: Compiler, t, args, type_, sel) -> str:
    pe = c.alias()
    return c.one(type_, f"person {pe} WHERE {pe}.id = {t}.person_id", pe, sel)


def _seat_deputy_of(c: Compiler, t, args, type_, sel) -> str:
    d = c.alias()
    return c.one(type_, f"seat {d} WHERE {d}.id = {t}.deputy_of_id AND {d}.group_id = {t}.group_id "
                        f"AND {d}.ended_on IS NULL", d, sel)


def _document(c: Compiler, t, args, type_, sel) -> str:
    return c.obj(get_named_type(type_), t, sel)  # the partnership's own columns


RELATIONS: dict[tuple[str, str], Callable[..., str]] = {
    ("Partnership", "document"): _document,
    ("Partnership", "statutoryPartners"): _partnership_statutory_partners,
    ("Partnership", "agencies"): _partnership_agencies,
    ("Partnership", "groups"): _partnership_groups,
    ("Partnership", "rootGroups"): _partnership_root_groups,
    ("Partnership", "group"): _partnership_group,
    ("Partnership", "seats"): _partnership_seats,
    ("StatutoryPartner", "agency"): _statutory_partner_agency,
    ("Agency", "partnership"): _parent_partnership,
    ("Agency", "isStatutoryPartner"): _agency_is_statutory_partner,
    ("Agency", "seats"): _agency_seats,
    ("Person", "agency"): _agency_of,
    ("Group", "chairingRule"): _group_chairing_rule,
    ("ChairingRule", "rotation"): _chairing_rule_rotation,
    ("Group", "partnership"): _parent_partnership,
    ("Group", "accountableTo"): _group_accountable_to,
    ("Group", "subgroups"): _group_subgroups,
    ("Group", "seats"): _group_seats,
    ("Seat", "group"): _seat_group,
    ("Seat", "agency"): _agency_of,
    ("Seat", "person"): _seat_person,
    ("Seat", "deputyOf"): _seat_deputy_of,
}


# ---------------------------------------------------------------------- planning and running

@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple
    must_exist: tuple[str, ...]  # root fields whose null is the generic path's to answer (NOT_FOUND)
    marked: bool = False  # the answer holds markers to settle (settle_markers)
    deferred: tuple[tuple[str, tuple[FieldNode, ...]], ...] = ()  # (type, field nodes) by marker number
    variables: str = ""  # the operation's variable definitions and …
    fragments: str = ""  # … its fragments, for the deferred fields' execution


def _markers(value, found: list) -> None:
    """Every marker in the answer, with the container and key that hold it."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict) and (DEFERRED in item or WEB_URL in item):
                found.append((value, key, item))
            elif isinstance(item, dict | list):
                _markers(item, found)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                _markers(item, found)


async def settle_markers(ec, statement: Statement, data: dict) -> bool:
    """Put in place what the statement left to Python: a document URL served only if it is
    a web URL, and the fields a resolver computes — run in one execution for all of them
    (so their DataLoaders batch: statements stay constant in the answer's size), each object
    fetched as ``node(id:)`` fetches it, with the caller's context and variables. False if
    any of them erred: the generic path then answers the whole operation, so errors, their
    paths and null propagation are always the generic executor's."""
    found: list = []
    _markers(data, found)
    deferred = []
    for container, key, marker in found:
        if WEB_URL in marker:
            container[key] = web_url_or_none(marker[WEB_URL])
        else:
            deferred.append((container, key, marker))
    if not deferred:
        return True
    found = deferred
    parts = []
    for i, (_, _, marker) in enumerate(found):
        type_name, nodes = statement.deferred[marker[DEFERRED]]
        selection = " ".join(print_ast(n) for n in nodes)
        parts.append(f"d{i}: node(id: {orjson.dumps(marker['id']).decode()}) {{ ... on {type_name} {{ {selection} }} }}")
    document = parse(f"query {statement.variables} {{ {' '.join(parts)} }}\n{statement.fragments}")
    # graphql-core's own executor: any error sends the whole operation to the generic path anyway
    result = execute(ec.schema._schema, document, context_value=ec.context, variable_values=ec.variables)
    if isawaitable(result):
        result = await result
    if result.errors or result.data is None:
        return False
    for i, (container, key, _) in enumerate(found):
        answer = result.data[f"d{i}"]
        if answer is None:
            return False
        container[key] = answer[key]
    return True


class Plans:
    """Statements planned, by (document, operation, variables, visibility, page limit):
    a repeated query is planned once."""

    def __init__(self, size: int = 512):
        self.size = size
        self._plans: OrderedDict = OrderedDict()

    def get(self, key):
        plan = self._plans.get(key)
        if plan is not None:
            self._plans.move_to_end(key)
        return plan

    def put(self, key, plan) -> None:
        self._plans[key] = plan
        if len(self._plans) > self.size:
            self._plans.popitem(last=False)


def plan(graphql_schema, document, operation_name: str | None, raw_variables: dict | None, policy: ReadPolicy,
         max_page: int) -> Statement:
    """One statement answering the whole operation, or NotCompilable."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next((o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)),
                     None)
    if operation is None or (operation_name is None and len(operations) != 1) or operation.operation.value != "query":
        raise NotCompilable("not one query")
    coerced = get_variable_values(graphql_schema, operation.variable_definitions or (), raw_variables or {})
    if isinstance(coerced, list):
        raise NotCompilable("variables the generic path refuses")
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    compiler = Compiler(graphql_schema, fragments, coerced, policy, max_page)
    query_type = graphql_schema.query_type
    parts, must_exist = [], []
    for response_name, nodes in compiler.fields(query_type, operation.selection_set).items():
        sql, must = compiler.root(query_type, nodes)
        parts.append(f"'{response_name}', {sql}")
        if must:
            must_exist.append(response_name)
    variables = ", ".join(print_ast(v) for v in operation.variable_definitions or ())
    return Statement(f"SELECT json_build_object({', '.join(parts)})::text", tuple(compiler.params), tuple(must_exist),
                     compiler.marked, tuple(compiler.deferred_fields), f"({variables})" if variables else "",
                     "\n".join(print_ast(f) for f in fragments.values()))


def _frozen(value):
    """Variables as a plan key. Each scalar keeps its type: Python holds ``True == 1 == 1.0``,
    but GraphQL refuses ``1`` for a Boolean, so they must not share a plan."""
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return type(value), value


class CompiledReads(SchemaExtension):
    """Answers a plain-structure query from one statement before the generic executor runs
    (strawberry executes only when no extension has set a result). On anything it cannot
    answer exactly, it sets nothing and the generic executor runs as before."""

    plans = Plans()

    async def on_execute(self):
        ec = self.execution_context
        context = ec.context
        settings = getattr(context, "settings", None)
        if (settings is not None and settings.compiled_reads and ec.graphql_document is not None
                and ec.result is None and getattr(context.state.engine, "dialect", None) is not None
                and context.state.engine.dialect.name == "postgresql"):
            data = await self._answer(ec, context)
            if data is not None:
                ec.result = ExecutionResult(data=data)
        yield

    async def _answer(self, ec, context) -> dict | None:
        policy = context.loaders.policy
        visibility = policy.visibility_key()
        try:
            key = (id(ec.graphql_document), ec.operation_name, _frozen(ec.variables or {}), visibility,
                   context.settings.max_page_size)
        except TypeError:
            return None
        entry = self.plans.get(key)
        if entry is None:
            try:
                statement = plan(ec.schema._schema, ec.graphql_document, ec.operation_name, ec.variables, policy,
                                 context.settings.max_page_size)
            except NotCompilable:
                statement = False
            except Exception:  # a planner bug must cost speed, never an answer: the generic path runs
                log.exception("planning a compiled read failed; the generic executor answers")
                statement = False
            # the document stays alive with its plan, so its id is not reused for another meanwhile
            self.plans.put(key, (statement, ec.graphql_document))
        else:
            statement = entry[0]
        if not statement:
            return None
        data = orjson.loads(await context.loaders.json_value(statement.sql, statement.params))
        if any(data.get(name) is None for name in statement.must_exist):
            return None
        if statement.marked and not await settle_markers(ec, statement, data):
            return None
        return data


