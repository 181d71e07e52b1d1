"""The authorization matrix (issue 8): every root query field and every mutation of the
built schema × every role, with the expected outcome from tests/authz_rules.py.

Generated from the schema: a root field or mutation with no entry in the rules table fails
`test_every_field_has_a_rule`, and the matrix test runs every entry as every role:

* ALLOW: data returned (queries: every confidential item the probe looks for is shown;
  mutations: the success payload type);
* DENY: mutations answer NotAuthorizedError or NotFoundError (nothing written); confidential
  reads answer, with no error, exactly what a partnership with no such data answers (empty
  list, count 0, null) — so a denial reveals neither a count nor existence;
* UNAUTH: revoked and expired tokens get HTTP 401.

Reproduce: `.venv/bin/pytest -q -s tests/test_authz_matrix.py` (prints the figures).
"""

from __future__ import annotations

import time

from sqlalchemy import func, select

from core.config import Settings
from core.db import session_factory
from core.enums import Role
from core.models import ApiToken, AuditEvent
from core.services.identity import revoke_token
from schema.root import build_schema
from schema.types.common import from_global_id, to_global_id
from tests import authz_rules as rules
from tests.authz_rules import ALLOW, DENY, ROLES, UNAUTH, Ctx, Probe

DENIALS = {"NotAuthorizedError", "NotFoundError"}
#: Confidential records: a caller outside the partnership must not learn one exists, so the
#: denial for an existing one must read exactly like the answer for an ID that was never issued.
CONFIDENTIAL_TYPES = {"Dispute", "Incident", "ReviewAction", "RiskEntry", "ScrutinyRecommendation", "ScrutinyReport",
                      "ScrutinyActivity", "WebhookEndpoint"}
OUTSIDERS = ("anonymous", "other_member", "other_administrator")


def _confidential_ref(variables: dict) -> tuple[str, str] | None:
    """The input field holding the ID of a confidential record, if any."""
    for key, value in variables["input"].items():
        if isinstance(value, str) and (key == "id" or key.endswith("Id")):
            try:
                type_name, _ = from_global_id(value)
            except Exception:
                continue
            if type_name in CONFIDENTIAL_TYPES:
                return key, type_name
    return None


def _schema():
    return build_schema(Settings())._schema


def test_every_field_has_a_rule():
    """A new root field or mutation without an entry in the rules table fails here."""
    schema = _schema()
    ctx = Ctx(api=None, admin_token="", schema=schema)
    ctx.ids.update({k: "x" for k in ("partnership", "cursor0", "group", "seats", "webhook", "risk", "dispute",
                                     "incident", "scrutiny_report", "board")})
    for kind, fields, table in (("query", schema.query_type.fields, rules.queries(ctx)),
                                ("mutation", schema.mutation_type.fields, rules.mutations(ctx))):
        missing = sorted(set(fields) - set(table))
        stale = sorted(set(table) - set(fields))
        assert not missing, f"{kind} fields with no authorization rule in tests/authz_rules.py: {missing}"
        assert not stale, f"rules for {kind} fields the schema no longer has: {stale}"
        for name, probes in table.items():
            assert probes, name
            for probe in probes:
                assert set(probe.rule) == set(ROLES), (name, probe.rule)
                assert all(probe.rule[r] == UNAUTH for r in ("revoked", "expired")), name
                if kind == "query" and DENY in probe.rule.values():
                    assert probe.seen is not None, f"{name}: a confidential probe needs `seen` and `denied`"


async def _tokens(api) -> dict[str, str | None]:
    tokens: dict[str, str | None] = {}
    for name, spec in ROLES.items():
        if spec is None:
            tokens[name] = None
        elif name == "expired":
            tokens[name] = await api.token(*spec, lifetime_days=-1)
        elif name == "revoked":
            secret = await api.token(*spec, lifetime_days=30)
            async with session_factory(api.app.state.partnerships.engine)() as session, session.begin():
                token_id = await session.scalar(select(ApiToken.id).where(ApiToken.prefix == secret.split("_")[1]))
                assert await revoke_token(session, token_id, actor="authz matrix")
            tokens[name] = secret
        else:
            tokens[name] = await api.token(*spec)
    return tokens


