"""Sefton Safeguarding Children Partnership: its arrangements and where its rules differ from WT2018."""

from pathlib import Path

from core.hookspecs import hookimpl


@hookimpl
def partnership_arrangements() -> Path:
    return Path(__file__).with_name("arrangements.toml")
