"""What users record is never lost (issue 18, items 4, 6, 7 and the removeSeat part of 13).

Published facts (what a borough's document says, brought in by ``partnerships load`` or
``partnerships import``) and facts recorded through the API (a co-opted member's seat, a
meeting's attendance, a vote) live side by side. A load reconciles only what the document
published; a seat ends with a date instead of disappearing; the record of past meetings
never changes. Each test gets its own database (loads and imports change a whole
partnership), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from core.config import Settings
from core.db import create_engine, session_factory
from core.enums import Role
from core.models import AuditEvent, Group, Partnership, Seat
from core.models.governance import Attendance, Vote
from core.services.load import load_partnership
from tests.conftest import load_all, make_api

ROOT = Path(__file__).resolve().parent.parent
BU = ("merton", Role.BUSINESS_UNIT)

ERRORS = "... on UserError { __typename message } ... on ValidationError { field } ... on NotFoundError { ref }"
GROUP = """query ($group: String!) { partnership(code: "merton") { id
  group(code: $group) { id seats(first: 100) { nodes { id code } } } } }"""
ADD = """mutation ($input: AddSeatInput!) { addSeat(input: $input) {
  __typename ... on SeatPayload { seat { id code } } ERRORS } }""".replace("ERRORS", ERRORS)
REMOVE = """mutation ($input: RemoveSeatInput!) { removeSeat(input: $input) {
  __typename ... on RemoveSeatPayload { removedSeatId endedOn } ... on UserError { __typename message }
  ... on NotFoundError { ref } } }"""
SCHEDULE = """mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) {
  __typename ... on MeetingPayload { meeting { id } } ERRORS } }""".replace("ERRORS", ERRORS)
ATTEND = """mutation ($input: RecordAttendanceInput!) { recordAttendance(input: $input) {
  __typename ... on MeetingPayload { meeting { id } } ERRORS } }""".replace("ERRORS", ERRORS)
DECIDE = """mutation ($input: RecordDecisionInput!) { recordDecision(input: $input) {
  __typename ... on DecisionPayload { decision { id } } ERRORS } }""".replace("ERRORS", ERRORS)
VOTE = """mutation ($input: CastVoteInput!) { castVote(input: $input) {
  __typename ... on VotePayload { vote { countsFor } } ERRORS } }""".replace("ERRORS", ERRORS)
CLOSE = """mutation ($input: DecisionRefInput!) { closeVote(input: $input) {
  __typename ... on DecisionPayload { decision { status } } ERRORS } }""".replace("ERRORS", ERRORS)

# Everything a user left behind, read back through the public API.
STATE = """query ($meeting: ID!, $decision: ID!, $added: ID!, $removed: ID!) {
  partnership(code: "merton") {
    plugin
    group(code: "mscp") { seats(first: 100) { totalCount nodes { code post origin endedOn } } }
  }
  meeting: node(id: $meeting) { ... on Meeting { scheduledOn status
    attendance { status seat { code endedOn } } quorum { satisfied reasons } } }
  decision: node(id: $decision) { ... on Decision { status outcome votes { countsFor choice seat { code } } } }
  added: node(id: $added) { ... on Seat { code post origin endedOn group { code } } }
  removed: node(id: $removed) { ... on Seat { code origin endedOn } }
}"""


class Merton:
    """A fresh database with the four boroughs loaded, served in-process."""

    def __init__(self, url: str, api):
        self.url, self.api = url, api
        self.groups: dict[str, dict] = {}

    async def group(self, code: str) -> dict:
        if code not in self.groups:
            g = (await self.api.gql(GROUP, {"group": code}))["data"]["partnership"]["group"]
            self.groups[code] = {"id": g["id"], "seats": {s["code"]: s["id"] for s in g["seats"]["nodes"]}}
        return self.groups[code]

    async def seat(self, group: str, code: str) -> str:
        return (await self.group(group))["seats"][code]

    async def write(self, mutation: str, input: dict, *, token: str | None = None) -> dict:
        if token is None:
            token = await self.api.token(*BU)
        body = await self.api.gql(mutation, {"input": input}, token=token)
        return next(iter(body["data"].values()))

    async def count(self, model, *where) -> int:
        async with session_factory(self.api.app.state.partnerships.engine)() as session:
            return await session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
async def merton(empty_db, registry):
    await load_all(empty_db, registry)
    api = await make_api("x", empty_db, registry)
    yield Merton(empty_db, api)
    await api.client.aclose()
    await api.app.state.partnerships.engine.dispose()


async def _cli(url: str, *args: str) -> tuple[int, str]:
    """Run the `partnerships` command as an operator would, against the test database."""
    env = {**os.environ, "PARTNERSHIPS_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "from core.cli import main; main()", *args, cwd=str(ROOT), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate()
    return proc.returncode, out.decode()


async def _record_history(m: Merton) -> dict:
    """A user's afternoon at Merton: a co-opted member added, a meeting with attendance, a
    vote taken and closed, then a published seat (a lay member) removed."""
    mscp = await m.group("mscp")
    added = await m.write(ADD, {"groupId": mscp["id"], "code": "mscp-coopted-youth-voice", "role": "CO_OPTED",
                                "post": "Youth voice representative"})
    assert added["__typename"] == "SeatPayload", added
    m.groups.pop("mscp")
    meeting = await m.write(SCHEDULE, {"groupId": mscp["id"], "scheduledOn": "2020-06-10"})
    assert meeting["__typename"] == "MeetingPayload", meeting
    mid = meeting["meeting"]["id"]
    present = ["mscp-lbm", "mscp-merton-ccg", "mscp-met-police", "mscp-coopted-youth-voice", "mscp-lay-member-1"]
    attended = await m.write(ATTEND, {"meetingId": mid, "entries": [
        {"seatId": await m.seat("mscp", code), "status": "PRESENT"} for code in present]})
    assert attended["__typename"] == "MeetingPayload", attended
    decided = await m.write(DECIDE, {"groupId": mscp["id"], "meetingId": mid, "method": "VOTE",
                                     "subject": "Adopt the youth voice strategy"})
    assert decided["__typename"] == "DecisionPayload", decided
    did = decided["decision"]["id"]
    for code, choice in (("mscp-lbm", "FOR"), ("mscp-merton-ccg", "FOR"), ("mscp-met-police", "AGAINST")):
        vote = await m.write(VOTE, {"decisionId": did, "seatId": await m.seat("mscp", code), "choice": choice})
        assert vote["__typename"] == "VotePayload", vote
    closed = await m.write(CLOSE, {"decisionId": did})
    assert closed["decision"]["status"] == "CARRIED", closed
    removed_id = await m.seat("mscp", "mscp-lay-member-1")
    removed = await m.write(REMOVE, {"seatId": removed_id})
    assert removed["__typename"] == "RemoveSeatPayload", removed
    return {"meeting": mid, "decision": did, "added": added["seat"]["id"], "removed": removed_id}


async def _state(m: Merton, ids: dict) -> dict:
    return (await m.api.gql(STATE, ids, as_role=BU))["data"]


async def test_load_after_user_writes_changes_nothing_users_recorded(merton):
    """The issue's test: add a seat, record attendance and a vote, remove a published seat, run
    `partnerships load`, and find everything as users left it."""
    ids = await _record_history(merton)
    before = await _state(merton, ids)
    seats = {s["code"]: s for s in before["partnership"]["group"]["seats"]["nodes"]}
    assert seats["mscp-coopted-youth-voice"]["origin"] == "RECORDED"
    assert seats["mscp-lbm"]["origin"] == "PUBLISHED"
    assert "mscp-lay-member-1" not in seats  # ended: no longer a seat in force ...
    assert before["removed"]["endedOn"] is not None  # ... but still there, with the day it ended
    # ... and its attendance at the past meeting is part of that meeting's record.
    assert {"status": "PRESENT", "seat": {"code": "mscp-lay-member-1", "endedOn": before["removed"]["endedOn"]}} \
        in before["meeting"]["attendance"]
    assert len(before["decision"]["votes"]) == 3
    events = await merton.count(AuditEvent)

    code, out = await _cli(merton.url, "load")
    assert code == 0, out
    assert "merton: unchanged" in out, out

    assert await _state(merton, ids) == before
    assert await merton.count(AuditEvent) == events  # nothing changed, so nothing to audit


async def test_a_load_ends_the_published_seats_the_document_drops_and_audits_each_change(merton, registry, tmp_path):
    """A new edition of the document drops a lay member's seat and renames a group: the seat
    ends (its attendance stays), the group is renamed, the seat a user added is untouched —
    and the audit trail has one event for each record that changed."""
    ids = await _record_history(merton)
    lay2 = await merton.seat("mscp", "mscp-lay-member-2")
    mid = ids["meeting"]
    assert (await merton.write(ATTEND, {"meetingId": mid, "entries": [{"seatId": lay2, "status": "APOLOGIES"}]}))[
        "__typename"] == "MeetingPayload"
    rules = next(r for r in registry if r.code == "merton")
    text = rules.data_file.read_text()
    block = text[text.index('[[seats]]\ncode = "mscp-lay-member-2"'):]
    block = block[:block.index("\n\n") + 2]
    edited = tmp_path / "arrangements.toml"
    edited.write_text(text.replace(block, "").replace('name = "Executive Group"', 'name = "Executive Board"'))
    last = await merton.count(AuditEvent)
    async with merton.api.app.state.partnerships.engine.connect() as conn:
        newest = await conn.scalar(select(func.max(AuditEvent.id)))

    engine = create_engine(Settings(database_url=merton.url), merton.url)
    try:
        async with session_factory(engine)() as session, session.begin():
            report = await load_partnership(session, replace(rules, data_file=edited))
        async with session_factory(engine)() as session:
            new = (await session.scalars(select(AuditEvent).where(AuditEvent.id > newest).order_by(AuditEvent.id))).all()
            seat = await session.scalar(select(Seat).where(Seat.code == "mscp-lay-member-2"))
            kept = await session.scalar(select(func.count()).select_from(Attendance).where(Attendance.seat_id == seat.id))
    finally:
        await engine.dispose()
    assert (report.created, report.updated, report.removed) == (0, 1, 1), report
    assert seat is not None and seat.ended_on is not None  # ended, not deleted
    assert kept == 1  # its apologies at the past meeting are still on the record
    assert sorted((e.action, e.entity_type) for e in new) == [("group.update", "Group"), ("seat.remove", "Seat")]
    assert await merton.count(AuditEvent) == last + 2
    ended = next(e for e in new if e.entity_type == "Seat")
    assert ended.entity_id == str(seat.id) and ended.after["ended_on"] == seat.ended_on.isoformat()

    state = await _state(merton, ids)
    codes = [s["code"] for s in state["partnership"]["group"]["seats"]["nodes"]]
    assert "mscp-lay-member-2" not in codes and "mscp-coopted-youth-voice" in codes and "mscp-lay-member-1" not in codes


async def test_remove_seat_ends_it_and_past_meetings_and_votes_never_change(merton):
    """Item 6: removing a seat ends it with a date; the attendance and the votes behind a
    closed decision stay, and the past meeting's quorum reads as it did."""
    ids = await _record_history(merton)
    state = await _state(merton, ids)
    assert state["decision"]["status"] == "CARRIED"
    # Now the statutory partner who voted against leaves: its seat ends.
    police = await merton.seat("mscp", "mscp-met-police")
    quorum_before = state["meeting"]["quorum"]
    removed = await merton.write(REMOVE, {"seatId": police})
    assert removed["__typename"] == "RemoveSeatPayload" and removed["endedOn"], removed
    after = await _state(merton, ids)
    assert sorted((v["countsFor"], v["choice"], v["seat"]["code"]) for v in after["decision"]["votes"]) == [
        ("lbm", "FOR", "mscp-lbm"), ("merton-ccg", "FOR", "mscp-merton-ccg"), ("met-police", "AGAINST", "mscp-met-police")]
    assert after["decision"]["outcome"] == state["decision"]["outcome"]
    assert len(after["meeting"]["attendance"]) == 5
    assert after["meeting"]["quorum"] == quorum_before  # judged with the seats in force on the day
    assert await merton.count(Vote) == 3 and await merton.count(Attendance) == 5
    # Ended seats do not count now: they are gone from the group's seats and hold no vote.
    codes = [s["code"] for s in after["partnership"]["group"]["seats"]["nodes"]]
    assert "mscp-met-police" not in codes
    again = await merton.write(REMOVE, {"seatId": police})
    assert again["__typename"] == "ConflictError" and "ended" in again["message"]
    meeting = await merton.write(SCHEDULE, {"groupId": (await merton.group("mscp"))["id"], "scheduledOn": "2031-01-08"})
    late = await merton.write(ATTEND, {"meetingId": meeting["meeting"]["id"],
                                       "entries": [{"seatId": police, "status": "PRESENT"}]})
    assert late["__typename"] == "ValidationError" and late["field"] == "entries[0].seatId", late


