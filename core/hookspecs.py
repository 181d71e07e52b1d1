"""The plugin contract: every hook a borough plugin may implement.

This module is the one place a plugin author reads. A borough plugin is a module (exposed
through the ``partnerships.plugins`` entry-point group) that implements
:func:`partnership_arrangements` and, where its published document departs from Working
Together 2018, the rule hooks below. The baseline (``core.baseline``) answers every rule
hook with ``trylast=True``; a borough overrides by implementing the same hook, and
returning ``None`` hands the question back to the baseline.

Hooks are synchronous and pure: domain values in, domain values out. They never touch a
database session, a request or a GraphQL type. Every argument and answer is annotated
below; the conformance kit builds arguments from these annotations. Core asks them only
through ``Registry.rules_for(code)`` (``core.plugins.PartnershipRules``); a plugin imports
everything it needs from ``core.plugin_api``.

A hookimpl may take only the arguments it needs (pluggy passes the ones it names), so a
hook can gain an argument without breaking any borough. Every rule answer's ``source`` is
a ``Citation`` with a status — STATED with the quoted words, DERIVED with the step,
BASELINE or NOT_STATED with the reason (``core.plugin_api.stated`` and friends).
"""

from __future__ import annotations

from pathlib import Path

import pluggy

from core.financial_year import FinancialYear
from core.rules.common import PartnerRef
from core.rules.compliance import Evidence
from core.rules.disputes import DisputeKind, EscalationLadder
from core.rules.funding import (
    Apportionment,
    FundingDefaultAction,
    HostArrangement,
    Involvement,
    PublishedFunding,
    ReviewCost,
)
from core.rules.governance import (
    AppointmentRef,
    AttendancePolicy,
    ChairAnswer,
    ChairSelection,
    DecisionRef,
    ExecutiveActionRule,
    GroupRef,
    MeetingRules,
    Problem,
    ProxyRule,
    QuorumRuling,
    SeatRef,
    VotingRule,
)
from core.rules.reviews import AnnualReportRecipients, ReviewTimescales

PROJECT = "partnerships"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec(firstresult=True)
def partnership_arrangements() -> Path | None:
    """Return the path of this borough's arrangements data file (TOML).

    Every borough plugin implements this; the baseline does not. The file is validated
    by :mod:`core.arrangements` when the plugin is loaded, so a malformed file stops
    start-up with the file, the path inside it and what is wrong.

    Example::

        @hookimpl
        def partnership_arrangements():
            return Path(__file__).with_name("arrangements.toml")
    """


@hookspec(firstresult=True)
def partnership_rulebook() -> Path | None:
    """Return the path of this borough's rulebook (``rulebook.toml``): every rule sentence of
    its document with status, section, quoted words, the plain-English rule and the API field
    that applies it (format: ``core.rules.rulebook``). Served as ``Partnership.rulebook`` and
    generated into ``docs/rules/<code>.md``. ``None``: the baseline's rulebook (WT2018 only).

    Cite its entries from your hookimpls so an answer and the rulebook say the same.

    Example::

        RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))

        @hookimpl
        def partnership_rulebook():
            return RULES.path
    """


# ---------------------------------------------------------------- governance hooks


@hookspec(firstresult=True)
def governance_quorum(group: GroupRef, seats: tuple[SeatRef, ...], present: tuple[SeatRef, ...],
                      partners: tuple[PartnerRef, ...], acting_for_partnership: bool, document: str,
                      ) -> QuorumRuling | None:
    """Whether a meeting of a group is quorate with the seats represented at it.

    Arguments (keywords):
      group: ``core.rules.governance.GroupRef`` (code, name, kind, chairing rule as data).
      seats: ``tuple[SeatRef, ...]`` — every seat of the group (role, agency code,
        ``statutory`` flag, ``deputy_of`` for standing deputies).
      present: ``tuple[SeatRef, ...]`` — the seats represented: present, by their standing
        deputy, or by an accepted proxy. A present standing deputy represents its principal.
      partners: ``tuple[PartnerRef, ...]`` — the partnership's safeguarding partners.
      acting_for_partnership: the meeting takes decisions on behalf of the partnership
        (Sandwell §21 holds such sub-groups to the partnership's quorum).
      document: title of the arrangements document, for the Citation.

    Returns a ``core.rules.governance.QuorumRuling(satisfied, reasons, source, requirement)``;
    ``requirement`` states the rule whatever the outcome (the comparison query shows it).
    ``None`` hands the question back to the baseline: partnership boards and executives need
    every safeguarding partner represented (WT2018 ch.3: equal and joint responsibility); other
    groups need one member present.

    Example (Merton §8.12: the Partnership is quorate with two statutory partners)::

        @hookimpl
        def governance_quorum(group, seats, present, partners, acting_for_partnership, document):
            if group.kind != GroupKind.PARTNERSHIP_BOARD:
                return None
            return partners_quorum(present=present, seats=seats, partners=partners, needed=2,
                                   source=Citation(document, "§8.12"), group_name=group.name)
    """


