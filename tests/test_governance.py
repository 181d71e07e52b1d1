"""Governance through the GraphQL API: meetings, attendance, quorum, decisions and votes,
chairs, appointments and attendance concerns — the seeds' cases, on both databases.

The `api` database is shared by the session: every test creates its own meetings,
decisions and appointments and asserts only on those.
"""

from __future__ import annotations

import uuid

from core.enums import Role

BU = {"merton": ("merton", Role.BUSINESS_UNIT), "lewisham": ("lewisham", Role.BUSINESS_UNIT),
      "sefton": ("sefton", Role.BUSINESS_UNIT), "sandwell": ("sandwell", Role.BUSINESS_UNIT)}

GROUP = """
query ($code: String!, $group: String!) {
  partnership(code: $code) {
    id
    group(code: $group) { id name seats(first: 100) { nodes { id code } } }
  }
}"""

ERRORS = "... on UserError { __typename message } ... on ValidationError { field } ... on NotFoundError { ref }"

SCHEDULE = """
mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) {
  __typename ... on MeetingPayload { meeting { id scheduledOn status agenda { position title } } } ERRORS } }""".replace("ERRORS", ERRORS)

UPDATE = """
mutation ($input: UpdateMeetingInput!) { updateMeeting(input: $input) {
  __typename ... on MeetingPayload { meeting { id status minutesPublishedOn papersCirculatedOn } } ERRORS } }""".replace("ERRORS", ERRORS)

ATTEND = """
mutation ($input: RecordAttendanceInput!) { recordAttendance(input: $input) {
  __typename ... on MeetingPayload { meeting { id attendance { seat { code } status chairAgreed }
    quorum { satisfied reasons requirement source { document section } } } } ERRORS } }""".replace("ERRORS", ERRORS)

DECIDE = """
mutation ($input: RecordDecisionInput!) { recordDecision(input: $input) {
  __typename ... on DecisionPayload { decision { id method status outcome flagged flags } } ERRORS } }""".replace("ERRORS", ERRORS)

VOTE = """
mutation ($input: CastVoteInput!) { castVote(input: $input) {
  __typename ... on VotePayload { vote { countsFor choice seat { code } } } ERRORS } }""".replace("ERRORS", ERRORS)

CLOSE = """
mutation ($input: DecisionRefInput!) { closeVote(input: $input) {
  __typename ... on DecisionPayload { decision { id status outcome votes { countsFor choice } } } ERRORS } }""".replace("ERRORS", ERRORS)

REPORT = """
mutation ($input: ReportDecisionInput!) { reportDecision(input: $input) {
  __typename ... on DecisionPayload { decision { id flagged flags reportedAt { id } } } ERRORS } }""".replace("ERRORS", ERRORS)

APPOINT = """
mutation ($input: AppointInput!) { appoint(input: $input) {
  __typename ... on AppointmentPayload { appointment { id office holderName startsOn } } ERRORS } }""".replace("ERRORS", ERRORS)

SELECT_CHAIR = """
mutation ($input: RecordChairSelectionInput!) { recordChairSelection(input: $input) {
  __typename ... on ChairSelectionPayload { financialYear } ERRORS } }""".replace("ERRORS", ERRORS)

ADD_SEAT = """
mutation ($input: AddSeatInput!) { addSeat(input: $input) {
  __typename ... on SeatPayload { seat { id code } } ... on UserError { message } } }"""

CHAIR = """
query ($code: String!, $group: String!, $fy: String!) {
  partnership(code: $code) { group(code: $group) {
    chair(financialYear: $fy) { financialYear basis office provisional recorded reasons
      agency { code } source { document section } }
    chairingRule { rotation { code } }
  } }
}"""

WHAT_IF = """
query ($code: String!, $group: String!, $present: [ID!]!, $acting: Boolean! = false) {
  partnership(code: $code) { group(code: $group) {
    quorum(present: $present, actingForPartnership: $acting) { satisfied reasons requirement source { document section } }
  } }
}"""


