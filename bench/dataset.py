"""A synthetic all-England dataset: N partnerships shaped like the published ones.

Each partnership is an :class:`core.arrangements.Arrangements` (so it passes the same
validation as a borough's data file), written to a TOML file, wrapped in a synthetic plugin
module (:mod:`bench.synthetic`) and loaded through the project's own
:func:`core.services.load.load_partnership`. Deterministic for a given seed.

Shape per partnership (the issue's all-England figures): ~60 agencies, ~30 groups in a
tree (a board, an executive, sub-groups, panels; two confidential case-review panels),
~15 seats per group, people for the chairs, ~10 contributions, and meetings/decisions in
proportion (where those services exist).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.arrangements import Arrangements, parse_arrangements
from core.enums import AgencyKind, ChairBasis, GroupKind, SeatRole

PLACES = [
    "Ashford", "Barwick", "Colnbrook", "Dunmere", "Eastholme", "Fairleigh", "Glenmoor", "Harrowden",
    "Ingleby", "Kestwick", "Langham", "Marston", "Northwold", "Oakbridge", "Pennridge", "Quenby",
    "Redcliffe", "Stanwick", "Thornbury", "Upwell", "Valebrook", "Westcombe", "Yarwood", "Ellesmere",
]
REGIONS = ["London", "South East", "South West", "East of England", "West Midlands", "East Midlands",
           "Yorkshire and the Humber", "North West", "North East"]
OTHER_KINDS = [
    (AgencyKind.HEALTH_PROVIDER, ["{p} Hospitals NHS Trust", "{p} Community Health Services", "{p} Mental Health Trust",
                                  "{p} Ambulance Service", "{p} GP Federation"]),
    (AgencyKind.EDUCATION, ["{p} Academy Trust", "{p} Primary Heads Forum", "{p} Secondary Heads Forum",
                            "{p} College", "{p} Special Schools Partnership", "{p} Early Years Network"]),
    (AgencyKind.PROBATION, ["{p} Probation Delivery Unit", "{p} Youth Justice Service"]),
    (AgencyKind.HOUSING, ["{p} Homes", "{p} Housing Association", "{p} Housing Options"]),
    (AgencyKind.VOLUNTARY_COMMUNITY_FAITH, ["{p} Council for Voluntary Service", "{p} Faith Forum",
                                            "{p} Young Carers", "{p} Women's Aid", "{p} Sports Trust"]),
    (AgencyKind.OTHER_PUBLIC_BODY, ["{p} Fire and Rescue Service", "{p} Public Health", "{p} CAFCASS Team",
                                    "{p} Border Force Unit", "{p} Coroner's Office"]),
]
SUBGROUP_TOPICS = [
    "Quality Assurance", "Learning and Development", "Child Exploitation", "Neglect", "Domestic Abuse",
    "Early Help", "Education Safeguarding", "Health Safeguarding", "Missing Children", "Online Safety",
    "Child Death Overview", "Performance", "Voice of the Child", "Communications", "Contextual Safeguarding",
    "Transitions", "Mental Health", "Disabled Children", "Private Fostering", "Allegations Management",
    "Policy and Procedures", "Section 11 Audit", "Multi-Agency Audit", "Serious Youth Violence",
    "Harmful Sexual Behaviour", "Safer Recruitment", "Faith Settings", "Sport and Leisure", "Housing",
    "Young Carers", "Parental Substance Misuse", "Injury to Non-Mobile Babies", "Training Pool",
]
GROUP_KINDS = [GroupKind.SUB_GROUP] * 6 + [GroupKind.TASK_AND_FINISH, GroupKind.PRIORITY_GROUP,
                                           GroupKind.FORUM, GroupKind.REFERENCE_GROUP]
CADENCES = [("quarterly", 4), ("bi-monthly", 6), ("every six weeks", 8), ("monthly", 12), (None, None)]
MEMBER_ROLES = [SeatRole.RELEVANT_AGENCY] * 5 + [SeatRole.MEMBER] * 3 + [
    SeatRole.ADVISOR, SeatRole.CO_OPTED, SeatRole.ATTENDEE, SeatRole.BOARD_SUPPORT]
POSTS = ["Designated Safeguarding Lead", "Head of Service", "Named Nurse", "Detective Inspector", "Service Manager",
         "Head Teacher", "Operations Manager", "Team Manager", "Director", "Assistant Director", "Lead Officer"]


@dataclass
class Shape:
    """Sizes of one synthetic partnership (means; each varies by about ±20%)."""

    agencies: int = 60
    groups: int = 30
    seats_per_group: int = 15
    contributions: int = 10
    meetings: int = 12  # board, executive and a few sub-groups
    decisions: int = 6
    reviews: int = 3  # serious incidents, some notified


def _around(rng: random.Random, mean: int) -> int:
    return max(1, rng.randint(int(mean * 0.8), int(mean * 1.2)))


def make_arrangements(index: int, seed: int = 2024, shape: Shape | None = None) -> Arrangements:
    """The arrangements of synthetic partnership number ``index`` (1-based), validated."""
    shape = shape or Shape()
    rng = random.Random(f"{seed}:{index}")
    place = f"{rng.choice(PLACES)}{index:03d}"
    code = f"syn-{index:03d}"

    agencies: list[dict[str, Any]] = [
        dict(code="la", name=f"{place} Council", kind=AgencyKind.LOCAL_AUTHORITY, source="§2"),
        dict(code="icb", name=f"NHS {place} Integrated Care Board", kind=AgencyKind.HEALTH_COMMISSIONER, source="§2"),
        dict(code="police", name=f"{place} Police", kind=AgencyKind.POLICE, source="§2"),
        dict(code="independent", name="Independent office holders", kind=AgencyKind.INDEPENDENT, source="§3"),
    ]
    n_agencies = _around(rng, shape.agencies)
    while len(agencies) < n_agencies:
        kind, names = rng.choice(OTHER_KINDS)
        i = len(agencies)
        name = rng.choice(names).format(p=f"{place} {rng.choice(PLACES)}")
        agencies.append(dict(code=f"a{i:03d}", name=f"{name} {i}", kind=kind, source=f"App. {1 + i % 3}"))
    statutory = [
        dict(agency="la", lead_role="Chief Executive", delegated_to="Director of Children's Services", source="§2.1"),
        dict(agency="icb", lead_role="Accountable Officer", delegated_to="Chief Nurse", source="§2.1"),
        dict(agency="police", lead_role="Chief Constable", delegated_to="Detective Chief Superintendent", source="§2.1"),
    ]
    ordinary = [a["code"] for a in agencies if a["kind"] not in (AgencyKind.INDEPENDENT,)]

    people: list[dict[str, Any]] = [
        dict(code="independent-scrutineer", role_title="Independent Scrutineer", name=f"Scrutineer of {place}",
             agency="independent", source="§3"),
    ]
    groups: list[dict[str, Any]] = []
    seats: list[dict[str, Any]] = []
    n_groups = max(3, _around(rng, shape.groups))
    topics = rng.sample(SUBGROUP_TOPICS, k=min(len(SUBGROUP_TOPICS), n_groups))
    confidential = {n_groups - 1, n_groups - 2}  # two case-review panels, leaves of the tree
    for gi in range(n_groups):
        if gi == 0:
            g = dict(code="board", name=f"{place} Safeguarding Children Partnership Board",
                     kind=GroupKind.PARTNERSHIP_BOARD, purpose="Holds the partners to account for the arrangements.",
                     cadence="bi-monthly", meetings_per_year=6,
                     chair=dict(basis=ChairBasis.INDEPENDENT_APPOINTMENT, office="Independent Chair",
                                seat="board-chair", source="§4.1"),
                     source="§4")
        elif gi == 1:
            g = dict(code="executive", name=f"{place} Partnership Executive", kind=GroupKind.EXECUTIVE,
                     accountable_to="board", purpose="The three safeguarding partners' lead representatives.",
                     cadence="quarterly", meetings_per_year=4,
                     chair=dict(basis=ChairBasis.ANNUAL_ROTATION, rotation=["la", "icb", "police"],
                                rotation_start="2019/20", source="§4.2"),
                     source="§4.2")
        elif gi in confidential:
            g = dict(code=f"case-panel-{gi}", name=f"Case Review Panel {gi}", kind=GroupKind.PANEL,
                     accountable_to="executive", purpose="Considers serious incident notifications.",
                     cadence="monthly", meetings_per_year=12, confidential=True,
                     chair=dict(basis=ChairBasis.FIXED_OFFICE, office="Head of Safeguarding", source="§6"),
                     source="§6")
        else:
            cadence, per_year = rng.choice(CADENCES)
            parent = "executive" if gi < 8 else groups[rng.randrange(1, min(gi, 12))]["code"]
            topic = topics[gi % len(topics)]
            g = dict(code=f"g{gi:02d}", name=f"{topic} Group", kind=rng.choice(GROUP_KINDS),
                     accountable_to=parent, purpose=f"Leads the partnership's work on {topic.lower()}.",
                     cadence=cadence, meetings_per_year=per_year,
                     chair=dict(basis=ChairBasis.FIXED_OFFICE, office=f"Lead for {topic}", seat=f"g{gi:02d}-chair",
                                source=f"§5.{gi}"),
                     source=f"§5.{gi}")
            if rng.random() < 0.2:
                g["terms_of_reference_review"] = dt.date(2025, rng.randint(1, 12), 1).isoformat()
        groups.append({k: v for k, v in g.items() if v is not None})

        # seats: a chair (a named office holder), the partners' leads on the board/executive, members
        n_seats = _around(rng, shape.seats_per_group)
        person = f"chair-{g['code']}"
        people.append(dict(code=person, role_title=f"Chair of the {g['name']}",
                           **({"name": f"Chair {index}-{gi}"} if rng.random() < 0.5 else {}), source=g["source"]))
        chair_seat = dict(code=f"{g['code']}-chair", group=g["code"], post=f"Chair of the {g['name']}", person=person,
                          role=SeatRole.INDEPENDENT_CHAIR if gi == 0 else SeatRole.SUBGROUP_CHAIR,
                          agency="independent" if gi == 0 else rng.choice(ordinary), source=g["source"])
        group_seats = [chair_seat]
        if gi in (0, 1):
            for sp in statutory:
                group_seats.append(dict(code=f"{g['code']}-{sp['agency']}-lead", group=g["code"], agency=sp["agency"],
                                        role=SeatRole.STATUTORY_PARTNER_LEAD, post=sp["delegated_to"],
                                        membership_code="SP", source=g["source"]))
        while len(group_seats) < n_seats:
            si = len(group_seats)
            role = rng.choice(MEMBER_ROLES)
            agency = rng.choice(ordinary)
            seat = dict(code=f"{g['code']}-s{si:02d}", group=g["code"], role=role, post=rng.choice(POSTS),
                        agency=agency, source=g["source"])
            if rng.random() < 0.15:
                seat["sector_representative"] = True
            if rng.random() < 0.1 and len(group_seats) > 1:
                seat["deputy_of"] = group_seats[-1]["code"]
            group_seats.append(seat)
        if gi == 0:
            group_seats.append(dict(code="board-scrutineer", group="board", role=SeatRole.INDEPENDENT_SCRUTINEER,
                                    post="Independent Scrutineer", person="independent-scrutineer",
                                    agency="independent", source="§3"))
        seats.extend(group_seats)

    return Arrangements.model_validate(dict(
        partnership=dict(
            code=code, name=f"{place} Safeguarding Children Partnership", local_authority=f"{place} Council",
            region=rng.choice(REGIONS), population=rng.randint(90_000, 1_200_000),
            document=dict(title=f"{place} Multi-Agency Safeguarding Arrangements (synthetic)", published="2019",
                          version=f"{rng.randint(1, 4)}.0", seed_file=None),
        ),
        agencies=agencies, statutory_partners=statutory, people=people, groups=groups, seats=seats,
    ))


# ---------------------------------------------------------------------------- TOML


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)  # a JSON string is a TOML basic string
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def to_toml(a: Arrangements) -> str:
    """The arrangements as a data file that :func:`parse_arrangements` reads back equal."""
    data = a.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    lines = ["# Synthetic partnership written by `python -m bench`; not a published document.", "[partnership]"]
    document = data["partnership"].pop("document")
    lines += [f"{k} = {_value(v)}" for k, v in data["partnership"].items()]
    lines += ["", "[partnership.document]"] + [f"{k} = {_value(v)}" for k, v in document.items()]
    for table in ("agencies", "statutory_partners", "people", "groups", "seats"):
        for row in data.get(table, []):
            lines += ["", f"[[{table}]]"] + [f"{k} = {_value(v)}" for k, v in row.items()]
    return "\n".join(lines) + "\n"


def write_dataset(directory: Path, count: int, seed: int = 2024, shape: Shape | None = None) -> list[Path]:
    """Write ``count`` synthetic arrangements files (``syn-001.toml`` …) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, count + 1):
        a = make_arrangements(i, seed, shape)
        path = directory / f"{a.partnership.code}.toml"
        path.write_text(to_toml(a), encoding="utf-8")
        paths.append(path)
    return paths


