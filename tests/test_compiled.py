"""Plain structure compiled to one statement (issue 20, item 1): the same answer as the
generic executor, byte for byte, for every caller — and one statement however large.

Each query runs through two apps on one PostgreSQL database holding the four boroughs plus
what users changed (a confidential group, a seat added through the API, a seat ended):
one with ``compiled_reads`` on (the default), one with it off. The answers must be equal
bytes, for an anonymous caller, a member of one partnership and a platform administrator.
Queries are hand-written (the benchmark's page and list, every relation, every connection
argument, fragments, aliases, directives) and generated at random over the plain subset.
"""

from __future__ import annotations

import os
import random

import pytest
from sqlalchemy import text

from core.enums import Role
from schema.compiled import RELATIONS, SCALARS
from tests.conftest import load_all, make_api

#: Random plain queries per caller (COMPILED_RANDOM_QUERIES=1500 for a longer sweep).
RANDOM_QUERIES = int(os.environ.get("COMPILED_RANDOM_QUERIES", "120"))

PAGE = """
query Page($code: String!) {
  partnership(code: $code) {
    id code name localAuthority region population plugin __typename
    document { title published version }
    statutoryPartners { kind leadRole delegatedTo reason agency { id code name kind isStatutoryPartner } source { document section status quote derivation } }
    agencies(first: 100) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id code name kind source { section } } }
    groups(first: 100) {
      totalCount
      nodes {
        id code name kind purpose cadence meetingsPerYear termsOfReferenceReview sharedWith confidential
        chairingRule { basis office rotationStart rotation { code name } source { document section quote status } }
        accountableTo { id code }
        subgroups { id code }
        seats(first: 100) {
          totalCount
          edges { cursor node { id code role post sectorRepresentative membershipCode notes origin endedOn
                  agency { id code name } person { id roleTitle name agency { code } } deputyOf { code } group { code } } }
        }
      }
    }
  }
}"""

LIST = """
query List {
  partnerships(first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor startCursor hasPreviousPage }
    nodes { id code name document { title published } plugin
            groups(first: 100) { totalCount nodes { id code name kind accountableTo { id code } } } }
  }
}"""

HAND = [
    (PAGE, {"code": "merton"}),
    (PAGE, {"code": "sandwell"}),
    (PAGE, {"code": "lewisham"}),
    (PAGE, {"code": "sefton"}),
    (LIST, {}),
    ("{ partnerships { edges { cursor node { code } } } }", {}),
    ("{ partnerships(first: 2, after: \"bzow\") { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } "
     "nodes { code } } }", {}),
    ("{ partnerships(last: 2) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { code } } }", {}),
    ("{ partnerships(last: 1, before: \"bzoy\") { pageInfo { hasNextPage hasPreviousPage } nodes { code } } }", {}),
    ("{ partnerships(first: 3, last: 1) { pageInfo { hasNextPage hasPreviousPage } nodes { code } } }", {}),
    ("{ partnerships(after: \"bzo5OQ==\") { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } "
     "nodes { code } } }", {}),
    ("{ partnerships(first: 0) { totalCount pageInfo { hasNextPage startCursor } nodes { code } } }", {}),
    ("query ($k: AgencyKind) { partnership(code: \"sandwell\") { agencies(kind: $k) { totalCount nodes { code kind } } } }",
     {"k": "CHILDRENS_TRUST"}),
    ("{ partnership(code: \"merton\") { groups(kind: SUB_GROUP, first: 2) { totalCount nodes { code } "
     "pageInfo { hasNextPage endCursor } } } }", {}),
    ("{ partnership(code: \"merton\") { rootGroups { code subgroups { code subgroups { code } } } } }", {}),
    ("{ partnership(code: \"merton\") { group(code: \"mscp\") { code seats(role: STATUTORY_PARTNER_LEAD) "
     "{ totalCount nodes { code role } } } nope: group(code: \"nope\") { code } } }", {}),
    ("{ partnership(code: \"lewisham\") { seats(first: 50, after: \"bzoz\") { totalCount nodes { code group { code } } "
     "pageInfo { hasNextPage hasPreviousPage } } } }", {}),
    ("{ partnership(code: \"sefton\") { seats(role: INDEPENDENT_CHAIR) { totalCount nodes { code } } } }", {}),
    ("{ partnership(code: \"merton\") { agencies(first: 5) { nodes { code seats(first: 3) { totalCount nodes { code } } "
     "partnership { code } } } } }", {}),
    ("query ($skip: Boolean!, $with: Boolean!) { a: partnership(code: \"merton\") { ...P b: name @skip(if: $skip) "
     "c: code @include(if: $with) } b: partnership(code: \"sefton\") { ... on Partnership { code } ... on Node { id } } "
     "__typename } fragment P on Partnership { code groups { nodes { ...G } } } fragment G on Group { code name }",
     {"skip": True, "with": False}),
    ("{ partnership(code: \"merton\") { groups { nodes { code } nodes2: nodes { id } } } }".replace("nodes2:", "n:"), {}),
    ("{ partnership(code: \"merton\") { groups { nodes { code } } groups { totalCount nodes { name } } } }", {}),
    ("{ partnerships { nodes { code document { title url } } } }", {}),
    # the root list of agencies, across every partnership (by partnership code, name, id)
    ("{ agencies(kind: CHILDRENS_TRUST) { totalCount nodes { id code name kind partnership { code } } } }", {}),
    ("query ($k: AgencyKind, $n: Int) { agencies(kind: $k, first: $n, after: \"bzoz\") { totalCount "
     "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { code isStatutoryPartner "
     "seats(first: 2) { totalCount nodes { code group { code confidential } } } } } } }", {"k": None, "n": 7}),
    ("{ agencies(last: 3) { pageInfo { hasPreviousPage } nodes { name partnership { code } } } }", {}),
]


