"""What a caller can learn about records it may not read: nothing.

Confidential writes do not move the public's cache versions or event cursors, a
scrutineer reading the audit trail sees where webhooks go but not the credentials in
their URLs, and the whole audit trail can be paged through, however long it is.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import func, insert, select

from core.config import Settings
from core.db import create_engine, session_factory
from core.enums import Role
from core.models import AuditEvent, Partnership
from core.services import webhooks as wh
from tests.conftest import load_all, make_api

BU = Role.BUSINESS_UNIT

PAGE = 'query LeakPage { partnership(code: "sefton") { code groups { totalCount nodes { code name } } } }'
LISTING = "query LeakListing { partnerships { totalCount nodes { code name } } }"
RISK_LOG = 'query LeakRisks { partnership(code: "sefton") { riskLog { totalCount edges { node { concern } } } } }'
LATEST = "{ latestEventCursor }"
FEED = "query ($after: String) { events(after: $after) { pageInfo { endCursor } nodes { cursor confidential } } }"
ADD_RISK = """mutation ($i: AddRiskInput!) { addRisk(input: $i) { __typename } }"""
ADD_SEAT = """mutation ($input: AddSeatInput!) { addSeat(input: $input) { __typename } }"""
REGISTER = """mutation ($input: RegisterWebhookInput!) { registerWebhook(input: $input) {
  __typename ... on WebhookEndpointPayload { endpoint { id url } } ... on UserError { message } } }"""
UPDATE = """mutation ($input: UpdateWebhookInput!) { updateWebhook(input: $input) { __typename } }"""


def risk(concern: str) -> dict:
    return {"partnershipCode": "sefton", "concern": concern, "risks": "probe", "actionRequired": "probe",
            "byWhom": "business unit", "dueOn": "2025-01-31", "rag": "RED", "raisedBy": "BOARD"}


async def latest(api, token: str | None = None) -> str | None:
    response = await api.post(LATEST, token=token)
    assert response.status_code == 200, response.text
    return response.json()["data"]["latestEventCursor"]


# -- item: the public cannot see that, or when, something confidential was recorded -----------


async def test_confidential_writes_move_no_version_or_cursor_the_public_can_see(api):
    bu = await api.token("sefton", BU)  # issuing tokens is a write too: done before measuring
    admin = await api.token("sefton", Role.ADMINISTRATOR)
    member = await api.token("sefton", Role.MEMBER)
    outsider = await api.token("lewisham", Role.MEMBER)

    public_before = {q: (await api.post(q)).json() for q in (PAGE, LISTING)}
    outsider_before = (await api.post(LISTING, token=outsider)).json()
    risks_before = (await api.post(RISK_LOG, token=member)).json()["data"]["partnership"]["riskLog"]["totalCount"]
    cursor = await latest(api)
    member_cursor, outsider_cursor = await latest(api, member), await latest(api, outsider)
    assert cursor is not None

    # Three confidential writes of different kinds, and two writes about access.
    # Letters only: six random hex digits can read as a postcode ("e5f3ab") and be refused.
    tag = uuid.uuid4().hex[:6].translate(str.maketrans("0123456789", "ghijklmnop"))
    body = await api.gql(ADD_RISK, {"i": risk(f"leak probe {tag}")}, token=bu)
    assert body["data"]["addRisk"]["__typename"] == "RiskPayload", body
    body = await api.gql(REGISTER, {"input": {"partnership": "sefton", "url": "https://hooks.example.org/leak",
                                              "secret": "s" * 24}}, token=admin)
    endpoint = body["data"]["registerWebhook"]["endpoint"]["id"]
    body = await api.gql(UPDATE, {"input": {"id": endpoint, "active": False}}, token=admin)
    assert body["data"]["updateWebhook"]["__typename"] == "WebhookEndpointPayload"
    await api.token("sefton", Role.SCRUTINEER, lifetime_days=1)
    await api.token(None, Role.ADMINISTRATOR, lifetime_days=1)

    for query in (PAGE, LISTING):
        again = await api.post(query)
        assert again.headers["X-Cache"] == "hit", (query, "a confidential write moved the public's version")
        assert again.json() == public_before[query]
    again = await api.post(LISTING, token=outsider)
    assert again.headers["X-Cache"] == "hit" and again.json() == outsider_before
    assert await latest(api) == cursor
    assert await latest(api, outsider) == outsider_cursor
    feed = (await api.gql(FEED, {"after": cursor}))["data"]["events"]
    assert feed["nodes"] == [] and feed["pageInfo"]["endCursor"] == cursor

    # The partnership's own members do see it happen, at once.
    members_view = await api.post(RISK_LOG, token=member)
    assert members_view.headers["X-Cache"] == "miss"
    assert members_view.json()["data"]["partnership"]["riskLog"]["totalCount"] == risks_before + 1
    assert await latest(api, member) != member_cursor
    # … but not writes about access, which they cannot read either.
    member_cursor = await latest(api, member)
    await api.token("sefton", Role.MEMBER, lifetime_days=1)
    assert (await api.post(RISK_LOG, token=member)).headers["X-Cache"] == "hit"
    assert await latest(api, member) == member_cursor

    # A public write moves the public's version and cursor as before.
    group = (await api.gql('{ partnership(code: "sefton") { group(code: "forum") { id } } }'))
    seat = {"groupId": group["data"]["partnership"]["group"]["id"], "code": f"leak-{uuid.uuid4().hex[:8]}",
            "role": "CO_OPTED", "post": "Observer"}
    assert (await api.gql(ADD_SEAT, {"input": seat}, token=bu))["data"]["addSeat"]["__typename"] == "SeatPayload"
    assert (await api.post(PAGE)).headers["X-Cache"] == "miss"
    assert (await api.post(LISTING)).headers["X-Cache"] == "miss"
    newest = await latest(api)
    feed = (await api.gql(FEED, {"after": cursor}))["data"]["events"]
    assert [n["confidential"] for n in feed["nodes"]] == [False]
    assert newest == feed["nodes"][0]["cursor"] == feed["pageInfo"]["endCursor"]


# -- item: no credentials in the audit trail ---------------------------------------------------


AUDIT = """query ($code: String!, $after: String) { auditEvents(partnership: $code, first: 100, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { action entityType before after } } }"""


async def test_a_scrutineer_reads_where_a_webhook_goes_but_not_its_credentials(api, monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "false")
    wh.get_integration_settings.cache_clear()
    admin = await api.token("lewisham", Role.ADMINISTRATOR)
    secrets = [f"pw{uuid.uuid4().hex}", f"tok{uuid.uuid4().hex}", f"sig{uuid.uuid4().hex}", f"frag{uuid.uuid4().hex}"]
    url = f"https://ops:{secrets[0]}@hooks.example.org/in/lewisham?token={secrets[1]}&sig={secrets[2]}#{secrets[3]}"
    signing = f"whsec-{uuid.uuid4().hex}"
    body = await api.gql(REGISTER, {"input": {"partnership": "lewisham", "url": url, "secret": signing}}, token=admin)
    endpoint = body["data"]["registerWebhook"]["endpoint"]
    try:
        assert endpoint["url"] == url  # the administrators' own view is the endpoint itself
        rotated = f"https://hooks.example.org/in/lewisham?api_key={secrets[1]}x"
        body = await api.gql(UPDATE, {"input": {"id": endpoint["id"], "url": rotated, "secret": signing + "2"}},
                             token=admin)
        assert body["data"]["updateWebhook"]["__typename"] == "WebhookEndpointPayload"
    finally:
        await api.gql(UPDATE, {"input": {"id": endpoint["id"], "active": False}}, token=admin)
        wh.get_integration_settings.cache_clear()

    for role in (Role.SCRUTINEER, Role.ADMINISTRATOR):
        trail = (await api.gql(AUDIT, {"code": "lewisham"}, as_role=("lewisham", role)))["data"]["auditEvents"]
        hooks = [n for n in trail["nodes"] if n["entityType"] == "WebhookEndpoint"][:3]
        text = json.dumps(hooks)
        assert [h["action"] for h in hooks] == ["webhook.update", "webhook.update", "webhook.create"]
        assert "hooks.example.org/in/lewisham" in text  # where it goes is still on the record
        for secret in [*secrets, signing]:
            assert secret not in text, (role, secret)


async def test_credentials_in_audit_rows_written_before_redaction_are_not_shown(empty_db, registry):
    """Rows already in the trail (written before payloads were redacted) are redacted as read."""
    await load_all(empty_db, registry)
    engine = create_engine(Settings(database_url=empty_db), empty_db)
    try:
        async with session_factory(engine)() as session, session.begin():
            pid = await session.scalar(select(Partnership.id).where(Partnership.code == "merton"))
            session.add(AuditEvent(actor="cli", action="webhook.create", entity_type="WebhookEndpoint", entity_id="1",
                                   partnership_id=pid, confidential=True,
                                   after={"url": "https://u:hunter2@example.org/h?access_token=abc123", "secret": "s3"}))
        api = await make_api("x", empty_db, registry)
        try:
            trail = (await api.gql(AUDIT, {"code": "merton"}, as_role=("merton", Role.SCRUTINEER)))["data"]
            [row] = [n for n in trail["auditEvents"]["nodes"] if n["action"] == "webhook.create"]
            text = json.dumps(row)
            assert "example.org/h" in text
            assert "hunter2" not in text and "abc123" not in text and '"s3"' not in text
        finally:
            await api.client.aclose()
            await api.app.state.partnerships.engine.dispose()
    finally:
        await engine.dispose()


# -- item: every audit event is reachable -----------------------------------------------------


async def test_the_whole_audit_trail_pages_through_beyond_five_thousand_events(empty_db, registry):
    await load_all(empty_db, registry)
    engine = create_engine(Settings(database_url=empty_db), empty_db)
    extra = 5_150
    try:
        async with session_factory(engine)() as session, session.begin():
            pid = await session.scalar(select(Partnership.id).where(Partnership.code == "sefton"))
            await session.execute(insert(AuditEvent), [
                {"actor": "cli", "action": "probe.write", "entity_type": "Probe", "entity_id": str(i),
                 "partnership_id": pid, "confidential": False, "after": {"n": i}}
                for i in range(extra)
            ])
        api = await make_api("x", empty_db, registry)
        try:
            token = await api.token("sefton", Role.SCRUTINEER)
            async with session_factory(engine)() as session:
                total = await session.scalar(select(func.count()).select_from(AuditEvent)
                                             .where(AuditEvent.partnership_id == pid))
            assert total > 5_000 + 1
            seen: list[dict] = []
            after, pages = None, 0
            while True:
                page = (await api.gql(AUDIT, {"code": "sefton", "after": after}, token=token))["data"]["auditEvents"]
                assert page["totalCount"] >= total
                seen.extend(page["nodes"])
                pages += 1
                if pages == 3:  # an event written while a reader pages through changes nothing behind it
                    async with session_factory(engine)() as session, session.begin():
                        session.add(AuditEvent(actor="cli", action="probe.late", entity_type="Probe",
                                               partnership_id=pid))
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            probes = [n["after"]["n"] for n in seen if n["action"] == "probe.write"]
            assert probes == list(range(extra - 1, -1, -1))  # newest first, none missed or repeated
            assert len(seen) == total and seen[-1]["action"] == "partnership.load"
            assert "probe.late" not in {n["action"] for n in seen}
        finally:
            await api.client.aclose()
            await api.app.state.partnerships.engine.dispose()
    finally:
        await engine.dispose()
