"""Export and import use cases shared by the CLI and the HTTP routes."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from core.arrangements import Arrangements, ArrangementsError
from core.exports.popolo import to_arrangements, to_popolo
from core.exports.snapshot import snapshot
from core.plugins import PartnershipRules, baseline_manager
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


def read_popolo(path: Path) -> PartnershipRules:
    """Parse a Popolo export into loadable rules (baseline rules; the data from the file)."""
    arrangements = popolo_arrangements(path)
    return PartnershipRules(
        code=arrangements.partnership.code, plugin_name="import", module=None, pm=baseline_manager(),
        partnership=arrangements.partnership, data_file=Path(path), reader=popolo_arrangements,
    )


async def import_popolo(session: AsyncSession, path: Path, actor: str = "cli") -> LoadReport:
    return await load_partnership(session, read_popolo(path), actor=actor)
