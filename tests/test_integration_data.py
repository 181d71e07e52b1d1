"""Integration data is consistent (issue 19): datetimes in UTC with an offset on both
databases; events, subscriptions and webhook payloads in the API's terms (global IDs,
camelCase field names); row ids never reused; webhooks signed in the Standard Webhooks
format and retried with jitter."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import re
import secrets
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from standardwebhooks import Webhook, WebhookVerificationError

from core.config import Settings
from core.db import create_engine, session_factory
from core.enums import Role
from core.migrate import upgrade
from core.models import ApiToken, AuditEvent, Partnership
from core.models.funding import HostRecord
from core.services import events as ev
from core.services import webhooks as wh
from schema.types.common import to_global_id
from tests.conftest import load_all
from tests.test_integrations import (
    ADD_SEAT,
    LocalServer,
    Receiver,
    deactivate,
    drain,
    group_id,
    latest_cursor,
    register,
    worker_for,
)

ROOT = Path(__file__).resolve().parents[1]
#: The heads before the revision that made SQLite ids AUTOINCREMENT.
PREVIOUS_HEADS = ("0003_disputes", "0004_funding", "0005_reviews", "0006_integrations", "0008_seat_origin_and_end",
                  "0009_audit_visible_versions")
OFFSET = re.compile(r"(?:[+-]\d\d:\d\d|Z)$")


@pytest.fixture(autouse=True)
def local_receivers(monkeypatch):
    """Receivers here listen on 127.0.0.1 (see tests/test_integrations.py)."""
    monkeypatch.setenv("PARTNERSHIPS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "true")
    wh.get_integration_settings.cache_clear()
    yield
    wh.get_integration_settings.cache_clear()


async def _add_seat(api, code: str) -> dict:
    group = await group_id(api, code)
    body = await api.gql(ADD_SEAT, {"input": {"groupId": group, "code": f"data-{uuid.uuid4().hex[:10]}",
                                              "role": "CO_OPTED", "post": "Integration tester"}},
                         as_role=(code, Role.BUSINESS_UNIT))
    assert body["data"]["addSeat"]["__typename"] == "SeatPayload", body
    return {"group": group, **body["data"]["addSeat"]["seat"]}


# -- DateTime -----------------------------------------------------------------------------------


def _utc(value: str) -> dt.datetime:
    assert OFFSET.search(value), f"{value!r} has no UTC offset"
    parsed = dt.datetime.fromisoformat(value)
    assert parsed.utcoffset() == dt.timedelta(0), f"{value!r} is not in UTC"
    return parsed


async def test_every_datetime_the_api_answers_is_utc_with_an_explicit_offset(api):
    start = await latest_cursor(api)
    await _add_seat(api, "sefton")
    nodes = (await api.gql("""query ($after: String) { events(after: $after) { nodes { occurredAt } } }""",
                           {"after": start}))["data"]["events"]["nodes"]
    assert nodes
    for node in nodes:
        _utc(node["occurredAt"])
    endpoint = await register(api, "sefton", "http://127.0.0.1:9/hooks", secrets.token_hex(16))
    try:
        body = await api.gql("""query { webhookEndpoints(partnership: "sefton") { createdAt } }""",
                             as_role=("sefton", Role.ADMINISTRATOR))
        for found in body["data"]["webhookEndpoints"]:
            _utc(found["createdAt"])
    finally:
        await deactivate(api, "sefton", endpoint)


async def test_a_datetime_written_with_any_offset_reads_back_as_the_same_instant_in_utc(api):
    engine = api.app.state.partnerships.engine
    paris = dt.datetime(2031, 6, 1, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    async with session_factory(engine)() as session, session.begin():
        row = ApiToken(partnership_id=None, role=Role.ADMINISTRATOR, label="offset test", prefix="0ff5e7",
                       digest=uuid.uuid4().hex + uuid.uuid4().hex, expires_at=paris)
        session.add(row)
        await session.flush()
        token_id = row.id
    async with session_factory(engine)() as session:
        expires = await session.scalar(select(ApiToken.expires_at).where(ApiToken.id == token_id))
        newest = await session.scalar(select(func.max(AuditEvent.occurred_at)))
    assert expires == paris and expires.utcoffset() == dt.timedelta(0) and expires.hour == 12
    assert newest.tzinfo is not None and newest.utcoffset() == dt.timedelta(0)


# -- events in the API's terms ------------------------------------------------------------------

SEAT_EVENTS = """query ($after: String) { events(after: $after, partnership: "merton", types: [SEAT_ADDED]) {
  nodes { id cursor type entityType entityId partnershipCode before after } } }"""


async def test_an_event_names_its_object_and_references_by_global_id_and_api_field_names(api):
    start = await latest_cursor(api)
    seat = await _add_seat(api, "merton")
    [event] = (await api.gql(SEAT_EVENTS, {"after": start}))["data"]["events"]["nodes"]
    assert event["entityType"] == "Seat" and event["entityId"] == seat["id"]
    node = (await api.gql("query ($id: ID!) { node(id: $id) { ... on Seat { code } } }",
                          {"id": event["entityId"]}))["data"]["node"]
    assert node == {"code": seat["code"]}
    after = event["after"]
    assert after["groupId"] == seat["group"] and after["code"] == seat["code"]
    assert set(after) == {"code", "groupId", "role", "post", "agencyId", "deputyOfId", "sectorRepresentative",
                          "origin"}
    assert not [k for k in after if "_" in k]


async def test_a_webhook_payload_is_the_event_as_the_feed_shows_it(api):
    secret = secrets.token_hex(16)
    receiver = Receiver()
    rx = await LocalServer(receiver).start()
    endpoint = await register(api, "merton", f"{rx.url}/hooks", secret, ["SEAT_ADDED"])
    start = await latest_cursor(api)
    try:
        seat = await _add_seat(api, "merton")
        async with worker_for(api, endpoint) as worker:
            await drain(worker, lambda: receiver.received)
        [event] = (await api.gql(SEAT_EVENTS, {"after": start}))["data"]["events"]["nodes"]
        [payload] = receiver.payloads()
        assert payload["entityId"] == seat["id"] == event["entityId"]
        assert payload["after"] == event["after"] and payload["after"]["groupId"] == seat["group"]
        assert payload["partnershipCode"] == "merton" and "partnership" not in payload
        assert {k: payload[k] for k in event} == event
    finally:
        await rx.stop()
        await deactivate(api, "merton", endpoint)


def test_every_reference_a_service_writes_to_the_audit_trail_has_a_type():
    keys = set()
    for path in (ROOT / "core" / "services").glob("*.py"):
        keys |= set(re.findall(r"\"([a-z_]+_id)\":", path.read_text()))
    assert keys, "no *_id keys found: the pattern no longer matches the services"
    assert not [k for k in sorted(keys) if ev.referenced_type("", k) is None and k != "report_id"]


def test_global_ids_in_events_are_the_api_global_ids():
    assert ev.global_id("Seat", 12) == to_global_id("Seat", 12)
    assert ev.present("Expenditure", "7", None, None)[:2] == ("ExpenditureLine", to_global_id("ExpenditureLine", 7))
    assert ev.present_values("AnnualReportCopy", {"report_id": 3})["reportId"] == to_global_id("AnnualReport", 3)
    assert ev.present_values("ScrutinyRecommendation", {"report_id": 3})["reportId"] == to_global_id("ScrutinyReport", 3)


# -- ids are never reused -------------------------------------------------------------------------

HOST = """mutation ($fy: String!, $post: String!) { recordHostArrangement(input: {partnershipCode: "lewisham",
  financialYear: $fy, lines: [{role: DAY_TO_DAY_BUDGET_MANAGER, post: $post}]}) { __typename } }"""


async def test_a_row_id_is_never_given_to_another_row(api):
    """Recording a year's host arrangement again replaces its rows: the new rows must not take
    the ids of the rows they replace (SQLite reuses the largest rowid unless AUTOINCREMENT)."""
    engine = api.app.state.partnerships.engine

    async def ids(fy: str) -> list[int]:
        async with session_factory(engine)() as session:
            return list((await session.scalars(select(HostRecord.id).where(HostRecord.financial_year == fy))).all())

    year = 2040 + secrets.randbelow(50)
    fy = f"{year}/{(year + 1) % 100:02d}"
    for post in ("First manager", "Second manager"):
        body = await api.gql(HOST, {"fy": fy, "post": post}, as_role=("lewisham", Role.BUSINESS_UNIT))
        assert body["data"]["recordHostArrangement"]["__typename"] == "FundingYearPayload", body
        if post == "First manager":
            first = await ids(fy)
    second = await ids(fy)
    assert first and second and min(second) > max(first), (first, second)


async def test_every_sqlite_table_with_an_integer_id_never_reuses_ids(empty_db):
    if not empty_db.startswith("sqlite"):
        pytest.skip("PostgreSQL sequences never hand out an id twice")
    engine = create_engine(Settings(database_url=empty_db), empty_db)
    try:
        async with engine.connect() as conn:
            tables = (await conn.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name != 'alembic_version'"))).all()
    finally:
        await engine.dispose()
    assert len(tables) > 30
    assert not [name for name, sql in tables if "AUTOINCREMENT" not in sql]


async def test_the_migration_keeps_every_row_and_reference_of_an_existing_sqlite_database(tmp_path, registry):
    """Rebuilding tables for AUTOINCREMENT on a database that holds the four boroughs: with
    foreign keys on, dropping a table would cascade to every row that refers to it."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    for head in PREVIOUS_HEADS:
        await asyncio.to_thread(upgrade, url, head)
    await load_all(url, registry)
    engine = create_engine(Settings(database_url=url), url)

    async def counts() -> dict[str, int]:
        async with engine.connect() as conn:
            names = (await conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))).scalars().all()
            return {n: (await conn.execute(text(f'SELECT count(*) FROM "{n}"'))).scalar() for n in names
                    if n != "alembic_version"}

    try:
        before = await counts()
        assert before["seat"] > 50 and before["audit_event"] > 0
        await engine.dispose()
        await asyncio.to_thread(upgrade, url, "heads")
        after = await counts()
        async with engine.connect() as conn:
            broken = (await conn.execute(text("PRAGMA foreign_key_check"))).all()
            seq = dict((await conn.execute(text("SELECT name, seq FROM sqlite_sequence"))).all())
            top = (await conn.execute(text("SELECT max(id) FROM seat"))).scalar()
            partnerships = (await conn.execute(select(func.count()).select_from(Partnership))).scalar()
    finally:
        await engine.dispose()
    assert after == before and not broken and partnerships == 4
    assert seq["seat"] >= top


