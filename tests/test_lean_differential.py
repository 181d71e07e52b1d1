"""Lean execution (schema/lean.py) answers exactly as strawberry's generic path does, on the
real schema.

Two apps share one database (the four boroughs, plus confidential records of each kind
written through the API): one with the ``lean_execution`` setting on, one with it off. The
fuzzer's queries (tests/fuzzing.py, valid and invalid), the benchmark's page and hand-written
queries for the corners — fragments, aliases, ``@include``/``@skip``, ``__typename``, errors
inside lists, a null propagated up through non-null fields — go to both as a platform
administrator, a partnership member and an anonymous caller. The HTTP status, the data and
each error's message, path and code must be identical once encoded as JSON.

LEAN_DIFF_EXAMPLES sets the generated queries (default 150 valid and a third as many
invalid, per backend).
"""

from __future__ import annotations

import json
import os

import graphql
from hypothesis_graphql import Mode

from bench.queries import PAGE
from core.config import Settings
from core.enums import Role
from schema.root import build_schema
from tests.authz_rules import Ctx, incident, setup
from tests.conftest import load_all, make_api
from tests.fuzzing import generate

EXAMPLES = int(os.environ.get("LEAN_DIFF_EXAMPLES", "150"))

#: Fields the lean path takes (plain scalars, enums, relations to objects and lists of them)
#: mixed with what it must leave to the generic path.
PARTNERSHIP_BITS = """
fragment Agency on Agency { __typename id code name kind }
fragment Partnership on Partnership {
  __typename id code name
  statutoryPartners { __typename kind leadRole delegatedTo agency { ...Agency } }
}"""


def hand_written(ids: dict) -> list[tuple[str, dict]]:
    """The corners, with the IDs of the records the test wrote (``ids``, from tests.authz_rules.setup)."""
    return [
        (PAGE, {"code": "merton"}),
        (PAGE, {"code": "sandwell"}),
        (PAGE, {"code": "no-such-partnership"}),  # NOT_FOUND on a non-null root field: data is null
        # fragments, aliases, __typename, directives on relations and scalars, by variable and literal
        ("""query ($yes: Boolean!, $no: Boolean!) {
          a: partnership(code: "merton") {
            ...Partnership
            groups(first: 100) { nodes { __typename code n: name
              seats(first: 100) @include(if: $yes) { nodes { id role r: role agency @skip(if: $no) { ...Agency }
                                                         person { __typename id roleTitle name } } }
              accountableTo @skip(if: $yes) { code }
              subgroups { ... on Group { code kind } } } }
          }
          b: partnership(code: "lewisham") { ...Partnership name @skip(if: $yes) region @include(if: $no) }
          c: partnership(code: "lewisham") { code ... @include(if: $yes) { population localAuthority } }
        }""" + PARTNERSHIP_BITS, {"yes": True, "no": False}),
        ("""{ partnerships(first: 10) { totalCount nodes { ...Partnership agencies(first: 100) {
               nodes { ...Agency a: code b: code } } } } }""" + PARTNERSHIP_BITS, {}),
        # an error in a list's item, on a non-null field: the null propagates to the root
        ("""{ partnership(code: "merton") { code groups(first: 100) { nodes { code
               chair(financialYear: "not a year") { basis office } } } } }""", {}),
        # the same under a nullable root field: that field is null, its siblings stand
        ("""query ($partnership: ID!) {
             broken: node(id: $partnership) { id ... on Partnership { groups(first: 100) { nodes { code
               chair(financialYear: "1999") { financialYear basis office } } } } }
             whole: node(id: $partnership) { id ... on Partnership { groups(first: 100) { nodes { code
               chair(financialYear: "2024/25") { financialYear basis office provisional } } } } }
             partnership(code: "merton") { code }
           }""", {"partnership": ids["partnership"]}),
        # confidential records: each role sees what the read policy lets it see
        ("""{ partnership(code: "merton") {
               disputes(first: 20) { totalCount nodes { __typename id kind summary status stageNumber raisedBy raisedAt
                 raisedBySeat { code agency { code } } partnership { code } currentStage { __typename }
                 history { __typename } } }
               incidents(first: 20) { totalCount nodes { id caseReference stage becameAwareOn decision methodology
                 panelNotificationDue actions { __typename } } }
               riskLog(first: 20) { totalCount }
               appointments { __typename } attendanceConcerns { __typename } rootGroups { code subgroups { code } }
             } }""", {}),
        # a quorum with seats unknown and known, per group; nodes by ID, one unknown
        ("""query ($group: ID!, $seats: [ID!]!) {
             unknown: node(id: "bm8tc3VjaA==") { id }
             known: node(id: $group) { __typename id ... on Group { code seats(first: 2) { nodes { id agency { code } } }
               quorum(present: $seats) { satisfied reasons requirement } } }
             bad: node(id: $group) { ... on Group { quorum(present: ["no-such-seat"]) { satisfied } } }
           }""", {"group": ids["group"], "seats": ids["seats"]}),
    ]