async def test_ended_seats_are_left_out_of_exports_and_comparisons(merton):
    ids = await _record_history(merton)
    csv = (await merton.api.client.get("/partnerships/merton/seats.csv")).text
    assert "mscp-lay-member-1" not in csv and "mscp-lay-member-2" in csv
    popolo = (await merton.api.client.get("/partnerships/merton/popolo.json")).json()
    assert "mscp-lay-member-1" not in json.dumps(popolo) and "mscp-lay-member-2" in json.dumps(popolo)
    removed = (await merton.api.gql(STATE, ids, as_role=BU))["data"]["removed"]
    assert removed["code"] == "mscp-lay-member-1" and removed["endedOn"]  # history still resolves it


async def test_remove_seat_in_a_confidential_group_answers_as_for_a_seat_that_does_not_exist(merton):
    """Item 13: an outsider learns nothing from removeSeat about a confidential group's seat."""
    executive = await merton.group("executive")
    seat_id = next(iter(executive["seats"].values()))
    async with session_factory(merton.api.app.state.partnerships.engine)() as session, session.begin():
        merton_id = select(Partnership.id).where(Partnership.code == "merton").scalar_subquery()
        await session.execute(update(Group).where(Group.code == "executive", Group.partnership_id == merton_id)
                              .values(confidential=True))
    outsider = await merton.api.token("lewisham", Role.BUSINESS_UNIT)
    from schema.types.common import from_global_id, to_global_id

    _, pk = from_global_id(seat_id)
    missing = to_global_id("Seat", 2_000_000_000)
    for token in (outsider, None):
        hidden = (await merton.api.gql(REMOVE, {"input": {"seatId": seat_id}}, token=token))["data"]["removeSeat"]
        absent = (await merton.api.gql(REMOVE, {"input": {"seatId": missing}}, token=token))["data"]["removeSeat"]
        assert hidden["__typename"] == absent["__typename"] == "NotFoundError", (hidden, absent)
        assert hidden["ref"] == absent["ref"] == "seatId"
        assert hidden["message"].replace(str(pk), "N") == absent["message"].replace("2000000000", "N")
        assert "group" not in hidden["message"]
    assert await merton.count(Seat, Seat.id == pk, Seat.ended_on.is_(None)) == 1  # nothing written
    member = await merton.write(REMOVE, {"seatId": seat_id})
    assert member["__typename"] == "RemoveSeatPayload"  # the partnership's own business unit may


