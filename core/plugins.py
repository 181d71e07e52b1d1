"""Plugin managers: one per partnership, built by a factory, kept in a registry by code.

Every borough — the four built in and any third party — arrives the same way: a module
exposed in the ``partnerships.plugins`` entry-point group. Each gets its own
:class:`pluggy.PluginManager` holding the Working Together baseline plus that module, so a
hook call never needs to ask "which borough is this?".

Core code calls hooks only through the typed helpers on :class:`PartnershipRules`.
"""

from __future__ import annotations

import importlib
import importlib.metadata
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

ENTRY_POINT_GROUP = "partnerships.plugins"


class PluginError(Exception):
    """A plugin that cannot be used: names the plugin and what is wrong."""


@dataclass
class PartnershipRules:
    """A partnership's plugin manager, its header and where its arrangements are.

    The data file is validated in full when the plugin is loaded (a malformed file stops
    start-up), but only the header stays in memory: the server reads groups and seats from
    the database, and 150 partnerships' validated seat lists would hold ~100 MB it never
    reads. ``arrangements`` reads the file again (``load``, the conformance kit)."""

    code: str
    plugin_name: str
    module: ModuleType | None  # None for a partnership imported from an export
    pm: pluggy.PluginManager
    partnership: PartnershipInfo
    data_file: Path
    reader: Callable[[Path], Arrangements] = read_arrangements

    @property
    def hook(self) -> pluggy.HookRelay:
        return self.pm.hook

    @property
    def arrangements(self) -> Arrangements:
        """The full validated arrangements, from the data file (see the class docstring)."""
        return self.reader(self.data_file)


def build_manager(module: ModuleType, name: str) -> pluggy.PluginManager:
    """The baseline plus one borough's module; unknown hooks fail here, at start-up."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(baseline, name="baseline")
    try:
        pm.register(module, name=name)
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {name!r} ({module.__name__}): {exc}") from exc
    return pm


def baseline_manager() -> pluggy.PluginManager:
    """The Working Together baseline alone: the rules of a partnership no plugin provides
    (one imported from an export, say)."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(baseline, name="baseline")
    return pm


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


@dataclass
class Registry:
    """Every loaded partnership's rules, by partnership code."""

    by_code: dict[str, PartnershipRules] = field(default_factory=dict)

    def get(self, code: str) -> PartnershipRules | None:
        return self.by_code.get(code)

    def __getitem__(self, code: str) -> PartnershipRules:
        return self.by_code[code]

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
