"""Plugin managers: one per partnership, built by a factory, kept in a registry by code.

Every borough — the four built in and any third party — arrives the same way: a module
exposed in the ``partnerships.plugins`` entry-point group. Each gets its own
:class:`pluggy.PluginManager` holding the Working Together baseline plus that module, so a
hook call never needs to ask "which borough is this?".

Core code asks a borough anything only through ``Registry.rules_for(code)``, whose typed
methods are the only hook calls in core and schema.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import logging
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pluggy

from core import baseline, hookspecs
from core.arrangements import (
    Arrangements,
    ArrangementsError,
    PartnershipInfo,
    parse_arrangements,
    read_arrangements,
)
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
from core.rules.rulebook import Rulebook

ENTRY_POINT_GROUP = "partnerships.plugins"


class PluginError(Exception):
    """A plugin that cannot be used: names the plugin and what is wrong."""


@dataclass
class PartnershipRules:
    """One partnership's rules: the only way core, the GraphQL layer, exports and the CLI ask
    a borough anything (``Registry.rules_for``).

    Each method asks one hook with the partnership's document title already bound, so a
    caller never names a hook, a plugin manager or a document. A partnership no installed
    plugin provides (imported from an export, or its plugin uninstalled) gets the Working
    Together baseline, and says so: ``is_baseline`` is true and ``plugin_name`` is
    ``"baseline"``.

    The data file is validated in full when the plugin is loaded (a malformed file stops
    start-up), but only the header stays in memory: the server reads groups and seats from
    the database, and 150 partnerships' validated seat lists would hold ~100 MB it never
    reads. ``arrangements`` reads the file again (``load``, the conformance kit)."""

    code: str
    plugin_name: str
    module: ModuleType | None  # None: no plugin provides this partnership (baseline rules)
    pm: pluggy.PluginManager
    partnership: PartnershipInfo | None
    data_file: Path | None
    reader: Callable[[Path], Arrangements] = read_arrangements
    document_title: str | None = None

    @property
    def document(self) -> str:
        """The arrangements document's title, cited by every answer."""
        if self.document_title:
            return self.document_title
        if self.partnership is not None:
            return self.partnership.document.title
        return f"the published arrangements of {self.code}"

    @property
    def is_baseline(self) -> bool:
        """No borough plugin: every answer is the Working Together baseline."""
        return self.module is None and self.plugin_name == BASELINE

    @property
    def arrangements(self) -> Arrangements:
        """The full validated arrangements, from the data file (see the class docstring)."""
        if self.data_file is None:
            raise PluginError(f"partnership {self.code!r} has no arrangements file (no plugin provides it)")
        return self.reader(self.data_file)

    def rulebook(self) -> Rulebook:
        """Every rule of the partnership's document and how the API holds it; the baseline's
        (WT2018 defaults) for a partnership whose plugin publishes none."""
        path = self.pm.hook.partnership_rulebook()
        return Rulebook.load(path) if path else Rulebook.load(BASELINE_RULEBOOK)

    def ask(self, hook: str, **kwargs) -> object:
        """Call any hook by name with these keyword arguments — for the conformance kit, which
        drives every hook of the contract generically. Everything else uses the typed methods."""
        return getattr(self.pm.hook, hook)(**kwargs)

    # ------------------------------------------------------------------ governance

    def quorum(self, *, group: GroupRef, seats: tuple[SeatRef, ...], present: tuple[SeatRef, ...],
               partners: tuple[PartnerRef, ...], acting_for_partnership: bool = False) -> QuorumRuling:
        return self.pm.hook.governance_quorum(group=group, seats=seats, present=present, partners=partners,
                                              acting_for_partnership=acting_for_partnership, document=self.document)

    def voting_rule(self, *, group: GroupRef, seats: tuple[SeatRef, ...],
                    partners: tuple[PartnerRef, ...]) -> VotingRule:
        return self.pm.hook.governance_voting_rule(group=group, seats=seats, partners=partners, document=self.document)

    def chair(self, *, group: GroupRef, financial_year: FinancialYear, recorded: ChairSelection | None,
              partners: tuple[PartnerRef, ...]) -> ChairAnswer:
        return self.pm.hook.governance_chair(group=group, financial_year=financial_year, recorded=recorded,
                                             partners=partners, document=self.document)

    def proxy_rule(self, *, group: GroupRef) -> ProxyRule:
        return self.pm.hook.governance_proxy_rule(group=group, document=self.document)

    def appointment_problems(self, *, appointment: AppointmentRef,
                             current: tuple[AppointmentRef, ...]) -> list[Problem]:
        """Every plugin's objections, joined (a collecting hook)."""
        answers = self.pm.hook.governance_appointment_problems(appointment=appointment, current=current,
                                                               document=self.document)
        return [p for found in answers for p in (found or [])]

    def executive_action_rule(self, *, group: GroupRef, decision: DecisionRef) -> ExecutiveActionRule:
        return self.pm.hook.governance_executive_action_rule(group=group, decision=decision, document=self.document)

    def attendance_policy(self, *, group: GroupRef) -> AttendancePolicy:
        return self.pm.hook.governance_attendance_policy(group=group, document=self.document)

    def meeting_rules(self, *, group: GroupRef) -> MeetingRules:
        return self.pm.hook.governance_meeting_rules(group=group, document=self.document)

    # ------------------------------------------------------------------ disputes

    def ladder(self, *, kind: DisputeKind) -> EscalationLadder:
        return self.pm.hook.dispute_escalation_ladder(kind=kind, document=self.document)

    # ------------------------------------------------------------------ funding

    def host(self, *, financial_year: FinancialYear, partners: tuple[PartnerRef, ...]) -> HostArrangement:
        return self.pm.hook.funding_host_arrangement(financial_year=financial_year, partners=partners,
                                                     document=self.document)

    def review_costs(self, *, costs: tuple[ReviewCost, ...], involvement: tuple[Involvement, ...],
                     partners: tuple[PartnerRef, ...]) -> Apportionment:
        return self.pm.hook.review_cost_apportionment(costs=costs, involvement=involvement, partners=partners,
                                                      document=self.document)

    def published_funding(self, *, financial_year: FinancialYear) -> list[PublishedFunding]:
        """The figures the document publishes for the year, every plugin's joined (possibly none)."""
        found = self.pm.hook.published_funding(financial_year=financial_year, document=self.document)
        return [f for items in found for f in (items or [])]

    def funding_default_action(self, *, agency: PartnerRef) -> FundingDefaultAction:
        return self.pm.hook.funding_default_action(agency=agency, document=self.document)

    # ------------------------------------------------------------------ reviews and reporting

    def review_timescales(self) -> ReviewTimescales:
        return self.pm.hook.review_timescales(document=self.document)

    def annual_report_recipients(self) -> AnnualReportRecipients:
        return self.pm.hook.annual_report_recipients(document=self.document)

    def business_plan_files(self) -> list[Path]:
        return [Path(p) for paths in self.pm.hook.business_plan_files() for p in (paths or [])]

    # ------------------------------------------------------------------ compliance

    def compliance_evidence(self) -> list[Evidence]:
        """What the partnership's plugins cite for the WT2018 checklist, joined."""
        return [e for found in self.pm.hook.compliance_evidence(document=self.document) for e in (found or [])]