@hookspec(firstresult=True)
def governance_voting_rule(group: GroupRef, seats: tuple[SeatRef, ...], partners: tuple[PartnerRef, ...],
                           document: str) -> VotingRule | None:
    """Who may vote in a group, what carries and what a tie means.

    Arguments (keywords):
      group: ``GroupRef``; seats: ``tuple[SeatRef, ...]`` of the group; partners:
      ``tuple[PartnerRef, ...]``; document: title for the Citation.

    Returns a ``core.rules.governance.VotingRule``: ``voters`` — one ``VoterRight(seat_id,
    counts_for, reason)`` per seat that may vote, where ``counts_for`` is the key a vote counts
    under (one vote per key: a partner's agency code lets a standing deputy vote for its
    partner); ``carries`` in words; ``tie`` (``TieRule``); reasons; source. A seat not in
    ``voters`` has no vote and its vote is refused. ``None`` hands the question back to the
    baseline: every member (not attendees, board support, participant observers, advisors or
    the scrutineer) has one vote, a majority of the votes cast carries, a tie fails.

    Example (Lewisham MoU, Decision making: in the Executive each partner has one vote)::

        @hookimpl
        def governance_voting_rule(group, seats, partners, document):
            if group.kind != GroupKind.EXECUTIVE:
                return None
            return partner_votes(seats, partners, Citation(document, "Decision making"),
                                 reasons=("each safeguarding partner has one vote; the majority decides",))
    """


@hookspec(firstresult=True)
def governance_chair(group: GroupRef, financial_year: FinancialYear, recorded: ChairSelection | None,
                     partners: tuple[PartnerRef, ...], document: str) -> ChairAnswer | None:
    """Who chairs a group in a UK financial year, and on what basis.

    Arguments (keywords):
      group: ``GroupRef`` with the chairing rule as data (``chair_basis``, ``chair_office``,
        ``chair_seat_code``, ``chair_rotation`` agency codes in the agreed order,
        ``chair_rotation_start`` "2019/20").
      financial_year: ``core.financial_year.FinancialYear`` asked about.
      recorded: ``ChairSelection`` recorded for that group and year, or ``None``.
      partners: ``tuple[PartnerRef, ...]``; document: title for the Citation.

    Returns a ``core.rules.governance.ChairAnswer(basis, agency_code, seat_code, office,
    provisional, recorded, reasons, source)``. A recorded selection overrides a rotation; an
    answer derived from a rotation is ``provisional`` until a selection is recorded.
    ``None`` hands the question back to the baseline, which reads the chairing rule as data
    (``core.rules.governance.rotation_answer`` / ``recorded_answer``).

    Example (Lewisham: the Partnership Group's chair is selected at the first Executive
    meeting after 1 April)::

        @hookimpl
        def governance_chair(group, financial_year, recorded, partners, document):
            if recorded or group.chair_basis != ChairBasis.ANNUAL_ROTATION:
                return None
            answer = rotation_answer(group, financial_year, Citation(document, "App. B"))
            return replace(answer, reasons=answer.reasons + ("selection at the first Executive meeting after 1 April",))
    """


