"""Merton: disputes hooks — §14 Dispute Resolution as it reads, citing ``rulebook.toml``.

§14.1: disputes within the Partnership are resolved locally, normally at Executive Group
meetings. Stage 1 the Statutory Partners meet; Stage 2 the Independent Person arbitrates;
Stage 3 the Independent Person determines. Stage 4 — the Secretary of State's enforcement
action under the Children and Social Work Act 2017 — is stated only "In the event of a
Statutory Partner not meeting its statutory obligations", so only that kind of dispute climbs
to it; every other kind ends with the Independent Person's determination. §8.13: the
Independent Scrutineer may disclose to Ofsted and the DfE at any stage.
"""

from __future__ import annotations

from pathlib import Path

from core.plugin_api import (
    Disclosure,
    DisputeAction,
    DisputeKind,
    LadderActor,
    Rulebook,
    Step,
    hookimpl,
    ladder,
)

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))

IP = "the Independent Person"


@hookimpl
def dispute_escalation_ladder(kind, document):
    steps = [
        Step(LadderActor.STATUTORY_PARTNERS, "the Statutory Partners", (DisputeAction.MEET,),
             RULES.cite("disputes-stage-1", document), "the Statutory Partners meet to secure an agreement"),
        Step(LadderActor.INDEPENDENT_PERSON, IP, (DisputeAction.ARBITRATE,),
             RULES.cite("disputes-stage-2", document), "the Independent Person arbitrates"),
        Step(LadderActor.INDEPENDENT_PERSON, IP, (DisputeAction.DETERMINE,),
             RULES.cite("disputes-stage-3", document), "the Independent Person determines"),
    ]
    reasons = (
        "§14.1: every effort is made to resolve disputes locally; disputes within the Partnership are normally "
        "raised and resolved at meetings of the Executive Group",
    )
    if kind == DisputeKind.PARTNER_NOT_MEETING_OBLIGATIONS:
        steps.append(Step(LadderActor.SECRETARY_OF_STATE, "the Secretary of State", (DisputeAction.REFER,),
                          RULES.cite("disputes-stage-4", document),
                          "the Secretary of State's enforcement action"))
        source = RULES.cite("disputes-stage-4", document)
    else:
        reasons += (
            "§14 Stage 4 (the Secretary of State's enforcement action) is stated only in the event of a Statutory "
            "Partner not meeting its statutory obligations: this kind of dispute ends with the Independent "
            "Person's determination; raise a partner not meeting its obligations as that kind of dispute",)
        source = RULES.cite("disputes-scope-other-kinds", document)
    return ladder(kind, source, steps, reasons=reasons, disclosures=(Disclosure(
        LadderActor.SCRUTINEER, "the Independent Scrutineer", "Ofsted and the DfE",
        "the Partnership is failing to fulfil its statutory responsibilities and normal processes of challenge and "
        "dispute resolution have become untenable", RULES.cite("disputes-scrutineer-discloses", document)),))
