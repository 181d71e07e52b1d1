"""The authorization policy as data: for every root query field and every mutation, one or
more probes (a document, the variables it needs, built against merton as "own" and lewisham
as "other") and the outcome expected for each role.

tests/test_authz_matrix.py runs every probe as every role and fails on any difference; its
meta-test fails when the schema has a root field or mutation with no entry here, so a new
field cannot ship without a rule. The policy in brief (core/auth.py, core/services/*):

* published facts (partnerships, agencies, comparisons, the event cursor): everyone;
* confidential reads (disputes, incidents, the risk log, scrutiny activity and reports,
  confidential events, overdue confidential items, confidential nodes): the partnership's
  members (member, statutory partner, business unit, scrutineer, administrator); anyone else
  gets exactly what a partnership with no such data gives (empty list / null, count 0, no error);
* the audit trail: administrators and scrutineers; webhooks: administrators only;
* writes: business unit and administrator (core.auth.EDITORS), except
  raiseDispute (any member), escalate/resolve a dispute (statutory partners too, by the
  ladder), scrutiny activity and reports (the scrutineer too), responses to scrutiny
  recommendations (statutory partners too), webhooks (administrators only);
* a revoked or expired token: HTTP 401 for everything, whatever its role was.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from core.enums import Role

ALLOW, DENY, UNAUTH = "ALLOW", "DENY", "UNAUTH"

#: role name -> (partnership code, role) of the token; None = no token. Revoked and expired
#: tokens are administrator tokens, so the 401 is shown for the most powerful role.
ROLES: dict[str, tuple[str, Role] | None] = {
    "anonymous": None,
    "member": ("merton", Role.MEMBER),
    "other_member": ("lewisham", Role.MEMBER),
    "statutory_partner": ("merton", Role.STATUTORY_PARTNER),
    "business_unit": ("merton", Role.BUSINESS_UNIT),
    "scrutineer": ("merton", Role.SCRUTINEER),
    "administrator": ("merton", Role.ADMINISTRATOR),
    # Beyond the list: the strongest role elsewhere (it may edit and administer
    # lewisham) must get nothing more of merton than a lewisham member does.
    "other_administrator": ("lewisham", Role.ADMINISTRATOR),
    "revoked": ("merton", Role.ADMINISTRATOR),
    "expired": ("merton", Role.ADMINISTRATOR),
}
LIVE = [r for r in ROLES if r not in ("revoked", "expired")]


def allow(*roles: str) -> dict[str, str]:
    unknown = set(roles) - set(LIVE)
    assert not unknown, unknown
    return {r: (ALLOW if r in roles else DENY) if r in LIVE else UNAUTH for r in ROLES}


PUBLIC = allow(*LIVE)
MEMBERS = allow("member", "statutory_partner", "business_unit", "scrutineer", "administrator")
EDITORS = allow("business_unit", "administrator")
ADMINS = allow("administrator")
AUDITORS = allow("administrator", "scrutineer")
SCRUTINY = allow("business_unit", "administrator", "scrutineer")
PARTNER_WRITES = allow("business_unit", "administrator", "statutory_partner")

EMPTY_PAGE = {"totalCount": 0, "edges": []}

Vars = dict[str, Any]


@dataclass
class Probe:
    """One request and the outcome per role.

    Queries: ``seen(answer)`` lists, per confidential item the probe looks for, whether the
    answer shows it; ALLOW needs all seen, DENY none seen and the answer equal to ``denied``
    (what a partnership with no such data answers). Mutations: ALLOW is the success payload
    type; DENY is NotAuthorizedError or NotFoundError. ``prepare`` builds the variables (a fresh
    target for each allowed role of a mutation; one shared target for the denied roles).
    """

    doc: str | None  # None: generated from the schema for a mutation (input -> payload)
    prepare: Callable[[Any], Awaitable[Vars]]
    rule: dict[str, str]
    seen: Callable[[Any], list[bool]] | None = None
    denied: Any = None
    cleanup: Callable[[Any, Any], Awaitable[None]] | None = None
    note: str = ""


def const(v: Vars | Callable[[Any], Vars]) -> Callable[[Any], Awaitable[Vars]]:
    async def prepare(ctx):
        return v(ctx) if callable(v) else v
    return prepare


# ----------------------------------------------------------------------------- the context


@dataclass
class Ctx:
    """What the probes need, created through the API with an administrator token."""

    api: Any
    admin_token: str
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    years: itertools.count = field(default_factory=lambda: itertools.count(2100))
    past_years: itertools.count = field(default_factory=lambda: itertools.count(1960))
    ids: dict[str, Any] = field(default_factory=dict)
    # Letters only: a hex tag such as "d6e4bf" reads as a postcode ("D6E 4BF") and the reviews
    # domain rightly refuses text that looks like a child's address.
    run_tag: str = field(default_factory=lambda: uuid.uuid4().hex[:6].translate(str.maketrans("0123456789", "ghijklmnop")))
    schema: Any = None  # graphql-core schema, for generated mutation documents

    def n(self) -> int:
        return next(self.counter)

    def tag(self) -> str:
        return f"authz-{self.run_tag}-{self.n()}"

    def year(self) -> str:
        y = next(self.years)
        return f"{y}/{(y + 1) % 100:02d}"

    def mutation_doc(self, name: str, selection: str = "") -> str:
        from graphql import get_named_type

        f = self.schema.mutation_type.fields[name]
        input_type = get_named_type(f.args["input"].type).name
        payload = success_type(self.schema, name)
        sel = f"... on {payload} {{ {selection} }}" if selection else ""
        return (f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ __typename {sel} "
                f"... on UserError {{ message }} }} }}")

    async def write(self, name: str, input: Vars, selection: str) -> Any:
        """Run a mutation as the administrator; it must succeed."""
        r = await self.api.post(self.mutation_doc(name, selection), {"input": input}, token=self.admin_token)
        body = r.json()
        assert r.status_code == 200 and not body.get("errors"), (name, body)
        out = body["data"][name]
        assert out["__typename"] == success_type(self.schema, name), (name, input, out)
        return out

    async def read(self, doc: str, variables: Vars | None = None) -> Any:
        r = await self.api.post(doc, variables or {}, token=self.admin_token)
        body = r.json()
        assert not body.get("errors"), body
        return body["data"]


ERROR_TYPES = {"ValidationError", "NotFoundError", "NotAuthorizedError", "ConflictError"}


def success_type(schema, mutation: str) -> str:
    from graphql import get_named_type

    union = get_named_type(schema.mutation_type.fields[mutation].type)
    ok = [t.name for t in union.types if t.name not in ERROR_TYPES]
    assert len(ok) == 1, (mutation, ok)
    return ok[0]


# ----------------------------------------------------------------------------- builders

MERTON = "merton"
GROUP_CODE = "statutory-partners-panel"  # a merton group few other tests touch; seats we add are removed


async def setup(ctx: Ctx) -> None:
    """The fixtures every probe builds on: ids, and one confidential record of each kind."""
    d = await ctx.read("""{ partnership(code: "merton") { id groups { edges { node { id code
                           seats { edges { node { id code } } } } } } } latestEventCursor }""")
    p = d["partnership"]
    ctx.ids["partnership"] = p["id"]
    ctx.ids["cursor0"] = d["latestEventCursor"]
    group = next(e["node"] for e in p["groups"]["edges"] if e["node"]["code"] == GROUP_CODE)
    ctx.ids["group"] = group["id"]
    # Executive action between meetings is the board's alone (Merton §8.4): reportDecision uses it.
    ctx.ids["board"] = next(e["node"]["id"] for e in p["groups"]["edges"] if e["node"]["code"] == "mscp")
    ctx.ids["seats"] = [e["node"]["id"] for e in group["seats"]["edges"]]
    assert ctx.ids["seats"], "the probe group needs a seat"
    # A webhook that wants RISK_ADDED, so adding the risk below leaves a delivery to hide.
    hook = await ctx.write("registerWebhook", {
        "partnership": MERTON, "url": "https://hooks.invalid/authz", "secret": "s" * 32,
        "eventTypes": ["RISK_ADDED"], "description": "authz matrix"}, "endpoint { id }")
    ctx.ids["webhook"] = hook["endpoint"]["id"]
    ctx.ids["risk"] = (await ctx.write("addRisk", risk_input(ctx), "risk { id }"))["risk"]["id"]
    ctx.ids["dispute"] = (await ctx.write("raiseDispute", dispute_input(ctx), "dispute { id }"))["dispute"]["id"]
    ctx.ids["incident"] = await incident(ctx)
    report = await ctx.write("publishScrutinyReport", scrutiny_report_input(ctx), "report { id }")
    ctx.ids["scrutiny_report"] = report["report"]["id"]
    await ctx.write("recordScrutinyActivity", scrutiny_activity_input(ctx), "activity { id }")


async def teardown(ctx: Ctx) -> None:
    await ctx.write("updateWebhook", {"id": ctx.ids["webhook"], "active": False}, "endpoint { id }")


def risk_input(ctx: Ctx) -> Vars:
    return {"partnershipCode": MERTON, "concern": f"{ctx.tag()} concern", "risks": "probe", "actionRequired": "probe",
            "byWhom": "business unit", "dueOn": "2025-01-31", "rag": "RED", "raisedBy": "BOARD"}


def dispute_input(ctx: Ctx) -> Vars:
    return {"partnershipCode": MERTON, "kind": "PROFESSIONAL_DISAGREEMENT", "summary": f"{ctx.tag()} disagreement",
            "raisedBySeatId": ctx.ids["seats"][0], "subjectDecisionRef": "authz probe decision"}


def scrutiny_report_input(ctx: Ctx) -> Vars:
    return {"partnershipCode": MERTON, "title": ctx.tag(), "publishedOn": "2024-05-01", "findings": ["probe"],
            "recommendations": [{"text": "probe recommendation"}]}


def scrutiny_activity_input(ctx: Ctx) -> Vars:
    return {"partnershipCode": MERTON, "kind": "AUDIT", "title": ctx.tag(), "happenedOn": "2024-05-01"}


def case_ref(ctx: Ctx) -> str:
    return "AZ-" + uuid.uuid4().hex[:8].upper().replace("E", "X")


INCIDENT_STEPS = ["reported", "notified", "rapid", "decided", "commissioned", "methodology", "final"]


async def incident(ctx: Ctx, stage: str = "reported", *, regulators: bool = True, methodology: bool = True) -> str:
    """A merton incident walked up to `stage` by the administrator; its global ID."""
    day = "2024-03-01"
    iid = (await ctx.write("reportIncident", {"partnershipCode": MERTON, "caseReference": case_ref(ctx),
                                              "becameAwareOn": day}, "incident { id }"))["incident"]["id"]
    upto = INCIDENT_STEPS.index(stage)
    sel = "incident { id }"
    if upto >= 1:
        await ctx.write("recordIncidentNotification", {"incidentId": iid, "target": "PANEL", "notifiedOn": day}, sel)
    if upto >= 2:
        await ctx.write("recordRapidReview", {"incidentId": iid, "sentOn": day}, sel)
    if upto >= 3:
        await ctx.write("recordReviewDecision", {"incidentId": iid, "decision": "LOCAL_REVIEW",
                                                 "rationale": "criteria met", "decidedOn": day}, sel)
    if upto >= 4:
        extra = {"regulatorsInformedOn": day} if regulators else {}
        if methodology:
            extra["methodology"] = "SILP"
        await ctx.write("commissionReviewer", {"incidentId": iid, "reviewerName": "A Reviewer",
                                               "commissionedOn": day, **extra}, sel)
    if upto >= 6:
        await ctx.write("recordFinalReport", {"incidentId": iid, "receivedOn": "2024-09-01"}, sel)
    return iid


async def meeting(ctx: Ctx, group: str = "group") -> str:
    out = await ctx.write("scheduleMeeting", {"groupId": ctx.ids[group], "scheduledOn": f"2031-0{1 + ctx.n() % 9}-15"},
                          "meeting { id }")
    return out["meeting"]["id"]


async def quorate_meeting(ctx: Ctx) -> str:
    mid = await meeting(ctx)
    await ctx.write("recordAttendance", {"meetingId": mid, "entries": [
        {"seatId": s, "status": "PRESENT", "chairAgreed": False} for s in ctx.ids["seats"]]}, "meeting { id }")
    return mid


async def decision(ctx: Ctx, method: str = "VOTE", group: str = "group") -> str:
    extra = {"meetingId": await quorate_meeting(ctx)} if method != "EXECUTIVE_ACTION" else {"takenBy": "the chair"}
    out = await ctx.write("recordDecision", {"groupId": ctx.ids[group], "method": method, "subject": ctx.tag(),
                                             "decidedOn": "2031-01-15", **extra}, "decision { id }")
    return out["decision"]["id"]


async def new_dispute(ctx: Ctx) -> Vars:
    out = await ctx.write("raiseDispute", dispute_input(ctx), "dispute { id }")
    return {"disputeId": out["dispute"]["id"]}


async def new_seat(ctx: Ctx) -> Vars:
    out = await ctx.write("addSeat", seat_input(ctx), "seat { id }")
    return {"seatId": out["seat"]["id"]}


def seat_input(ctx: Ctx) -> Vars:
    return {"groupId": ctx.ids["group"], "code": ctx.tag(), "role": "CO_OPTED", "post": "Authz probe seat"}


async def remove_seat(ctx: Ctx, out: Any) -> None:
    await ctx.write("removeSeat", {"seatId": out["seat"]["id"]}, "removedSeatId")


async def end_appointment(ctx: Ctx, out: Any) -> None:
    await ctx.write("endAppointment", {"appointmentId": out["appointment"]["id"], "endsOn": "2031-01-01"},
                    "appointment { id }")


async def deactivate_webhook(ctx: Ctx, out: Any) -> None:
    await ctx.write("updateWebhook", {"id": out["endpoint"]["id"], "active": False}, "endpoint { id }")


def appoint_input(ctx: Ctx) -> Vars:
    return {"partnershipId": ctx.ids["partnership"], "office": "SUBGROUP_CHAIR", "holderName": ctx.tag(),
            "startsOn": "2031-01-01", "groupId": ctx.ids["group"]}


async def contribution(ctx: Ctx) -> Vars:
    out = await ctx.write("recordContribution", contribution_input(ctx), "contribution { id }")
    return {"contributionId": out["contribution"]["id"], "status": "RECEIVED"}


def contribution_input(ctx: Ctx) -> Vars:
    return {"partnershipCode": MERTON, "agencyCode": "lbm", "financialYear": ctx.year(), "kind": "CASH",
            "amountPence": 100}


async def review_action(ctx: Ctx) -> Vars:
    iid = await incident(ctx, "decided")
    out = await ctx.write("addReviewAction", review_action_input(iid), "action { id }")
    return {"actionId": out["action"]["id"], "status": "IN_PROGRESS"}


def review_action_input(iid: str) -> Vars:
    return {"incidentId": iid, "recommendation": "probe", "action": "probe", "owner": "business unit",
            "dueOn": "2025-06-30"}


def annual_report_input(ctx: Ctx) -> Vars:
    y = next(ctx.past_years)  # published in the past, one period each
    return {"partnershipCode": MERTON, "periodStart": f"{y}-04-01", "periodEnd": f"{y + 1}-03-31",
            "publishedOn": f"{y + 1}-09-01"}


async def annual_report_copy(ctx: Ctx) -> Vars:
    inp = annual_report_input(ctx)
    out = await ctx.write("recordAnnualReport", inp, "annualReport { copies { id } }")
    return {"copyId": out["annualReport"]["copies"][0]["id"], "sentOn": inp["publishedOn"]}


def rolling_action_input(ctx: Ctx) -> Vars:
    return {"partnershipCode": MERTON, "action": ctx.tag(), "who": "business unit", "dueOn": "2031-06-30"}


async def plan_action(ctx: Ctx) -> Vars:
    out = await ctx.write("addRollingAction", rolling_action_input(ctx), "action { id }")
    return {"actionId": out["action"]["id"], "status": "GREEN", "comment": "probe"}


async def recommendation(ctx: Ctx) -> Vars:
    out = await ctx.write("publishScrutinyReport", scrutiny_report_input(ctx), "report { recommendations { id } }")
    return {"recommendationId": out["report"]["recommendations"][0]["id"], "response": "ACCEPTED"}


def inc(stage: str, extra: Vars | Callable[[], Vars], **kw) -> Callable[[Ctx], Awaitable[Vars]]:
    async def prepare(ctx):
        iid = await incident(ctx, stage, **kw)
        return {"incidentId": iid, **(extra() if callable(extra) else extra)}
    return prepare


def m(prepare: Callable[[Ctx], Any], rule: dict[str, str], **kw) -> Probe:
    """A mutation probe: ``prepare(ctx)`` gives the input (sync or async)."""
    async def vars_(ctx):
        value = prepare(ctx)
        if hasattr(value, "__await__"):
            value = await value
        return {"input": value}
    return Probe(doc=None, prepare=vars_, rule=rule, **kw)


# ----------------------------------------------------------------------------- queries


def _ids(conn) -> list[str]:
    return [e["node"]["id"] for e in conn["edges"]]


def q(doc: str, rule: dict[str, str], variables: Vars | Callable[[Ctx], Vars] | None = None, **kw) -> Probe:
    return Probe(doc=doc, prepare=const(variables or {}), rule=rule, **kw)


def _confidential_lists(ctx_ids: dict) -> Callable[[Any], list[bool]]:
    def seen(p):
        return [ctx_ids["risk"] in _ids(p["riskLog"]), ctx_ids["dispute"] in _ids(p["disputes"]),
                ctx_ids["incident"] in _ids(p["incidents"]),
                ctx_ids["scrutiny_report"] in [r["id"] for r in p["scrutiny"]["reports"]],
                bool(p["scrutiny"]["activities"])]
    return seen


def queries(ctx: Ctx) -> dict[str, list[Probe]]:
    ids = ctx.ids
    conn = "totalCount edges { node { id } }"
    return {
        "partnerships": [q("{ partnerships { totalCount } }", PUBLIC)],
        "partnership": [
            q('{ partnership(code: "merton") { code name } }', PUBLIC),
            q(f"""{{ partnership(code: "merton") {{ riskLog(first: 100) {{ {conn} }} disputes(first: 100) {{ {conn} }}
                   incidents(first: 100) {{ {conn} }} scrutiny {{ activities {{ id }} reports {{ id }} }} }} }}""",
              MEMBERS, seen=_confidential_lists(ids),
              denied={"riskLog": EMPTY_PAGE, "disputes": EMPTY_PAGE, "incidents": EMPTY_PAGE,
                      "scrutiny": {"activities": [], "reports": []}}),
        ],
        "node": [
            q("query ($id: ID!) { node(id: $id) { id } }", PUBLIC, {"id": ids["partnership"]}),
            *[q("query ($id: ID!) { node(id: $id) { id } }", MEMBERS, {"id": ids[k]},
                seen=lambda n: [n is not None], denied=None, note=k)
              for k in ("risk", "dispute", "incident", "scrutiny_report")],
        ],
        "agencies": [q("{ agencies(first: 5) { totalCount } }", PUBLIC)],
        "auditEvents": [q(f'{{ auditEvents(partnership: "merton", first: 5) {{ {conn} }} }}', AUDITORS,
                          seen=lambda c: [c["totalCount"] > 0], denied=EMPTY_PAGE)],
        "governanceComparison": [q('{ governanceComparison(financialYear: "2020/21") { __typename } }', PUBLIC)],
        "dispute": [q("query ($id: ID!) { dispute(id: $id) { id } }", MEMBERS, {"id": ids["dispute"]},
                      seen=lambda d: [d is not None], denied=None)],
        "disputeResolutionComparison": [
            q("{ disputeResolutionComparison(kind: PROFESSIONAL_DISAGREEMENT) { __typename } }", PUBLIC)],
        "fundingComparison": [q('{ fundingComparison(financialYear: "2020/21") { __typename } }', PUBLIC)],
        "overdue": [q('{ overdue(asOf: "2035-01-01", partnership: "merton", kind: RISK_ACTION_OVERDUE, first: 100) '
                      '{ totalCount edges { node { itemId } } } }', MEMBERS,
                      seen=lambda c: [ids["risk"] in [e["node"]["itemId"] for e in c["edges"]]], denied=EMPTY_PAGE)],
        "events": [q("""query ($after: String) { events(after: $after, partnership: "merton",
                        types: [DISPUTE_RAISED, RISK_ADDED, REVIEW_STARTED]) { edges { node { entityType confidential } } } }""",
                     MEMBERS, {"after": ids["cursor0"]},
                     seen=lambda c: [any(e["node"]["entityType"] == t for e in c["edges"])
                                     for t in ("Dispute", "RiskEntry")],
                     denied={"edges": []})],
        "latestEventCursor": [q("{ latestEventCursor }", PUBLIC)],
        "webhookEndpoints": [q('{ webhookEndpoints(partnership: "merton") { id } }', ADMINS,
                               seen=lambda ws: [ids["webhook"] in [w["id"] for w in ws]], denied=[])],
        "webhookDeliveries": [q('{ webhookDeliveries(partnership: "merton", first: 100) { nodes { id } } }', ADMINS,
                                seen=lambda c: [bool(c["nodes"])], denied={"nodes": []})],
        "compare": [q('{ compare(codes: ["merton", "lewisham"], aspects: [QUORUM, DISPUTE_RESOLUTION]) '
                      '{ __typename } }', PUBLIC)],
    }


# ----------------------------------------------------------------------------- mutations


def mutations(ctx: Ctx) -> dict[str, list[Probe]]:
    day = "2024-03-01"
    return {
        # structure
        "addSeat": [m(seat_input, EDITORS, cleanup=remove_seat)],
        "removeSeat": [m(new_seat, EDITORS)],
        # governance
        "scheduleMeeting": [m(lambda c: {"groupId": c.ids["group"], "scheduledOn": "2031-02-15"}, EDITORS)],
        "updateMeeting": [m(lambda c: _then(meeting(c), lambda mid: {"meetingId": mid,
                                                                    "papersCirculatedOn": "2031-01-10"}), EDITORS)],
        "addAgendaItem": [m(lambda c: _then(meeting(c), lambda mid: {"meetingId": mid, "title": c.tag()}), EDITORS)],
        "recordAttendance": [m(lambda c: _then(meeting(c), lambda mid: {"meetingId": mid, "entries": [
            {"seatId": c.ids["seats"][0], "status": "PRESENT", "chairAgreed": False}]}), EDITORS)],
        "recordDecision": [m(lambda c: _then(quorate_meeting(c), lambda mid: {
            "groupId": c.ids["group"], "method": "CONSENSUS", "subject": c.tag(), "decidedOn": "2031-01-15",
            "meetingId": mid}), EDITORS)],
        "castVote": [m(lambda c: _then(decision(c), lambda did: {"decisionId": did, "seatId": c.ids["seats"][0],
                                                                "choice": "FOR"}), EDITORS)],
        "closeVote": [m(lambda c: _then(decision(c), lambda did: {"decisionId": did}), EDITORS)],
        "reportDecision": [m(lambda c: _then2(decision(c, "EXECUTIVE_ACTION", "board"), meeting(c, "board"),
                                              lambda did, mid: {"decisionId": did, "meetingId": mid}), EDITORS)],
        "recordChairSelection": [m(lambda c: {"groupId": c.ids["group"], "financialYear": c.year(),
                                              "office": "Authz probe chair"}, EDITORS)],
        "appoint": [m(appoint_input, EDITORS, cleanup=end_appointment)],
        "endAppointment": [m(lambda c: _then(c.write("appoint", appoint_input(c), "appointment { id }"),
                                             lambda out: {"appointmentId": out["appointment"]["id"],
                                                          "endsOn": "2031-01-01"}), EDITORS)],
        # disputes and scrutiny
        "raiseDispute": [m(dispute_input, MEMBERS)],
        "escalateDispute": [m(new_dispute, PARTNER_WRITES, note="merton stage 1: the statutory partners act")],
        "resolveDispute": [m(lambda c: _then(new_dispute(c), lambda v: {**v, "outcome": "RESOLVED_BY_AGREEMENT"}),
                             PARTNER_WRITES)],
        "withdrawDispute": [m(new_dispute, EDITORS, note="or whoever raised it (here: the administrator)")],
        "appointScrutineer": [m(lambda c: {"partnershipCode": MERTON, "scrutineer": c.tag(), "appointedBy": "partners",
                                           "appointedFrom": "2031-01-01"}, EDITORS)],
        "recordScrutinyActivity": [m(scrutiny_activity_input, SCRUTINY)],
        "publishScrutinyReport": [m(scrutiny_report_input, SCRUTINY)],
        "respondToRecommendation": [m(recommendation, PARTNER_WRITES)],
        # funding
        "setBudget": [m(lambda c: {"partnershipCode": MERTON, "financialYear": c.year(), "amountPence": 100}, EDITORS)],
        "recordContribution": [m(contribution_input, EDITORS)],
        "updateContributionStatus": [m(contribution, EDITORS)],
        "addExpenditure": [m(lambda c: {"partnershipCode": MERTON, "financialYear": c.year(), "description": c.tag(),
                                        "amountPence": 100}, EDITORS)],
        "setReserveBroughtForward": [m(lambda c: {"partnershipCode": MERTON, "financialYear": c.year(),
                                                  "amountPence": 100}, EDITORS)],
        "recordHostArrangement": [m(lambda c: {"partnershipCode": MERTON, "financialYear": c.year(),
                                               "lines": [{"role": "HOST_AGENCY", "agencyCode": "lbm"}]}, EDITORS)],
        "escalateOverdueContributions": [m(lambda c: {"partnershipCode": MERTON, "asOf": "1990-01-01"}, EDITORS)],
        # reviews
        "reportIncident": [m(lambda c: {"partnershipCode": MERTON, "caseReference": case_ref(c),
                                        "becameAwareOn": day}, EDITORS)],
        "recordIncidentNotification": [m(inc("reported", {"target": "PANEL", "notifiedOn": day}), EDITORS)],
        "recordRapidReview": [m(inc("notified", {"sentOn": day}), EDITORS)],
        "recordReviewDecision": [m(inc("rapid", {"decision": "LOCAL_REVIEW", "rationale": "probe",
                                                 "decidedOn": day}), EDITORS)],
        "commissionReviewer": [m(inc("decided", {"reviewerName": "A Reviewer", "commissionedOn": day}), EDITORS)],
        "recordRegulatorsInformed": [m(inc("commissioned", {"informedOn": day}, regulators=False), EDITORS)],
        "chooseReviewMethodology": [m(inc("commissioned", {"methodology": "SILP"}, methodology=False), EDITORS)],
        "recordFinalReport": [m(inc("commissioned", {"receivedOn": "2024-09-01"}), EDITORS)],
        "recordReviewPublication": [m(inc("final", {"publishedOn": "2024-10-01", "publicUntil": "2026-10-01"}),
                                      EDITORS)],
        "addReviewAction": [m(lambda c: _then(incident(c, "decided"), review_action_input), EDITORS)],
        "updateReviewAction": [m(review_action, EDITORS)],
        "recordAnnualReport": [m(annual_report_input, EDITORS)],
        "recordAnnualReportSent": [m(annual_report_copy, EDITORS)],
        "updatePlanAction": [m(plan_action, EDITORS)],
        "addRollingAction": [m(rolling_action_input, EDITORS)],
        "addRisk": [m(risk_input, EDITORS)],
        "updateRisk": [m(lambda c: _then(c.write("addRisk", risk_input(c), "risk { id }"),
                                         lambda out: {"riskId": out["risk"]["id"], "rag": "AMBER"}), EDITORS)],
        # integrations
        "registerWebhook": [m(lambda c: {"partnership": MERTON, "url": f"https://hooks.invalid/{c.tag()}",
                                         "secret": "s" * 32, "eventTypes": ["ARRANGEMENTS_LOADED"]}, ADMINS,
                              cleanup=deactivate_webhook)],
        "updateWebhook": [m(lambda c: {"id": c.ids["webhook"], "description": c.tag()}, ADMINS)],
    }


async def _then(aw: Awaitable, f: Callable[[Any], Vars]) -> Vars:
    return f(await aw)


async def _then2(a: Awaitable, b: Awaitable, f: Callable[[Any, Any], Vars]) -> Vars:
    return f(await a, await b)

