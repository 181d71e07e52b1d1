"""Pure rules for disputes: domain values in, results with reasons and sources out.

A dispute climbs its partnership's **escalation ladder** for its kind: ordered stages, each
naming who acts (``LadderActor``) and what they may do there (``DisputeAction``). A stage
that may ``ESCALATE`` hands an unresolved dispute to the next stage; the last stage may not.
The ladder is a rule hook (``dispute_escalation_ladder`` in :mod:`core.hookspecs`), asked only
through :func:`escalation_ladder` below; the functions here check a move against it and never
touch a database.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from core.enums import Role
from core.rules.common import SILENT, WT2018, Citation, baseline

#: WT2018 ch.3 (p. 80, quoted by Sefton "Resolution of disputes"): partners and relevant
#: agencies resolve disputes locally; public bodies failing their obligations answer to the
#: Secretary of State (CSWA 2017).
WT2018_DISPUTES = baseline(WT2018, "ch.3, p. 80", SILENT)


# ----------------------------------------------------------------------------- vocabularies


class DisputeKind(enum.StrEnum):
    """What a dispute is about."""

    PROFESSIONAL_DISAGREEMENT = "PROFESSIONAL_DISAGREEMENT"  # between partners or agencies
    PARTNER_NOT_MEETING_OBLIGATIONS = "PARTNER_NOT_MEETING_OBLIGATIONS"
    FUNDING_DEFAULT = "FUNDING_DEFAULT"  # a partner not paying its contribution (Lewisham, Funding)
    CHILDREN_AT_RISK_CHALLENGE = "CHILDREN_AT_RISK_CHALLENGE"  # a decision would put children at risk


class DisputeAction(enum.StrEnum):
    """What the role acting at a stage may do."""

    MEET = "MEET"  # meet or discuss and agree
    ARBITRATE = "ARBITRATE"
    DETERMINE = "DETERMINE"
    MEDIATE = "MEDIATE"
    ESCALATE = "ESCALATE"  # hand the unresolved dispute to the next stage
    REFER = "REFER"  # refer outside the partnership (the Secretary of State)


class DisputeOutcome(enum.StrEnum):
    """How a dispute ended."""

    RESOLVED_BY_AGREEMENT = "RESOLVED_BY_AGREEMENT"
    ARBITRATED = "ARBITRATED"
    DETERMINED = "DETERMINED"
    MEDIATED = "MEDIATED"
    REFERRED_OUTSIDE = "REFERRED_OUTSIDE"
    WITHDRAWN = "WITHDRAWN"


class DisputeStatus(enum.StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class DisputeMove(enum.StrEnum):
    """A change in a dispute's stage history."""

    RAISED = "RAISED"
    ESCALATED = "ESCALATED"
    RESOLVED = "RESOLVED"
    WITHDRAWN = "WITHDRAWN"


class LadderActor(enum.StrEnum):
    """Who acts at a stage of an escalation ladder."""

    PRACTITIONERS = "PRACTITIONERS"  # practitioners and managers under an agency escalation protocol
    STATUTORY_PARTNERS = "STATUTORY_PARTNERS"
    EXECUTIVE = "EXECUTIVE"  # the partners' executive group
    CHIEF_OFFICERS = "CHIEF_OFFICERS"  # the partners' chief executives / accountable officers / commanders
    PARTNERSHIP_MEMBERS = "PARTNERSHIP_MEMBERS"  # the partners and relevant agencies together
    INDEPENDENT_PERSON = "INDEPENDENT_PERSON"
    SCRUTINEER = "SCRUTINEER"
    PARTNERSHIP_CHAIR = "PARTNERSHIP_CHAIR"
    SECRETARY_OF_STATE = "SECRETARY_OF_STATE"


class ScrutinyActivityKind(enum.StrEnum):
    MEETING_ATTENDED = "MEETING_ATTENDED"
    PAPERS_REVIEWED = "PAPERS_REVIEWED"
    AUDIT = "AUDIT"
    CASE_REVIEW = "CASE_REVIEW"
    ENGAGEMENT_WITH_CHILDREN_AND_FAMILIES = "ENGAGEMENT_WITH_CHILDREN_AND_FAMILIES"
    OTHER = "OTHER"