@hookspec(firstresult=True)
def governance_proxy_rule(group: GroupRef, document: str) -> ProxyRule | None:
    """Whether a member of a group may send a proxy, and on what condition.

    Arguments (keywords): group: ``GroupRef``; document: title for the Citation.

    Returns a ``core.rules.governance.ProxyRule(allowed, needs_chair_agreement, reasons,
    source)``; attendance ``PROXY`` is refused when not allowed, or without the chair's
    agreement where that is needed. ``None`` hands the question back to the baseline: proxies
    allowed, no condition (WT2018 is silent).

    Example (Lewisham App. B: proxies only in exceptional circumstances, with the chair's
    agreement)::

        @hookimpl
        def governance_proxy_rule(group, document):
            if group.kind != GroupKind.PARTNERSHIP_BOARD:
                return None
            return ProxyRule(True, True, ("…with the agreement of the Chair",), Citation(document, "App. B"))
    """


@hookspec
def governance_appointment_problems(appointment: AppointmentRef, current: tuple[AppointmentRef, ...],
                                    document: str) -> list[Problem] | None:
    """Why an appointment may not be made (collecting: every plugin's problems are joined).

    Arguments (keywords):
      appointment: ``core.rules.governance.AppointmentRef(office, holder, person_code,
        group_code)`` proposed; ``holder_key`` identifies the individual.
      current: ``tuple[AppointmentRef, ...]`` — the partnership's appointments in force.
      document: title for the Citation.

    Returns a list of ``core.rules.governance.Problem(message, source)``; an empty list or
    ``None`` raises no objection. Any problem refuses the appointment (a typed error).

    Example (Merton §7.10: the Independent Person cannot be the Independent Scrutineer)::

        @hookimpl
        def governance_appointment_problems(appointment, current, document):
            if appointment.office == Office.INDEPENDENT_SCRUTINEER and any(
                    a.office == Office.INDEPENDENT_PERSON and a.holder_key == appointment.holder_key for a in current):
                return [Problem("the Independent Person cannot be the Independent Scrutineer", Citation(document, "§7.10"))]
            return []
    """


@hookspec(firstresult=True)
def governance_executive_action_rule(group: GroupRef, decision: DecisionRef, document: str,
                                     ) -> ExecutiveActionRule | None:
    """Whether a decision may be taken for a group between meetings, and what must follow.

    Arguments (keywords): group: ``GroupRef``; decision: ``DecisionRef(method, taken_by,
    decided_on, reported)``; document: title for the Citation.

    Returns a ``core.rules.governance.ExecutiveActionRule(allowed, must_report_at_next_meeting,
    report_to_group, reasons, source)``. A decision that must be reported stays flagged until
    it is reported at a meeting. ``None`` hands the question back to the baseline: not allowed
    (WT2018 gives no one executive authority between meetings).

    Example (Merton §8.4: the Independent Person decides between meetings and reports no later
    than the next Partnership meeting)::

        @hookimpl
        def governance_executive_action_rule(group, decision, document):
            if group.kind != GroupKind.PARTNERSHIP_BOARD:
                return None
            return ExecutiveActionRule(True, True, group.code, ("…",), Citation(document, "§8.4"))
    """


@hookspec(firstresult=True)
def governance_attendance_policy(group: GroupRef, document: str) -> AttendancePolicy | None:
    """The attendance a group expects of its members, as a policy core evaluates.

    Arguments (keywords): group: ``GroupRef``; document: title for the Citation.

    Returns a ``core.rules.governance.AttendancePolicy`` (kind CONSECUTIVE_ABSENCES with
    ``consecutive``, MINIMUM_RATE with ``minimum_percent``, MINIMUM_OF_MEETINGS with
    ``minimum_meetings`` of ``of_meetings``, or NONE). Represented by a deputy or proxy counts
    as attending. ``None`` hands the question back to the baseline: NONE (WT2018 sets none).

    Example (Merton §6.10: two consecutive absences are reviewed)::

        @hookimpl
        def governance_attendance_policy(group, document):
            return AttendancePolicy(AttendancePolicyKind.CONSECUTIVE_ABSENCES, ("…",),
                                    Citation(document, "§6.10"), consecutive=2)
    """