def outcome(response) -> str:
    """What must not differ, as JSON: the status, the data, each error's message, path, code."""
    body = response.json()
    errors = [{"message": e.get("message"), "path": e.get("path"), "code": (e.get("extensions") or {}).get("code")}
              for e in body.get("errors") or []]
    return json.dumps({"status": response.status_code, "data": body.get("data"), "errors": errors},
                      ensure_ascii=False)


def _racing(*responses) -> bool:
    """Whether every answer is null as a whole, with errors from more than one root field."""
    bodies = [r.json() for r in responses]
    return all(b.get("data") is None and len({tuple((e.get("path") or [None])[:1]) for e in b.get("errors") or []}) > 1
               for b in bodies)


def _each_root_field(document: str) -> list[str]:
    """The document once per root field of its operation (fragments kept)."""
    ast = graphql.parse(document)
    operation = next(d for d in ast.definitions if isinstance(d, graphql.OperationDefinitionNode))
    rest = tuple(d for d in ast.definitions if d is not operation)
    alone = []
    for selection in operation.selection_set.selections:
        single = graphql.OperationDefinitionNode(
            operation=operation.operation, name=operation.name, variable_definitions=operation.variable_definitions,
            directives=operation.directives, selection_set=graphql.SelectionSetNode(selections=(selection,)))
        alone.append(graphql.print_ast(graphql.DocumentNode(definitions=(single, *rest))))
    return alone


async def test_lean_execution_answers_the_fuzzers_queries_as_the_generic_path_does(empty_db, registry):
    await load_all(empty_db, registry)
    # every request executes, by graphql execution (no cached or compiled answer); thousands are allowed
    quiet = {"response_cache": False, "compiled_reads": False, "rate_limit": ""}
    lean = await make_api("lean", empty_db, registry, lean_execution=True, **quiet)
    generic = await make_api("generic", empty_db, registry, lean_execution=False, **quiet)
    try:
        assert lean.app.state.partnerships.settings.lean_execution
        assert not generic.app.state.partnerships.settings.lean_execution
        ctx = Ctx(api=lean, admin_token=await lean.token("merton", Role.ADMINISTRATOR),
                  schema=build_schema(Settings())._schema)
        await setup(ctx)  # confidential records of each kind, written through the API
        await incident(ctx, "final")
        roles = {"administrator": await lean.token(None, Role.ADMINISTRATOR),
                 "member": await lean.token("merton", Role.MEMBER), "anonymous": None}
        documents = [(d, {}) for d in generate("query", Mode.POSITIVE, EXAMPLES)]
        documents += [(d, {}) for d in generate("query", Mode.NEGATIVE, max(1, EXAMPLES // 3))]
        documents += hand_written(ctx.ids)
        differences, executed, errors, racing = [], 0, 0, 0
        for document, variables in documents:
            for role, token in roles.items():
                want = await generic.post(document, variables, token=token)
                got = await lean.post(document, variables, token=token)
                expected, answered = outcome(want), outcome(got)
                if answered != expected and _racing(want, got):
                    # Root fields run concurrently: when several fail and one nulls the whole
                    # answer, which of the others' errors it holds depends on timing, on either
                    # path. Then each root field is compared on its own.
                    racing += 1
                    for alone in _each_root_field(document):
                        want_alone = outcome(await generic.post(alone, variables, token=token))
                        got_alone = outcome(await lean.post(alone, variables, token=token))
                        if got_alone != want_alone:
                            differences.append(f"as {role}: {alone}\n  generic: {want_alone[:600]}\n"
                                               f"  lean:    {got_alone[:600]}")
                elif answered != expected:
                    differences.append(f"as {role}: {document}\n  generic: {expected[:600]}\n"
                                       f"  lean:    {answered[:600]}")
                body = want.json()
                executed += body.get("data") is not None
                errors += bool(body.get("data") is not None and body.get("errors"))
        print(f"lean differential: {len(documents) * len(roles)} requests each way, {executed} executed, "
              f"{errors} executed with errors, {racing} compared root field by root field, {len(differences)} differences")
        assert not differences, f"{len(differences)} differences; the first:\n" + "\n\n".join(differences[:3])
        assert executed >= len(documents), "most documents never reached a resolver"
        assert errors >= 3 * len(roles), "too few answers with field errors to compare"
        assert racing <= len(documents) // 10, "too many answers compared root field by root field"
    finally:
        for api in (lean, generic):
            await api.client.aclose()
            await api.app.state.partnerships.engine.dispose()
