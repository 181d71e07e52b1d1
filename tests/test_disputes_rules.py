"""Escalation ladders as pure rules, and the funding-default hook the funding domain calls."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.db import session_factory
from core.enums import Role
from core.models import Agency, AuditEvent, Partnership, StatutoryPartner
from core.models.disputes import Dispute, DisputeStageChange
from core.plugins import baseline_rules
from core.rules import disputes as rules
from core.rules.common import WT2018
from core.rules.disputes import DisputeKind, DisputeOutcome, LadderActor
from core.services import disputes as svc
from schema.types.common import to_global_id


def _ladder(registry, code: str, kind: DisputeKind) -> rules.EscalationLadder:
    return registry.rules_for(code).ladder(kind=kind)


@pytest.mark.parametrize("kind", list(DisputeKind))
def test_every_ladder_climbs_one_way_to_a_single_final_stage_and_cites_its_document(registry, kind):
    for code in registry.codes():
        ladder = _ladder(registry, code, kind)
        title = registry.rules_for(code).partnership.document.title
        assert [s.number for s in ladder.stages] == list(range(1, len(ladder.stages) + 1))
        assert [s.final for s in ladder.stages] == [False] * (len(ladder.stages) - 1) + [True]
        assert len({s.name for s in ladder.stages}) == len(ladder.stages)
        assert all(s.source.document == title and s.source.section for s in ladder.stages)


def test_the_baseline_resolves_locally_then_the_secretary_of_state():
    ladder = baseline_rules("imported").ladder(kind=DisputeKind.PROFESSIONAL_DISAGREEMENT)
    assert [s.actor for s in ladder.stages] == [LadderActor.STATUTORY_PARTNERS, LadderActor.SECRETARY_OF_STATE]
    assert ladder.source.document == WT2018 and not ladder.independent_stages


def test_moves_are_checked_against_the_ladder(registry):
    merton = _ladder(registry, "merton", DisputeKind.PROFESSIONAL_DISAGREEMENT)
    assert rules.check_escalation(merton, 1, 2).allowed
    assert "skipped" in rules.check_escalation(merton, 1, 3).problem
    assert "only up" in rules.check_escalation(merton, 2, 2).problem
    # Merton §14: a disagreement's last stage is Stage 3, the Independent Person's determination.
    assert "last stage" in rules.check_escalation(merton, 3, 4).problem
    assert rules.check_resolution(merton, 2, DisputeOutcome.ARBITRATED).allowed
    assert not rules.check_resolution(merton, 2, DisputeOutcome.DETERMINED).allowed
    assert rules.check_resolution(merton, 3, DisputeOutcome.DETERMINED).source.section == "§14 Stage 3"
    # Merton §8.13: a disclosure is open at any stage, to the scrutineer only.
    assert rules.check_resolution(merton, 1, DisputeOutcome.REFERRED_OUTSIDE, by=LadderActor.SCRUTINEER).allowed
    sandwell = _ladder(registry, "sandwell", DisputeKind.PROFESSIONAL_DISAGREEMENT)
    assert not rules.check_resolution(sandwell, 1, DisputeOutcome.REFERRED_OUTSIDE).allowed


def test_who_may_record_a_move():
    ip = rules.LadderStage(2, "Stage 2", LadderActor.INDEPENDENT_PERSON, "IP", (rules.DisputeAction.ARBITRATE,),
                           rules.WT2018_DISPUTES)
    lad = rules.EscalationLadder(DisputeKind.PROFESSIONAL_DISAGREEMENT, (ip,), (), rules.WT2018_DISPUTES)
    assert rules.may_resolve(Role.BUSINESS_UNIT, ip, DisputeOutcome.ARBITRATED, lad)
    assert not rules.may_resolve(Role.STATUTORY_PARTNER, ip, DisputeOutcome.ARBITRATED, lad)
    assert not rules.may_resolve(Role.MEMBER, ip, DisputeOutcome.ARBITRATED, lad)
    assert rules.may_escalate(Role.STATUTORY_PARTNER, ip) and not rules.may_escalate(Role.SCRUTINEER, ip)


# ---------------------------------------------------------------- funding defaults


async def _agency(session, code: str, *, statutory: bool) -> tuple[Partnership, Agency]:
    p = await session.scalar(select(Partnership).where(Partnership.code == code))
    stmt = select(Agency).where(Agency.partnership_id == p.id).order_by(Agency.id)
    sps = select(StatutoryPartner.agency_id).where(StatutoryPartner.partnership_id == p.id)
    stmt = stmt.where(Agency.id.in_(sps) if statutory else Agency.id.not_in(sps))
    return p, (await session.scalars(stmt)).first()


async def test_a_lewisham_funding_default_opens_a_funding_default_dispute(api, registry):
    async with session_factory(api.app.state.partnerships.engine)() as session, session.begin():
        p, partner = await _agency(session, "lewisham", statutory=True)
        events_before = await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "dispute.raise"))
        dispute = await svc.open_funding_default(session, registry.rules_for("lewisham"), actor="funding test",
                                                 partnership_id=p.id,
                                                 agency_id=partner.id, summary="2019/20 contribution not paid")
        assert isinstance(dispute, Dispute)
        assert dispute.kind == DisputeKind.FUNDING_DEFAULT and dispute.about_agency_id == partner.id
        assert dispute.current_stage == 1
        changes = (await session.scalars(select(DisputeStageChange).where(
            DisputeStageChange.dispute_id == dispute.id))).all()
        assert [(c.move.value, c.stage_actor) for c in changes] == [("RAISED", LadderActor.EXECUTIVE)]
        assert await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "dispute.raise")) == events_before + 1
    # …and it is readable through the API, climbing Lewisham's ladder.
    gid = to_global_id("Dispute", dispute.id)
    body = await api.gql("query ($id: ID!) { dispute(id: $id) { kind currentStage { actor } ladder { stages { actor } } } }",
                         {"id": gid}, as_role=("lewisham", Role.BUSINESS_UNIT))
    d = body["data"]["dispute"]
    assert d["kind"] == "FUNDING_DEFAULT" and d["currentStage"]["actor"] == "EXECUTIVE"
    assert [s["actor"] for s in d["ladder"]["stages"]] == ["EXECUTIVE", "CHIEF_OFFICERS", "SCRUTINEER"]


@pytest.mark.parametrize(("code", "statutory"), [("merton", True), ("sefton", True), ("lewisham", False)])
async def test_a_funding_default_elsewhere_opens_no_dispute(api, registry, code, statutory):
    async with session_factory(api.app.state.partnerships.engine)() as session, session.begin():
        p, agency = await _agency(session, code, statutory=statutory)
        before = await session.scalar(select(func.count()).select_from(Dispute))
        assert await svc.open_funding_default(session, registry.rules_for(code), actor="funding test",
                                              partnership_id=p.id,
                                              agency_id=agency.id, summary="late") is None
        assert await session.scalar(select(func.count()).select_from(Dispute)) == before


