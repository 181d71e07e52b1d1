"""The published structure of the four boroughs, read through the GraphQL API."""

from __future__ import annotations

import pytest

from tests.conftest import load_all, make_api

PARTNERS = """
query ($code: String!) {
  partnership(code: $code) {
    name
    statutoryPartners { kind leadRole agency { name } source { document section } }
  }
}"""


async def test_sandwell_has_four_statutory_partners_including_its_childrens_trust(api):
    body = await api.gql(PARTNERS, {"code": "sandwell"})
    partners = body["data"]["partnership"]["statutoryPartners"]
    assert len(partners) == 4  # Sandwell §2, §10: the Trust is a fourth partner
    trusts = [p for p in partners if p["kind"] == "CHILDRENS_TRUST"]
    assert [t["agency"]["name"] for t in trusts] == ["Sandwell Children's Trust"]
    assert {p["kind"] for p in partners} == {"LOCAL_AUTHORITY", "CHILDRENS_TRUST", "HEALTH_COMMISSIONER", "POLICE"}


@pytest.mark.parametrize("code", ["merton", "lewisham", "sefton"])
async def test_other_boroughs_have_the_three_wt2018_partners(api, code):
    body = await api.gql(PARTNERS, {"code": code})
    partners = body["data"]["partnership"]["statutoryPartners"]
    assert sorted(p["kind"] for p in partners) == ["HEALTH_COMMISSIONER", "LOCAL_AUTHORITY", "POLICE"]
    assert all(p["source"]["section"] for p in partners), "every partner cites its section"


async def test_merton_executive_group_holds_the_three_statutory_partners(api):
    body = await api.gql("""{
      partnership(code: "merton") {
        statutoryPartners { agency { id } }
        group(code: "executive") {
          kind
          seats(role: STATUTORY_PARTNER_LEAD) { totalCount nodes { agency { id } membershipCode } }
        }
      }}""")
    p = body["data"]["partnership"]
    assert p["group"]["kind"] == "EXECUTIVE"
    seats = p["group"]["seats"]
    assert seats["totalCount"] == 3  # Merton App. 1, Executive Group Membership
    assert {s["agency"]["id"] for s in seats["nodes"]} == {sp["agency"]["id"] for sp in p["statutoryPartners"]}
    assert {s["membershipCode"] for s in seats["nodes"]} == {"SP"}


async def test_sefton_subgroups_report_to_the_forum_which_reports_to_the_leadership_team(api):
    body = await api.gql("""{
      partnership(code: "sefton") {
        rootGroups { name kind subgroups { name kind subgroups { name kind accountableTo { name } } } }
      }}""")
    roots = body["data"]["partnership"]["rootGroups"]
    assert [r["name"] for r in roots] == ["Strategic Leadership Team"]
    forum = roots[0]["subgroups"]
    assert [f["name"] for f in forum] == ["Sefton Safeguarding Forum"]
    subgroups = forum[0]["subgroups"]
    assert len(subgroups) == 5
    assert {s["accountableTo"]["name"] for s in subgroups} == {"Sefton Safeguarding Forum"}
    assert any(s["name"].startswith("Practice Review Group") for s in subgroups)


# Counts of groups and seats per borough, transcribed from each seed (see each data file).
EXPECTED = {
    "merton": (9, 43),  # §7, App. 1 (Partnership 34 seats, Executive 5), App. 6
    "lewisham": (7, 60),  # App. A (Executive), App. B (Partnership Group), ToRs C–F
    "sefton": (7, 72),  # Governance Structure 2021 and each group's membership table
    "sandwell": (12, 34),  # §11 membership table, §14–§20
}