class Borough:
    """A borough's group and seat IDs, read through the API."""

    def __init__(self, api, code: str):
        self.api, self.code = api, code
        self.partnership_id: str | None = None
        self.groups: dict[str, dict] = {}

    async def group(self, code: str) -> dict:
        if code not in self.groups:
            body = await self.api.gql(GROUP, {"code": self.code, "group": code})
            p = body["data"]["partnership"]
            self.partnership_id = p["id"]
            g = p["group"]
            self.groups[code] = {"id": g["id"], "name": g["name"], "seats": {s["code"]: s["id"] for s in g["seats"]["nodes"]}}
        return self.groups[code]

    async def seat(self, group: str, seat: str) -> str:
        return (await self.group(group))["seats"][seat]

    async def write(self, mutation: str, input: dict) -> dict:
        body = await self.api.gql(mutation, {"input": input}, as_role=BU[self.code])
        return next(iter(body["data"].values()))

    async def meeting(self, group: str, day: str, present: dict[str, str] | None = None, **extra) -> str:
        result = await self.write(SCHEDULE, {"groupId": (await self.group(group))["id"], "scheduledOn": day, **extra})
        assert result["__typename"] == "MeetingPayload", result
        mid = result["meeting"]["id"]
        if present:
            r = await self.attend(mid, group, present)
            assert r["__typename"] == "MeetingPayload", r
        return mid

    async def attend(self, meeting_id: str, group: str, statuses: dict[str, str], **extra) -> dict:
        entries = [{"seatId": await self.seat(group, s), "status": st, **extra.get(s, {})} for s, st in statuses.items()]
        return await self.write(ATTEND, {"meetingId": meeting_id, "entries": entries})

    async def what_if(self, group: str, seats: list[str], acting: bool = False) -> dict:
        ids = [await self.seat(group, s) for s in seats]
        body = await self.api.gql(WHAT_IF, {"code": self.code, "group": group, "present": ids, "acting": acting})
        return body["data"]["partnership"]["group"]["quorum"]

    async def chair(self, group: str, fy: str) -> dict:
        body = await self.api.gql(CHAIR, {"code": self.code, "group": group, "fy": fy})
        return body["data"]["partnership"]["group"]


def _uid() -> str:
    return uuid.uuid4().hex[:8]


# ----------------------------------------------------------------------------- Merton


async def test_merton_partnership_is_quorate_with_two_statutory_partners(api):
    b = Borough(api, "merton")
    ruling = await b.what_if("mscp", ["mscp-lbm", "mscp-met-police"])
    assert ruling["satisfied"] is True
    assert ruling["source"]["section"] == "§8.12"
    assert ruling["source"]["document"].startswith("Merton")
    one = await b.what_if("mscp", ["mscp-lbm", "mscp-lay-member-1", "mscp-designated-doctor"])
    assert one["satisfied"] is False  # the Designated Doctor sits for a relevant agency role, not as the CCG's partner seat
    # Through a real meeting: the quorum follows the attendance recorded.
    mid = await b.meeting("mscp", "2020-06-10", {"mscp-lbm": "PRESENT", "mscp-merton-ccg": "DEPUTY",
                                                "mscp-met-police": "APOLOGIES"})
    result = await b.attend(mid, "mscp", {"mscp-lay-member-1": "PRESENT"})
    assert result["meeting"]["quorum"]["satisfied"] is True


async def test_merton_designated_ccg_staff_count_for_their_agency_in_quorum(api):
    # The quorum counts partner agencies represented; the Partnership needs two of the three (§8.12).
    b = Borough(api, "merton")
    only_la = await b.what_if("mscp", ["mscp-lbm", "mscp-lay-member-1"])
    assert only_la["satisfied"] is False
    assert "missing" in only_la["reasons"][0]
    assert any("Independent Person writes" in r for r in only_la["reasons"])


async def test_merton_executive_is_not_quorate_with_two_of_three_and_refuses_decisions(api):
    b = Borough(api, "merton")
    ruling = await b.what_if("executive", ["executive-lbm", "executive-merton-ccg"])
    assert ruling["satisfied"] is False
    assert ruling["source"]["section"] == "§8.12"
    assert "all three" in ruling["requirement"]
    assert (await b.what_if("executive", ["executive-lbm", "executive-merton-ccg", "executive-met-police"]))["satisfied"]

    mid = await b.meeting("executive", "2020-07-01", {"executive-lbm": "PRESENT", "executive-merton-ccg": "PRESENT",
                                                     "executive-met-police": "ABSENT"})
    g = await b.group("executive")
    refused = await b.write(DECIDE, {"groupId": g["id"], "meetingId": mid, "method": "CONSENSUS", "subject": "Budget"})
    assert refused["__typename"] == "ValidationError"
    assert "not quorate" in refused["message"] and "§8.12" in refused["message"]
    body = await api.gql("""query { partnership(code: "merton") { group(code: "executive") { decisions { subject } } } }""")
    assert "Budget" not in [d["subject"] for d in body["data"]["partnership"]["group"]["decisions"]]  # nothing written


