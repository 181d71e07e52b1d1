"""Sandwell Safeguarding Children Partnership: its arrangements, its rulebook, and where its
rules differ from WT2018.

``RULES`` is the rulebook (``rulebook.toml``): every rule sentence of the MASA 2021 with its
status, section and quoted words. The hook modules of this package cite its entries, so an
answer's source and the published rulebook say the same thing.
"""

from pathlib import Path

from core.plugin_api import Rulebook, hookimpl

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))


@hookimpl
def partnership_arrangements() -> Path:
    return Path(__file__).with_name("arrangements.toml")


@hookimpl
def partnership_rulebook() -> Path:
    return RULES.path