async def _check_query(api, field: str, probe: Probe, variables: dict, role: str, token, expected: str) -> str | None:
    response = await api.post(probe.doc, variables, token=token)
    if expected == UNAUTH:
        return None if response.status_code == 401 else f"HTTP {response.status_code}, expected 401"
    if response.status_code != 200:
        return f"HTTP {response.status_code}: {response.text[:200]}"
    body = response.json()
    if body.get("errors"):
        return f"errors: {body['errors']}"
    answer = body["data"][field]
    if probe.seen is None:  # a published fact: any non-null answer
        return None if (answer is not None or field == "latestEventCursor") else "null answer"
    seen = probe.seen(answer) if answer is not None else [False]
    if expected == ALLOW:
        return None if all(seen) else f"member view lacks confidential items (seen={seen}): {str(answer)[:300]}"
    if any(seen):
        return f"LEAK: confidential item visible (seen={seen})"
    if answer != probe.denied:
        return f"LEAK: denied answer {str(answer)[:300]} differs from the no-data answer {probe.denied}"
    return None


async def _check_mutation(api, ctx: Ctx, field: str, variables: dict, token, expected: str) -> tuple[str | None, object]:
    response = await api.post(ctx.mutation_doc(field, _id_selection(ctx, field)), variables, token=token)
    if expected == UNAUTH:
        return (None if response.status_code == 401 else f"HTTP {response.status_code}, expected 401"), None
    if response.status_code != 200:
        return f"HTTP {response.status_code}: {response.text[:200]}", None
    body = response.json()
    if body.get("errors"):
        return f"errors: {body['errors']}", None
    out = body["data"][field]
    got = out["__typename"]
    if expected == ALLOW:
        ok = got == rules.success_type(ctx.schema, field)
        return (None if ok else f"expected {rules.success_type(ctx.schema, field)}, got {out}"), out
    if got in DENIALS:
        return None, out
    return f"LEAK: expected a denial, got {got} {out.get('message', '')}", out


async def _audit_count(api) -> int:
    async with session_factory(api.app.state.partnerships.engine)() as session:
        return await session.scalar(select(func.count()).select_from(AuditEvent))


def _id_selection(ctx: Ctx, field: str) -> str:
    """The payload's fields with an `id` (enough for the cleanups)."""
    from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType

    payload = ctx.schema.type_map[rules.success_type(ctx.schema, field)]
    parts = []
    for name, f in payload.fields.items():
        t = f.type
        while isinstance(t, GraphQLNonNull | GraphQLList):
            t = t.of_type
        if isinstance(t, GraphQLObjectType) and "id" in t.fields:
            parts.append(f"{name} {{ id }}")
        elif not isinstance(t, GraphQLObjectType):
            parts.append(name)
    return " ".join(parts)


async def test_authorization_matrix(api):
    started = time.monotonic()
    schema = _schema()
    tokens = await _tokens(api)
    ctx = Ctx(api=api, admin_token=await api.token("merton", ROLES["administrator"][1]), schema=schema)
    cache = api.app.state.partnerships.cache  # every probe acts on Merton
    await rules.setup(ctx)
    failures: list[str] = []
    checks = leaks = 0
    fields = 0
    try:
        for field, probes in rules.queries(ctx).items():
            fields += 1
            for i, probe in enumerate(probes):
                variables = await probe.prepare(ctx)
                for role, expected in probe.rule.items():
                    checks += 1
                    problem = await _check_query(api, field, probe, variables, role, tokens[role], expected)
                    if problem:
                        leaks += problem.startswith("LEAK")
                        failures.append(f"query {field}[{i}{' ' + probe.note if probe.note else ''}] as {role} "
                                        f"(expected {expected}): {problem}")
        for field, probes in rules.mutations(ctx).items():
            fields += 1
            for i, probe in enumerate(probes):
                # Denied roles (and 401s) first, on one shared target: a denial writes nothing,
                # so the target is still fresh for them all; each allowed role gets its own.
                order = sorted(probe.rule, key=lambda r: probe.rule[r] == ALLOW)
                shared = None
                audited = None
                for role in order:
                    expected = probe.rule[role]
                    if expected == ALLOW and audited is not None:
                        # Every denial so far wrote nothing: not even an audit event.
                        checks += 1
                        if await _audit_count(api) != audited:
                            leaks += 1
                            failures.append(f"LEAK: mutation {field}: a denied call wrote an audit event")
                        audited = None
                    if expected == ALLOW or shared is None:
                        variables = await probe.prepare(ctx)
                        if expected != ALLOW:
                            shared = variables
                            audited = await _audit_count(api)
                    else:
                        variables = shared
                    checks += 1
                    before = (await _audit_count(api), await cache.version("merton")) if expected == ALLOW else None
                    problem, out = await _check_mutation(api, ctx, field, variables, tokens[role], expected)
                    if not problem and before is not None and await _audit_count(api) > before[0] \
                            and await cache.version("merton") <= before[1]:
                        # the response cache versions Merton's pages by Merton's newest audit event
                        problem = "STALE: it wrote, but left Merton's cached pages valid (no audit event of Merton)"
                    if problem:
                        leaks += problem.startswith("LEAK")
                        failures.append(f"mutation {field}[{i}] as {role} (expected {expected}): {problem}")
                    elif expected == ALLOW and probe.cleanup is not None:
                        await probe.cleanup(ctx, out)
                    ref = _confidential_ref(variables)
                    if expected == DENY and role in OUTSIDERS and ref is not None:
                        key, type_name = ref
                        ghost = {"input": {**variables["input"], key: to_global_id(type_name, 987654321)}}
                        checks += 1
                        _, missing = await _check_mutation(api, ctx, field, ghost, tokens[role], DENY)
                        if (out or {}).get("__typename") != (missing or {}).get("__typename"):
                            leaks += 1
                            failures.append(f"LEAK: mutation {field} as {role}: an existing {type_name} answers "
                                            f"{out}, a missing one {missing}")
    finally:
        await rules.teardown(ctx)
    elapsed = time.monotonic() - started
    print(f"\nauthz [{api.backend}]: {fields} fields × {len(ROLES)} roles = {checks} checks, {leaks} leaks, "
          f"{len(failures)} failures ({elapsed:.1f}s)")
    assert not failures, "\n".join(failures)


