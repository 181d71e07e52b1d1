"""The number of SQL statements a request issues does not grow with the size of its result."""

from __future__ import annotations

NESTED = """
query ($codes: Int!) {
  partnerships(first: $codes) {
    nodes {
      code name
      statutoryPartners { kind leadRole agency { name kind seats { totalCount } } source { section } }
      agencies(first: 100) { nodes { name kind isStatutoryPartner } }
      groups(first: 100) {
        nodes {
          name kind cadence
          chairingRule { basis office rotation { name } }
          accountableTo { name }
          subgroups { name }
          seats(first: 100) {
            totalCount
            nodes { post role agency { name } person { name roleTitle } deputyOf { post } source { section } }
          }
        }
      }
    }
  }
}"""


async def statements_for(api, n: int) -> tuple[int, int]:
    with api.count_statements() as counter:
        body = await api.gql(NESTED, {"codes": n})
    nodes = body["data"]["partnerships"]["nodes"]
    seats = sum(g["seats"]["totalCount"] for p in nodes for g in p["groups"]["nodes"])
    return counter.count, seats


async def test_nested_partnership_page_costs_the_same_statements_for_one_borough_and_four(api):
    one, seats_one = await statements_for(api, 1)
    four, seats_four = await statements_for(api, 4)
    assert seats_four > 3 * seats_one  # the result really is bigger …
    assert one == four  # … and the statements are not
    assert four <= 15