async def test_merton_only_statutory_partners_vote_and_a_standing_deputy_votes_for_its_partner(api):
    b = Borough(api, "merton")
    g = await b.group("mscp")
    agencies = await api.gql("""{ partnership(code: "merton") { agencies(first: 50) { nodes { id code } } } }""")
    lbm = next(a["id"] for a in agencies["data"]["partnership"]["agencies"]["nodes"] if a["code"] == "lbm")
    deputy_code = f"mscp-lbm-deputy-{_uid()}"
    added = await b.write(ADD_SEAT, {"groupId": g["id"], "code": deputy_code, "role": "DELEGATED_OFFICER",
                                     "post": "Director of Children, Schools and Families (standing deputy)",
                                     "agencyId": lbm, "deputyOfId": await b.seat("mscp", "mscp-lbm")})
    assert added["__typename"] == "SeatPayload", added
    b.groups.pop("mscp")  # re-read the seats

    mid = await b.meeting("mscp", "2020-09-09", {deputy_code: "PRESENT", "mscp-merton-ccg": "PRESENT",
                                                "mscp-met-police": "PRESENT", "mscp-lay-member-1": "PRESENT"})
    opened = await b.write(DECIDE, {"groupId": g["id"], "meetingId": mid, "method": "VOTE", "subject": f"Vote {_uid()}"})
    assert opened["__typename"] == "DecisionPayload" and opened["decision"]["status"] == "OPEN"
    did = opened["decision"]["id"]

    lay = await b.write(VOTE, {"decisionId": did, "seatId": await b.seat("mscp", "mscp-lay-member-1"), "choice": "FOR"})
    assert lay["__typename"] == "ValidationError" and lay["field"] == "seatId"
    assert "has no vote" in lay["message"] and "App. 1" in lay["message"]

    by_deputy = await b.write(VOTE, {"decisionId": did, "seatId": await b.seat("mscp", deputy_code), "choice": "FOR"})
    assert by_deputy["__typename"] == "VotePayload"
    assert by_deputy["vote"]["countsFor"] == "lbm"  # §6.3, §6.8: the deputy votes for its partner
    twice = await b.write(VOTE, {"decisionId": did, "seatId": await b.seat("mscp", "mscp-lbm"), "choice": "AGAINST"})
    assert twice["__typename"] in ("ConflictError", "ValidationError")  # one vote per partner

    assert (await b.write(VOTE, {"decisionId": did, "seatId": await b.seat("mscp", "mscp-merton-ccg"), "choice": "FOR"}))["__typename"] == "VotePayload"
    assert (await b.write(VOTE, {"decisionId": did, "seatId": await b.seat("mscp", "mscp-met-police"), "choice": "AGAINST"}))["__typename"] == "VotePayload"
    closed = await b.write(CLOSE, {"decisionId": did})
    assert closed["decision"]["status"] == "CARRIED"
    assert sorted(v["countsFor"] for v in closed["decision"]["votes"]) == ["lbm", "merton-ccg", "met-police"]

    late = await b.write(VOTE, {"decisionId": did, "seatId": await b.seat("mscp", "mscp-met-police"), "choice": "FOR"})
    assert late["__typename"] == "ConflictError" and "closed" in late["message"]


async def test_merton_independent_person_cannot_be_appointed_scrutineer(api):
    b = Borough(api, "merton")
    await b.group("mscp")
    name = f"Alex Example {_uid()}"
    first = await b.write(APPOINT, {"partnershipId": b.partnership_id, "office": "INDEPENDENT_PERSON",
                                    "holderName": name, "startsOn": "2019-09-01"})
    assert first["__typename"] == "AppointmentPayload"
    refused = await b.write(APPOINT, {"partnershipId": b.partnership_id, "office": "INDEPENDENT_SCRUTINEER",
                                      "holderName": f"  {name.upper()} ", "startsOn": "2019-10-01"})
    assert refused["__typename"] == "ValidationError"
    assert "§7.10" in refused["message"]
    other = await b.write(APPOINT, {"partnershipId": b.partnership_id, "office": "INDEPENDENT_SCRUTINEER",
                                    "holderName": f"Sam Other {_uid()}", "startsOn": "2019-10-01"})
    assert other["__typename"] == "AppointmentPayload"
    body = await api.gql("""{ partnership(code: "merton") { appointments { office holderName } } }""")
    held = [(a["office"], a["holderName"]) for a in body["data"]["partnership"]["appointments"] if a["holderName"].endswith(name[-8:])]
    assert held == [("INDEPENDENT_PERSON", name)]  # the refused appointment wrote nothing


async def test_merton_executive_action_is_flagged_until_reported_at_the_next_partnership_meeting(api):
    b = Borough(api, "merton")
    g = await b.group("mscp")
    taken = await b.write(DECIDE, {"groupId": g["id"], "method": "EXECUTIVE_ACTION", "subject": f"Urgent {_uid()}",
                                   "decidedOn": "2020-02-03", "takenBy": "Independent Person"})
    assert taken["__typename"] == "DecisionPayload", taken
    assert taken["decision"]["status"] == "TAKEN"
    assert taken["decision"]["flagged"] is True
    assert any("§8.4" in f for f in taken["decision"]["flags"])
    mid = await b.meeting("mscp", "2020-03-04")
    reported = await b.write(REPORT, {"decisionId": taken["decision"]["id"], "meetingId": mid})
    assert reported["__typename"] == "DecisionPayload"
    assert reported["decision"]["flagged"] is False and reported["decision"]["flags"] == []
    assert reported["decision"]["reportedAt"]["id"] == mid
    again = await b.write(REPORT, {"decisionId": taken["decision"]["id"], "meetingId": mid})
    assert again["__typename"] == "ConflictError"


