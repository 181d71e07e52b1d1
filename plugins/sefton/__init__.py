"""Sefton Safeguarding Children Partnership: its arrangements, its rulebook, and where its
rules differ from WT2018."""

from pathlib import Path

from core.plugin_api import Rulebook, hookimpl

RULES = Rulebook.load(Path(__file__).with_name("rulebook.toml"))


@hookimpl
def partnership_arrangements() -> Path:
    return Path(__file__).with_name("arrangements.toml")


@hookimpl
def partnership_rulebook() -> Path:
    return RULES.path
