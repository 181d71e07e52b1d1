"""Disputes climb each borough's escalation ladder through the GraphQL API: who must act at
each stage, typed errors for moves off the ladder (nothing written), one audit event per move."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.db import session_factory
from core.enums import Role
from core.models import AuditEvent
from core.models.disputes import Dispute as DisputeRow
from core.models.disputes import DisputeStageChange
from schema.types.common import from_global_id

BU = Role.BUSINESS_UNIT
SP = Role.STATUTORY_PARTNER

DISPUTE = """
  id kind status outcome stageNumber summary subjectDecisionRef
  currentStage { number name actor who actions final source { document section } }
  raisedBySeat { id } raisedByAgency { id } aboutAgency { id }
  history { sequence move fromStage toStage stageActor action outcome role notes }
"""
RESULT = f"""
  __typename
  ... on DisputePayload {{ dispute {{ {DISPUTE} }} }}
  ... on UserError {{ message }}
  ... on ValidationError {{ field }}
"""
RAISE = f"mutation ($input: RaiseDisputeInput!) {{ raiseDispute(input: $input) {{ {RESULT} }} }}"
ESCALATE = f"mutation ($input: EscalateDisputeInput!) {{ escalateDispute(input: $input) {{ {RESULT} }} }}"
RESOLVE = f"mutation ($input: ResolveDisputeInput!) {{ resolveDispute(input: $input) {{ {RESULT} }} }}"
WITHDRAW = f"mutation ($input: WithdrawDisputeInput!) {{ withdrawDispute(input: $input) {{ {RESULT} }} }}"

PARTIES = """
query ($code: String!) {
  partnership(code: $code) {
    statutoryPartners { agency { id code } }
    seats(role: STATUTORY_PARTNER_LEAD, first: 50) { nodes { id agency { id } } }
  }
}"""


async def _parties(api, code: str) -> tuple[str, str, str]:
    """A statutory partner's seat, its agency, and another partner's agency."""
    body = await api.gql(PARTIES, {"code": code})
    p = body["data"]["partnership"]
    partners = [sp["agency"]["id"] for sp in p["statutoryPartners"]]
    seat = next(s for s in p["seats"]["nodes"] if s["agency"] and s["agency"]["id"] == partners[0])
    return seat["id"], partners[0], partners[1]


async def _raise(api, code: str, kind: str, role=SP, **extra) -> dict:
    seat, _mine, other = await _parties(api, code)
    variables = {"partnershipCode": code, "kind": kind, "summary": f"{code}: a {kind.lower()} test dispute",
                 "raisedBySeatId": seat, "aboutAgencyId": other, **extra}
    body = await api.gql(RAISE, {"input": variables}, as_role=(code, role))
    return body["data"]["raiseDispute"]


async def _move(api, mutation: str, code: str, role=BU, **input) -> dict:
    body = await api.gql(mutation, {"input": input}, as_role=(code, role))
    return next(iter(body["data"].values()))


async def _counts(api, dispute_gid: str) -> tuple[int, int, tuple]:
    """Audit events about the dispute, its stage changes, and its row's state."""
    _, pk = from_global_id(dispute_gid)
    async with session_factory(api.app.state.partnerships.engine)() as session:
        events = await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity_type == "Dispute", AuditEvent.entity_id == str(pk)))
        changes = await session.scalar(select(func.count()).select_from(DisputeStageChange).where(
            DisputeStageChange.dispute_id == pk))
        row = await session.get(DisputeRow, pk)
        return events, changes, (row.current_stage, row.status, row.outcome)


def _stage(result: dict) -> dict:
    assert result["__typename"] == "DisputePayload", result
    return result["dispute"]["currentStage"]