async def test_executive_action_is_refused_where_the_arrangements_grant_none(api):
    b = Borough(api, "sefton")
    g = await b.group("slt")
    refused = await b.write(DECIDE, {"groupId": g["id"], "method": "EXECUTIVE_ACTION", "subject": "x",
                                     "decidedOn": "2021-05-01", "takenBy": "Chair"})
    assert refused["__typename"] == "ValidationError"
    assert "Working Together" in refused["message"]


async def test_merton_two_consecutive_absences_are_flagged(api):
    b = Borough(api, "merton")
    for day, dwp, lbm in (("2031-01-10", "ABSENT", "PRESENT"), ("2031-03-10", "APOLOGIES", "DEPUTY")):
        mid = await b.meeting("mscp", day, {"mscp-dwp": dwp, "mscp-lbm": lbm})
        held = await b.write(UPDATE, {"meetingId": mid, "status": "HELD", "minutesPublishedOn": day})
        assert held["meeting"]["status"] == "HELD"
    body = await api.gql("""{ partnership(code: "merton") { group(code: "mscp") {
        attendancePolicy { kind consecutiveAbsences source { section } }
        attendanceConcerns { seat { code } meetings attended reasons source { section } } } } }""")
    g = body["data"]["partnership"]["group"]
    assert g["attendancePolicy"]["kind"] == "CONSECUTIVE_ABSENCES" and g["attendancePolicy"]["consecutiveAbsences"] == 2
    flagged = {c["seat"]["code"]: c for c in g["attendanceConcerns"]}
    assert "mscp-dwp" in flagged and "mscp-lbm" not in flagged
    assert flagged["mscp-dwp"]["source"]["section"] == "§6.10"
    assert "risk register" in flagged["mscp-dwp"]["reasons"][0]


# ----------------------------------------------------------------------------- Lewisham


async def test_lewisham_executive_chair_rotates_by_financial_year(api):
    b = Borough(api, "lewisham")
    first = (await b.chair("executive", "2019/20"))["chair"]
    assert first["agency"]["code"] == "lbl"  # the local authority's Director for Children's Services
    assert first["provisional"] is False and first["basis"] == "ANNUAL_ROTATION"
    # App. A: "In 2019/20 the Chair will be the Director for Children's Services. A new Chair will be
    # agreed at the start of each financial year." No order is published: later years are not stated.
    second = (await b.chair("executive", "2020/21"))["chair"]
    assert second["agency"] is None and second["provisional"] is True
    assert any("start of each financial year" in r for r in second["reasons"])
    third = (await b.chair("executive", "2021/22"))["chair"]
    assert third["agency"] is None
    pg = (await b.chair("partnership-group", "2020/21"))["chair"]
    assert pg["provisional"] is True
    assert any("first Executive meeting after 1 April 2020" in r for r in pg["reasons"])


async def test_lewisham_a_recorded_selection_overrides_the_rotation(api):
    b = Borough(api, "lewisham")
    agencies = await api.gql("""{ partnership(code: "lewisham") { agencies(first: 50) { nodes { id code } } } }""")
    ids = {a["code"]: a["id"] for a in agencies["data"]["partnership"]["agencies"]["nodes"]}
    exec_meeting = await b.meeting("executive", "2022-04-20")
    g = await b.group("partnership-group")
    wrong = await b.write(SELECT_CHAIR, {"groupId": g["id"], "financialYear": "2022/23", "agencyId": ids["schools"]})
    assert wrong["__typename"] == "ValidationError" and wrong["field"] == "agencyId"
    bad_year = await b.write(SELECT_CHAIR, {"groupId": g["id"], "financialYear": "2022-23", "agencyId": ids["lbl"]})
    assert bad_year["__typename"] == "ValidationError" and bad_year["field"] == "financialYear"
    ok = await b.write(SELECT_CHAIR, {"groupId": g["id"], "financialYear": "2022/23", "agencyId": ids["lbl"],
                                      "meetingId": exec_meeting, "recordedOn": "2022-04-20"})
    assert ok["__typename"] == "ChairSelectionPayload"
    chair = (await b.chair("partnership-group", "2022/23"))["chair"]
    # No order is published, so 2022/23 is not stated until the selection is recorded.
    assert chair["agency"]["code"] == "lbl" and chair["recorded"] is True and chair["provisional"] is False
    ok = await b.write(SELECT_CHAIR, {"groupId": g["id"], "financialYear": "2023/24", "agencyId": ids["met-police"]})
    chair = (await b.chair("partnership-group", "2023/24"))["chair"]
    assert chair["agency"]["code"] == "met-police" and chair["recorded"] is True


