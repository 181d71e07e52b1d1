"""One door to a borough's rules: a partnership no installed plugin provides (imported from a
Popolo file) answers every rule field with the Working Together baseline — and says so —
instead of an internal error; the conformance of the door itself is in test_architecture.py."""

from __future__ import annotations

import json

from core.db import session_factory
from core.enums import Role
from core.exports.service import import_popolo
from core.plugins import discover
from tests.conftest import load_all, make_api

RULE_FIELDS = """
query ($code: String!) {
  partnership(code: $code) {
    plugin
    funding(financialYear: "2019/20") {
      published { financialYear }
      hostArrangement { status source { document status derivation } }
      host { role }
    }
    compliance { items { item satisfied } }
    escalationLadder(kind: FUNDING_DEFAULT) { stages { actor } source { document status } }
    reviewTimescales { panelNotificationWorkingDays }
    annualReportRecipients { recipients source { status } }
    group(code: "scsp") {
      quorum(present: []) { satisfied requirement source { document status } }
      chair(financialYear: "2019/20") { reasons }
      votingRule { carries source { status } }
      proxyRule { allowed }
    }
  }
  compare(codes: ["lewisham", $code]) { rows { aspect cells { partnership { code } summary } } }
}
"""


async def test_an_imported_partnership_answers_every_rule_field_with_the_baseline(api, empty_db, tmp_path):
    exported = (await api.client.get("/partnerships/sandwell/popolo.json")).json()
    # A neighbour with no plugin installed: Sandwell's structure under another code.
    text = json.dumps(exported).replace('"sandwell"', '"wolverhampton"')
    path = tmp_path / "wolverhampton.json"
    path.write_text(text)

    registry = discover()
    await load_all(empty_db, registry)
    other = await make_api("import", empty_db, registry)
    try:
        async with session_factory(other.app.state.partnerships.engine)() as session, session.begin():
            await import_popolo(session, path)
        token = await other.token("wolverhampton", Role.MEMBER)
        body = await other.gql(RULE_FIELDS, {"code": "wolverhampton"}, token=token)
        p = body["data"]["partnership"]
        assert p["plugin"] == "baseline"
        # WT2018 does not say who hosts the money: not stated, and the answer says why.
        host = p["funding"]["hostArrangement"]
        assert host["status"] == "NOT_STATED" and p["funding"]["host"] is None
        assert p["funding"]["published"] == []
        assert p["escalationLadder"]["stages"] and p["escalationLadder"]["source"]["status"] == "BASELINE"
        assert p["annualReportRecipients"]["source"]["status"] == "BASELINE"
        quorum = p["group"]["quorum"]
        assert quorum["satisfied"] is False and quorum["source"]["status"] == "BASELINE"
        assert p["group"]["votingRule"]["source"]["status"] == "BASELINE"
        assert {c["partnership"]["code"] for row in body["data"]["compare"]["rows"] for c in row["cells"]} == {
            "lewisham", "wolverhampton"}
        # Everyone else's comparison still works with the imported partnership present.
        overview = await other.gql("{ compare { rows { aspect cells { partnership { code } } } } }")
        assert "wolverhampton" in {c["partnership"]["code"] for row in overview["data"]["compare"]["rows"] for c in row["cells"]}
    finally:
        await other.client.aclose()
        await other.app.state.partnerships.engine.dispose()


async def test_escalating_overdue_contributions_works_for_an_imported_partnership(api, empty_db, tmp_path):
    exported = (await api.client.get("/partnerships/sefton/popolo.json")).json()
    path = tmp_path / "knowsley.json"
    path.write_text(json.dumps(exported).replace('"sefton"', '"knowsley"'))
    registry = discover()
    other = await make_api("import", empty_db, registry)
    try:
        async with session_factory(other.app.state.partnerships.engine)() as session, session.begin():
            await import_popolo(session, path)
        token = await other.token("knowsley", Role.BUSINESS_UNIT)
        body = await other.gql(
            'mutation { escalateOverdueContributions(input: {partnershipCode: "knowsley", asOf: "2030-01-01"}) '
            "{ __typename ... on EscalationPayload { overdue { disputeOpened } } } }", token=token)
        assert body["data"]["escalateOverdueContributions"]["__typename"] == "EscalationPayload"
    finally:
        await other.client.aclose()
        await other.app.state.partnerships.engine.dispose()


def test_hook_tracing_answers_why_a_borough_got_its_quorum(monkeypatch, caplog):
    """PARTNERSHIPS_TRACE_HOOKS=true: every hook call, its arguments and its answer reach the log."""
    import logging

    from core.config import get_settings
    from core.enums import AgencyKind, GroupKind
    from core.plugin_api import GroupRef, PartnerRef

    monkeypatch.setenv("PARTNERSHIPS_TRACE_HOOKS", "true")
    get_settings.cache_clear()
    merton = discover().rules_for("merton")
    group = GroupRef(id=1, code="mscp", name="Partnership", kind=GroupKind.PARTNERSHIP_BOARD)
    partners = (PartnerRef("lbm", "Merton Council", AgencyKind.LOCAL_AUTHORITY),)
    with caplog.at_level(logging.INFO, logger="partnerships.hooks"):
        merton.quorum(group=group, seats=(), present=(), partners=partners)
    traced = "\n".join(r.getMessage() for r in caplog.records if r.name == "partnerships.hooks")
    assert "governance_quorum" in traced and "finish governance_quorum" in traced

    monkeypatch.delenv("PARTNERSHIPS_TRACE_HOOKS")
    get_settings.cache_clear()
    caplog.clear()
    quiet = discover().rules_for("merton")
    with caplog.at_level(logging.INFO, logger="partnerships.hooks"):
        quiet.quorum(group=group, seats=(), present=(), partners=partners)
    assert not [r for r in caplog.records if r.name == "partnerships.hooks"]
