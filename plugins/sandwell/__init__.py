"""Sandwell Safeguarding Children Partnership: its arrangements and where its rules differ from WT2018."""

from pathlib import Path

from core.hookspecs import hookimpl
from plugins.sandwell.compliance import *  # noqa: F403
from plugins.sandwell.disputes import *  # noqa: F403
from plugins.sandwell.funding import *  # noqa: F403
from plugins.sandwell.governance import *  # noqa: F403
from plugins.sandwell.reviews import *  # noqa: F403


@hookimpl
def partnership_arrangements() -> Path:
    return Path(__file__).with_name("arrangements.toml")