async def test_lewisham_executive_votes_one_per_partner_majority_decides(api):
    b = Borough(api, "lewisham")
    g = await b.group("executive")
    mid = await b.meeting("executive", "2019-11-05", {"executive-la-lead": "PRESENT", "executive-ccg-lead": "PRESENT",
                                                     "executive-police-lead": "PRESENT", "executive-ssl": "PRESENT"})
    opened = await b.write(DECIDE, {"groupId": g["id"], "meetingId": mid, "method": "VOTE", "subject": f"Vote {_uid()}"})
    did = opened["decision"]["id"]
    ssl = await b.write(VOTE, {"decisionId": did, "seatId": await b.seat("executive", "executive-ssl"), "choice": "FOR"})
    assert ssl["__typename"] == "ValidationError" and "Decision Making" in ssl["message"]
    for seat, choice in (("executive-la-lead", "FOR"), ("executive-ccg-lead", "AGAINST"), ("executive-police-lead", "FOR")):
        r = await b.write(VOTE, {"decisionId": did, "seatId": await b.seat("executive", seat), "choice": choice})
        assert r["__typename"] == "VotePayload"
    closed = await b.write(CLOSE, {"decisionId": did})
    assert closed["decision"]["status"] == "CARRIED"
    assert "2 for, 1 against" in closed["decision"]["outcome"]


PG_LEADS = ["partnership-la-lead", "partnership-ccg-lead", "partnership-police-lead"]
PG_OTHERS = ["partnership-director-csc", "partnership-director-pps", "partnership-director-jceh",
             "partnership-director-education", "partnership-designated-nurse", "partnership-designated-doctor",
             "partnership-headteacher-governor", "partnership-nhse-nursing", "partnership-lgt-chief-nurse",
             "partnership-slam-lead-clinician"]