#: Plain structure with rule and domain fields inside: the statement builds the structure,
#: each rule field's own resolver answers in its place (one execution for all of them).
MIXED = [
    ("""query ($fy: String!) { partnership(code: "merton") { code reviewTimescales { ...ReviewTimescales }
        groups(first: 100) { nodes { code votingRule { ...VotingRule } chair(financialYear: $fy) { ...ChairAnswer }
          meetings { id } proxyRule { ...ProxyRule } seats { nodes { code } } } } } }""", {"fy": "2024/25"}),
    ("""{ partnerships { nodes { code annualReportRecipients { ...AnnualReportRecipientsRule } scrutiny { __typename }
        groups(first: 3) { nodes { code attendancePolicy { ...AttendancePolicy } } } } } }""", {}),
    ("""query ($fy: String!) { partnership(code: "sandwell") { funding(financialYear: $fy) { __typename }
        x: statutoryPartners { kind } rootGroups { code meetingRules { ...MeetingRules } } } }""", {"fy": "2023/24"}),
]


def _with_fragments(query: str, schema) -> str:
    """The query with a fragment for each `...Type` it spreads: every field of the type
    without arguments, scalars and enums directly, objects three levels deep."""

    def leaves(type_name: str, depth: int) -> str:
        gql_type = schema.get_type(type_name)
        parts = []
        for name, field in gql_type.fields.items():
            if field.args and any(_required(a) for a in field.args.values()):
                continue
            target = _named(field.type)
            if hasattr(target, "fields"):
                if depth < 3 and not hasattr(target, "resolve_type"):
                    parts.append(f"{name} {{ {leaves(target.name, depth + 1)} }}")
            elif not hasattr(target, "types"):
                parts.append(name)
        return " ".join(parts) or "__typename"

    import re

    names = sorted(set(re.findall(r"\.\.\.([A-Z]\w+)", query)))
    return query + "".join(f"\nfragment {n} on {n} {{ {leaves(n, 1)} }}" for n in names)


def _required(arg) -> bool:
    return type(arg.type).__name__ == "GraphQLNonNull" and arg.default_value is None