class RecommendationResponse(enum.StrEnum):
    """The partnership's response to a scrutineer's recommendation."""

    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"  # a reason is required
    IN_PROGRESS = "IN_PROGRESS"


#: The outcome each action ends a dispute with.
OUTCOME_OF: dict[DisputeAction, DisputeOutcome] = {
    DisputeAction.MEET: DisputeOutcome.RESOLVED_BY_AGREEMENT,
    DisputeAction.ARBITRATE: DisputeOutcome.ARBITRATED,
    DisputeAction.DETERMINE: DisputeOutcome.DETERMINED,
    DisputeAction.MEDIATE: DisputeOutcome.MEDIATED,
    DisputeAction.REFER: DisputeOutcome.REFERRED_OUTSIDE,
}
#: Actions by which someone independent of the parties settles a dispute.
INDEPENDENT_ACTIONS = frozenset({DisputeAction.ARBITRATE, DisputeAction.DETERMINE, DisputeAction.MEDIATE})


# ----------------------------------------------------------------------------- values


@dataclass(frozen=True)
class LadderStage:
    """One stage: who acts, what they may do, and where the document says so."""

    number: int  # 1-based
    name: str  # unique within its ladder, e.g. "Stage 2: the Independent Person arbitrates"
    actor: LadderActor
    who: str  # as the document words it
    actions: tuple[DisputeAction, ...]
    source: Citation

    @property
    def final(self) -> bool:
        return DisputeAction.ESCALATE not in self.actions

    @property
    def outcomes(self) -> tuple[DisputeOutcome, ...]:
        return tuple(OUTCOME_OF[a] for a in self.actions if a in OUTCOME_OF)


@dataclass(frozen=True)
class Disclosure:
    """A route out of the ladder open at any stage (Merton §8.13: the scrutineer discloses)."""

    actor: LadderActor
    who: str
    to: str
    when: str
    source: Citation


@dataclass(frozen=True)
class EscalationLadder:
    kind: DisputeKind
    stages: tuple[LadderStage, ...]
    reasons: tuple[str, ...]
    source: Citation
    disclosures: tuple[Disclosure, ...] = ()

    def stage(self, number: int) -> LadderStage | None:
        return self.stages[number - 1] if 1 <= number <= len(self.stages) else None

    @property
    def last_resort(self) -> LadderStage:
        return self.stages[-1]

    @property
    def independent_stages(self) -> tuple[LadderStage, ...]:
        """The stages where someone arbitrates, determines or mediates."""
        return tuple(s for s in self.stages if INDEPENDENT_ACTIONS & set(s.actions))


@dataclass(frozen=True)
class Step:
    """A stage as a plugin writes it, before numbering (see :func:`ladder`)."""

    actor: LadderActor
    who: str
    actions: tuple[DisputeAction, ...]
    source: Citation
    label: str  # what happens, e.g. "the Independent Person arbitrates"


def ladder(kind: DisputeKind, source: Citation, steps: Iterable[Step], *, reasons: tuple[str, ...] = (),
           disclosures: tuple[Disclosure, ...] = ()) -> EscalationLadder:
    """Number the steps into a ladder: every stage but the last escalates, the last does not."""
    steps = list(steps)
    stages = []
    for i, s in enumerate(steps, start=1):
        actions = tuple(a for a in s.actions if a != DisputeAction.ESCALATE)
        if i < len(steps):
            actions += (DisputeAction.ESCALATE,)
        stages.append(LadderStage(i, f"Stage {i}: {s.label}", s.actor, s.who, actions, s.source))
    return EscalationLadder(kind, tuple(stages), reasons, source, disclosures)


@dataclass(frozen=True)
class MoveRuling:
    """Whether a move along the ladder is allowed; ``problem`` says why not and what to do."""

    allowed: bool
    reasons: tuple[str, ...]
    source: Citation
    problem: str | None = None


def _stage_words(stage: LadderStage) -> str:
    return f"{stage.name} ({stage.source})"


