"""Merton Safeguarding Children Partnership: its arrangements and where its rules differ from WT2018."""

from pathlib import Path

from core.hookspecs import hookimpl
from plugins.merton.compliance import *  # noqa: F403
from plugins.merton.disputes import *  # noqa: F403
from plugins.merton.funding import *  # noqa: F403
from plugins.merton.governance import *  # noqa: F403
from plugins.merton.reviews import *  # noqa: F403


@hookimpl
def partnership_arrangements() -> Path:
    return Path(__file__).with_name("arrangements.toml")