def check_round_trip(path: Path, index: int, seed: int = 2024, shape: Shape | None = None) -> None:
    if parse_arrangements(path) != make_arrangements(index, seed, shape):
        raise AssertionError(f"{path}: the TOML does not read back as the generated arrangements")


@dataclass
class LoadSummary:
    partnerships: int = 0
    agencies: int = 0
    groups: int = 0
    seats: int = 0
    people: int = 0
    contributions: int = 0
    meetings: int = 0
    decisions: int = 0
    reviews: int = 0
    todo: list[str] = field(default_factory=list)


async def load_dataset(url: str, registry, seed: int = 2024, shape: Shape | None = None) -> LoadSummary:
    """Load every synthetic partnership through ``load_partnership`` (one transaction each),
    then the activity other domains record, through their own services where they exist."""
    from core.auth import Principal
    from core.config import Settings
    from core.db import create_engine, session_factory
    from core.services.load import load_partnership

    shape = shape or Shape()
    summary = LoadSummary()
    engine = create_engine(Settings(database_url=url), url)
    sessions = session_factory(engine)
    admin = Principal(label="bench", platform_admin=True)
    try:
        for rules in registry:
            async with sessions() as session, session.begin():
                await load_partnership(session, rules, actor="bench")
            a = rules.arrangements
            summary.partnerships += 1
            summary.agencies += len(a.agencies)
            summary.groups += len(a.groups)
            summary.seats += len(a.seats)
            summary.people += len(a.people)
        await _activity(sessions, registry, admin, seed, shape, summary)
    finally:
        await engine.dispose()
    return summary


