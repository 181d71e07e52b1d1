"""Independent scrutiny through the GraphQL API: the appointment, activities, reports with
findings and recommendations, and the partnership's response to each recommendation."""

from __future__ import annotations

from sqlalchemy import func, select

from core.db import session_factory
from core.enums import Role
from core.models import AuditEvent

BU = Role.BUSINESS_UNIT
SCR = Role.SCRUTINEER


APPOINT = """mutation ($input: AppointScrutineerInput!) { appointScrutineer(input: $input) {
  __typename ... on ScrutinyAppointmentPayload { appointment { id scrutineer appointedBy appointedFrom source { section } } }
  ... on UserError { message } ... on ValidationError { field } } }"""
ACTIVITY = """mutation ($input: RecordScrutinyActivityInput!) { recordScrutinyActivity(input: $input) {
  __typename ... on ScrutinyActivityPayload { activity { id kind title group { code } } }
  ... on UserError { message } } }"""
REPORT = """mutation ($input: PublishScrutinyReportInput!) { publishScrutinyReport(input: $input) {
  __typename ... on ScrutinyReportPayload { report { id title findings recommendations { id position text response } } }
  ... on UserError { message } } }"""
RESPOND = """mutation ($input: RespondToRecommendationInput!) { respondToRecommendation(input: $input) {
  __typename ... on RecommendationPayload { recommendation { id response responseReason respondedBy } }
  ... on UserError { message } ... on ValidationError { field } } }"""
SCRUTINY = """{ partnership(code: "sandwell") { scrutiny {
  appointments { scrutineer appointedBy appointedFrom }
  activities { title kind }
  reports { title findings recommendations { text response responseReason } } } } }"""


async def _audit(api, action: str) -> int:
    async with session_factory(api.app.state.partnerships.engine)() as session:
        return await session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


async def test_scrutiny_appointment_activities_reports_and_responses(api):
    await api.token("sandwell", BU), await api.token("sandwell", SCR), await api.token("sandwell", Role.STATUTORY_PARTNER)
    before = {a: await _audit(api, a) for a in ("scrutiny.appoint", "scrutiny.activity", "scrutiny.report",
                                                 "scrutiny.respond")}
    # Sandwell §11: the SCSP has appointed an Independent Scrutineer, Liz Murphy.
    body = await api.gql(APPOINT, {"input": {
        "partnershipCode": "sandwell", "scrutineer": "Liz Murphy (test)", "appointedBy": "the safeguarding partners",
        "appointedFrom": "2021-04-01", "source": "§11"}}, as_role=("sandwell", BU))
    appointment = body["data"]["appointScrutineer"]
    assert appointment["__typename"] == "ScrutinyAppointmentPayload"
    assert appointment["appointment"]["source"]["section"] == "§11"

    groups = await api.gql('{ partnership(code: "sandwell") { groups(first: 1) { nodes { id code } } } }')
    group = groups["data"]["partnership"]["groups"]["nodes"][0]
    body = await api.gql(ACTIVITY, {"input": {
        "partnershipCode": "sandwell", "kind": "MEETING_ATTENDED", "title": "Attended the partnership meeting",
        "happenedOn": "2021-06-10", "groupId": group["id"]}}, as_role=("sandwell", SCR))
    assert body["data"]["recordScrutinyActivity"]["activity"]["group"]["code"] == group["code"]

    body = await api.gql(REPORT, {"input": {
        "partnershipCode": "sandwell", "title": "Scrutiny report (test)", "publishedOn": "2021-09-01",
        "findings": ["Partners attend consistently", "The voice of the child is under-used"],
        "recommendations": [{"text": "Embed the voice of the child", "addressedTo": "the partnership"},
                            {"text": "Hold an extra meeting"}]}}, as_role=("sandwell", SCR))
    report = body["data"]["publishScrutinyReport"]["report"]
    recs = report["recommendations"]
    assert [r["position"] for r in recs] == [1, 2] and all(r["response"] is None for r in recs)

    # Rejecting needs a reason: a typed error, nothing written.
    refused = await api.gql(RESPOND, {"input": {"recommendationId": recs[1]["id"], "response": "REJECTED"}},
                            as_role=("sandwell", BU))
    assert refused["data"]["respondToRecommendation"]["field"] == "reason"
    # The scrutineer does not answer its own recommendations.
    refused = await api.gql(RESPOND, {"input": {"recommendationId": recs[0]["id"], "response": "ACCEPTED"}},
                            as_role=("sandwell", SCR))
    assert refused["data"]["respondToRecommendation"]["__typename"] == "NotAuthorizedError"
    for rec, response, reason, role in ((recs[0], "IN_PROGRESS", None, Role.STATUTORY_PARTNER),
                                        (recs[0], "ACCEPTED", None, BU),
                                        (recs[1], "REJECTED", "Bi-monthly meetings suffice", BU)):
        body = await api.gql(RESPOND, {"input": {"recommendationId": rec["id"], "response": response,
                                                 "reason": reason}}, as_role=("sandwell", role))
        assert body["data"]["respondToRecommendation"]["recommendation"]["response"] == response

    after = {a: await _audit(api, a) for a in before}
    assert {a: after[a] - before[a] for a in before} == {
        "scrutiny.appoint": 1, "scrutiny.activity": 1, "scrutiny.report": 1, "scrutiny.respond": 3}

    # The scrutineer reads everything; the public sees the appointment only.
    seen = (await api.gql(SCRUTINY, as_role=("sandwell", SCR)))["data"]["partnership"]["scrutiny"]
    mine = next(r for r in seen["reports"] if r["title"] == "Scrutiny report (test)")
    assert [(r["response"], r["responseReason"]) for r in mine["recommendations"]] == [
        ("ACCEPTED", None), ("REJECTED", "Bi-monthly meetings suffice")]
    assert "Attended the partnership meeting" in [a["title"] for a in seen["activities"]]
    public = (await api.gql(SCRUTINY))["data"]["partnership"]["scrutiny"]
    assert "Liz Murphy (test)" in [a["scrutineer"] for a in public["appointments"]]
    assert public["activities"] == [] and public["reports"] == []


async def test_scrutiny_writes_need_the_right_role(api):
    body = await api.gql(REPORT, {"input": {"partnershipCode": "merton", "title": "x", "publishedOn": "2021-01-01"}},
                         as_role=("merton", Role.MEMBER))
    assert body["data"]["publishScrutinyReport"]["__typename"] == "NotAuthorizedError"
    body = await api.gql(APPOINT, {"input": {"partnershipCode": "merton", "scrutineer": "x", "appointedBy": "y",
                                             "appointedFrom": "2021-01-01"}}, as_role=("merton", SCR))
    assert body["data"]["appointScrutineer"]["__typename"] == "NotAuthorizedError"
    body = await api.gql(APPOINT, {"input": {"partnershipCode": "merton", "scrutineer": "x", "appointedBy": "y",
                                             "appointedFrom": "2021-01-01", "appointedUntil": "2020-01-01"}},
                         as_role=("merton", BU))
    assert body["data"]["appointScrutineer"]["field"] == "appointedUntil"