async def _walk(api, code: str, kind: str, expected: list[tuple[str, list[str]]]) -> dict:
    """Raise, then escalate to the last stage, checking at each step who must act; each move
    adds one audit event and one history entry."""
    raised = await _raise(api, code, kind)
    dispute = raised["dispute"]
    gid = dispute["id"]
    seen = [(_stage(raised)["actor"], _stage(raised)["actions"])]
    assert await _counts(api, gid) == (1, 1, (1, "OPEN", None))
    for n in range(2, len(expected) + 1):
        result = await _move(api, ESCALATE, code, disputeId=gid, toStage=n, notes=f"unresolved at stage {n - 1}")
        stage = _stage(result)
        assert stage["number"] == n
        seen.append((stage["actor"], stage["actions"]))
        events, changes, state = await _counts(api, gid)
        assert (events, changes, state) == (n, n, (n, "OPEN", None))
    assert seen == expected
    final = result["dispute"]["currentStage"] if len(expected) > 1 else raised["dispute"]["currentStage"]
    assert final["final"] is True
    return raised["dispute"] | {"last": final}


async def test_merton_ladder_independent_person_arbitrates_then_determines_then_secretary_of_state(api):
    # Merton §14 Stage 4 is stated only "In the event of a Statutory Partner not meeting its statutory
    # obligations", so that is the kind of dispute that climbs to the Secretary of State.
    d = await _walk(api, "merton", "PARTNER_NOT_MEETING_OBLIGATIONS", [
        ("STATUTORY_PARTNERS", ["MEET", "ESCALATE"]),
        ("INDEPENDENT_PERSON", ["ARBITRATE", "ESCALATE"]),  # Merton §14 Stage 2
        ("INDEPENDENT_PERSON", ["DETERMINE", "ESCALATE"]),  # Merton §14 Stage 3
        ("SECRETARY_OF_STATE", ["REFER"]),  # Merton §14 Stage 4
    ])
    assert d["last"]["source"]["section"] == "§14 Stage 4"
    done = await _move(api, RESOLVE, "merton", disputeId=d["id"], outcome="REFERRED_OUTSIDE", notes="enforcement")
    assert done["dispute"]["status"] == "CLOSED" and done["dispute"]["outcome"] == "REFERRED_OUTSIDE"
    assert done["dispute"]["currentStage"] is None
    assert [h["move"] for h in done["dispute"]["history"]] == ["RAISED", "ESCALATED", "ESCALATED", "ESCALATED", "RESOLVED"]
    assert await _counts(api, d["id"]) == (5, 5, (4, "CLOSED", "REFERRED_OUTSIDE"))


async def test_merton_independent_person_arbitration_is_recorded_at_stage_two(api):
    raised = await _raise(api, "merton", "PARTNER_NOT_MEETING_OBLIGATIONS")
    gid = raised["dispute"]["id"]
    stage2 = _stage(await _move(api, ESCALATE, "merton", disputeId=gid))
    assert (stage2["number"], stage2["who"]) == (2, "the Independent Person")
    done = await _move(api, RESOLVE, "merton", disputeId=gid, outcome="ARBITRATED", notes="agreed a way forward")
    assert done["dispute"]["outcome"] == "ARBITRATED"
    assert done["dispute"]["history"][-1]["stageActor"] == "INDEPENDENT_PERSON"
    assert done["dispute"]["history"][-1]["action"] == "ARBITRATE"


async def test_lewisham_ladder_ends_with_the_scrutineer_mediating(api):
    d = await _walk(api, "lewisham", "PARTNER_NOT_MEETING_OBLIGATIONS", [
        ("EXECUTIVE", ["MEET", "ESCALATE"]),
        ("CHIEF_OFFICERS", ["MEET", "ESCALATE"]),
        ("SCRUTINEER", ["MEDIATE"]),
    ])
    assert d["last"]["source"]["section"] == "Decision Making and Dispute Resolution"
    # The scrutineer acts at the last stage, so its own token may record the mediation.
    done = await _move(api, RESOLVE, "lewisham", role=Role.SCRUTINEER, disputeId=d["id"], outcome="MEDIATED")
    assert done["dispute"]["outcome"] == "MEDIATED"
    assert done["dispute"]["history"][-1]["role"] == "SCRUTINEER"


