"""Lewisham Safeguarding Children Partnership: its arrangements, its rulebook, and where its
rules differ from WT2018."""

from pathlib import Path

from core.plugin_api import hookimpl


@hookimpl
def partnership_arrangements() -> Path:
    return Path(__file__).with_name("arrangements.toml")


@hookimpl
def partnership_rulebook() -> Path:
    """Every rule sentence of the MoU 2019/20 and how the API holds it; the hooks cite it."""
    return Path(__file__).with_name("rulebook.toml")
