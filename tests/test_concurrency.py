"""Two clients writing the same thing at the same moment: one wins, the other gets a typed
conflict; nothing is double-counted. Real concurrent sessions (two app instances, as two
workers would be) on each database."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from core.db import session_factory
from core.enums import Role
from core.models import AuditEvent, Partnership, Seat
from core.models.disputes import Dispute
from core.models.funding import Contribution
from core.models.governance import Appointment, Vote
from core.rules.disputes import DisputeKind
from schema.types.common import from_global_id
from tests.conftest import BACKENDS, load_all, make_api

ADD = """mutation ($input: AddSeatInput!) { addSeat(input: $input) { __typename ... on UserError { message } } }"""


async def test_two_workers_adding_the_same_seat_at_once(api, registry):
    other = await make_api(api.backend, api.url, registry)
    try:
        gid = (await api.gql('{ partnership(code: "lewisham") { group(code: "executive") { id } } }'))[
            "data"]["partnership"]["group"]["id"]
        token = await api.token("lewisham", Role.BUSINESS_UNIT)
        for round_ in range(5):
            code = f"exec-race-{api.backend}-{round_}"
            variables = {"input": {"groupId": gid, "code": code, "role": "ADVISOR", "post": "Legal adviser"}}
            a, b = await asyncio.gather(api.gql(ADD, variables, token=token), other.gql(ADD, variables, token=token))
            kinds = sorted([a["data"]["addSeat"]["__typename"], b["data"]["addSeat"]["__typename"]])
            assert "SeatPayload" in kinds and len(set(kinds)) == 2, kinds
            assert set(kinds) - {"SeatPayload"} <= {"ConflictError", "ValidationError"}, kinds
            async with session_factory(api.app.state.partnerships.engine)() as session:
                seats = await session.scalar(select(func.count()).select_from(Seat).where(Seat.code == code))
                seat_id = await session.scalar(select(Seat.id).where(Seat.code == code))
                events = await session.scalar(select(func.count()).select_from(AuditEvent).where(
                    AuditEvent.action == "seat.create", AuditEvent.entity_id == str(seat_id)))
            assert (seats, events) == (1, 1)
    finally:
        await other.client.aclose()
        await other.app.state.partnerships.engine.dispose()


async def test_two_workers_escalating_one_dispute_at_once(api, registry):
    """Merton §8 ladder: two business-unit officers press "escalate" on the same dispute at
    the same moment. One move is recorded; the other is told someone moved it first. The
    dispute climbs one stage, with one history entry and one audit event for the move."""
    from tests.test_disputes import ESCALATE, _counts, _raise

    other = await make_api(api.backend, api.url, registry)
    try:
        token = await api.token("merton", Role.BUSINESS_UNIT)
        for round_ in range(3):
            dispute = (await _raise(api, "merton", "PROFESSIONAL_DISAGREEMENT"))["dispute"]
            # Both ask for stage 2: whichever way the two interleave, exactly one move is right.
            variables = {"input": {"disputeId": dispute["id"], "toStage": 2, "notes": f"race {round_}"}}
            a, b = await asyncio.gather(api.gql(ESCALATE, variables, token=token),
                                        other.gql(ESCALATE, variables, token=token))
            kinds = sorted([a["data"]["escalateDispute"]["__typename"], b["data"]["escalateDispute"]["__typename"]])
            assert kinds == ["ConflictError", "DisputePayload"], (a, b)
            assert await _counts(api, dispute["id"]) == (2, 2, (2, "OPEN", None))  # raised + one escalation
    finally:
        await other.client.aclose()
        await other.app.state.partnerships.engine.dispose()


# ----------------------------------------------------------------------------- invariants under races
#
# Rules that sequential writes enforce must hold when two requests arrive at once (issue 18,
# item 5). Each test runs two app instances (two workers) on a database of their own, fires
# the two conflicting requests together for several rounds, and checks the database after
# each round. On PostgreSQL the requests truly overlap; SQLite runs one writer at a time.


@pytest.fixture(scope="module", params=BACKENDS)
async def pair(request, databases, registry):
    """Two workers on one fresh database with the four boroughs loaded."""
    url = await databases.new(request.param)
    await load_all(url, registry)
    one = await make_api(request.param, url, registry)
    two = await make_api(request.param, url, registry)
    yield one, two
    for api in (one, two):
        await api.client.aclose()
        await api.app.state.partnerships.engine.dispose()


ERRORS = "... on UserError { __typename message }"
APPOINT = """mutation ($input: AppointInput!) { appoint(input: $input) {
  __typename ... on AppointmentPayload { appointment { id } } ERRORS } }""".replace("ERRORS", ERRORS)


async def _ids(api, code: str, group: str) -> tuple[str, str, dict[str, str]]:
    body = await api.gql("""query ($code: String!, $group: String!) { partnership(code: $code) { id
        group(code: $group) { id seats(first: 100) { nodes { id code } } } } }""", {"code": code, "group": group})
    p = body["data"]["partnership"]
    return p["id"], p["group"]["id"], {s["code"]: s["id"] for s in p["group"]["seats"]["nodes"]}


async def _both(one, two, mutation: str, first: dict, second: dict, token: str) -> list[dict]:
    a, b = await asyncio.gather(one.gql(mutation, {"input": first}, token=token),
                                two.gql(mutation, {"input": second}, token=token))
    return [next(iter(a["data"].values())), next(iter(b["data"].values()))]


async def _count(api, stmt) -> int:
    async with session_factory(api.app.state.partnerships.engine)() as session:
        return await session.scalar(stmt)


async def test_one_person_is_never_both_independent_person_and_scrutineer_under_concurrent_requests(pair):
    """Merton §7.10: the Independent Person and the Independent Scrutineer cannot be the same
    person — also when both appointments arrive at the same moment."""
    one, two = pair
    pid, _, _ = await _ids(one, "merton", "mscp")
    token = await one.token("merton", Role.BUSINESS_UNIT)
    for round_ in range(8):
        name = f"Pat Race {one.backend} {round_}"
        results = await _both(one, two, APPOINT,
                              {"partnershipId": pid, "office": "INDEPENDENT_PERSON", "holderName": name,
                               "startsOn": "2020-04-01"},
                              {"partnershipId": pid, "office": "INDEPENDENT_SCRUTINEER", "holderName": name,
                               "startsOn": "2020-04-01"}, token)
        kinds = sorted(r["__typename"] for r in results)
        assert kinds[0] == "AppointmentPayload" and kinds[1] in ("ValidationError", "ConflictError"), results
        held = await _count(one, select(func.count()).select_from(Appointment).where(Appointment.holder_name == name))
        assert held == 1, f"round {round_}: {name} holds {held} offices"


async def test_one_person_is_never_chair_and_vice_chair_of_one_group_under_concurrent_requests(pair):
    one, two = pair
    pid, gid, _ = await _ids(one, "merton", "policy")
    token = await one.token("merton", Role.BUSINESS_UNIT)
    for round_ in range(6):
        name = f"Sam Race {one.backend} {round_}"
        results = await _both(one, two, APPOINT,
                              {"partnershipId": pid, "office": "SUBGROUP_CHAIR", "holderName": name,
                               "startsOn": "2020-04-01", "groupId": gid},
                              {"partnershipId": pid, "office": "SUBGROUP_VICE_CHAIR", "holderName": name,
                               "startsOn": "2020-04-01", "groupId": gid}, token)
        kinds = sorted(r["__typename"] for r in results)
        assert kinds[0] == "AppointmentPayload" and kinds[1] in ("ValidationError", "ConflictError"), results
        held = await _count(one, select(func.count()).select_from(Appointment).where(Appointment.holder_name == name))
        assert held == 1, f"round {round_}: {name} holds {held} offices"


RECORD = """mutation ($input: RecordContributionInput!) { recordContribution(input: $input) {
  __typename ... on ContributionPayload { contribution { id } } ERRORS } }""".replace("ERRORS", ERRORS)
ESCALATE = """mutation ($input: EscalateOverdueInput!) { escalateOverdueContributions(input: $input) {
  __typename ... on EscalationPayload { overdue { disputeOpened disputeId } } ERRORS } }""".replace("ERRORS", ERRORS)


async def test_one_overdue_contribution_opens_one_funding_default_dispute_under_concurrent_requests(pair):
    """Lewisham: a contribution in default opens a dispute once, however many officers press
    "escalate" at the same moment."""
    one, two = pair
    token = await one.token("lewisham", Role.BUSINESS_UNIT)
    for round_ in range(5):
        year = 2040 + round_
        fy = f"{year}/{(year + 1) % 100:02d}"
        made = (await one.gql(RECORD, {"input": {
            "partnershipCode": "lewisham", "agencyCode": "lewisham-ccg", "financialYear": fy, "kind": "CASH",
            "amountPence": 1_000_000, "status": "INVOICED", "dueDate": f"{year}-05-01"}}, token=token))
        assert made["data"]["recordContribution"]["__typename"] == "ContributionPayload", made
        disputes = select(func.count()).select_from(Dispute).where(Dispute.kind == DisputeKind.FUNDING_DEFAULT)
        before = await _count(one, disputes)
        escalate = {"partnershipCode": "lewisham", "asOf": f"{year}-06-01"}
        results = await _both(one, two, ESCALATE, escalate, escalate, token)
        assert all(r["__typename"] in ("EscalationPayload", "ConflictError") for r in results), results
        assert "EscalationPayload" in [r["__typename"] for r in results], results
        assert await _count(one, disputes) == before + 1, f"round {round_}: more than one dispute for one default"
        ids = {await _count(one, select(Contribution.default_dispute_id).where(
            Contribution.financial_year == fy, Contribution.partnership_id == select(Partnership.id).where(
                Partnership.code == "lewisham").scalar_subquery()))}
        assert None not in ids, ids


DECIDE = """mutation ($input: RecordDecisionInput!) { recordDecision(input: $input) {
  __typename ... on DecisionPayload { decision { id } } ERRORS } }""".replace("ERRORS", ERRORS)
SCHEDULE = """mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) {
  __typename ... on MeetingPayload { meeting { id } } ERRORS } }""".replace("ERRORS", ERRORS)
ATTEND = """mutation ($input: RecordAttendanceInput!) { recordAttendance(input: $input) {
  __typename ... on MeetingPayload { meeting { id } } ERRORS } }""".replace("ERRORS", ERRORS)
VOTE = """mutation ($input: CastVoteInput!) { castVote(input: $input) {
  __typename ... on VotePayload { vote { countsFor } } ERRORS } }""".replace("ERRORS", ERRORS)
CLOSE = """mutation ($input: DecisionRefInput!) { closeVote(input: $input) {
  __typename ... on DecisionPayload { decision { status } } ERRORS } }""".replace("ERRORS", ERRORS)


async def test_no_vote_is_accepted_after_the_tally_under_concurrent_requests(pair):
    """A vote and the close of the vote at the same moment: either the vote is in the tally,
    or it is refused — never accepted and left out of a closed decision's result."""
    one, two = pair
    _, gid, seats = await _ids(one, "merton", "mscp")
    token = await one.token("merton", Role.BUSINESS_UNIT)
    for round_ in range(6):
        meeting = (await one.gql(SCHEDULE, {"input": {"groupId": gid, "scheduledOn": f"2021-0{round_ + 1}-15"}},
                                 token=token))["data"]["scheduleMeeting"]["meeting"]["id"]
        attended = await one.gql(ATTEND, {"input": {"meetingId": meeting, "entries": [
            {"seatId": seats[c], "status": "PRESENT"} for c in ("mscp-lbm", "mscp-merton-ccg", "mscp-met-police")]}},
            token=token)
        assert attended["data"]["recordAttendance"]["__typename"] == "MeetingPayload", attended
        did = (await one.gql(DECIDE, {"input": {"groupId": gid, "meetingId": meeting, "method": "VOTE",
                                                "subject": f"Race {round_}"}}, token=token)
               )["data"]["recordDecision"]["decision"]["id"]
        for code, choice in (("mscp-lbm", "FOR"), ("mscp-merton-ccg", "AGAINST")):
            cast = await one.gql(VOTE, {"input": {"decisionId": did, "seatId": seats[code], "choice": choice}},
                                 token=token)
            assert cast["data"]["castVote"]["__typename"] == "VotePayload", cast
        # 1 for, 1 against: the third vote decides the result, if it gets in before the close.
        vote, close = await asyncio.gather(
            one.gql(VOTE, {"input": {"decisionId": did, "seatId": seats["mscp-met-police"], "choice": "FOR"}},
                    token=token),
            two.gql(CLOSE, {"input": {"decisionId": did}}, token=token))
        vote, close = vote["data"]["castVote"], close["data"]["closeVote"]
        assert close["__typename"] == "DecisionPayload", close
        _, pk = from_global_id(did)
        stored = await _count(one, select(func.count()).select_from(Vote).where(Vote.decision_id == pk))
        if vote["__typename"] == "VotePayload":
            assert stored == 3 and close["decision"]["status"] == "CARRIED", (vote, close, stored)
        else:
            assert vote["__typename"] == "ConflictError" and "closed" in vote["message"], vote
            assert stored == 2 and close["decision"]["status"] != "CARRIED", (vote, close, stored)