def _random_query(rng: random.Random, schema) -> str:
    """A query over the plain subset: random fields, relations, connection arguments and
    aliases; now and then a field skipped or kept by a directive, or a selection inside an
    inline fragment on the type itself or on `Node`."""

    def selection(type_name: str, depth: int) -> str:
        gql_type = schema.get_type(type_name)
        names = [n for n in gql_type.fields if n in SCALARS.get(type_name, {}) or (type_name, n) in RELATIONS
                 or n in ("id", "__typename", "source")]
        picked = rng.sample(names, k=min(len(names), rng.randint(1, 5)))
        parts = []
        for name in picked:
            alias = f"f{rng.randint(0, 99)}_{name}: " if rng.random() < 0.2 else ""
            field = gql_type.fields.get(name)
            target = _named(field.type) if field is not None else None
            if target is None or not hasattr(target, "fields"):
                parts.append(alias + name)
                continue
            if depth >= 4:
                continue
            args = _args(rng, field)
            parts.append(f"{alias}{name}{args} {{ {sub(target.name, depth + 1)} }}")
        if parts and rng.random() < 0.15:  # the directive goes after the field's name and arguments
            head, brace, rest = parts.pop().partition(" {")
            parts.append(f"{head} @{rng.choice(['skip', 'include'])}(if: {rng.choice(['true', 'false'])}){brace}{rest}")
        if parts and rng.random() < 0.15:
            parts.append(f"... on {type_name} {{ {parts.pop()} }}")
        if rng.random() < 0.1 and "Node" in [i.name for i in gql_type.interfaces]:
            parts.append("... on Node { id }")
        return " ".join(parts) or "__typename"

    def sub(type_name: str, depth: int) -> str:
        if type_name.endswith("Connection"):
            node = type_name[: -len("Connection")]
            parts = [rng.choice(["totalCount", "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"])]
            if rng.random() < 0.7:
                parts.append(f"nodes {{ {selection(node, depth)} }}")
            else:
                parts.append(f"edges {{ cursor node {{ {selection(node, depth)} }} }}")
            return " ".join(parts)
        if type_name == "Source":
            return " ".join(rng.sample(["document", "section", "status", "quote", "derivation"], k=3))
        return selection(type_name, depth)

    code = rng.choice(["merton", "lewisham", "sefton", "sandwell"])
    if rng.random() < 0.25:
        return f"{{ partnerships{_page_args(rng)} {{ {sub('PartnershipConnection', 1)} }} }}"
    if rng.random() < 0.1:
        return f"{{ agencies{_page_args(rng)} {{ {sub('AgencyConnection', 1)} }} }}"
    return f'{{ partnership(code: "{code}") {{ {selection("Partnership", 1)} }} }}'


def _named(t):
    while hasattr(t, "of_type"):
        t = t.of_type
    return t