@hookspec(firstresult=True)
def governance_meeting_rules(group: GroupRef, document: str) -> MeetingRules | None:
    """The deadlines a group's meetings are held to: notice of the dates, papers, minutes.

    Arguments (keywords): group: ``GroupRef``; document: title for the Citations.

    Returns a ``core.rules.governance.MeetingRules(notice, papers, minutes, reasons, source)``:
    each a ``Deadline(amount, unit, source)`` (units WORKING_DAYS — counted on England's
    bank-holiday calendar — DAYS, WEEKS, MONTHS) or ``None`` where the document states none.
    Core checks every meeting's dates against them (``Meeting.deadlines``). ``None`` hands the
    question back to the baseline: no deadline is stated (WT2018 sets none).

    Example (Lewisham MoU: papers at least five working days before the meeting)::

        @hookimpl
        def governance_meeting_rules(group):
            s = RULES.cite("meetings-papers", document)
            return MeetingRules(None, Deadline(5, DeadlineUnit.WORKING_DAYS, s), None, ("…",), s)
    """


# ---------------------------------------------------------------- disputes hooks


@hookspec(firstresult=True)
def dispute_escalation_ladder(kind: DisputeKind, document: str) -> EscalationLadder | None:
    """The escalation ladder a dispute of a kind climbs: ordered stages, who acts, what they may do.

    Arguments (keywords):
      kind: ``core.rules.disputes.DisputeKind`` — PROFESSIONAL_DISAGREEMENT,
        PARTNER_NOT_MEETING_OBLIGATIONS, FUNDING_DEFAULT or CHILDREN_AT_RISK_CHALLENGE.
      document: title of the arrangements document, for the Citations.

    Returns a ``core.rules.disputes.EscalationLadder(kind, stages, reasons, source,
    disclosures)``; build it with ``core.rules.disputes.ladder(kind, source, steps)`` from
    ``Step(actor, who, actions, source, label)`` values, which numbers the stages and lets every
    stage but the last ESCALATE. Each ``LadderStage`` names the ``LadderActor`` who must act
    there, the post(s) as the document words them, the ``DisputeAction`` values open to them (MEET,
    ARBITRATE, DETERMINE, MEDIATE, REFER; each ends the dispute with its outcome) and a
    Citation. ``disclosures`` are routes out open at any stage (Merton §8.13). Disputes move
    only one stage up at a time; the last stage is the last resort. ``None`` hands the
    question back to the baseline: resolve locally, then in extremis the Secretary of State
    (WT2018 ch.3).

    Example (Sandwell §25: practitioner protocol, then members, then the Partnership Chair)::

        @hookimpl
        def dispute_escalation_ladder(kind, document):
            s = Citation(document, "§25")
            return ladder(kind, s, [
                Step(LadderActor.PRACTITIONERS, "practitioners and managers", (DisputeAction.MEET,), s,
                     "the practitioner escalation protocol"),
                Step(LadderActor.PARTNERSHIP_MEMBERS, "SCSP members", (DisputeAction.MEET,), s,
                     "members resolve by discussion"),
                Step(LadderActor.PARTNERSHIP_CHAIR, "the SCSP Chair", (DisputeAction.ARBITRATE,), s,
                     "the Partnership Chair"),
            ])
    """


# ---------------------------------------------------------------- funding hooks


@hookspec(firstresult=True)
def funding_host_arrangement(financial_year: FinancialYear, partners: tuple[PartnerRef, ...], document: str,
                             ) -> HostArrangement | None:
    """Who hosts the partnership's money in a financial year, in which role, and who decides what.

    Arguments (keywords):
      financial_year: ``core.financial_year.FinancialYear`` asked about, e.g. 2019/20.
      partners: ``tuple[core.rules.funding.PartnerRef, ...]`` — every agency of the
        partnership (code, name, kind, ``statutory`` flag, document order). Pick the host by
        kind or code from these; never by borough.
      document: title of the partnership's arrangements document, for the Citation.

    Returns a ``core.rules.funding.HostArrangement``: ``status`` (STATED, UNDER_REVIEW,
    NOT_STATED), ``lines`` (``HostLine(role, agency_code, post, duties, source)`` with roles
    HOST_AGENCY / ACCOUNTABLE_BODY / COST_CENTRE_MANAGER / DAY_TO_DAY_BUDGET_MANAGER),
    ``decisions`` (``FundingDecision(matter, decided_by, group_code, source)``), reasons and
    a source. An arrangement the partnership has *recorded* for the year takes precedence
    over this answer (core checks that first). ``None`` hands the question back to the
    baseline, which answers NOT_STATED (WT2018 does not say who hosts).

    Example (Lewisham MoU: the local authority hosts in 2019/20; 2020/21 is "an area for
    early review"; later years are not stated)::

        @hookimpl
        def funding_host_arrangement(financial_year, partners, document):
            la = next(p for p in partners if p.statutory and p.kind == AgencyKind.LOCAL_AUTHORITY)
            if str(financial_year) == "2020/21":
                return HostArrangement(HostStatus.UNDER_REVIEW, (), (), ("…",), RULES.cite("hosting-review", document))
            if str(financial_year) != "2019/20":
                return None  # the baseline: NOT_STATED
            return HostArrangement(HostStatus.STATED, (HostLine(HostRole.HOST_AGENCY, la.code),), (), ("…",),
                                   RULES.cite("hosting-2019-20", document))
    """


