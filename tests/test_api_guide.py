"""docs/api.md stays true: its worked examples run against the API as written, and it lists
every error code the API can answer."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from core.enums import Role
from schema.types.common import to_global_id

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "api.md"


def examples() -> dict[str, tuple[str, dict]]:
    """Each `<!-- example: NAME -->` of the guide: its document and its variables."""
    text = GUIDE.read_text(encoding="utf-8")
    found = {}
    for m in re.finditer(r"<!-- example: ([\w-]+) -->\s*```graphql\n(.*?)```\s*```json\n(.*?)```", text, re.DOTALL):
        found[m.group(1)] = (m.group(2), json.loads(m.group(3)))
    assert set(found) == {"partnership-page", "comparison", "add-seat"}, sorted(found)
    return found


async def test_the_partnership_page_example(api):
    document, variables = examples()["partnership-page"]
    first = (await api.gql(document, variables))["data"]["partnership"]
    assert first["name"] and first["document"]["title"] and len(first["statutoryPartners"]) == 4
    groups = first["groups"]
    assert groups["totalCount"] > 5 and groups["pageInfo"]["hasNextPage"]
    assert all(e["cursor"] and e["node"]["chair"]["basis"] for e in groups["edges"])
    second = (await api.gql(document, {**variables, "after": groups["pageInfo"]["endCursor"]}))["data"]["partnership"]
    ids = [e["node"]["id"] for e in groups["edges"]] + [e["node"]["id"] for e in second["groups"]["edges"]]
    assert len(ids) == len(set(ids)) == 5 + len(second["groups"]["edges"])


async def test_the_comparison_example(api):
    document, variables = examples()["comparison"]
    matrix = (await api.gql(document, variables))["data"]["compare"]
    assert matrix["financialYear"] == variables["year"]
    assert [r["aspect"] for r in matrix["rows"]] == ["STATUTORY_PARTNERS", "CHAIRS", "DISPUTE_RESOLUTION"]
    for row in matrix["rows"]:
        assert {c["partnership"]["code"] for c in row["cells"]} == set(variables["codes"])
        assert all(c["summary"] and c["sources"] for c in row["cells"])


async def test_the_mutation_example_and_each_typed_error_it_names(api):
    document, variables = examples()["add-seat"]
    group = (await api.gql('{ partnership(code: "sandwell") { groups(first: 1) { nodes { id } } } }'))
    group_id = group["data"]["partnership"]["groups"]["nodes"][0]["id"]
    seat = {**variables["input"], "groupId": group_id, "code": f"youth-voice-{uuid.uuid4().hex[:8]}"}

    async def add(input_: dict, role: Role | None) -> dict:
        body = await api.gql(document, {"input": input_}, as_role=("sandwell", role) if role else None)
        return body["data"]["addSeat"]

    made = await add(seat, Role.BUSINESS_UNIT)
    assert made["__typename"] == "SeatPayload" and made["seat"]["code"] == seat["code"]
    again = await add(seat, Role.BUSINESS_UNIT)
    assert again["__typename"] == "ValidationError" and again["field"] == "code"
    for role in (None, Role.MEMBER):
        refused = await add({**seat, "code": f"other-{uuid.uuid4().hex[:8]}"}, role)
        assert refused["__typename"] == "NotAuthorizedError" and refused["message"]
    missing = await add({**seat, "groupId": to_global_id("Group", 2**31 - 1)}, Role.BUSINESS_UNIT)
    assert missing["__typename"] == "NotFoundError" and missing["ref"] == "groupId"


def test_the_guide_lists_every_error_code_the_api_answers():
    codes: set[str] = set()
    for path in [*(ROOT / "schema").rglob("*.py"), ROOT / "core" / "config.py"]:
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r"(?:code=|code = |\"code\": |count_error\()\"([A-Z][A-Z_]{3,})\"", text))
        codes |= set(re.findall(r"\"([A-Z][A-Z_]{3,})\"(?:, status=|, json_status=|\),?\s*$|,\s*$)", text, re.MULTILINE))
        codes |= set(re.findall(r"^[A-Z_]+ = \"([A-Z][A-Z_]{3,})\"$", text, re.MULTILINE))
    codes -= {"POST", "GET", "AUTOCOMMIT", "PUBLIC"}
    assert {"GRAPHQL_PARSE_FAILED", "RATE_LIMITED", "PERSISTED_QUERY_NOT_FOUND"} <= codes, sorted(codes)
    table = GUIDE.read_text(encoding="utf-8")
    assert not [c for c in sorted(codes) if f"`{c}`" not in table], "add these codes to docs/api.md's error table"