def _page_args(rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.4:
        return ""
    cursor = lambda i: __import__("base64").urlsafe_b64encode(f"o:{i}".encode()).decode()  # noqa: E731
    options = [f"first: {rng.randint(0, 6)}", f"last: {rng.randint(0, 6)}", f'after: "{cursor(rng.randint(-1, 8))}"',
               f'before: "{cursor(rng.randint(0, 8))}"']
    return "(" + ", ".join(rng.sample(options, k=rng.randint(1, 3))) + ")"


def _args(rng: random.Random, field) -> str:
    names = set(field.args)
    if {"first", "last"} <= names:
        return _page_args(rng)
    if "code" in names:
        return f'(code: "{rng.choice(["mscp", "executive", "nope", "board"])}")'
    return ""


@pytest.fixture(scope="module")
async def both(databases, registry):
    """One PostgreSQL database, two apps on it: compiled reads on and off (caches off)."""
    url = await databases.new("postgresql")
    await load_all(url, registry)
    compiled = await make_api("postgresql", url, registry, response_cache=False)
    generic = await make_api("postgresql", url, registry, response_cache=False, compiled_reads=False)
    engine = compiled.app.state.partnerships.engine
    # What users changed: a confidential group, a seat recorded through the API, a seat ended.
    bu = await compiled.token("merton", Role.BUSINESS_UNIT)
    async with engine.begin() as conn:
        for borough in ("merton", "sandwell"):  # a group with a parent, seats and (in Merton) subgroups
            await conn.execute(text(
                "UPDATE \"group\" SET confidential = true WHERE id = (SELECT min(g.id) FROM \"group\" g "
                "JOIN partnership p ON p.id = g.partnership_id WHERE p.code = :code AND g.parent_id IS NOT NULL "
                "AND EXISTS (SELECT 1 FROM seat s WHERE s.group_id = g.id))"), {"code": borough})
        # a URL stored before URLs were checked: never served (core.weburl)
        await conn.execute(text("UPDATE partnership SET document_url = 'javascript:alert(1)' WHERE code = 'sefton'"))
        hidden = (await conn.execute(text("SELECT count(*) FROM \"group\" WHERE confidential"))).scalar_one()
    assert hidden == 2
    page = await compiled.gql('{ partnership(code: "merton") { groups(first: 1) { nodes { id seats(first: 2) '
                              "{ nodes { id agency { id } } } } } } }", token=bu)
    group = page["data"]["partnership"]["groups"]["nodes"][0]
    added = await compiled.gql("mutation ($input: AddSeatInput!) { addSeat(input: $input) { __typename } }",
                               {"input": {"groupId": group["id"], "code": "compiled-observer", "post": "Compiled reads observer",
                                          "role": "PARTICIPANT_OBSERVER"}}, token=bu)
    assert added["data"]["addSeat"]["__typename"] == "SeatPayload", added
    removed = await compiled.gql("mutation ($input: RemoveSeatInput!) { removeSeat(input: $input) { __typename } }",
                                 {"input": {"seatId": group["seats"]["nodes"][0]["id"]}}, token=bu)
    assert removed["data"]["removeSeat"]["__typename"] == "RemoveSeatPayload", removed
    callers = {
        "anonymous": None,
        "member": await compiled.token("merton", Role.MEMBER),
        "admin": await compiled.token(None, Role.ADMINISTRATOR),
    }
    yield compiled, generic, callers
    for api in (compiled, generic):
        await api.client.aclose()
        await api.app.state.partnerships.engine.dispose()


async def _both_ways(compiled, generic, query, variables, token):
    with compiled.count_statements() as counter:
        a = await compiled.post(query, variables, token)
    b = await generic.post(query, variables, token)
    assert a.status_code == b.status_code
    assert a.content == b.content, (query, variables)
    return a, [s for s in counter.statements if "json_build_object" in s]


@pytest.mark.parametrize("caller", ["anonymous", "member", "admin"])
async def test_hand_written_queries_answer_byte_for_byte_as_the_generic_executor(both, caller):
    compiled, generic, callers = both
    for query, variables in HAND:
        response, planned = await _both_ways(compiled, generic, query, variables, callers[caller])
        assert "errors" not in response.json(), (query, response.json())
        assert len(planned) == 1, (query, "not answered by one compiled statement")


@pytest.mark.parametrize("caller", ["anonymous", "member", "admin"])
async def test_rule_fields_inside_plain_structure_keep_their_resolvers(both, caller):
    compiled, generic, callers = both
    schema = _schema(compiled)
    for query, variables in MIXED:
        query = _with_fragments(query, schema)
        response, planned = await _both_ways(compiled, generic, query, variables, callers[caller])
        assert "errors" not in response.json(), (query, response.json())
        assert len(planned) == 1, query


@pytest.mark.parametrize("caller", ["anonymous", "member", "admin"])
async def test_random_plain_queries_answer_byte_for_byte_as_the_generic_executor(both, caller):
    compiled, generic, callers = both
    schema = _schema(compiled)
    rng = random.Random(f"compiled-{caller}")
    compiled_count = 0
    for _ in range(RANDOM_QUERIES):
        query = _random_query(rng, schema)
        response, planned = await _both_ways(compiled, generic, query, None, callers[caller])
        compiled_count += bool(planned)
    assert compiled_count >= RANDOM_QUERIES * 5 // 6  # the generator stays in the plain subset: most are compiled


def _schema(api):
    from schema.root import build_schema

    return build_schema(api.app.state.partnerships.settings)._schema


async def test_confidential_groups_are_left_out_in_the_statement_not_after(both):
    """The read policy is compiled into the statement: an anonymous caller's statement
    never reads a confidential group; a member's reads its own partnership's."""
    compiled, _, callers = both
    _, planned = await _both_ways(compiled, _, PAGE, {"code": "merton"}, None)
    assert "NOT t" in planned[0] and ".confidential" in planned[0]
    anonymous = (await compiled.gql(PAGE, {"code": "merton"}))["data"]["partnership"]["groups"]["nodes"]
    member = (await compiled.gql(PAGE, {"code": "merton"}, token=callers["member"]))["data"]["partnership"]
    assert not any(g["confidential"] for g in anonymous)
    assert any(g["confidential"] for g in member["groups"]["nodes"])


async def test_the_statement_count_does_not_grow_with_the_answer(both):
    compiled, _, _ = both
    counts = []
    for first in (1, 20):
        with compiled.count_statements() as counter:
            body = await compiled.gql(LIST.replace("first: 20", f"first: {first}"))
        assert len(body["data"]["partnerships"]["nodes"]) == min(first, 4)
        counts.append(counter.count)
    assert counts[0] == counts[1]


async def test_what_is_not_plain_structure_and_bad_arguments_run_generically(both):
    compiled, generic, callers = both
    for query in (
        '{ partnership(code: "merton") { groups { nodes { code quorum(present: []) { quorate } } } } }',
        '{ partnerships(first: 1000) { nodes { code } } }',
        '{ partnerships(after: "not a cursor") { nodes { code } } }',
    ):
        response, planned = await _both_ways(compiled, generic, query, None, callers["anonymous"])
        assert not planned, query
    # an unknown code is planned, finds nothing, and the generic path answers NOT_FOUND with the known codes
    response, _ = await _both_ways(compiled, generic, '{ partnership(code: "nowhere") { code } }', None, None)
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_variable_of_the_wrong_type_is_refused_after_a_right_one_was_planned(both):
    """Planned statements are kept by their variables' values; ``True`` and ``1`` are equal
    keys to Python, but ``1`` is no Boolean: the second request must be refused as the
    generic executor refuses it, not answered from the first one's plan."""
    compiled, generic, _ = both
    query = 'query ($with: Boolean!, $n: Int) { partnership(code: "merton") { code @include(if: $with) groups(first: $n) { totalCount } } }'
    for variables in ({"with": True, "n": 2}, {"with": 1, "n": 2}, {"with": True, "n": True}, {"with": False, "n": 2.0}):
        response, _ = await _both_ways(compiled, generic, query, variables, None)
    assert (await compiled.post(query, {"with": 1, "n": 2})).json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


NODE = """query ($id: ID!) { node(id: $id) { __typename id ...Plain ... on Group { code confidential chairingRule { basis }
  seats(first: 2) { totalCount nodes { code } } accountableTo { code } }
  ... on Seat { code endedOn group { code } agency { code } person { name } }
  ... on Agency { name isStatutoryPartner partnership { code } }
  ... on Person { roleTitle agency { name } } ... on Partnership { code groups(first: 1) { nodes { code } } } } }
fragment Plain on Node { id ... on Partnership { name } }"""


async def test_node_by_id_answers_from_one_statement_as_the_generic_executor(both):
    """``node(id:)`` — how a Relay client refetches anything it has read — is plain
    structure for partnerships, agencies, groups, seats and people: one statement, the same
    bytes, and null (as the generic path answers) for what the caller may not see."""
    compiled, generic, callers = both
    member = callers["member"]
    page = (await compiled.gql('{ partnership(code: "merton") { id agencies(first: 1) { nodes { id } } '
                               "groups { nodes { id confidential seats(first: 1) { nodes { id person { id } } } } } } }",
                               token=member))["data"]["partnership"]
    hidden = next(g for g in page["groups"]["nodes"] if g["confidential"])
    shown = next(g for g in page["groups"]["nodes"] if not g["confidential"] and g["seats"]["nodes"])
    person = next(s["person"]["id"] for g in page["groups"]["nodes"] for s in g["seats"]["nodes"] if s["person"])
    ids = {"partnership": page["id"], "agency": page["agencies"]["nodes"][0]["id"], "group": shown["id"],
           "seat": shown["seats"]["nodes"][0]["id"], "person": person}
    for caller, token in callers.items():
        for what, gid in ids.items():
            response, planned = await _both_ways(compiled, generic, NODE, {"id": gid}, token)
            assert response.json()["data"]["node"]["id"] == gid, (caller, what)
            assert len(planned) == 1, (caller, what, "not answered by one compiled statement")
        # what this caller may not see, what was never issued, and what is not an ID: as the generic path says
        for gid in (hidden["id"], hidden["seats"]["nodes"][0]["id"], "R3JvdXA6OTk5OTk5", "bm90OmFu", "%%%"):
            response, _ = await _both_ways(compiled, generic, NODE, {"id": gid}, token)
        if caller == "anonymous":
            assert response.json()["data"] is None or response.json()["data"]["node"] is None