async def test_sefton_ladder_scrutineer_mediation_then_secretary_of_state(api):
    # Sefton, Resolution of disputes: "In extremis, any non-compliance will be referred to the
    # Secretary of State" — non-compliance, not a disagreement (which ends with the Scrutineer).
    await _walk(api, "sefton", "PARTNER_NOT_MEETING_OBLIGATIONS", [
        ("PARTNERSHIP_MEMBERS", ["MEET", "ESCALATE"]),
        ("SCRUTINEER", ["MEDIATE", "ESCALATE"]),
        ("SECRETARY_OF_STATE", ["REFER"]),
    ])


async def test_sandwell_ladder_ends_with_the_partnership_chair(api):
    d = await _walk(api, "sandwell", "PROFESSIONAL_DISAGREEMENT", [
        ("PRACTITIONERS", ["MEET", "ESCALATE"]),
        ("PARTNERSHIP_MEMBERS", ["MEET", "ESCALATE"]),
        ("PARTNERSHIP_CHAIR", ["ARBITRATE"]),
    ])
    assert d["last"]["who"] == "the SCSP Chair" and d["last"]["source"]["section"] == "§25"
    done = await _move(api, RESOLVE, "sandwell", disputeId=d["id"], outcome="ARBITRATED")
    assert done["dispute"]["outcome"] == "ARBITRATED"


async def test_lewisham_children_at_risk_challenge_goes_straight_to_the_scrutineer(api):
    raised = await _raise(api, "lewisham", "CHILDREN_AT_RISK_CHALLENGE", subjectDecisionRef="executive-decision-7")
    stage = _stage(raised)
    assert (stage["number"], stage["actor"], stage["final"]) == (1, "SCRUTINEER", True)
    assert raised["dispute"]["subjectDecisionRef"] == "executive-decision-7"
    # Nothing to escalate to: a typed error, nothing written.
    before = await _counts(api, raised["dispute"]["id"])
    refused = await _move(api, ESCALATE, "lewisham", disputeId=raised["dispute"]["id"])
    assert refused["__typename"] == "ConflictError" and "last stage" in refused["message"]
    assert await _counts(api, raised["dispute"]["id"]) == before


async def test_the_same_challenge_in_merton_follows_merton_s_ladder(api):
    raised = await _raise(api, "merton", "CHILDREN_AT_RISK_CHALLENGE", subjectDecisionRef="executive-decision-7")
    stage = _stage(raised)
    assert (stage["number"], stage["actor"], stage["final"]) == (1, "STATUTORY_PARTNERS", False)
    stage2 = _stage(await _move(api, ESCALATE, "merton", disputeId=raised["dispute"]["id"]))
    assert stage2["actor"] == "INDEPENDENT_PERSON"


@pytest.mark.parametrize(("to_stage", "words"), [(3, "cannot be skipped"), (1, "only up its ladder")])
async def test_skipped_or_backward_escalation_is_a_typed_error_and_writes_nothing(api, to_stage, words):
    raised = await _raise(api, "merton", "PROFESSIONAL_DISAGREEMENT")
    gid = raised["dispute"]["id"]
    before = await _counts(api, gid)
    refused = await _move(api, ESCALATE, "merton", disputeId=gid, toStage=to_stage)
    assert refused["__typename"] == "ConflictError", refused
    assert words in refused["message"]
    assert await _counts(api, gid) == before == (1, 1, (1, "OPEN", None))


async def test_an_outcome_not_open_at_the_current_stage_is_refused(api):
    raised = await _raise(api, "merton", "PROFESSIONAL_DISAGREEMENT")
    gid = raised["dispute"]["id"]
    before = await _counts(api, gid)
    refused = await _move(api, RESOLVE, "merton", disputeId=gid, outcome="DETERMINED")
    assert refused["__typename"] == "ConflictError"
    assert "DETERMINED is not open at Stage 1" in refused["message"] and "RESOLVED_BY_AGREEMENT" in refused["message"]
    assert await _counts(api, gid) == before