async def test_group_and_seat_counts_match_the_seed(empty_db, registry):
    """On a freshly loaded database, so no other test's writes are counted."""
    await load_all(empty_db, registry)
    fresh = await make_api("fresh", empty_db, registry)
    try:
        for code, expected in EXPECTED.items():
            body = await fresh.gql("""query ($code: String!) {
              partnership(code: $code) { groups { totalCount } seats(first: 100) { totalCount } }}""", {"code": code})
            p = body["data"]["partnership"]
            assert (p["groups"]["totalCount"], p["seats"]["totalCount"]) == expected, code
    finally:
        await fresh.client.aclose()
        await fresh.app.state.partnerships.engine.dispose()


async def test_merton_partnership_board_lists_two_lay_members_and_an_independent_chair(api):
    body = await api.gql("""{ partnership(code: "merton") { groups(kind: PARTNERSHIP_BOARD) { nodes {
        seats(first: 100) { totalCount nodes { role post } } } } } }""")
    board = body["data"]["partnership"]["groups"]["nodes"][0]["seats"]
    roles = [s["role"] for s in board["nodes"]]
    assert board["totalCount"] >= 34  # App. 1; other tests may co-opt more
    assert roles.count("LAY_MEMBER") == 2  # App. 1 "Lay Members (Two)"
    assert roles.count("INDEPENDENT_CHAIR") == 1


async def test_sandwell_cdop_is_shared_with_the_other_black_country_authorities(api):
    body = await api.gql("""{ partnership(code: "sandwell") { groups(kind: PANEL) { nodes { name sharedWith } } } }""")
    cdop = [g for g in body["data"]["partnership"]["groups"]["nodes"] if "Death" in g["name"]]
    assert sorted(cdop[0]["sharedWith"]) == ["Dudley", "Walsall", "Wolverhampton"]


async def test_lewisham_executive_chair_rotates_from_the_local_authority(api):
    body = await api.gql("""{ partnership(code: "lewisham") { group(code: "executive") {
        chairingRule { basis rotationStart rotation { kind } source { section } } } } }""")
    rule = body["data"]["partnership"]["group"]["chairingRule"]
    assert rule["basis"] == "ANNUAL_ROTATION"
    assert rule["rotationStart"] == "2019/20"
    assert rule["rotation"][0]["kind"] == "LOCAL_AUTHORITY"
    assert len(rule["rotation"]) == 3


async def test_agency_lists_every_seat_it_holds_across_groups(api):
    body = await api.gql("""{ partnership(code: "merton") { statutoryPartners { agency {
        name isStatutoryPartner seats { nodes { group { code } } } } } } }""")
    for sp in body["data"]["partnership"]["statutoryPartners"]:
        groups = {s["group"]["code"] for s in sp["agency"]["seats"]["nodes"]}
        assert sp["agency"]["isStatutoryPartner"]
        assert {"mscp", "executive"} <= groups


async def test_cross_borough_agencies_by_kind(api):
    body = await api.gql("""{ agencies(kind: POLICE) { totalCount nodes { name partnership { code } } } }""")
    codes = {a["partnership"]["code"] for a in body["data"]["agencies"]["nodes"]}
    assert codes == {"merton", "lewisham", "sefton", "sandwell"}


async def test_node_fetches_any_object_by_global_id(api):
    body = await api.gql("""{ partnership(code: "sefton") { id group(code: "forum") { id name } } }""")
    group = body["data"]["partnership"]["group"]
    again = await api.gql("query ($id: ID!) { node(id: $id) { id ... on Group { name } } }", {"id": group["id"]})
    assert again["data"]["node"] == group


async def test_connections_page_with_cursors(api):
    q = """query ($after: String) { partnerships(first: 3, after: $after) {
        totalCount edges { cursor node { code } } pageInfo { hasNextPage endCursor } } }"""
    first = (await api.gql(q))["data"]["partnerships"]
    assert [e["node"]["code"] for e in first["edges"]] == ["lewisham", "merton", "sandwell"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = (await api.gql(q, {"after": first["pageInfo"]["endCursor"]}))["data"]["partnerships"]
    assert [e["node"]["code"] for e in rest["edges"]] == ["sefton"]
    assert rest["pageInfo"]["hasNextPage"] is False