BASELINE = "baseline"
BASELINE_RULEBOOK = Path(baseline.__file__).with_name("rulebook.toml")


def hook_modules(module: ModuleType) -> list[ModuleType]:
    """A plugin and, for a package, every module inside it: all are registered, so a
    hookimpl cannot be left out by a forgotten ``__all__`` entry or import."""
    found = [module]
    if hasattr(module, "__path__"):
        for info in pkgutil.walk_packages(module.__path__, prefix=module.__name__ + "."):
            found.append(importlib.import_module(info.name))
    return found


def build_manager(module: ModuleType, name: str) -> pluggy.PluginManager:
    """The baseline plus one borough's modules; unknown hooks fail here, at start-up."""
    pm = baseline_manager(fresh=True)
    try:
        for part in hook_modules(module):
            pm.register(part, name=name if part is module else f"{name}:{part.__name__}")
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {name!r} ({module.__name__}): {exc}") from exc
    return pm


_BASELINE_PM: pluggy.PluginManager | None = None


def baseline_manager(*, fresh: bool = False) -> pluggy.PluginManager:
    """The Working Together baseline alone: the rules of a partnership no plugin provides.
    Shared unless ``fresh`` (a borough's manager adds its own plugin to a fresh one)."""
    global _BASELINE_PM
    if not fresh and _BASELINE_PM is not None:
        return _BASELINE_PM
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for part in hook_modules(baseline):
        pm.register(part, name=BASELINE if part is baseline else f"{BASELINE}:{part.__name__}")
    _trace(pm)
    if not fresh:
        _BASELINE_PM = pm
    return pm