async def test_a_closed_dispute_does_not_move_and_withdrawal_is_audited(api):
    raised = await _raise(api, "sefton", "PROFESSIONAL_DISAGREEMENT")
    gid = raised["dispute"]["id"]
    withdrawn = await _move(api, WITHDRAW, "sefton", disputeId=gid, notes="settled informally")
    assert withdrawn["dispute"]["outcome"] == "WITHDRAWN"
    assert await _counts(api, gid) == (2, 2, (1, "CLOSED", "WITHDRAWN"))
    for mutation, extra in ((ESCALATE, {}), (RESOLVE, {"outcome": "MEDIATED"}), (WITHDRAW, {})):
        refused = await _move(api, mutation, "sefton", disputeId=gid, **extra)
        assert refused["__typename"] == "ConflictError" and "closed" in refused["message"]
    assert await _counts(api, gid) == (2, 2, (1, "CLOSED", "WITHDRAWN"))


async def test_merton_scrutineer_may_disclose_to_ofsted_when_resolution_is_untenable(api):
    raised = await _raise(api, "merton", "PARTNER_NOT_MEETING_OBLIGATIONS")
    gid = raised["dispute"]["id"]
    # A scrutineer cannot record the Statutory Partners' own agreement…
    refused = await _move(api, RESOLVE, "merton", role=Role.SCRUTINEER, disputeId=gid, outcome="RESOLVED_BY_AGREEMENT")
    assert refused["__typename"] == "NotAuthorizedError"
    # …but may disclose outside the partnership (Merton §8.13).
    done = await _move(api, RESOLVE, "merton", role=Role.SCRUTINEER, disputeId=gid, outcome="REFERRED_OUTSIDE")
    assert done["dispute"]["outcome"] == "REFERRED_OUTSIDE"
    assert done["dispute"]["history"][-1]["stageActor"] == "SCRUTINEER"
    ladder = await api.gql("""{ partnership(code: "merton") { escalationLadder(kind: PARTNER_NOT_MEETING_OBLIGATIONS) {
        disclosures { actor to source { section } } } } }""")
    [route] = ladder["data"]["partnership"]["escalationLadder"]["disclosures"]
    assert route == {"actor": "SCRUTINEER", "to": "Ofsted and the DfE", "source": {"section": "§8.13"}}


async def test_bad_input_is_a_typed_error_naming_the_field(api):
    seat, mine, _other = await _parties(api, "sandwell")
    cases = [
        ({"summary": "  "}, "ValidationError", "summary"),
        ({"aboutAgencyId": mine}, "ValidationError", "aboutAgencyId"),  # about itself
        ({"aboutAgencyId": None}, "ValidationError", "aboutAgencyId"),  # about nothing
    ]
    for extra, typename, field in cases:
        result = await _raise(api, "sandwell", "PROFESSIONAL_DISAGREEMENT", **extra)
        assert result["__typename"] == typename, result
        assert result["field"] == field
    _, _, merton_other = await _parties(api, "merton")
    foreign = await _raise(api, "sandwell", "PROFESSIONAL_DISAGREEMENT", aboutAgencyId=merton_other)
    assert foreign["__typename"] == "NotFoundError"


async def test_disputes_are_confidential_to_members_and_the_scrutineer_reads_them(api):
    raised = await _raise(api, "sefton", "FUNDING_DEFAULT")
    gid = raised["dispute"]["id"]
    query = "query ($id: ID!) { dispute(id: $id) { id kind } }"
    assert (await api.gql(query, {"id": gid}))["data"]["dispute"] is None
    assert (await api.gql(query, {"id": gid}, as_role=("merton", Role.ADMINISTRATOR)))["data"]["dispute"] is None
    for role in (Role.MEMBER, SP, BU, Role.SCRUTINEER, Role.ADMINISTRATOR):
        seen = await api.gql(query, {"id": gid}, as_role=("sefton", role))
        assert seen["data"]["dispute"]["id"] == gid, role
    listing = """{ partnership(code: "sefton") { disputes(kind: FUNDING_DEFAULT) { totalCount nodes { id } } } }"""
    assert (await api.gql(listing))["data"]["partnership"]["disputes"]["totalCount"] == 0
    mine = await api.gql(listing, as_role=("sefton", Role.SCRUTINEER))
    assert gid in [n["id"] for n in mine["data"]["partnership"]["disputes"]["nodes"]]
    # The public may not raise, nor move another partnership's dispute (a denial reveals nothing).
    seat, _, other = await _parties(api, "sefton")
    body = await api.gql(RAISE, {"input": {"partnershipCode": "sefton", "kind": "FUNDING_DEFAULT", "summary": "x",
                                           "raisedBySeatId": seat, "aboutAgencyId": other}})
    assert body["data"]["raiseDispute"]["__typename"] == "NotAuthorizedError"
    foreign = await _move(api, ESCALATE, "merton", role=Role.ADMINISTRATOR, disputeId=gid)
    assert foreign["__typename"] == "NotFoundError"
    # A member may read but not escalate.
    member = await _move(api, ESCALATE, "sefton", role=Role.MEMBER, disputeId=gid)
    assert member["__typename"] == "NotAuthorizedError"
    assert await _counts(api, gid) == (1, 1, (1, "OPEN", None))