def check_escalation(ladder: EscalationLadder, current: int, to_stage: int) -> MoveRuling:
    """An escalation goes exactly one stage up, from a stage that may escalate."""
    here = ladder.stage(current)
    if here is None:
        return MoveRuling(False, (), ladder.source, f"the dispute is at stage {current}, which its ladder does not have")
    nxt = ladder.stage(current + 1)
    if here.final or nxt is None:
        return MoveRuling(False, (), here.source,
                          f"{_stage_words(here)} is the last stage of the ladder: it cannot be escalated further; "
                          f"resolve it with {', '.join(o.value for o in here.outcomes) or 'an outcome'}")
    if to_stage <= current:
        return MoveRuling(False, (), here.source,
                          f"a dispute moves only up its ladder: it is at stage {current}, so it cannot go to stage "
                          f"{to_stage}; escalate to stage {current + 1} ({nxt.name})")
    if to_stage > current + 1:
        return MoveRuling(False, (), here.source,
                          f"stages cannot be skipped: the dispute is at stage {current} and must go to stage "
                          f"{current + 1} ({nxt.name}) before stage {to_stage}")
    return MoveRuling(True, (f"unresolved at {here.name}: escalated to {nxt.name}",), nxt.source)


def check_resolution(ladder: EscalationLadder, current: int, outcome: DisputeOutcome,
                     *, by: LadderActor | None = None) -> MoveRuling:
    """An outcome must be one the current stage's actor may reach, or a disclosure route."""
    here = ladder.stage(current)
    if here is None:
        return MoveRuling(False, (), ladder.source, f"the dispute is at stage {current}, which its ladder does not have")
    if outcome == DisputeOutcome.WITHDRAWN:
        return MoveRuling(False, (), here.source, "use withdrawDispute to withdraw a dispute")
    if outcome in here.outcomes:
        action = next(a for a, o in OUTCOME_OF.items() if o == outcome and a in here.actions)
        return MoveRuling(True, (f"{here.who}: {action.value.lower()} at {here.name}",), here.source)
    if outcome == DisputeOutcome.REFERRED_OUTSIDE:
        for d in ladder.disclosures:
            if by is None or by == d.actor:
                return MoveRuling(True, (f"{d.who} disclosed to {d.to}: {d.when}",), d.source)
    open_now = [o.value for o in here.outcomes]
    hint = f"at this stage it may end {' or '.join(open_now)}" if open_now else "this stage ends no dispute"
    if not here.final:
        hint += f", or be escalated to stage {current + 1}"
    return MoveRuling(False, (), here.source,
                      f"{outcome.value} is not open at {_stage_words(here)}: {hint}")


# ----------------------------------------------------------------------------- who may act

#: Stages where the partners themselves act: a statutory partner's token may record the move.
PARTNER_LED = frozenset({LadderActor.PRACTITIONERS, LadderActor.STATUTORY_PARTNERS, LadderActor.EXECUTIVE,
                         LadderActor.CHIEF_OFFICERS, LadderActor.PARTNERSHIP_MEMBERS})
#: The business unit and administrators record every move of the partnership's business
#: (an Independent Person, a Partnership Chair or the Secretary of State hold no API role).
RECORDERS = frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR})


def may_escalate(role: Role, stage: LadderStage) -> bool:
    """A statutory partner may take an unresolved dispute up from any stage; the scrutineer from
    a stage where the scrutineer acts; the business unit and administrators record it."""
    if role in RECORDERS or role == Role.STATUTORY_PARTNER:
        return True
    return role == Role.SCRUTINEER and stage.actor == LadderActor.SCRUTINEER


def may_resolve(role: Role, stage: LadderStage, outcome: DisputeOutcome, ladder: EscalationLadder) -> bool:
    """The stage's own actor records its resolution: statutory partners where the partners act,
    the scrutineer where the scrutineer acts or discloses; the business unit and administrators always."""
    if role in RECORDERS:
        return True
    if role == Role.STATUTORY_PARTNER:
        return stage.actor in PARTNER_LED
    if role == Role.SCRUTINEER:
        if stage.actor == LadderActor.SCRUTINEER:
            return True
        return outcome == DisputeOutcome.REFERRED_OUTSIDE and any(
            d.actor == LadderActor.SCRUTINEER for d in ladder.disclosures)
    return False