@hookspec(firstresult=True)
def review_cost_apportionment(costs: tuple[ReviewCost, ...], involvement: tuple[Involvement, ...],
                              partners: tuple[PartnerRef, ...], document: str) -> Apportionment | None:
    """Who pays what of a child safeguarding practice review's costs.

    Arguments (keywords):
      costs: ``tuple[core.rules.funding.ReviewCost, ...]`` — (item, pence) with items
        REVIEWER, LEGAL_ADVICE, FACILITATION, COMMUNICATIONS, DISSEMINATION, OTHER.
      involvement: ``tuple[core.rules.funding.Involvement, ...]`` — each agency involved in
        the case (a ``PartnerRef``) with a relative weight (e.g. 50, 30, 20).
      partners: ``tuple[PartnerRef, ...]`` — every agency of the partnership.
      document: title of the arrangements document, for the Citation.

    Returns a ``core.rules.funding.Apportionment`` whose shares plus the part met from the
    training budget sum *exactly* to the total (use ``core.rules.funding.largest_remainder``),
    with any agencies excluded and why. ``None`` hands the question back to the baseline:
    equal shares among all the statutory partners (WT2018 ch.3 §36–37).

    Example (Merton §11.2: statutory partners involved, by involvement; dissemination from
    the training budget)::

        @hookimpl
        def review_cost_apportionment(costs, involvement, partners, document):
            return apportion_by_involvement(costs, involvement, Citation(document, "§11.2"),
                                            training_budget_items=frozenset({ReviewCostItem.DISSEMINATION}))
    """


@hookspec
def published_funding(financial_year: FinancialYear, document: str) -> list[PublishedFunding] | None:
    """The funding figures the partnership's published document gives for a year (collecting).

    Arguments (keywords):
      financial_year: ``core.financial_year.FinancialYear``.
      document: title of the arrangements document, for the Citation.

    Returns a list of ``core.rules.funding.PublishedFunding`` (income, contributions with the
    agency code and, only where published, the amount; expenditure lines; a reserve brought
    in), or ``None``/``[]`` when the document publishes nothing for that year. Amounts the
    document does not print are ``None`` — never invented. These figures are served as
    published, independent of ``partnerships load``.

    Example (Sefton, Resourcing: posts £208,000 against income about £230,000 in 2021/22)::

        @hookimpl
        def published_funding(financial_year, document):
            if str(financial_year) != "2021/22":
                return None
            return [PublishedFunding(financial_year, Citation(document, "Resourcing"),
                                     income_pence=23_000_000, income_approximate=True, ...)]
    """


@hookspec(firstresult=True)
def funding_default_action(agency: PartnerRef, document: str) -> FundingDefaultAction | None:
    """What follows when an agency's contribution is overdue (not received by its due date).

    Arguments (keywords):
      agency: ``core.rules.funding.PartnerRef`` of the contributor (``statutory`` tells
        whether it is a safeguarding partner).
      document: title of the arrangements document, for the Citation.

    Returns a ``core.rules.funding.FundingDefaultAction(open_dispute, reasons, source)``.
    An overdue contribution is always reported; ``open_dispute=True`` makes core open a
    funding-default dispute (``core.services.disputes.open_funding_default``). ``None``
    hands the question back to the baseline: report only, no dispute.

    Example (Lewisham MoU, Funding: a safeguarding partner that does not fulfil its funding
    responsibilities triggers the dispute resolution process)::

        @hookimpl
        def funding_default_action(agency, document):
            if not agency.statutory:
                return None
            return FundingDefaultAction(True, ("…",), Citation(document, "Funding"))
    """


# ---------------------------------------------------------------- reviews hooks


