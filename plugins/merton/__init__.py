"""Merton Safeguarding Children Partnership: its arrangements, its rulebook, and where its rules differ from WT2018."""

from pathlib import Path

from core.plugin_api import Rulebook, hookimpl

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))


@hookimpl
def partnership_arrangements() -> Path:
    return Path(__file__).with_name("arrangements.toml")


@hookimpl
def partnership_rulebook() -> Path:
    # Every rule sentence of the Agreement (and the 2014–16 Business Plan), with its status.
    return RULES.path