# -- Standard Webhooks signatures and jitter --------------------------------------------------------


async def test_webhooks_are_signed_in_the_standard_webhooks_format(api):
    plain = secrets.token_hex(16)
    standard = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    for secret, verifiers in ((plain, [Webhook(plain.encode()), Webhook("whsec_" + base64.b64encode(
            plain.encode()).decode())]), (standard, [Webhook(standard)])):
        receiver = Receiver()
        rx = await LocalServer(receiver).start()
        endpoint = await register(api, "sandwell", rx.url, secret, ["SEAT_ADDED"])
        try:
            await _add_seat(api, "sandwell")
            async with worker_for(api, endpoint) as worker:
                await drain(worker, lambda r=receiver: r.received)
            [(headers, body)] = receiver.received
            assert headers["webhook-id"] and headers["webhook-timestamp"].isdigit()
            assert headers["webhook-signature"].startswith("v1,")
            for verifier in verifiers:
                assert verifier.verify(body, headers)["type"] == "SEAT_ADDED"
            with pytest.raises(WebhookVerificationError):
                Webhook(secrets.token_hex(16).encode()).verify(body, headers)
            with pytest.raises(WebhookVerificationError):
                Webhook(standard if secret == plain else plain.encode()).verify(body + b" ", headers)
            kind, _, number = base64.urlsafe_b64decode(headers["webhook-id"] + "==").decode().partition(":")
            assert kind == "WebhookDelivery" and number.isdigit()  # the delivery's ID: the same on every retry
        finally:
            await rx.stop()
            await deactivate(api, "sandwell", endpoint)


async def test_a_standard_webhooks_secret_must_be_base64_of_at_least_16_bytes(api):
    from tests.test_integrations import REGISTER

    for secret in ("whsec_not base64!!", "whsec_" + base64.b64encode(b"short").decode()):
        body = await api.gql(REGISTER, {"input": {"partnership": "sandwell", "url": "https://example.org/hooks",
                                                  "secret": secret}}, as_role=("sandwell", Role.ADMINISTRATOR))
        assert body["data"]["registerWebhook"]["__typename"] == "ValidationError", body
        assert body["data"]["registerWebhook"]["field"] == "secret"


def test_retry_delays_are_jittered_within_the_exponential_schedule():
    for attempts, ceiling in ((1, 10.0), (4, 80.0), (30, 3600.0)):
        delays = [wh.backoff(attempts, 10.0, 3600.0) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays), (attempts, min(delays), max(delays))
        assert len(set(delays)) > 150, "retries of many deliveries would fire in lock-step"
