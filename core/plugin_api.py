"""The public plugin API: everything a borough plugin imports, from one module.

A plugin imports from here and nowhere else in ``core`` (a test fails otherwise), so the
rest of core can change without breaking a borough. What is here is the contract:

- ``hookimpl`` — the marker for a hook implementation. A hookimpl may accept only the
  arguments it needs (pluggy's opt-in arguments): ``def governance_proxy_rule(group):``
  is a valid implementation of ``governance_proxy_rule(group, document)``. New arguments
  added to a hook later do not break it.
- Citations and their status — :func:`stated`, :func:`derived`, :func:`baseline`,
  :func:`not_stated`, and :class:`Rulebook` to cite a borough's rulebook entry by id, so
  every answer says how it knows and quotes the document's words.
- The values hooks take and return, and the helpers that build answers, per domain.

Read ``core/hookspecs.py`` for each hook (or the generated ``docs/hooks.md``), and
``docs/plugin-guide.md`` for a borough written only against this module.
"""

from core.enums import AgencyKind, ChairBasis, GroupKind, SeatRole
from core.financial_year import FinancialYear
from core.hookspecs import hookimpl
from core.rules.common import (
    SILENT,
    WT2018,
    Citation,
    PartnerRef,
    RuleStatus,
    baseline,
    derived,
    not_stated,
    stated,
)
from core.rules.compliance import ComplianceItem, Evidence, cited
from core.rules.disputes import (
    Disclosure,
    DisputeAction,
    DisputeKind,
    EscalationLadder,
    LadderActor,
    LadderStage,
    Step,
    ladder,
)
from core.rules.funding import (
    Apportionment,
    ContributionKind,
    Exclusion,
    FundingDecision,
    FundingDefaultAction,
    HostArrangement,
    HostLine,
    HostRole,
    HostStatus,
    Involvement,
    PublishedContribution,
    PublishedExpenditure,
    PublishedFunding,
    PublishedReserve,
    ReviewCost,
    ReviewCostItem,
    Share,
    apportion_by_involvement,
    equal_apportionment,
    largest_remainder,
    not_apportioned,
)
from core.rules.governance import (
    AppointmentRef,
    AttendancePolicy,
    AttendancePolicyKind,
    ChairAnswer,
    ChairSelection,
    Deadline,
    DeadlineUnit,
    DecisionMethod,
    DecisionRef,
    ExecutiveActionRule,
    GroupRef,
    MeetingRules,
    Office,
    Problem,
    ProxyRule,
    QuorumRuling,
    SeatRef,
    TieRule,
    VoterRight,
    VotingRule,
    membership,
    partner_votes,
    partners_quorum,
    partners_represented,
    recorded_answer,
    rotation_answer,
)
from core.rules.reviews import (
    AnnualReportRecipients,
    ReviewTimescales,
    baseline_annual_report_recipients,
    baseline_timescales,
)
from core.rules.rulebook import Rulebook, RuleTopic

__all__ = [
    "SILENT", "WT2018", "AgencyKind", "AnnualReportRecipients", "AppointmentRef", "Apportionment",
    "AttendancePolicy", "AttendancePolicyKind", "ChairAnswer", "ChairBasis", "ChairSelection", "Citation",
    "ComplianceItem", "ContributionKind", "Deadline", "DeadlineUnit", "DecisionMethod", "DecisionRef",
    "Disclosure", "DisputeAction", "MeetingRules", "Rulebook", "RuleTopic", "not_apportioned",
    "DisputeKind", "EscalationLadder", "Evidence", "Exclusion", "ExecutiveActionRule", "FinancialYear",
    "FundingDecision", "FundingDefaultAction", "GroupKind", "GroupRef", "HostArrangement", "HostLine",
    "HostRole", "HostStatus", "Involvement", "LadderActor", "LadderStage", "Office", "PartnerRef", "Problem",
    "ProxyRule", "PublishedContribution", "PublishedExpenditure", "PublishedFunding", "PublishedReserve",
    "QuorumRuling", "ReviewCost", "ReviewCostItem", "ReviewTimescales", "RuleStatus", "SeatRef", "SeatRole",
    "Share", "Step", "TieRule", "VoterRight", "VotingRule", "apportion_by_involvement", "baseline",
    "baseline_annual_report_recipients", "baseline_timescales", "cited", "derived", "equal_apportionment",
    "hookimpl", "ladder", "largest_remainder", "membership", "not_stated", "partner_votes", "partners_quorum",
    "partners_represented", "recorded_answer", "rotation_answer", "stated",
]