async def _activity(sessions, registry, admin, seed: int, shape: Shape, summary: LoadSummary) -> None:
    """Contributions, meetings and decisions in proportion, through the domains' services."""
    from sqlalchemy import select

    from core.models import Group, Partnership, Seat

    try:
        from core.rules.funding import ContributionKind
        from core.services.funding import record_contribution
    except ImportError:  # the funding domain is not built yet
        record_contribution = None
        summary.todo.append("contributions: core.services.funding.record_contribution not available")
    try:
        from core.rules.governance import DecisionMethod
        from core.services.governance import record_decision, schedule_meeting
    except ImportError:
        schedule_meeting = record_decision = None
        summary.todo.append("meetings/decisions: core.services.governance not available")
    try:
        from core.rules.governance import AttendanceStatus
        from core.services.governance import AttendanceEntry, record_attendance
    except ImportError:
        record_attendance = None
    try:
        from core.rules.reviews import NotificationTarget
        from core.services.reviews import record_notification, report_incident
    except ImportError:
        report_incident = None
        summary.todo.append("reviews: core.services.reviews not available (TODO: seed reviews in proportion)")

    for rules in registry:
        rng = random.Random(f"{seed}:activity:{rules.code}")
        a = rules.arrangements
        async with sessions() as session:
            pid = await session.scalar(select(Partnership.id).where(Partnership.code == rules.code))
            groups = (await session.execute(
                select(Group.id, Group.code).where(Group.partnership_id == pid, Group.confidential.is_(False))
                .order_by(Group.position))).all()
        if record_contribution is not None:
            payers = ["la", "icb", "police"] + [x.code for x in a.agencies[4:]]
            for i in range(shape.contributions):
                agency = payers[i % len(payers)]
                try:
                    async with sessions() as session, session.begin():
                        await record_contribution(
                            session, admin, partnership_code=rules.code, agency_code=agency,
                            financial_year=f"{2019 + i // 4}/{(20 + i // 4) % 100:02d}", kind=ContributionKind.CASH,
                            amount_pence=rng.randint(5_000, 150_000) * 100,
                            due_date=dt.date(2019 + i // 4, 6, 30))
                    summary.contributions += 1
                except Exception as exc:  # a domain still being built: record, don't stop the benchmark
                    summary.todo.append(f"contributions: {type(exc).__name__}: {exc}")
                    record_contribution = None
                    break
        if schedule_meeting is not None:
            targets = groups[: max(1, shape.meetings // 3)]
            meetings = []
            for i in range(shape.meetings):
                gid, _ = targets[i % len(targets)]
                day = dt.date(2024, 1, 15) + dt.timedelta(days=30 * i)
                try:
                    async with sessions() as session, session.begin():
                        m = await schedule_meeting(session, admin, group_id=gid, scheduled_on=day.isoformat(),
                                                   agenda=["Minutes of the last meeting", "Performance report"])
                    meetings.append((gid, m.id, day))
                    summary.meetings += 1
                except Exception as exc:
                    summary.todo.append(f"meetings: {type(exc).__name__}: {exc}")
                    schedule_meeting = None
                    break
            for gid, mid, day in meetings[: shape.decisions]:
                if record_decision is None:
                    break
                try:
                    async with sessions() as session, session.begin():
                        if record_attendance is not None:  # a decision needs a quorate meeting
                            seat_ids = (await session.scalars(select(Seat.id).where(Seat.group_id == gid))).all()
                            await record_attendance(session, admin, registry, meeting_id=mid, entries=[
                                AttendanceEntry(seat_id=s, status=AttendanceStatus.PRESENT) for s in seat_ids])
                        await record_decision(session, admin, registry, group_id=gid, method=DecisionMethod.CONSENSUS,
                                              subject=f"Agree the {day:%B %Y} performance report",
                                              meeting_id=mid, decided_on=day.isoformat())
                    summary.decisions += 1
                except Exception as exc:
                    summary.todo.append(f"decisions: {type(exc).__name__}: {exc}")
                    record_decision = None
                    break
        for i in range(shape.reviews if report_incident is not None else 0):
            aware = dt.date(2025, 1, 6) + dt.timedelta(days=45 * i + rng.randint(0, 20))
            try:
                async with sessions() as session, session.begin():
                    incident = await report_incident(session, admin, partnership_code=rules.code,
                                                     case_reference=f"BENCH-{i + 1:02d}", became_aware_on=aware)
                    if i % 2 == 0:  # notified to the Panel within five working days; the rest are late
                        await record_notification(session, admin, incident_id=incident.id,
                                                  target=NotificationTarget.PANEL,
                                                  notified_on=aware + dt.timedelta(days=3))
                summary.reviews += 1
            except Exception as exc:
                summary.todo.append(f"reviews: {type(exc).__name__}: {exc}")
                report_incident = None
                break
