"""The GraphQL documents the benchmark sends."""

from __future__ import annotations

import datetime as dt

#: One partnership's full nested page: partners → agencies → groups → chairing rule,
#: accountableTo, subgroups, seats → agency, person. :mod:`bench.floor` returns the same document.
PAGE = """
query Page($code: String!) {
  partnership(code: $code) {
    id code name localAuthority region population
    document { title published version }
    statutoryPartners { kind leadRole delegatedTo agency { id code name } }
    agencies(first: 100) { totalCount nodes { id code name kind } }
    groups(first: 100) {
      totalCount
      nodes {
        id code name kind purpose cadence meetingsPerYear
        chairingRule { basis office rotationStart rotation { code } }
        accountableTo { id code }
        subgroups { id code }
        seats(first: 100) {
          totalCount
          nodes { id code role post agency { id code name } person { id roleTitle name } }
        }
      }
    }
  }
}"""

#: The partnership list, first page.
LIST = """
query List {
  partnerships(first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id code name localAuthority region population document { title published } plugin }
  }
}"""

#: Every partnership with its groups, cold: the lead's "150-partnership list". The page-size
#: limit (``max_page_size``, 100) allows no ``first: 150``, so one request reads two pages
#: under aliases, the second after the first's ``endCursor`` (``$after``, read from the API
#: by the harness). Plain stored columns and relations only, so the floor
#: (:data:`bench.floor.LIST150_SQL`) and a peer can return the same document.
LIST150_NODE = """
      totalCount
      nodes {
        id code name localAuthority region population
        document { title published version }
        groups(first: 100) {
          totalCount
          nodes { id code name kind purpose cadence meetingsPerYear accountableTo { id code } }
        }
      }"""
LIST150 = f"""
query List150($after: String!) {{
  first100: partnerships(first: 100) {{{LIST150_NODE}
  }}
  next50: partnerships(first: 50, after: $after) {{{LIST150_NODE}
  }}
}}"""

#: The cursor the second page of :data:`LIST150` starts after.
LIST150_AFTER = """
query List150After { partnerships(first: 100) { pageInfo { endCursor } } }"""

#: Every partnership side by side, every aspect, the current financial year: the analysts'
#: matrix in full (each cell's value, summary, sources and partnership).
COMPARE = """
query Compare {
  compare {
    financialYear
    rows { aspect title cells { value summary sources { document section } partnership { code } } }
  }
}"""

#: A write: a seat added to a group (business-unit token of the group's partnership).
ADD_SEAT = """
mutation AddSeat($input: AddSeatInput!) {
  addSeat(input: $input) {
    __typename
    ... on SeatPayload { seat { id code post } }
  }
}"""

INTROSPECT_ROOT = """
query Root {
  __schema { queryType { fields { name args { name type { ...T } } type { ...T } } } }
}
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
"""

INTROSPECT_TYPE = """
query T($name: String!) {
  __type(name: $name) { kind fields { name args { name type { ...T } } type { ...T } } }
}
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
"""


def _unwrap(t: dict) -> tuple[dict, bool, bool]:
    """(named type, non-null at the top, is a list)."""
    required = t["kind"] == "NON_NULL"
    is_list = False
    while t.get("ofType") is not None and t["kind"] in ("NON_NULL", "LIST"):
        is_list = is_list or t["kind"] == "LIST"
        t = t["ofType"]
    return t, required, is_list


def argument_value(name: str, t: dict, codes: list[str]) -> object | None:
    """A plausible value for a required argument of ``compare``/``overdue``; None if unknown."""
    named, _, is_list = _unwrap(t)
    lname = name.lower()
    if named["name"] in ("String", "ID") and "year" in lname:
        return ["2024/25"] if is_list else "2024/25"
    if named["name"] in ("String", "ID") and ("code" in lname or "partnership" in lname):
        return codes if is_list else codes[0]
    if named["name"] == "Date" or lname in ("asof", "on", "date", "today"):
        return dt.date.today().isoformat()
    if named["name"] == "Int":
        return 100
    if named["name"] == "Boolean":
        return False
    return None


async def build_root_query(gql, field: dict, codes: list[str], depth: int = 3) -> tuple[str, dict] | None:
    """A query selecting ``field`` with its required arguments and every scalar reachable
    within ``depth`` levels (fields with required arguments skipped)."""
    types: dict[str, dict] = {}

    async def fields_of(name: str) -> list[dict]:
        if name not in types:
            types[name] = (await gql(INTROSPECT_TYPE, {"name": name}))["data"]["__type"]
        return types[name].get("fields") or []

    async def selection(type_ref: dict, level: int) -> str | None:
        named, _, _ = _unwrap(type_ref)
        if named["kind"] in ("SCALAR", "ENUM"):
            return ""
        if level >= depth or named["kind"] not in ("OBJECT", "INTERFACE"):
            return None
        parts = []
        for f in await fields_of(named["name"]):
            if any(_unwrap(a["type"])[1] for a in f["args"]):
                continue
            sub = await selection(f["type"], level + 1)
            if sub is None:
                continue
            parts.append(f["name"] + (f" {{ {sub} }}" if sub else ""))
        if named["kind"] == "INTERFACE" or not parts:
            parts.insert(0, "__typename")
        return " ".join(parts)

    args, declared, variables = [], [], {}
    for a in field["args"]:
        if not _unwrap(a["type"])[1]:
            continue
        value = argument_value(a["name"], a["type"], codes)
        if value is None:
            return None
        variables[a["name"]] = value
        args.append(f"{a['name']}: ${a['name']}")
        declared.append(f"${a['name']}: {_type_literal(a['type'])}")
    sub = await selection(field["type"], 1)
    if sub is None:
        return None
    head = f"query Bench{field['name'].capitalize()}" + (f"({', '.join(declared)})" if declared else "")
    call = field["name"] + (f"({', '.join(args)})" if args else "")
    return f"{head} {{ {call}{f' {{ {sub} }}' if sub else ''} }}", variables


def _type_literal(t: dict) -> str:
    if t["kind"] == "NON_NULL":
        return _type_literal(t["ofType"]) + "!"
    if t["kind"] == "LIST":
        return f"[{_type_literal(t['ofType'])}]"
    return t["name"]
