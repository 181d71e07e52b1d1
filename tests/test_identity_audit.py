"""Tokens, roles and the audit trail, through the API."""

from __future__ import annotations

import pytest

from core.enums import Role

GROUP = 'query ($code: String!, $g: String!) { partnership(code: $code) { group(code: $g) { id } } }'
ADD = """mutation ($input: AddSeatInput!) { addSeat(input: $input) {
  __typename
  ... on SeatPayload { seat { id code post role group { code } } }
  ... on UserError { message }
  ... on ValidationError { field }
} }"""
AUDIT = """query ($code: String!) { auditEvents(partnership: $code, first: 20) {
  totalCount nodes { action actor entityType before after } } }"""


async def group_id(api, code="merton", g="mscp"):
    return (await api.gql(GROUP, {"code": code, "g": g}))["data"]["partnership"]["group"]["id"]


async def audit_actions(api, code="merton"):
    """The partnership's audit trail; issuing tokens is audited too, so callers issue theirs first."""
    body = await api.gql(AUDIT, {"code": code}, as_role=(None, Role.ADMINISTRATOR))
    return body["data"]["auditEvents"]


async def test_business_unit_adds_a_seat_and_it_is_audited_with_after_values(api):
    gid = await group_id(api)
    await api.token("merton", Role.BUSINESS_UNIT)
    before = (await audit_actions(api))["totalCount"]
    body = await api.gql(ADD, {"input": {"groupId": gid, "code": f"mscp-youth-rep-{api.backend}", "role": "CO_OPTED",
                                          "post": "Youth Parliament representative"}},
                         as_role=("merton", Role.BUSINESS_UNIT))
    result = body["data"]["addSeat"]
    assert result["__typename"] == "SeatPayload"
    assert result["seat"]["group"]["code"] == "mscp"
    events = await audit_actions(api)
    assert events["totalCount"] == before + 1
    newest = events["nodes"][0]
    assert newest["action"] == "seat.create"
    assert newest["after"]["post"] == "Youth Parliament representative"
    assert "token:" in newest["actor"] and "business_unit" in newest["actor"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STATUTORY_PARTNER, Role.SCRUTINEER])
async def test_roles_without_edit_rights_are_refused_and_nothing_is_written(api, role):
    gid = await group_id(api)
    await api.token("merton", role)
    before = (await audit_actions(api))["totalCount"]
    body = await api.gql(ADD, {"input": {"groupId": gid, "code": "x-refused", "role": "CO_OPTED", "post": "X"}},
                         as_role=("merton", role))
    assert body["data"]["addSeat"]["__typename"] == "NotAuthorizedError"
    assert (await audit_actions(api))["totalCount"] == before


async def test_another_partnerships_editor_cannot_write_here(api):
    gid = await group_id(api)
    body = await api.gql(ADD, {"input": {"groupId": gid, "code": "x-other", "role": "CO_OPTED", "post": "X"}},
                         as_role=("lewisham", Role.BUSINESS_UNIT))
    assert body["data"]["addSeat"]["__typename"] == "NotAuthorizedError"


async def test_anonymous_writes_are_refused(api):
    gid = await group_id(api)
    body = await api.gql(ADD, {"input": {"groupId": gid, "code": "x-anon", "role": "CO_OPTED", "post": "X"}})
    assert body["data"]["addSeat"]["__typename"] == "NotAuthorizedError"


@pytest.mark.parametrize(
    ("change", "typename", "field"),
    [
        ({"code": "Not A Code"}, "ValidationError", "code"),
        ({"post": "   "}, "ValidationError", "post"),
        ({"code": "mscp-independent-person"}, "ValidationError", "code"),  # already used
        ({"groupId": "R3JvdXA6OTk5OTk"}, "NotFoundError", None),  # Group:99999
        ({"groupId": "bm9wZQ"}, "NotFoundError", None),  # not an ID of ours
    ],
)
async def test_invalid_seat_input_gets_a_typed_error_and_writes_nothing(api, change, typename, field):
    gid = await group_id(api)
    await api.token("merton", Role.BUSINESS_UNIT)
    before = (await audit_actions(api))["totalCount"]
    seat_input = {"groupId": gid, "code": "x-invalid", "role": "CO_OPTED", "post": "Someone"} | change
    body = await api.gql(ADD, {"input": seat_input}, as_role=("merton", Role.BUSINESS_UNIT))
    result = body["data"]["addSeat"]
    assert result["__typename"] == typename, result
    assert result["message"]
    if field:
        assert result["field"] == field
    assert (await audit_actions(api))["totalCount"] == before


async def test_an_enum_value_that_does_not_exist_is_a_validation_error(api):
    gid = await group_id(api)
    body = await api.gql(ADD, {"input": {"groupId": gid, "code": "x", "role": "KING", "post": "X"}},
                         as_role=("merton", Role.BUSINESS_UNIT), errors_ok=True)
    assert body.get("data") is None, body
    assert "KING" in body["errors"][0]["message"]


async def test_audit_trail_is_for_administrators_and_scrutineers_only(api):
    for who in [None, ("merton", Role.MEMBER), ("lewisham", Role.SCRUTINEER)]:
        body = await api.gql(AUDIT, {"code": "merton"}, as_role=who) if who else await api.gql(AUDIT, {"code": "merton"})
        assert body["data"]["auditEvents"] == {"totalCount": 0, "nodes": []}
    body = await api.gql(AUDIT, {"code": "merton"}, as_role=("merton", Role.SCRUTINEER))
    assert body["data"]["auditEvents"]["totalCount"] >= 1  # at least the load


async def test_audit_trail_cannot_be_changed_through_the_api(api):
    body = await api.gql("{ __schema { mutationType { fields { name } } } }")
    names = [f["name"] for f in body["data"]["__schema"]["mutationType"]["fields"]]
    assert not [n for n in names if "audit" in n.lower()]


async def test_revoked_and_expired_tokens_get_401_with_the_reason(api):
    from core.db import session_factory
    from core.services.identity import revoke_token

    expired = await api.token("merton", Role.MEMBER, lifetime_days=-1)
    response = await api.post("{ partnerships { totalCount } }", token=expired)
    assert response.status_code == 401 and "expired" in response.text

    live = await api.token("merton", Role.MEMBER, lifetime_days=30)
    assert (await api.post("{ partnerships { totalCount } }", token=live)).status_code == 200
    token_id = None
    async with session_factory(api.app.state.partnerships.engine)() as session, session.begin():
        from sqlalchemy import select

        from core.models import ApiToken
        prefix = live.split("_")[1]
        token_id = await session.scalar(select(ApiToken.id).where(ApiToken.prefix == prefix))
        assert await revoke_token(session, token_id)
    response = await api.post("{ partnerships { totalCount } }", token=live)
    assert response.status_code == 401 and "revoked" in response.text

    response = await api.post("{ partnerships { totalCount } }", token="pgt_00000000_forged")
    assert response.status_code == 401


async def test_tokens_are_stored_hashed(api):
    from sqlalchemy import select

    from core.db import session_factory
    from core.models import ApiToken

    secret = await api.token("sefton", Role.MEMBER, lifetime_days=1)
    async with session_factory(api.app.state.partnerships.engine)() as session:
        digests = (await session.scalars(select(ApiToken.digest))).all()
    assert secret not in digests and all(len(d) == 64 for d in digests)