async def test_every_borough_compared_in_one_request(api):
    body = await api.gql("""{ disputeResolutionComparison {
        partnership { code } arbiters { actor who } lastResort { actor source { section } } } }""")
    rows = {r["partnership"]["code"]: r for r in body["data"]["disputeResolutionComparison"]}
    assert [a["actor"] for a in rows["merton"]["arbiters"]] == ["INDEPENDENT_PERSON", "INDEPENDENT_PERSON"]
    # Merton §14: a disagreement ends with Stage 3, "The Independent Person will make a determination on
    # the issue."; Stage 4 (the Secretary of State) is for a partner not meeting its statutory obligations.
    assert rows["merton"]["lastResort"]["actor"] == "INDEPENDENT_PERSON"
    assert [a["actor"] for a in rows["lewisham"]["arbiters"]] == ["SCRUTINEER"]
    assert rows["lewisham"]["lastResort"]["actor"] == "SCRUTINEER"
    assert [a["actor"] for a in rows["sefton"]["arbiters"]] == ["SCRUTINEER"]
    # Sefton: the Scrutineer offers "mediation … in dealing with any key areas of disagreement";
    # only "non-compliance" goes on to the Secretary of State.
    assert rows["sefton"]["lastResort"]["actor"] == "SCRUTINEER"
    assert [a["actor"] for a in rows["sandwell"]["arbiters"]] == ["PARTNERSHIP_CHAIR"]
    assert rows["sandwell"]["lastResort"]["source"]["section"] == "§25"


NESTED = """
query ($n: Int!) {
  partnerships(first: $n) { nodes {
    code
    escalationLadder(kind: FUNDING_DEFAULT) { stages { who } }
    disputes(first: 100) { totalCount nodes {
      kind currentStage { actor who } ladder { lastResort { who } }
      raisedBySeat { post } raisedByAgency { name } aboutAgency { name } partnership { code }
      history { move stageActor }
    } }
    scrutiny { appointments { scrutineer } reports { recommendations { text } } activities { group { name } } }
  } }
}"""


async def test_disputes_pages_cost_the_same_statements_for_one_borough_and_four(api):
    for code in ("lewisham", "merton", "sandwell", "sefton"):
        for _ in range(2):
            assert (await _raise(api, code, "PROFESSIONAL_DISAGREEMENT"))["__typename"] == "DisputePayload"
        # The database is shared: other tests (e.g. the authz matrix) leave scrutiny reports in some
        # boroughs. Give every borough one, so one borough and four run the same loaders.
        published = await api.gql(
            "mutation ($i: PublishScrutinyReportInput!) { publishScrutinyReport(input: $i) { __typename } }",
            {"i": {"partnershipCode": code, "title": "uniform data", "publishedOn": "2024-05-01",
                   "recommendations": [{"text": "a recommendation"}]}}, as_role=(code, Role.BUSINESS_UNIT))
        assert published["data"]["publishScrutinyReport"]["__typename"] == "ScrutinyReportPayload", published
    token = await api.token(None, Role.ADMINISTRATOR)
    await api.gql(NESTED, {"n": 2}, token=token)  # warm up: the token's first use is recorded
    counts = []
    for n in (1, 4):
        with api.count_statements() as counter:
            body = await api.gql(NESTED, {"n": n}, token=token)
        nodes = body["data"]["partnerships"]["nodes"]
        assert all(p["disputes"]["totalCount"] >= 2 for p in nodes)
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
