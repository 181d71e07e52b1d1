"""Lewisham Safeguarding Children Partnership: its arrangements and where its rules differ from WT2018."""

from pathlib import Path

from core.hookspecs import hookimpl
from plugins.lewisham.compliance import *  # noqa: F403
from plugins.lewisham.disputes import *  # noqa: F403
from plugins.lewisham.funding import *  # noqa: F403
from plugins.lewisham.governance import *  # noqa: F403
from plugins.lewisham.reviews import *  # noqa: F403


@hookimpl
def partnership_arrangements() -> Path:
    return Path(__file__).with_name("arrangements.toml")