def _trace(pm: pluggy.PluginManager) -> None:
    """The ``trace_hooks`` setting (``PARTNERSHIPS_TRACE_HOOKS=true``): log every hook call,
    its arguments and its answer, so "why did Merton get this quorum?" can be read from the log."""
    from core.config import get_settings

    if not get_settings().trace_hooks:
        return
    log = logging.getLogger("partnerships.hooks")
    pm.trace.root.setwriter(lambda message: log.info(message.rstrip()))
    pm.enable_tracing()


def rules_for_module(module: ModuleType, name: str) -> PartnershipRules:
    pm = build_manager(module, name)
    path = pm.hook.partnership_arrangements()
    if path is None:
        raise PluginError(f"plugin {name!r} ({module.__name__}) does not implement partnership_arrangements")
    arrangements = parse_arrangements(Path(path))
    return PartnershipRules(
        code=arrangements.partnership.code,
        plugin_name=name,
        module=module,
        pm=pm,
        partnership=arrangements.partnership,
        data_file=Path(path),
    )


def baseline_rules(code: str, *, document: str | None = None, partnership: PartnershipInfo | None = None,
                   data_file: Path | None = None,
                   reader: Callable[[Path], Arrangements] = read_arrangements) -> PartnershipRules:
    """The rules of a partnership no installed plugin provides: the baseline, explicitly."""
    return PartnershipRules(code=code, plugin_name=BASELINE, module=None, pm=baseline_manager(),
                            partnership=partnership, data_file=data_file, reader=reader,
                            document_title=document)


@dataclass
class Registry:
    """Every loaded partnership's rules, by partnership code."""

    by_code: dict[str, PartnershipRules] = field(default_factory=dict)

    def rules_for(self, code: str, *, document: str | None = None) -> PartnershipRules:
        """The one door to a partnership's rules: its plugin's, or — for a partnership no
        installed plugin provides — the baseline's, citing ``document`` (its title as loaded)."""
        found = self.by_code.get(code)
        if found is not None:
            return found
        return baseline_rules(code, document=document)

    def installed(self, code: str) -> PartnershipRules | None:
        """The installed plugin's rules for ``code``, or None (no fallback: for loading)."""
        return self.by_code.get(code)

    def __iter__(self):
        return iter(sorted(self.by_code.values(), key=lambda r: r.code))

    def codes(self) -> list[str]:
        return sorted(self.by_code)

    def add(self, rules: PartnershipRules) -> None:
        existing = self.by_code.get(rules.code)
        if existing is not None and existing.module is not rules.module:
            raise PluginError(
                f"plugins {existing.plugin_name!r} and {rules.plugin_name!r} both provide "
                f"partnership {rules.code!r}; uninstall one of them"
            )
        self.by_code[rules.code] = rules


def discover() -> Registry:
    """Load every module in the entry-point group (built-in boroughs included)."""
    importlib.invalidate_caches()
    registry = Registry()
    for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            module = ep.load()
        except Exception as exc:  # an installed plugin that cannot even be imported
            raise PluginError(f"plugin {ep.name!r} ({ep.value}) failed to import: {exc}") from exc
        try:
            registry.add(rules_for_module(module, ep.name))
        except ArrangementsError as exc:
            raise PluginError(f"plugin {ep.name!r}: {exc}") from exc
    return registry


def registry_from_modules(*names: str) -> Registry:
    """A registry from module names — for tests and tools that bypass entry points."""
    registry = Registry()
    for name in names:
        registry.add(rules_for_module(importlib.import_module(name), name))
    return registry
