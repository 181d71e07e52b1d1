"""Sefton Safeguarding Children Partnership: its arrangements and where its rules differ from WT2018."""

from pathlib import Path

from core.hookspecs import hookimpl
from plugins.sefton.compliance import *  # noqa: F403
from plugins.sefton.disputes import *  # noqa: F403
from plugins.sefton.funding import *  # noqa: F403
from plugins.sefton.governance import *  # noqa: F403
from plugins.sefton.reviews import *  # noqa: F403


@hookimpl
def partnership_arrangements() -> Path:
    return Path(__file__).with_name("arrangements.toml")
