"""Sandwell's rules in the MASA 2021's own words, through GraphQL on both databases.

Each test quotes the sentence it encodes and checks the case an earlier reading got wrong:
a quorum met by people who are not partner representatives, votes for co-opted report-givers,
a host arrangement asserted for years the document does not cover, citations without the
document's words, and the annual-report rules the API did not hold. The rulebook
(``plugins/sandwell/rulebook.toml``) is checked against the seed itself: every quoted passage
must be the document's own words.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from core.enums import Role
from tests.test_governance import DECIDE, VOTE, Borough

BU = ("sandwell", Role.BUSINESS_UNIT)
PLUGIN = Path(__file__).resolve().parents[1] / "plugins" / "sandwell"
SOURCE = "source { document section status quote derivation }"
SRC = "{ document section status quote derivation }"
FOUR = ["scsp-smbc-dcs", "scsp-sct-ce", "scsp-wmp-chief-supt", "scsp-ccg-chief-officer"]
MASA = "Sandwell Children's Safeguarding Partnership: Our Multi-Agency Safeguarding Arrangements"

ADD_SEAT = """
mutation ($input: AddSeatInput!) { addSeat(input: $input) {
  __typename ... on SeatPayload { seat { id code } } ... on UserError { message } } }"""


def _uid() -> str:
    return uuid.uuid4().hex[:8]


def _seed_text() -> str:
    """The published MASA 2021 (the plain-text copy kept beside the arrangements, named by
    their ``seed_file``), whitespace folded and emphasis marks dropped: the transcription keeps
    the PDF's tabs and marks its italics with asterisks, neither of which is the document's words."""
    import tomllib

    name = tomllib.loads((PLUGIN / "arrangements.toml").read_text(encoding="utf-8"))["partnership"]["document"]["seed_file"]
    return " ".join((PLUGIN / name).read_text(encoding="utf-8").replace("*", "").split())


async def _quorum(b: Borough, group: str, seats: list[str], acting: bool = False) -> dict:
    ids = [await b.seat(group, s) for s in seats]
    body = await b.api.gql("""
    query ($group: String!, $present: [ID!]!, $acting: Boolean!) { partnership(code: "sandwell") {
      group(code: $group) { quorum(present: $present, actingForPartnership: $acting) {
        satisfied reasons requirement SOURCE } } } }""".replace("SOURCE", SOURCE),
                           {"group": group, "present": ids, "acting": acting})
    return body["data"]["partnership"]["group"]["quorum"]


async def _partnership(api, fields: str, role=None) -> dict:
    body = await api.gql('{ partnership(code: "sandwell") { ' + fields + " } }", as_role=role)
    return body["data"]["partnership"]


# ----------------------------------------------------------------------------- quorum (§21)


async def test_business_manager_lead_member_police_and_ccg_doctor_are_not_a_quorum(api):
    """§21: "For a Full Partnership meeting to be quorate there must be at least one member from
    each of the key safeguarding partners (SBMC, Health, WMP, SCT) present. The four Statutory
    Safeguarding Partner representatives must be part of any key actions and decision making."

    The Business Manager gives business support (§11) and the Lead Member is "a participant
    observer with no decision-making rights" (§11): neither makes the Trust or the council
    present. Counting every seat whose agency is a partner called this meeting "4 of 4"."""
    b = Borough(api, "sandwell")
    seats = ["scsp-business-manager", "scsp-lead-member", "scsp-wmp-chief-supt", "scsp-ccg-designated-doctor"]
    r = await _quorum(b, "scsp", seats)
    assert r["satisfied"] is False, r
    assert "Sandwell Children's Trust" in r["reasons"][0] and "Sandwell Metropolitan Borough Council" in r["reasons"][0]
    assert r["source"]["section"].startswith("§21") and r["source"]["status"] == "DERIVED"
    assert "must be part of any key actions and decision making" in r["source"]["quote"]

    # The four lead representatives, or their Senior Officers with delegated authority (§11), are quorate.
    assert (await _quorum(b, "scsp", FOUR))["satisfied"] is True
    delegates = ["scsp-smbc-delegate", "scsp-sct-delegate", "scsp-wmp-delegate", "scsp-ccg-delegate-1"]
    assert (await _quorum(b, "scsp", delegates))["satisfied"] is True


async def test_a_relevant_partner_from_a_partner_agency_does_not_stand_in_for_its_representative(api):
    """§21 first sentence asks for "at least one member from each of the key safeguarding
    partners"; the second, that "The four Statutory Safeguarding Partner representatives must be
    part of any key actions and decision making". A CCG Designated Doctor (a Relevant Partner,
    §11 table) meets the first words but not the second, and the answer says so."""
    b = Borough(api, "sandwell")
    three = [s for s in FOUR if s != "scsp-ccg-chief-officer"]
    r = await _quorum(b, "scsp", three + ["scsp-ccg-designated-doctor"])
    assert r["satisfied"] is False
    assert any("Designated Doctor" in reason and "representative" in reason for reason in r["reasons"]), r["reasons"]


async def test_an_inquorate_partnership_meeting_cannot_decide(api):
    """§21: "The SCSP is required to be quorate for the purpose of decision making." The meeting
    of the first test, recorded through the API, refuses a decision."""
    b = Borough(api, "sandwell")
    g = await b.group("scsp")
    mid = await b.meeting("scsp", "2021-11-18", {"scsp-business-manager": "PRESENT", "scsp-lead-member": "PRESENT",
                                                "scsp-wmp-chief-supt": "PRESENT",
                                                "scsp-ccg-designated-doctor": "PRESENT"})
    refused = await b.write(DECIDE, {"groupId": g["id"], "meetingId": mid, "method": "CONSENSUS",
                                     "subject": f"Budget {_uid()}"})
    assert refused["__typename"] == "ValidationError" and "§21" in refused["message"]


async def test_board_support_does_not_represent_the_trust_at_a_forum_acting_for_the_partnership(api):
    """§21: "Decision making for groups carrying out SCSP function will only be quorate if there
    is representation from the four lead agencies." The Chairs Consultation Forum's Business
    Officers (board support, employed in the Trust's business office, §23) are not the Trust's
    representation; members from the police and the CCG added to the forum are."""
    b = Borough(api, "sandwell")
    g = await b.group("ccf")
    agencies = (await _partnership(api, "agencies(first: 50) { nodes { id code } }"))["agencies"]["nodes"]
    agency = {a["code"]: a["id"] for a in agencies}
    added = []
    for code in ("wmp", "sandwell-ccg"):
        seat = f"ccf-{code}-{_uid()}"
        r = await b.write(ADD_SEAT, {"groupId": g["id"], "code": seat, "role": "MEMBER", "post": "Priority lead",
                                     "agencyId": agency[code]})
        assert r["__typename"] == "SeatPayload", r
        added.append(seat)
    b.groups.pop("ccf")
    r = await _quorum(b, "ccf", ["ccf-chair", "ccf-business-officers", *added], acting=True)
    assert r["satisfied"] is False and "Sandwell Children's Trust" in r["reasons"][0]
    assert r["source"]["section"].startswith("§21")
    # Not acting for the Partnership, the forum's own business has no stated quorum: the default,
    # with the §21 caveat said, not hidden.
    own = await _quorum(b, "ccf", ["ccf-chair"])
    assert own["satisfied"] is True and own["source"]["status"] == "BASELINE"
    assert any("on behalf of the Partnership" in reason for reason in own["reasons"])


# ----------------------------------------------------------------------------- voting (§11, §21)


async def test_only_the_four_partners_vote_and_co_opted_report_givers_do_not(api):
    """§11: the priority-group co-optees are "invited to attend SCSP meeting to provide reports";
    the Lead Member is "a participant observer with no decision-making rights". §21: "The four
    Statutory Safeguarding Partner representatives must be part of any key actions and decision
    making." The MASA gives no one else a vote, so relevant partners and co-optees cannot
    outvote the four partners; a Senior Officer with delegated authority votes for its partner."""
    b = Borough(api, "sandwell")
    g = await b.group("scsp")
    present = {s: "PRESENT" for s in FOUR[:3]} | {"scsp-ccg-delegate-1": "PRESENT",
                                                 "scsp-tackling-neglect-coopt": "PRESENT",
                                                 "scsp-director-of-education": "PRESENT",
                                                 "scsp-ccg-designated-nurse": "PRESENT"}
    mid = await b.meeting("scsp", "2021-12-09", present)
    opened = await b.write(DECIDE, {"groupId": g["id"], "meetingId": mid, "method": "VOTE", "subject": f"V {_uid()}"})
    did = opened["decision"]["id"]
    for other in ("scsp-tackling-neglect-coopt", "scsp-director-of-education", "scsp-ccg-designated-nurse"):
        r = await b.write(VOTE, {"decisionId": did, "seatId": await b.seat("scsp", other), "choice": "AGAINST"})
        assert r["__typename"] == "ValidationError", (other, r)
    cast = await b.write(VOTE, {"decisionId": did, "seatId": await b.seat("scsp", "scsp-ccg-delegate-1"), "choice": "FOR"})
    assert cast["__typename"] == "VotePayload" and cast["vote"]["countsFor"] == "sandwell-ccg"

    rule = (await _partnership(api, f'group(code: "scsp") {{ votingRule {{ voters {{ seat {{ code }} }} reasons {SOURCE} }} }}'))
    rule = rule["group"]["votingRule"]
    voters = {v["seat"]["code"] for v in rule["voters"]}
    assert set(FOUR) <= voters and "scsp-tackling-neglect-coopt" not in voters and "scsp-lead-member" not in voters
    assert rule["source"]["status"] == "DERIVED" and "§21" in rule["source"]["section"]
    # The MASA states no threshold: the majority rule is said to be the platform's default.
    assert any("states no" in r and "majority" in r for r in rule["reasons"]), rule["reasons"]


# ----------------------------------------------------------------------------- chairs (§11, §15, §20)


async def test_chairs_cite_the_masa_and_a_sub_group_chair_is_nominated_or_elected(api):
    """§11: "The Partnership will be chaired by the Director of Children Services". §20: "The
    Chair of the sub group can be nominated by a Safeguarding Partner or Relevant Agency or
    elected from within the sub-group". The answer for the Learning Development and Training
    Group used to say the document does not say how its chair is chosen."""
    scsp = await Borough(api, "sandwell").chair("scsp", "2021/22")
    body = await api.gql("""{ partnership(code: "sandwell") {
      scsp: group(code: "scsp") { chair(financialYear: "2021/22") { basis office reasons SOURCE } }
      ldt: group(code: "ldt") { chair(financialYear: "2021/22") { basis agency { code } reasons SOURCE } }
      ccf: group(code: "ccf") { chair(financialYear: "2021/22") { basis office SOURCE } } } }""".replace("SOURCE", SOURCE))
    p = body["data"]["partnership"]
    assert scsp["chair"]["basis"] == "FIXED_OFFICE"
    assert p["scsp"]["chair"]["source"]["status"] == "STATED"
    assert "chaired by the Director of Children Services" in p["scsp"]["chair"]["source"]["quote"]
    assert p["ccf"]["chair"]["source"]["quote"] == "This forum will be chaired by the Chair of the SCSP"
    ldt = p["ldt"]["chair"]
    assert ldt["agency"] is None and ldt["source"]["status"] == "NOT_STATED" and ldt["source"]["section"] == "§20"
    assert any("nominated by a Safeguarding Partner or Relevant Agency" in r for r in ldt["reasons"]), ldt["reasons"]
    assert not any("does not say how the chair is chosen" in r for r in ldt["reasons"])


# ----------------------------------------------------------------------------- deputies, attendance, meetings


async def test_relevant_partners_send_a_deputy_and_no_attendance_threshold_is_invented(api):
    """§11: "Relevant Partners are responsible for sending a deputy with delegated authority to
    SCSP meetings in their absence." §19: "SCSP members should ensure there is representation
    from their agency at all sub-group meetings." — an expectation of agencies, with no number
    of absences that is flagged."""
    g = (await _partnership(api, f"""group(code: "scsp") {{
        proxyRule {{ allowed needsChairAgreement reasons {SOURCE} }}
        attendancePolicy {{ kind reasons {SOURCE} }} }}"""))["group"]
    assert g["proxyRule"]["allowed"] is True and g["proxyRule"]["needsChairAgreement"] is False
    assert g["proxyRule"]["source"]["status"] == "STATED" and g["proxyRule"]["source"]["section"] == "§11"
    assert "sending a deputy with delegated authority" in g["proxyRule"]["source"]["quote"]
    assert g["attendancePolicy"]["kind"] == "NONE" and g["attendancePolicy"]["source"]["status"] == "NOT_STATED"
    assert g["attendancePolicy"]["source"]["document"].startswith(MASA)
    assert any("representation from their agency at all sub-group meetings" in r for r in g["attendancePolicy"]["reasons"])


async def test_no_notice_papers_or_minutes_deadline_is_stated_only_the_cadence(api):
    """§11: "The Partnership will meet bi-monthly." The MASA states no notice, papers or minutes
    deadline, so none is checked; the answer says what the document does say."""
    b = Borough(api, "sandwell")
    mid = await b.meeting("scsp", "2022-01-20")
    g = (await _partnership(api, f"""group(code: "scsp") {{ cadence
        meetingRules {{ notice {{ amount }} papers {{ amount }} minutes {{ amount }} reasons {SOURCE} }}
        meetings {{ id deadlines {{ kind }} }} }}"""))["group"]
    rules = g["meetingRules"]
    assert rules["notice"] is None and rules["papers"] is None and rules["minutes"] is None
    assert rules["source"]["status"] == "NOT_STATED" and rules["source"]["document"].startswith(MASA)
    assert any("bi-monthly" in r for r in rules["reasons"])
    assert g["cadence"] == "bi-monthly"
    assert next(m for m in g["meetings"] if m["id"] == mid)["deadlines"] == []


async def test_no_one_decides_for_the_partnership_between_meetings(api):
    """§11: "Actions will be agreed at each meeting for Partnership members and the sub-groups,
    reference groups and strategic priority operations groups to follow-up on between meetings."
    The MASA gives no one authority to decide between meetings, so an executive action is refused."""
    b = Borough(api, "sandwell")
    g = await b.group("scsp")
    r = await b.write(DECIDE, {"groupId": g["id"], "method": "EXECUTIVE_ACTION", "subject": f"Urgent {_uid()}",
                               "decidedOn": "2022-02-02", "takenBy": "the SCSP Chair"})
    assert r["__typename"] == "ValidationError" and "between meetings" in r["message"]


# ----------------------------------------------------------------------------- disputes (§25)


async def test_dispute_ladders_quote_section_25_and_say_what_it_leaves_open(api):
    """§25: "SCSP Members should try to resolve differences through discussion, and/or meeting
    within a timescale as specified within the Resolving Practitioner Disagreement and Escalation
    Protocol which outlines referring unresolved concerns to the SCSP Chair." The Chair is the
    last stage; how the Chair settles a concern is not stated, so that stage is DERIVED."""
    p = await _partnership(api, f"""
        pd: escalationLadder(kind: PROFESSIONAL_DISAGREEMENT) {{ reasons {SOURCE} stages {{ actor actions {SOURCE} }} }}
        po: escalationLadder(kind: PARTNER_NOT_MEETING_OBLIGATIONS) {{ reasons {SOURCE} stages {{ actor {SOURCE} }} }}
        fd: escalationLadder(kind: FUNDING_DEFAULT) {{ {SOURCE} stages {{ actor }} }}""")
    pd = p["pd"]
    assert [s["actor"] for s in pd["stages"]] == ["PRACTITIONERS", "PARTNERSHIP_MEMBERS", "PARTNERSHIP_CHAIR"]
    first, members, chair = pd["stages"]
    assert "prior to any escalation between members of the SCSP" in first["source"]["quote"]
    assert members["source"]["status"] == "STATED" and "resolve differences through discussion" in members["source"]["quote"]
    assert chair["source"]["status"] == "DERIVED" and "referring unresolved concerns to the SCSP Chair" in chair["source"]["quote"]
    assert any("real-time case" in r for r in pd["reasons"])
    assert [s["actor"] for s in p["po"]["stages"]] == ["PARTNERSHIP_MEMBERS", "PARTNERSHIP_CHAIR"]
    assert p["fd"]["source"]["status"] == "DERIVED"


# ----------------------------------------------------------------------------- funding and hosting (§23, §24)


async def test_the_trust_is_the_accountable_body_only_for_the_year_the_masa_covers(api):
    """§24: "Sandwell Children’s Trust will be accountable for all funding received from
    statutory partners as part of the core budget of the SCSP." The MASA 2021 (V.2, 12/07/2021)
    states the arrangement from its publication; nothing says who held the money in 2019/20,
    or holds it after the document's next annual review."""
    q = f"""hostArrangement {{ status reasons {SOURCE} lines {{ role {SOURCE} }} }} host {{ role agency {{ code }} }}"""
    p = await _partnership(api, f"""
        y2021: funding(financialYear: "2021/22") {{ {q} }}
        y2019: funding(financialYear: "2019/20") {{ {q} }}
        y2024: funding(financialYear: "2024/25") {{ {q} }}""")
    stated = p["y2021"]
    assert stated["hostArrangement"]["status"] == "STATED" and stated["host"]["agency"]["code"] == "sct"
    assert "accountable for all funding received from statutory partners" in stated["hostArrangement"]["source"]["quote"]
    assert all(line["source"]["status"] in ("STATED", "DERIVED") and line["source"]["quote"]
               for line in stated["hostArrangement"]["lines"])
    for year in ("y2019", "y2024"):
        a = p[year]
        assert a["host"] is None and a["hostArrangement"]["status"] == "NOT_STATED", (year, a)
        assert a["hostArrangement"]["source"]["status"] == "NOT_STATED"


async def test_review_costs_stay_unapportioned_because_the_masa_sets_no_split(api):
    """The MASA says nothing of who pays for a practice review (§15, §24): no shares, the whole
    cost unapportioned, and the answer cites the MASA's silence rather than a guessed split."""
    body = await api.gql("""{ partnership(code: "sandwell") { reviewCostApportionment(
        costs: [{item: REVIEWER, amountPence: 1000001}], involvement: []) {
        ... on ReviewCostApportionment { shares { amount { pence } } unapportioned { pence } reasons SOURCE } } } }"""
                         .replace("SOURCE", SOURCE))
    a = body["data"]["partnership"]["reviewCostApportionment"]
    assert a["shares"] == [] and a["unapportioned"]["pence"] == 1_000_001
    assert a["source"]["status"] == "NOT_STATED" and a["source"]["document"].startswith(MASA)


# ----------------------------------------------------------------------------- reviews (§15)


async def test_review_timescales_quote_section_15(api):
    """§15: "local authorities in England must notify the DfE, Ofsted and The National Child
    Safeguarding Practice Review Panel within 5 working days of becoming aware of a serious
    incident." "A Rapid Review Panel is convened comprising of statutory agency representation
    to consider each case". "The group process endeavours to have all reviews commissioned
    completed within 6 months." """
    t = (await _partnership(api, f"""reviewTimescales {{ panelNotificationWorkingDays reviewCompletionMonths
        rapidReviewGroupCode reasons notificationSource {SRC} completionSource {SRC} rapidReviewGroupSource {SRC}
        rapidReviewSource {SRC} }}"""))["reviewTimescales"]
    assert t["panelNotificationWorkingDays"] == 5 and t["reviewCompletionMonths"] == 6
    assert "within 5 working days" in t["notificationSource"]["quote"]
    assert "endeavours to have all reviews commissioned completed within 6 months" in t["completionSource"]["quote"]
    assert t["rapidReviewGroupCode"] == "rapid-review-panel"
    assert "A Rapid Review Panel is convened" in t["rapidReviewGroupSource"]["quote"]
    assert t["rapidReviewSource"]["status"] == "BASELINE"  # the MASA sets no rapid-review time


# ----------------------------------------------------------------------------- annual report (§7, §8)


async def test_annual_report_recipients_publication_and_contents_are_the_masas(api):
    """§8: "The annual report will be presented to the Safeguarding Partners own agency governance
    and accountability bodies namely the Local Authority Overview, Sandwell Children's Trust and
    Scrutiny Committee, the Police and Crime Commissioner and the Clinical Commissioning Group."
    "The SCSP Annual Report will be made publicly available on the each of the Safeguarding
    Partners organisation websites." It will include "a review of the use of restraint"."""
    r = (await _partnership(api, f"""annualReportRecipients {{ recipients withinDays recipientsWithoutDeadline reasons
        publication signOff contents {SOURCE} publicationSource {SRC} signOffSource {SRC} contentsSource {SRC}
        }}"""))["annualReportRecipients"]
    # The MASA sets no time for the four governance bodies: named, with no (WT2018) due date.
    undated = " | ".join(r["recipientsWithoutDeadline"])
    for body in ("Scrutiny Committee", "Sandwell Children's Trust", "Police and Crime Commissioner",
                 "Clinical Commissioning Group"):
        assert body in undated and body not in " | ".join(r["recipients"]), (body, r)
    assert "Child Safeguarding Practice Review Panel" in r["recipients"] and r["withinDays"] == 7
    assert r["source"]["status"] == "DERIVED"
    assert any("sets no time" in reason for reason in r["reasons"]), r["reasons"]
    assert any("West Midlands Police" in p for p in r["publication"]) and len(r["publication"]) == 4
    assert "publicly available on the each of the Safeguarding Partners organisation websites" in r["publicationSource"]["quote"]
    assert r["signOff"] is None and r["signOffSource"]["status"] == "NOT_STATED"
    assert any("restraint" in c for c in r["contents"]) and r["contentsSource"]["status"] == "STATED"


# ----------------------------------------------------------------------------- the rulebook itself


def test_every_quote_in_the_rulebook_is_the_masas_own_words():
    """A STATED or DERIVED rule quotes the document, and so does every piece of compliance
    evidence; a quote split by " … " quotes each part."""
    import tomllib

    seed = _seed_text()
    book = tomllib.loads((PLUGIN / "rulebook.toml").read_text(encoding="utf-8"))["rule"]
    assert len(book) > 40
    from plugins.sandwell.compliance import EVIDENCE

    quotes = [(e["id"], e.get("quote") or "") for e in book] + [(item.value, q) for item, _, _, q in EVIDENCE]
    missing = [(where, part) for where, quote in quotes for part in quote.split(" … ")
               if part and " ".join(part.split()) not in seed]
    assert not missing, missing


async def test_rulebook_is_served_and_every_answer_quotes_one_of_its_entries(api):
    """The answer and the rulebook are one text: every quote a Sandwell rule answer carries is
    an entry's quote."""
    p = await _partnership(api, f"""rulebook {{ id status quote appliesIn encoded }}
        groups(first: 100) {{ nodes {{ code quorum(present: []) {{ {SOURCE} }} votingRule {{ {SOURCE} }}
          chair(financialYear: "2021/22") {{ {SOURCE} }} proxyRule {{ {SOURCE} }} attendancePolicy {{ {SOURCE} }}
          meetingRules {{ {SOURCE} }} }} }}
        escalationLadder(kind: PROFESSIONAL_DISAGREEMENT) {{ {SOURCE} stages {{ {SOURCE} }} }}
        funding(financialYear: "2021/22") {{ hostArrangement {{ {SOURCE} lines {{ {SOURCE} }} decisions {{ {SOURCE} }} }} }}
        annualReportRecipients {{ {SOURCE} publicationSource {SRC} contentsSource {SRC} signOffSource {SRC} }}
        reviewTimescales {{ notificationSource {SRC} completionSource {SRC} rapidReviewGroupSource {SRC} }}""",
                            role=("sandwell", Role.MEMBER))
    quotes = {e["quote"] for e in p["rulebook"] if e["quote"]}
    assert {e["status"] for e in p["rulebook"]} >= {"STATED", "DERIVED", "BASELINE", "NOT_STATED"}

    def sources(v):
        if isinstance(v, dict):
            if "quote" in v and "status" in v:
                yield v
            for x in v.values():
                yield from sources(x)
        elif isinstance(v, list):
            for x in v:
                yield from sources(x)

    answers = list(sources({k: v for k, v in p.items() if k != "rulebook"}))
    found = [s for s in answers if s["quote"] and s["document"].startswith(MASA)]
    assert len(found) > 20
    assert not [s for s in found if s["quote"] not in quotes]
    assert not [s for s in answers if s["status"] == "STATED" and not (s["section"] and s["quote"])]


async def test_the_independent_scrutineer_attends_the_partnership_and_the_chairs_forum(api):
    """§11: "The SCSP has also appointed an Independent Scrutineer, Liz Murphy, who attends all
    SCSP meetings and the revised 'Chairs Consultation Forum's"."""
    p = await _partnership(api, """scsp: group(code: "scsp") { seats(role: INDEPENDENT_SCRUTINEER) { nodes { code } } }
        ccf: group(code: "ccf") { seats(role: INDEPENDENT_SCRUTINEER) { nodes { code } } }""")
    assert p["scsp"]["seats"]["nodes"] and p["ccf"]["seats"]["nodes"]