FUNDING_DEFAULT_VIEW = """query ($fy: String!, $after: String) {
  partnership(code: "lewisham") { funding(financialYear: $fy) {
    contributions { id disputeOpened } overdueContributions(asOf: "2100-01-01") { disputeOpened } } }
  events(after: $after, partnership: "lewisham") { edges { node { action entityType after } } }
}"""


async def test_a_funding_default_dispute_is_invisible_outside_the_partnership(api):
    """Escalating an overdue contribution opens a confidential dispute (Lewisham): outsiders must
    not learn it exists — not from the contribution, nor from the event feed's payload."""
    bu = await api.token("lewisham", Role.BUSINESS_UNIT)
    cursor = (await api.gql("{ latestEventCursor }"))["data"]["latestEventCursor"]
    year = 2150 + (1 if api.backend == "postgresql" else 0)
    fy = f"{year}/{(year + 1) % 100:02d}"
    recorded = await api.gql("""mutation ($i: RecordContributionInput!) { recordContribution(input: $i) {
        __typename ... on ContributionPayload { contribution { id } } ... on UserError { message } } }""",
                             {"i": {"partnershipCode": "lewisham", "agencyCode": "met-police", "financialYear": fy,
                                    "kind": "CASH", "amountPence": 500_00, "dueDate": "2001-01-01"}}, token=bu)
    assert recorded["data"]["recordContribution"]["__typename"] == "ContributionPayload", recorded
    escalated = await api.gql("""mutation ($i: EscalateOverdueInput!) { escalateOverdueContributions(input: $i) {
        __typename ... on EscalationPayload { overdue { disputeOpened disputeId } } ... on UserError { message } } }""",
                              {"i": {"partnershipCode": "lewisham", "asOf": "2100-01-01"}}, token=bu)
    overdue = escalated["data"]["escalateOverdueContributions"]["overdue"]
    dispute_ids = {o["disputeId"] for o in overdue if o["disputeOpened"]}
    assert dispute_ids, escalated

    # A later, public, status change of the same contribution must not carry the link either.
    invoiced = await api.gql("""mutation ($i: UpdateContributionStatusInput!) { updateContributionStatus(input: $i) {
        __typename } }""", {"i": {"contributionId": recorded["data"]["recordContribution"]["contribution"]["id"],
                                  "status": "INVOICED"}}, token=bu)
    assert invoiced["data"]["updateContributionStatus"]["__typename"] == "ContributionPayload", invoiced

    member = await api.gql(FUNDING_DEFAULT_VIEW, {"fy": fy, "after": cursor}, token=bu)
    funding = member["data"]["partnership"]["funding"]
    assert all(c["disputeOpened"] for c in funding["contributions"])
    assert member["data"]["events"]["edges"], "members see the escalation in the feed"

    outsiders = {"anonymous": None, "merton member": await api.token("merton", Role.MEMBER),
                 "merton administrator": await api.token("merton", Role.ADMINISTRATOR)}
    for who, token in outsiders.items():
        body = await api.gql(FUNDING_DEFAULT_VIEW, {"fy": fy, "after": cursor}, token=token)
        funding = body["data"]["partnership"]["funding"]
        # Exactly what a partnership with no dispute answers.
        assert not any(c["disputeOpened"] for c in funding["contributions"]), who
        assert not any(o["disputeOpened"] for o in funding["overdueContributions"]), who
        for edge in body["data"]["events"]["edges"]:
            node = edge["node"]
            assert node["action"] != "contribution.escalate_overdue", f"{who} sees the escalation: {node}"
            assert "dispute" not in str(node["after"]), f"{who} learns of a confidential dispute from the feed: {node}"


