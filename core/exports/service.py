"""Export and import use cases shared by the CLI and the HTTP routes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.arrangements import Arrangements, ArrangementsError
from core.exports.popolo import to_arrangements, to_popolo
from core.exports.snapshot import snapshot
from core.models import Partnership
from core.plugins import PartnershipRules, Registry, baseline_rules, discover
from core.services.load import LoadReport, load_partnership


async def export_popolo(session: AsyncSession, code: str, *, include_confidential: bool = False) -> dict:
    return to_popolo(await snapshot(session, code, include_confidential=include_confidential))


def popolo_arrangements(path: Path) -> Arrangements:
    """The arrangements in a Popolo export, validated as a data file's would be."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        return to_arrangements(doc)
    except (OSError, json.JSONDecodeError, KeyError, ValueError, ValidationError) as exc:
        raise ArrangementsError(path, [f"not a Partnerships Graph Popolo export: {exc}"]) from exc


def read_popolo(path: Path, plugin_name: str | None = None) -> PartnershipRules:
    """Parse a Popolo export into loadable rules (baseline rules; the data from the file),
    labelled with ``plugin_name`` when the partnership belongs to an installed plugin."""
    arrangements = popolo_arrangements(path)
    rules = baseline_rules(arrangements.partnership.code, partnership=arrangements.partnership,
                           data_file=Path(path), reader=popolo_arrangements)
    return rules if plugin_name is None else replace(rules, plugin_name=plugin_name)


async def import_popolo(session: AsyncSession, path: Path, actor: str = "cli", *, replace_existing: bool = False,
                        registry: Registry | None = None) -> LoadReport:
    """Load a Popolo export as a partnership's published structure.

    A file carrying the code of a partnership already in the database would take it over,
    so it is refused unless the operator asks for replacement (``replace_existing``, the
    CLI's ``--replace``). Even then only the published structure is replaced, as by a load
    of a new edition of the document (core/services/load.py): meetings, decisions, votes,
    attendance and seats recorded through the API are kept. The partnership keeps the
    plugin it was installed by (its rules follow that label), so a borough re-importing its
    own export stays itself; a new partnership whose code an installed plugin provides gets
    that plugin's label, and any other the baseline's."""
    code = popolo_arrangements(path).partnership.code
    existing = await session.scalar(select(Partnership).where(Partnership.code == code))
    if existing is not None and not replace_existing:
        raise ArrangementsError(path, [
            f"partnership {code!r} is already installed (plugin {existing.plugin!r}); importing this file would "
            "replace its published structure. To do that on purpose, run `partnerships import --replace FILE`: "
            "what users recorded (meetings, decisions, votes, attendance, seats added through the API) is kept"])
    if existing is not None:
        label = existing.plugin
    else:
        installed = (registry if registry is not None else discover()).installed(code)
        label = installed.plugin_name if installed is not None else None
    return await load_partnership(session, read_popolo(path, label), actor=actor)
