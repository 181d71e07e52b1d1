"""The Working Together 2018 compliance checklist of each borough, read through the GraphQL API.

Each borough's test states exactly which checklist items its published arrangements evidence
and which they do not (issue 7: "the compliance checklist for each borough is a test").
"""

from __future__ import annotations

from core.rules.compliance import ComplianceItem, Evidence

QUERY = """
query ($code: String!) {
  partnership(code: $code) {
    document { title }
    compliance {
      satisfiedCount
      missing
      source { document section }
      items { item title satisfied evidence { summary source { document section } } }
    }
  }
}"""

ALL = {item.value for item in ComplianceItem}


async def checklist(api, code: str) -> tuple[str, dict]:
    body = await api.gql(QUERY, {"code": code})
    p = body["data"]["partnership"]
    return p["document"]["title"], p["compliance"]


def assert_checklist(title: str, report: dict, missing: set[str]) -> dict[str, list[dict]]:
    """The exact satisfied and missing sets, and that every piece of evidence cites a section."""
    items = report["items"]
    assert [i["item"] for i in items] == [item.value for item in ComplianceItem], "every item, in WT2018's order"
    satisfied = {i["item"] for i in items if i["satisfied"]}
    assert satisfied == ALL - missing
    assert set(report["missing"]) == missing
    assert report["satisfiedCount"] == len(ALL) - len(missing)
    assert report["source"]["section"].startswith("ch.3")
    for i in items:
        assert i["title"]
        assert i["satisfied"] == bool(i["evidence"])
        for e in i["evidence"]:
            assert e["summary"].strip(), i["item"]
            assert e["source"]["section"], f"{i['item']}: evidence without a section"
            assert e["source"]["document"] == title, "evidence cites the borough's own document"
    return {i["item"]: i["evidence"] for i in items}


def cites(evidence: list[dict], section: str, words: str) -> bool:
    return any(e["source"]["section"] == section and words in e["summary"] for e in evidence)


async def test_merton_checklist_misses_only_youth_custody_and_residential_homes(api):
    title, report = await checklist(api, "merton")
    by_item = assert_checklist(title, report, {"YOUTH_CUSTODY_AND_RESIDENTIAL_HOMES"})
    # the plugin's evidence (Partnership Agreement 2019)
    assert cites(by_item["THRESHOLD_DOCUMENT"], "§5B (principle 8)", "Well-being Model")
    assert cites(by_item["TRAINING_AND_AUDITS"], "§12.2–12.3", "audits")
    assert cites(by_item["INDEPENDENT_SCRUTINY"], "§7.6–7.9, App. 5", "Independent Scrutineer")
    # core's own evidence stays alongside it
    assert [e["source"]["section"] for e in by_item["DISPUTE_RESOLUTION"]] == ["§14"]
    assert {e["source"]["section"] for e in by_item["ANNUAL_REPORTING"]} == {"§9.3", "§9.1–9.2"}


async def test_lewisham_checklist_misses_only_youth_custody_and_residential_homes(api):
    title, report = await checklist(api, "lewisham")
    by_item = assert_checklist(title, report, {"YOUTH_CUSTODY_AND_RESIDENTIAL_HOMES"})
    roles = "Roles and Statutory Responsibilities"
    assert cites(by_item["THRESHOLD_DOCUMENT"], f"{roles} – Thresholds for Support", "threshold document")
    assert cites(by_item["DATA_AND_INTELLIGENCE"], "App. C (MESI ToR) – Scope of Group", "dataset")
    assert cites(by_item["ANNUAL_REPORTING"], f"{roles} – Report on Their Arrangements", "What Works Centre")
    # Cited where the ToR says it: "It provides a communication channel between all schools and the LSCP".
    assert cites(by_item["SCHOOLS_AND_EARLY_YEARS"], "Schools' Safeguarding Network ToR – Purpose of Network", "early years")


async def test_sefton_checklist_misses_only_the_threshold_document(api):
    title, report = await checklist(api, "sefton")
    by_item = assert_checklist(title, report, {"THRESHOLD_DOCUMENT"})
    assert cites(by_item["VOICE_OF_CHILDREN_AND_FAMILIES"], "Voice of children and families", "Children in Care Council")
    assert cites(by_item["YOUTH_CUSTODY_AND_RESIDENTIAL_HOMES"], "Relevant Agencies list; Sefton Safeguarding Forum",
                 "Residential homes for children")
    assert cites(by_item["PRACTICE_REVIEWS"], "Practice Review Group (PRG)", "rapid reviews")
    assert cites(by_item["INDEPENDENT_SCRUTINY"],
                 "Arrangements for independent scrutiny of the effectiveness of the arrangements", "scrutineer")


async def test_sandwell_checklist_is_complete(api):
    title, report = await checklist(api, "sandwell")
    by_item = assert_checklist(title, report, set())
    assert report["missing"] == []
    assert cites(by_item["THRESHOLD_DOCUMENT"], "§6", "four levels of need")
    assert cites(by_item["YOUTH_CUSTODY_AND_RESIDENTIAL_HOMES"], "§13", "residential homes")
    assert cites(by_item["VOICE_OF_CHILDREN_AND_FAMILIES"], "§18; §15 (Tell Us!)", "golden thread")
    # core's §11 scrutineer seat and the plugin's §8 both evidence independent scrutiny
    assert {e["source"]["section"] for e in by_item["INDEPENDENT_SCRUTINY"]} == {"§11 table", "§8"}


def test_plugin_evidence_cites_the_document_it_is_given(registry):
    for code in ("merton", "lewisham", "sefton", "sandwell"):
        found = registry.rules_for(code)
        title = found.partnership.document.title
        evidence = found.compliance_evidence()
        assert evidence, found.code
        assert all(isinstance(e, Evidence) and e.source.document == title and e.source.section for e in evidence)
        assert len(set(evidence)) == len(evidence), f"{found.code}: duplicate evidence"