@hookspec(firstresult=True)
def review_timescales(document: str) -> ReviewTimescales | None:
    """The deadlines a partnership's serious incidents and practice reviews are held to.

    Arguments (keywords):
      document: title of the partnership's arrangements document, for the Citations.

    Returns a ``core.rules.reviews.ReviewTimescales``: working days to notify the Panel and the
    safeguarding partners (counted on the England bank-holiday calendar), working days from
    the notification to the rapid review, months from commissioning to complete a local review
    (``None``: no target), the minimum months a publication stays public, and the group that
    does rapid reviews where one is named — each with its Citation. ``None`` hands the question
    back to the baseline (``core.rules.reviews.baseline_timescales``): 5 working days to notify
    (WT2018 ch.4), 15 working days to the rapid review (Panel guidance), no completion target,
    public for at least 12 months.

    Example (Sandwell §15: the CSPR group aims to complete commissioned reviews in 6 months)::

        @hookimpl
        def review_timescales(document):
            return replace(baseline_timescales(), review_completion_months=6,
                           completion_source=Citation(document, "§15"))
    """


@hookspec(firstresult=True)
def annual_report_recipients(document: str) -> AnnualReportRecipients | None:
    """Who must receive a copy of the partnership's annual report, and how soon.

    Arguments (keywords):
      document: title of the partnership's arrangements document, for the Citation.

    Returns a ``core.rules.reviews.AnnualReportRecipients(recipients, within_days, source,
    reasons, publication, publication_source, sign_off, sign_off_source, contents,
    contents_source)``; one copy per recipient is due ``within_days`` days after publication.
    ``publication`` says where it is published, ``sign_off`` who approves it, ``contents``
    what it must cover — each empty/None where the document is silent, never guessed.
    ``undated_recipients`` are named with no time for their copy: no due date is made up. ``None``
    hands the question back to the baseline: the Panel and the What Works Centre within seven
    days (WT2018 ch.3).

    Example (Merton §9.3: also the Secretary of State, the DfE and Ofsted)::

        @hookimpl
        def annual_report_recipients(document):
            return AnnualReportRecipients(("Secretary of State for Education", "DfE", "Ofsted",
                                           "Child Safeguarding Practice Review Panel",
                                           "What Works Centre for Children's Social Care"),
                                          7, Citation(document, "§9.3"))
    """


@hookspec
def business_plan_files() -> list[Path] | None:
    """The partnership's transcribed business plans (collecting: every plugin's lists joined).

    No arguments. Returns a list of ``pathlib.Path`` to TOML files in the format of
    ``plugins/merton/business_plan_2014_16.toml`` ([plan], [[objectives]] with
    [[objectives.actions]], and the plan's confidential [[risks]] log), loaded by
    ``core.services.reviews.load_business_plans`` as the partnership's first plan data.
    ``None`` or ``[]``: the partnership publishes no plan. The baseline provides none.

    Example (Merton Business Plan 2014–16)::

        @hookimpl
        def business_plan_files():
            return [Path(__file__).with_name("business_plan_2014_16.toml")]
    """


# ---------------------------------------------------------------- compliance hooks


@hookspec
def compliance_evidence(document: str) -> list[Evidence] | None:
    """Return evidence that the published arrangements cover items of the Working Together
    2018 checklist (ch.3, pp. 79–80, reproduced in Sefton's Introduction).

    Collecting: every plugin's lists are joined. Return a list of
    :class:`core.rules.compliance.Evidence` — the checklist item, what the document says in a
    sentence, and a :class:`~core.rules.common.Citation` of where — or an empty list. Core
    adds evidence it can read off the data and rules itself (statutory partners, relevant
    agencies, schools, a scrutineer's seat, the borough's own dispute ladder, host
    arrangement, review timescales and annual-report recipients), so a plugin only adds what
    only its document says (youth custody, data and intelligence, training and audits, the
    voice of children, the threshold document …). An item with no evidence is reported
    missing.

    Arguments: ``document`` — the title of the partnership's arrangements document.

    Example::

        @hookimpl
        def compliance_evidence(document):
            return [Evidence(ComplianceItem.THRESHOLD_DOCUMENT,
                             "Four levels of need, from universal to complex and significant",
                             Citation(document, "§6"))]
    """
