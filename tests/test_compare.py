"""`compare`: every aspect for every partnership in one request, with sources — and each cell
agrees with the rule hooks as the partnership's own fields answer them."""

from __future__ import annotations

COMPARE = """query ($codes: [String!], $fy: String) {
  compare(codes: $codes, financialYear: $fy) {
    financialYear
    rows { aspect title cells { partnership { code } value summary sources { document section } } }
  }
}"""

OWN_FIELDS = """query ($code: String!, $fy: String!) {
  partnership(code: $code) {
    statutoryPartners { kind }
    escalationLadder(kind: PROFESSIONAL_DISAGREEMENT) { lastResort { who } }
    funding(financialYear: $fy) { hostArrangement { status } host { role } }
    reviewTimescales { panelNotificationWorkingDays rapidReviewWorkingDays reviewCompletionMonths minimumPublicationMonths }
  }
  governanceComparison(financialYear: $fy) {
    partnership { code }
    mainBoard { chair { basis office provisional } quorumRequirement }
    executive { chair { basis office } quorumRequirement }
  }
}"""

ASPECTS = {"STATUTORY_PARTNERS", "CHAIRS", "INDEPENDENT_SCRUTINY", "QUORUM", "VOTING", "DISPUTE_RESOLUTION",
           "FUNDING", "MEETING_CADENCE", "SUBGROUPS", "REVIEW_TIMESCALES", "RULE_STATUS"}
CODES = ["lewisham", "merton", "sandwell", "sefton"]


async def test_one_request_compares_every_aspect_of_all_four_with_sources(api):
    body = await api.gql(COMPARE, {"fy": "2020/21"})
    matrix = body["data"]["compare"]
    assert matrix["financialYear"] == "2020/21"
    assert {r["aspect"] for r in matrix["rows"]} == ASPECTS
    for row in matrix["rows"]:
        assert [c["partnership"]["code"] for c in row["cells"]] == CODES
        for cell in row["cells"]:
            assert cell["summary"], (row["aspect"], cell)
            if row["aspect"] not in ("INDEPENDENT_SCRUTINY", "SUBGROUPS"):
                assert cell["sources"], (row["aspect"], cell["partnership"])


async def test_every_cell_agrees_with_the_partnerships_own_rule_answers(api):
    matrix = (await api.gql(COMPARE, {"fy": "2019/20"}))["data"]["compare"]
    cells = {(r["aspect"], c["partnership"]["code"]): c["value"] for r in matrix["rows"] for c in r["cells"]}
    for code in CODES:
        own = (await api.gql(OWN_FIELDS, {"code": code, "fy": "2019/20"}))["data"]
        p = own["partnership"]
        gov = next(g for g in own["governanceComparison"] if g["partnership"]["code"] == code)

        assert cells[("STATUTORY_PARTNERS", code)]["kinds"] == [sp["kind"] for sp in p["statutoryPartners"]]
        assert cells[("DISPUTE_RESOLUTION", code)]["lastResort"] == p["escalationLadder"]["lastResort"]["who"]
        assert cells[("FUNDING", code)]["status"] == p["funding"]["hostArrangement"]["status"]
        assert cells[("FUNDING", code)]["role"] == (p["funding"]["host"] or {}).get("role")
        t = p["reviewTimescales"]
        assert cells[("REVIEW_TIMESCALES", code)]["panelNotificationWorkingDays"] == t["panelNotificationWorkingDays"]
        assert cells[("REVIEW_TIMESCALES", code)]["reviewCompletionMonths"] == t["reviewCompletionMonths"]
        board = cells[("CHAIRS", code)]["mainBoard"]
        assert (board["basis"], board["office"]) == (gov["mainBoard"]["chair"]["basis"], gov["mainBoard"]["chair"]["office"])
        assert cells[("QUORUM", code)]["mainBoard"]["requirement"] == gov["mainBoard"]["quorumRequirement"]
        if cells[("QUORUM", code)]["executive"]:
            assert cells[("QUORUM", code)]["executive"]["requirement"] == gov["executive"]["quorumRequirement"]


async def test_the_seeds_variants_show_in_the_comparison(api):
    matrix = (await api.gql(COMPARE, {"fy": "2019/20"}))["data"]["compare"]
    cells = {(r["aspect"], c["partnership"]["code"]): c for r in matrix["rows"] for c in r["cells"]}
    assert cells[("STATUTORY_PARTNERS", "sandwell")]["value"]["count"] == 4  # the Children's Trust (§2)
    assert "CHILDRENS_TRUST" in cells[("STATUTORY_PARTNERS", "sandwell")]["value"]["kinds"]
    lewisham_exec = cells[("CHAIRS", "lewisham")]["value"]["executive"]
    assert lewisham_exec["basis"] == "ANNUAL_ROTATION" and not lewisham_exec["provisional"]  # 2019/20 is stated
    assert cells[("REVIEW_TIMESCALES", "sandwell")]["value"]["reviewCompletionMonths"] == 6  # §15
    assert "Independent Person" in cells[("DISPUTE_RESOLUTION", "merton")]["summary"]  # §14
    assert "Scrutineer" in cells[("DISPUTE_RESOLUTION", "lewisham")]["value"]["lastResort"]
    # Sandwell §24 ("Sandwell Children’s Trust will be accountable for all funding received from statutory
    # partners") is the MASA 2021's, published for 2021/22: nothing is stated of 2019/20.
    assert cells[("FUNDING", "sandwell")]["value"]["role"] is None
    assert cells[("FUNDING", "sandwell")]["value"]["status"] == "NOT_STATED"
    assert cells[("FUNDING", "lewisham")]["value"]["role"] == "HOST_AGENCY"  # 2019/20


async def test_compare_costs_the_same_statements_for_one_partnership_and_four(api):
    with api.count_statements() as one:
        await api.gql(COMPARE, {"codes": ["merton"], "fy": "2021/22"})
    with api.count_statements() as four:
        await api.gql(COMPARE, {"codes": CODES, "fy": "2021/22"})
    assert one.count == four.count


async def test_compare_rejects_unknown_codes_and_bad_years(api):
    body = await api.gql(COMPARE, {"codes": ["merton", "atlantis"]}, errors_ok=True)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = await api.gql(COMPARE, {"fy": "2020-21"}, errors_ok=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
