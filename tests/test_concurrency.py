"""Two clients writing the same thing at the same moment: one wins, the other gets a typed
conflict; nothing is double-counted. Real concurrent sessions (two app instances, as two
workers would be) on each database."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from core.db import session_factory
from core.enums import Role
from core.models import AuditEvent, Seat
from tests.conftest import make_api

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