# ----------------------------------------------------------------------------- import


async def _export(m: Merton, tmp_path: Path) -> Path:
    code, out = await _cli(m.url, "export", "merton", "--include-confidential", "--out", str(tmp_path / "merton.json"))
    assert code == 0, out
    return tmp_path / "merton.json"


async def test_import_of_an_installed_boroughs_code_is_refused_without_replace(merton, tmp_path):
    """Item 7: a file carrying Merton's code does not silently take Merton over."""
    ids = await _record_history(merton)
    path = await _export(merton, tmp_path)
    doc = json.loads(path.read_text())
    doc["organizations"][0]["name"] = "Somewhere Else Entirely"
    path.write_text(json.dumps(doc))
    before = await _state(merton, ids)
    events = await merton.count(AuditEvent)
    code, out = await _cli(merton.url, "import", str(path))
    assert code != 0 and "merton" in out and "--replace" in out, out
    assert await _state(merton, ids) == before
    assert await merton.count(AuditEvent) == events
    async with session_factory(merton.api.app.state.partnerships.engine)() as session:
        assert await session.scalar(select(Partnership.name).where(Partnership.code == "merton")) != "Somewhere Else Entirely"


async def test_import_with_replace_keeps_recorded_history_and_the_plugin_label(merton, tmp_path):
    """Item 7: with --replace the file's published structure replaces Merton's, yet meetings,
    decisions, votes and attendance stay, and Merton stays Merton's plugin's."""
    ids = await _record_history(merton)
    path = await _export(merton, tmp_path)
    doc = json.loads(path.read_text())
    # The file no longer lists the second lay member.
    doc_text = json.dumps(doc)
    assert "mscp-lay-member-2" in doc_text
    before = await _state(merton, ids)
    assert before["partnership"]["plugin"] == "merton"
    counts = (await merton.count(Attendance), await merton.count(Vote))

    code, out = await _cli(merton.url, "import", "--replace", str(path))
    assert code == 0, out
    after = await _state(merton, ids)
    assert after == before  # its own export: nothing to change, the label kept
    assert (await merton.count(Attendance), await merton.count(Vote)) == counts

    for key in ("memberships", "posts"):
        doc[key] = [x for x in doc.get(key, []) if "mscp-lay-member-2" not in json.dumps(x)]
    path.write_text(json.dumps(doc))
    code, out = await _cli(merton.url, "import", "--replace", str(path))
    assert code == 0, out
    after = await _state(merton, ids)
    assert after["partnership"]["plugin"] == "merton"
    assert "mscp-lay-member-2" not in [s["code"] for s in after["partnership"]["group"]["seats"]["nodes"]]
    assert "mscp-coopted-youth-voice" in [s["code"] for s in after["partnership"]["group"]["seats"]["nodes"]]
    assert after["meeting"] == before["meeting"] and after["decision"] == before["decision"]
    assert (await merton.count(Attendance), await merton.count(Vote)) == counts
