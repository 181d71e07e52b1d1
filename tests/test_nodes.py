"""`node(id:)` fetches any object by the ID the API gave it — and nothing a caller may not see."""

from __future__ import annotations

from core.enums import Role

NODE = "query ($id: ID!) { node(id: $id) { __typename id } }"


async def test_every_node_type_in_the_schema_is_fetchable_by_node(api):
    from schema.nodes import DOMAIN_NODES
    from schema.structure.queries import NODE_LOADERS

    body = await api.gql('{ __type(name: "Node") { possibleTypes { name } } }')
    names = {t["name"] for t in body["data"]["__type"]["possibleTypes"]}
    missing = names - set(NODE_LOADERS) - set(DOMAIN_NODES) - {"AuditEvent"}
    assert not missing, f"node(id:) cannot fetch: {sorted(missing)}"


async def test_a_new_meeting_comes_back_by_its_id(api):
    token = await api.token("merton", Role.BUSINESS_UNIT)
    gid = (await api.gql('{ partnership(code: "merton") { group(code: "mscp") { id } } }'))["data"]["partnership"]["group"]["id"]
    body = await api.gql("""mutation ($g: ID!) { scheduleMeeting(input: {groupId: $g, scheduledOn: "2025-06-12"}) {
        __typename ... on MeetingPayload { meeting { id scheduledOn } } } }""", {"g": gid}, token=token)
    meeting = body["data"]["scheduleMeeting"]["meeting"]
    got = await api.gql(NODE, {"id": meeting["id"]})
    assert got["data"]["node"] == {"__typename": "Meeting", "id": meeting["id"]}


async def test_confidential_nodes_are_null_for_outsiders(api):
    member = await api.token("merton", Role.MEMBER)
    body = await api.gql('{ partnership(code: "merton") { riskLog { nodes { id } } } }', token=member)
    risks = body["data"]["partnership"]["riskLog"]["nodes"]
    assert risks, "Merton's published risk log is loaded"
    rid = risks[0]["id"]
    assert (await api.gql(NODE, {"id": rid}, token=member))["data"]["node"]["__typename"] == "RiskEntry"
    assert (await api.gql(NODE, {"id": rid}))["data"]["node"] is None
    outsider = await api.token("lewisham", Role.MEMBER)
    assert (await api.gql(NODE, {"id": rid}, token=outsider))["data"]["node"] is None
