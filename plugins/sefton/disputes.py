"""Sefton: the escalation ladder, by dispute kind, as the Arrangements 2021 scope it.

"Resolution of disputes": partners and relevant agencies resolve any dispute locally, under
the Sefton Escalation Procedure (a separate document on the Partnership's website, whose
steps are not part of the Arrangements); public bodies failing their obligations under law
answer to regulators and inspectors, and "In extremis, any non-compliance will be referred
to the Secretary of State" — non-compliance only, not disagreements. The Independent
Scrutineer offers mediation to the partners and agencies in "any key areas of disagreement"
and independent review of an escalated concern when the Partners request it. Staff may use
their own organisation's whistleblowing procedure at any stage.

So a disagreement (and a challenge that a decision puts children at risk) ends with the
Scrutineer; only a partner not meeting its obligations goes on to the Secretary of State.
Whether an unpaid contribution is "non-compliance" the document does not say: its ladder
stops at mediation, and its answer says so.
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

LOCAL_REASON = ("disputes are resolved locally by the partners and relevant agencies under the Sefton Escalation "
                "Procedure (published separately on the Partnership's website; its own steps are not part of the "
                "Arrangements)")
REASONS = {
    DisputeKind.PROFESSIONAL_DISAGREEMENT: (
        "unresolved, the Independent Scrutineer offers mediation; the Secretary of State is named only for "
        "non-compliance, not for disagreements, so mediation is the last stage stated",),
    DisputeKind.CHILDREN_AT_RISK_CHALLENGE: (
        "a concern escalated by a relevant agency or on behalf of children and families may have the Independent "
        "Scrutineer's independent review when the Partners request it (recorded as the Scrutineer's stage); "
        "nothing is stated beyond it",),
    DisputeKind.PARTNER_NOT_MEETING_OBLIGATIONS: (
        "unresolved, the Independent Scrutineer offers mediation; public bodies that fail their obligations under "
        "law are held to account by regulation and inspection, and in extremis non-compliance is referred to the "
        "Secretary of State",),
    DisputeKind.FUNDING_DEFAULT: (
        "unresolved, the Independent Scrutineer offers mediation; whether an unpaid contribution is "
        "'non-compliance' to be referred to the Secretary of State is not stated — where the partners judge it a "
        "failure of an obligation under law, raise it as a partner not meeting its obligations",),
}


@hookimpl
def dispute_escalation_ladder(kind, document):
    local = Step(LadderActor.PARTNERSHIP_MEMBERS,
                 "the safeguarding partners and relevant agencies, under the Sefton Escalation Procedure",
                 (DisputeAction.MEET,), RULES.cite("disputes-local", document), "resolved locally")
    if kind == DisputeKind.CHILDREN_AT_RISK_CHALLENGE:
        scrutineer = Step(LadderActor.SCRUTINEER,
                          "the Independent Scrutineer: independent review of the escalated concern, when the "
                          "Partners request it", (DisputeAction.MEDIATE,),
                          RULES.cite("disputes-scrutineer-review", document), "the Scrutineer's independent review")
    else:
        scrutineer = Step(LadderActor.SCRUTINEER, "the Independent Scrutineer, offering mediation",
                          (DisputeAction.MEDIATE,), RULES.cite("disputes-scrutineer-mediation", document),
                          "the Scrutineer mediates")
    steps = [local, scrutineer]
    if kind == DisputeKind.PARTNER_NOT_MEETING_OBLIGATIONS:
        steps.append(Step(LadderActor.SECRETARY_OF_STATE, "the Secretary of State", (DisputeAction.REFER,),
                          RULES.cite("disputes-secretary-of-state", document),
                          "in extremis, non-compliance is referred to the Secretary of State"))
    source = RULES.cite("disputes-funding-default" if kind == DisputeKind.FUNDING_DEFAULT else "disputes-local",
                        document)
    whistleblowing = Disclosure(
        LadderActor.PRACTITIONERS, "staff of any member organisation", "their own organisation's whistleblowing procedure",
        "at any stage, to raise a concern in a safe process that protects their position",
        RULES.cite("disputes-whistleblowing", document))
    return ladder(kind, source, steps, reasons=(LOCAL_REASON, *REASONS[kind]), disclosures=(whistleblowing,))