async def test_an_editor_cannot_reach_into_another_partnership_through_references(api):
    """A merton business unit naming lewisham's seats, agencies, people, groups or meetings in a
    merton write is refused (not found in this partnership), never written."""
    schema = _schema()
    ctx = Ctx(api=api, admin_token=await api.token("merton", Role.ADMINISTRATOR), schema=schema)
    bu = await api.token("merton", Role.BUSINESS_UNIT)
    lctx = Ctx(api=api, admin_token=await api.token("lewisham", Role.ADMINISTRATOR), schema=schema)
    d = await ctx.read("""{ m: partnership(code: "merton") { id groups { edges { node { id code seats { edges { node { id } } } } } }
       agencies { edges { node { id code } } } }
       l: partnership(code: "lewisham") { id groups { edges { node { id code seats { edges { node { id } } } } } }
       agencies { edges { node { id code } } } seats { edges { node { person { id } } } } } }""")
    lg = [e["node"] for e in d["l"]["groups"]["edges"]]
    lseat = next(s["node"]["id"] for g in lg for s in g["seats"]["edges"])
    lagency = d["l"]["agencies"]["edges"][0]["node"]["id"]
    lperson = next(e["node"]["person"]["id"] for e in d["l"]["seats"]["edges"] if e["node"]["person"])
    mg = next(e["node"] for e in d["m"]["groups"]["edges"] if e["node"]["code"] == "statutory-partners-panel")
    tries = {
        "addSeat": {"groupId": mg["id"], "code": "x-cross-1", "role": "CO_OPTED", "post": "p", "agencyId": lagency},
        "addSeat2": {"groupId": mg["id"], "code": "x-cross-2", "role": "CO_OPTED", "post": "p", "deputyOfId": lseat},
        "raiseDispute": {"partnershipCode": "merton", "kind": "PROFESSIONAL_DISAGREEMENT", "summary": "x",
                         "raisedBySeatId": lseat, "subjectDecisionRef": "x"},
        "raiseDispute2": {"partnershipCode": "merton", "kind": "PROFESSIONAL_DISAGREEMENT", "summary": "x",
                          "raisedByAgencyId": lagency, "subjectDecisionRef": "x"},
        "raiseDispute3": {"partnershipCode": "merton", "kind": "PROFESSIONAL_DISAGREEMENT", "summary": "x",
                          "raisedBySeatId": mg["seats"]["edges"][0]["node"]["id"], "aboutAgencyId": lagency},
        "appoint": {"partnershipId": d["m"]["id"], "office": "INDEPENDENT_PERSON", "holderName": "x",
                    "startsOn": "2031-01-01", "personId": lperson},
        "appoint2": {"partnershipId": d["m"]["id"], "office": "SUBGROUP_CHAIR", "holderName": "x",
                     "startsOn": "2031-01-01", "groupId": lg[0]["id"]},
        "recordScrutinyActivity": {"partnershipCode": "merton", "kind": "AUDIT", "title": "x", "happenedOn": "2024-01-01",
                                   "groupId": lg[0]["id"]},
        "recordChairSelection": {"groupId": mg["id"], "financialYear": "2190/91", "agencyId": lagency},
        "recordChairSelection2": {"groupId": mg["id"], "financialYear": "2191/92", "seatId": lseat},
        "recordContribution": {"partnershipCode": "merton", "agencyCode": "lbl", "financialYear": "2192/93",
                               "kind": "CASH", "amountPence": 1},
        "recordHostArrangement": {"partnershipCode": "merton", "financialYear": "2193/94",
                                  "lines": [{"role": "HOST_AGENCY", "agencyCode": "lbl"}]},
    }
    mid = (await ctx.write("scheduleMeeting", {"groupId": mg["id"], "scheduledOn": "2031-03-03"}, "meeting { id }"))["meeting"]["id"]
    tries["recordAttendance"] = {"meetingId": mid, "entries": [{"seatId": lseat, "status": "PRESENT", "chairAgreed": False}]}
    tries["recordDecision"] = {"groupId": mg["id"], "method": "CONSENSUS", "subject": "x", "meetingId":
                               (await lctx.write("scheduleMeeting", {"groupId": lg[0]["id"], "scheduledOn": "2031-03-03"}, "meeting { id }"))["meeting"]["id"]}
    for name, inp in tries.items():
        field = name.rstrip("23")
        r = await api.post(ctx.mutation_doc(field), {"input": inp}, token=bu)
        out = r.json()["data"][field]
        assert out["__typename"] in {"NotFoundError", "ValidationError"}, (name, out)
        assert out["__typename"] != rules.success_type(schema, field)