async def test_lewisham_partnership_group_needs_every_partner_and_half_the_membership(api):
    b = Borough(api, "lewisham")
    members = len((await b.group("partnership-group"))["seats"])
    leads_only = await b.what_if("partnership-group", PG_LEADS)
    assert leads_only["satisfied"] is False and "fewer than half" in leads_only["reasons"][0]
    half = PG_LEADS + PG_OTHERS[: max(0, -(-members // 2) - 3)]
    assert (await b.what_if("partnership-group", half))["satisfied"] is True
    no_police = [s for s in half if s != "partnership-police-lead"] + ["partnership-police-dci"]
    # The police DCI is a police seat: the police are still represented.
    assert (await b.what_if("partnership-group", no_police))["satisfied"] is True
    no_police = [s for s in half if s != "partnership-police-lead"] + ["partnership-probation"]
    r = await b.what_if("partnership-group", no_police)
    assert r["satisfied"] is False and "missing statutory partner" in r["reasons"][0]
    assert r["source"]["section"].startswith("App. B")


async def test_lewisham_partnership_group_proxy_needs_the_chairs_agreement(api):
    b = Borough(api, "lewisham")
    mid = await b.meeting("partnership-group", "2019-12-02")
    refused = await b.attend(mid, "partnership-group", {"partnership-probation": "PROXY"})
    assert refused["__typename"] == "ValidationError" and "chair's agreement" in refused["message"]
    body = await api.gql("""query { partnership(code: "lewisham") { group(code: "partnership-group") {
        meetings { id attendance { status } } } } }""")
    meeting = next(x for x in body["data"]["partnership"]["group"]["meetings"] if x["id"] == mid)
    assert meeting["attendance"] == []  # nothing written
    ok = await b.attend(mid, "partnership-group", {"partnership-probation": "PROXY"},
                        **{"partnership-probation": {"chairAgreed": True, "proxyName": "Deputy Area Manager"}})
    assert ok["__typename"] == "MeetingPayload"
    assert ok["meeting"]["attendance"][0]["chairAgreed"] is True
    # The executive has no such condition (baseline).
    exec_mid = await b.meeting("executive", "2019-12-03")
    assert (await b.attend(exec_mid, "executive", {"executive-ccg-lead": "PROXY"}))["__typename"] == "MeetingPayload"


async def test_lewisham_mesi_and_schools_network_attendance_below_expectation_is_reported(api):
    b = Borough(api, "lewisham")
    g = await b.group("mesi")
    code = f"mesi-member-{_uid()}"
    added = await b.write(ADD_SEAT, {"groupId": g["id"], "code": code, "role": "MEMBER", "post": "Nominated member"})
    assert added["__typename"] == "SeatPayload"
    b.groups.pop("mesi")
    for i, status in enumerate(["PRESENT", "PRESENT", "APOLOGIES", "DEPUTY"]):  # 3 of 4 = 75%: fine
        mid = await b.meeting("mesi", f"2032-0{i + 1}-15", {code: status})
        await b.write(UPDATE, {"meetingId": mid, "status": "HELD"})
    body = await api.gql("""{ partnership(code: "lewisham") { group(code: "mesi") { attendanceConcerns { seat { code } } } } }""")
    assert code not in [c["seat"]["code"] for c in body["data"]["partnership"]["group"]["attendanceConcerns"]]
    mid = await b.meeting("mesi", "2032-06-15", {code: "ABSENT"})  # 3 of 5 = 60%
    await b.write(UPDATE, {"meetingId": mid, "status": "HELD"})
    body = await api.gql("""{ partnership(code: "lewisham") {
        attendanceConcerns { seat { code } attended meetings reasons source { section } } } }""")
    concern = next(c for c in body["data"]["partnership"]["attendanceConcerns"] if c["seat"]["code"] == code)
    assert (concern["attended"], concern["meetings"]) == (3, 5)
    assert "75%" in concern["reasons"][0] and concern["source"]["section"].startswith("App. C")

    # Schools' Safeguarding Network: at least 4 of 6.
    for i, status in enumerate(["PRESENT", "ABSENT", "PRESENT", "ABSENT", "ABSENT"]):
        mid = await b.meeting("schools-network", f"2033-0{i + 1}-10", {"ssn-primary-1": status, "ssn-primary-2": "PRESENT"})
        await b.write(UPDATE, {"meetingId": mid, "status": "HELD"})
    body = await api.gql("""{ partnership(code: "lewisham") { group(code: "schools-network") {
        attendancePolicy { kind minimumMeetings ofMeetings }
        attendanceConcerns { seat { code } attended meetings reasons } } } }""")
    g = body["data"]["partnership"]["group"]
    assert (g["attendancePolicy"]["minimumMeetings"], g["attendancePolicy"]["ofMeetings"]) == (4, 6)
    flagged = {c["seat"]["code"]: c for c in g["attendanceConcerns"]}
    assert "ssn-primary-1" in flagged and "ssn-primary-2" not in flagged
    assert "4 of 6" in flagged["ssn-primary-1"]["reasons"][0]


# ----------------------------------------------------------------------------- Sefton


async def test_sefton_leadership_team_chair_rotates_among_the_three_key_partners(api):
    b = Borough(api, "sefton")
    g = await b.chair("slt", "2021/22")
    assert g["chair"]["basis"] == "ROTATION"
    assert g["chair"]["provisional"] is True and g["chair"]["recorded"] is False
    assert sorted(a["code"] for a in g["chairingRule"]["rotation"]) == ["merseyside-police", "sefton-ccgs", "sefton-council"]
    # "chaired on a rotational basis by one of the 3 key partners by September 2021": no order,
    # first chair or period is stated, so no year's chair is known.
    assert "one of the 3 key partners" in g["chair"]["reasons"][0] and g["chair"]["agency"] is None
    # WT2018 baseline quorum: every safeguarding partner present.
    r = await b.what_if("slt", ["slt-ccg-chief-officer", "slt-council-ceo"])
    assert r["satisfied"] is False and r["source"]["document"].startswith("Working Together")


# ----------------------------------------------------------------------------- Sandwell


SCSP_FOUR = ["scsp-smbc-dcs", "scsp-sct-ce", "scsp-wmp-chief-supt", "scsp-ccg-chief-officer"]


async def test_sandwell_needs_all_four_partners_including_the_childrens_trust(api):
    b = Borough(api, "sandwell")
    three = await b.what_if("scsp", [s for s in SCSP_FOUR if s != "scsp-sct-ce"] + ["scsp-lead-member"])
    assert three["satisfied"] is False
    # §21 read with §11: "The four Statutory Safeguarding Partner representatives must be part of any key
    # actions and decision making" — §11 names who represents each partner, so both sections are cited.
    assert "Children's Trust" in three["reasons"][0] and three["source"]["section"].startswith("§21")
    assert (await b.what_if("scsp", SCSP_FOUR))["satisfied"] is True
    # A partner's delegated officer (standing deputy) represents it.
    deputy = await b.what_if("scsp", [s for s in SCSP_FOUR if s != "scsp-sct-ce"] + ["scsp-sct-delegate"])
    assert deputy["satisfied"] is True
    # A sub-group acting for the partnership is held to the same rule (§21); otherwise it is not.
    acting = await b.what_if("qpp", ["qpp-independent-chair"], acting=True)
    assert acting["satisfied"] is False and acting["source"]["section"] == "§21"
    assert (await b.what_if("qpp", ["qpp-independent-chair"]))["satisfied"] is True


async def test_sandwell_participant_observers_cannot_vote(api):
    b = Borough(api, "sandwell")
    g = await b.group("scsp")
    mid = await b.meeting("scsp", "2021-09-15", {**{s: "PRESENT" for s in SCSP_FOUR}, "scsp-lead-member": "PRESENT",
                                                "scsp-lay-member": "PRESENT"})
    opened = await b.write(DECIDE, {"groupId": g["id"], "meetingId": mid, "method": "VOTE", "subject": f"V {_uid()}"})
    did = opened["decision"]["id"]
    for observer in ("scsp-lead-member", "scsp-lay-member"):
        r = await b.write(VOTE, {"decisionId": did, "seatId": await b.seat("scsp", observer), "choice": "FOR"})
        assert r["__typename"] == "ValidationError" and "§11" in r["message"]
    r = await b.write(VOTE, {"decisionId": did, "seatId": await b.seat("scsp", "scsp-sct-ce"), "choice": "FOR"})
    assert r["__typename"] == "VotePayload"


async def test_sandwell_partnership_is_chaired_by_the_director_of_childrens_services(api):
    g = await Borough(api, "sandwell").chair("scsp", "2021/22")
    assert g["chair"]["basis"] == "FIXED_OFFICE" and g["chair"]["provisional"] is False
    assert "Director of Children's Services" in g["chair"]["office"]
    assert g["chair"]["source"]["section"] == "§11"


# ----------------------------------------------------------------------------- comparison


COMPARE = """
query ($fy: String!) { governanceComparison(financialYear: $fy) {
  partnership { code }
  mainBoard { group { code } chair { basis provisional agency { code } office } quorumRequirement quorumSource { section } }
  executive { group { code } chair { basis provisional agency { code } } quorumRequirement quorumSource { document section } }
} }"""


async def test_comparison_answers_chairs_and_quorum_for_all_four_boroughs_in_one_request(api):
    with api.count_statements() as counter:
        body = await api.gql(COMPARE, {"fy": "2020/21"})
    rows = {r["partnership"]["code"]: r for r in body["data"]["governanceComparison"]}
    assert {"merton", "lewisham", "sefton", "sandwell"} <= set(rows)
    m = rows["merton"]
    assert m["mainBoard"]["group"]["code"] == "mscp" and m["mainBoard"]["chair"]["basis"] == "INDEPENDENT_APPOINTMENT"
    assert "two statutory partners" in m["mainBoard"]["quorumRequirement"] and m["mainBoard"]["quorumSource"]["section"] == "§8.12"
    assert "all three" in m["executive"]["quorumRequirement"]
    lw = rows["lewisham"]
    # Lewisham App. A names only the 2019/20 chair ("A new Chair will be agreed at the start of each
    # financial year"): 2020/21 is not stated.
    assert lw["executive"]["chair"]["agency"] is None and lw["executive"]["chair"]["provisional"] is True
    assert "fifty percent" in lw["mainBoard"]["quorumRequirement"]
    sw = rows["sandwell"]
    assert sw["mainBoard"]["chair"]["basis"] == "FIXED_OFFICE" and "each of the four" in sw["mainBoard"]["quorumRequirement"]
    assert sw["executive"] is None
    sf = rows["sefton"]
    assert sf["executive"]["group"]["code"] == "slt" and sf["executive"]["chair"]["basis"] == "ROTATION"
    assert sf["executive"]["quorumSource"]["document"].startswith("Working Together")
    assert counter.count < 25, counter.count  # batched: not one round of reads per borough or group


# ----------------------------------------------------------------------------- invalid input


async def test_invalid_input_gets_typed_errors_and_writes_nothing(api):
    b = Borough(api, "merton")
    g = await b.group("mscp")
    bad_date = await b.write(SCHEDULE, {"groupId": g["id"], "scheduledOn": "31/02/2020"})
    assert bad_date["__typename"] == "ValidationError" and bad_date["field"] == "scheduledOn"
    unknown = await b.write(SCHEDULE, {"groupId": "not-an-id", "scheduledOn": "2020-01-01"})
    assert unknown["__typename"] == "NotFoundError"
    mid = await b.meeting("mscp", "2020-11-11")
    outside = await b.attend(mid, "mscp", {"mscp-lbm": "PRESENT"}) and await b.write(
        ATTEND, {"meetingId": mid, "entries": [{"seatId": await b.seat("executive", "executive-lbm"), "status": "PRESENT"}]})
    assert outside["__typename"] == "ValidationError" and "not in the" in outside["message"]
    unknown_seat = await b.write(ATTEND, {"meetingId": mid, "entries": [{"seatId": "U2VhdDo5OTk5OTk", "status": "PRESENT"}]})
    assert unknown_seat["__typename"] == "ValidationError"
    wrong_kind = await b.write(ATTEND, {"meetingId": mid, "entries": [{"seatId": g["id"], "status": "PRESENT"}]})
    assert wrong_kind["__typename"] == "NotFoundError"
    bad_minutes = await b.write(UPDATE, {"meetingId": mid, "minutesPublishedOn": "yesterday"})
    assert bad_minutes["__typename"] == "ValidationError" and bad_minutes["field"] == "minutesPublishedOn"
    public = await api.gql(SCHEDULE, {"input": {"groupId": g["id"], "scheduledOn": "2020-01-01"}})
    assert public["data"]["scheduleMeeting"]["__typename"] == "NotAuthorizedError"
    body = await api.gql("""query { partnership(code: "merton") { group(code: "mscp") { meetings { id scheduledOn } } } }""")
    days = [x["scheduledOn"] for x in body["data"]["partnership"]["group"]["meetings"]]
    assert "2020-01-01" not in days


async def test_each_governance_write_records_one_audit_event(api):
    from sqlalchemy import func, select

    from core.db import session_factory
    from core.models import AuditEvent

    async def count() -> int:
        async with session_factory(api.app.state.partnerships.engine)() as s:
            return await s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("meeting.%")))

    b = Borough(api, "sefton")
    before = await count()
    mid = await b.meeting("slt", "2021-10-01", agenda=["Budget", "Priorities"])
    await b.attend(mid, "slt", {"slt-council-ceo": "PRESENT"})
    await b.write(UPDATE, {"meetingId": mid, "status": "HELD"})
    refused = await b.write(UPDATE, {"meetingId": mid, "minutesPublishedOn": "2020-01-01"})
    assert refused["__typename"] == "ValidationError"
    assert await count() - before == 3


# ----------------------------------------------------------------------------- reads are batched


MEETINGS_PAGE = """
{ partnership(code: "sandwell") { group(code: "ldt") { meetings {
    id status agenda { title } attendance { status seat { code } }
    quorum { satisfied reasons }
    decisions { status votes { countsFor } flags }
} decisions { id flagged } attendanceConcerns { seat { code } } } } }"""


async def test_meeting_reads_cost_the_same_statements_for_one_meeting_and_for_many(api):
    b = Borough(api, "sandwell")
    await b.group("ldt")
    await b.meeting("ldt", "2021-05-05", agenda=["One"])
    with api.count_statements() as one:
        await api.gql(MEETINGS_PAGE)
    for day in ("2021-07-07", "2021-09-09", "2021-11-11"):
        await b.meeting("ldt", day, agenda=["A", "B"])
    with api.count_statements() as many:
        body = await api.gql(MEETINGS_PAGE)
    assert len(body["data"]["partnership"]["group"]["meetings"]) >= 4
    assert many.count == one.count, (one.count, many.count)


# ----------------------------------------------------------------------------- pure rules


def test_a_tie_is_not_carried_by_default_and_a_casting_vote_decides_where_the_rule_gives_one():
    from core.rules.common import Citation
    from core.rules.governance import DecisionStatus, TieRule, VoteChoice, VotingRule, tally

    rule = VotingRule((), "a majority of the votes cast", TieRule.NOT_CARRIED, (), Citation("doc"))
    votes = {"a": VoteChoice.FOR, "b": VoteChoice.AGAINST, "c": VoteChoice.ABSTAIN}
    assert tally(rule, votes).status == DecisionStatus.NOT_CARRIED
    casting = VotingRule((), "…", TieRule.CHAIR_CASTING_VOTE, (), Citation("doc"))
    assert tally(casting, votes, chair_key="a").status == DecisionStatus.CARRIED


def test_attendance_by_deputy_or_agreed_proxy_counts_as_attending():
    from core.enums import SeatRole
    from core.rules.common import Citation
    from core.rules.governance import (
        AttendancePolicy,
        AttendancePolicyKind,
        AttendanceRecord,
        AttendanceStatus,
        SeatRef,
        evaluate_attendance,
    )

    seat = SeatRef(1, "s", SeatRole.MEMBER, "Member")
    policy = AttendancePolicy(AttendancePolicyKind.CONSECUTIVE_ABSENCES, (), Citation("doc", "§6.10"), consecutive=2)
    ok = AttendanceRecord(seat, (AttendanceStatus.ABSENT, AttendanceStatus.DEPUTY, AttendanceStatus.ABSENT,
                                 AttendanceStatus.PROXY))
    assert evaluate_attendance(policy, [ok]) == []
    bad = AttendanceRecord(seat, (AttendanceStatus.PRESENT, AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT))
    assert len(evaluate_attendance(policy, [bad])) == 1


async def test_sandwell_subgroup_acting_for_the_partnership_cannot_decide_without_the_four_partners(api):
    b = Borough(api, "sandwell")
    g = await b.group("qpp")
    acting = await b.meeting("qpp", "2021-10-20", {"qpp-independent-chair": "PRESENT"}, actsForPartnership=True)
    refused = await b.write(DECIDE, {"groupId": g["id"], "meetingId": acting, "method": "CONSENSUS", "subject": "Audit plan"})
    assert refused["__typename"] == "ValidationError" and "§21" in refused["message"]
    own = await b.meeting("qpp", "2021-10-21", {"qpp-independent-chair": "PRESENT"})
    agreed = await b.write(DECIDE, {"groupId": g["id"], "meetingId": own, "method": "CONSENSUS", "subject": "Audit plan"})
    assert agreed["__typename"] == "DecisionPayload" and agreed["decision"]["status"] == "AGREED"


async def test_merton_unreported_executive_action_is_overdue_once_the_next_meeting_is_held(api):
    b = Borough(api, "merton")
    g = await b.group("mscp")
    taken = await b.write(DECIDE, {"groupId": g["id"], "method": "EXECUTIVE_ACTION", "subject": f"Urgent {_uid()}",
                                   "decidedOn": "2030-01-05", "takenBy": "Independent Person"})
    mid = await b.meeting("mscp", "2030-02-05")
    await b.write(UPDATE, {"meetingId": mid, "status": "HELD"})
    body = await api.gql("""{ partnership(code: "merton") { group(code: "mscp") { decisions { id flagged flags } } } }""")
    d = next(x for x in body["data"]["partnership"]["group"]["decisions"] if x["id"] == taken["decision"]["id"])
    assert d["flagged"] is True and any(f.startswith("overdue: the meeting of 2030-02-05") for f in d["flags"])
