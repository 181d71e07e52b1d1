"""CSV, one file per table of a partnership's structure. Columns are stable and documented
in docs/exports.md; references use codes, not database ids."""

from __future__ import annotations

import csv
import io

from core.arrangements import Arrangements

TABLES: dict[str, list[str]] = {
    "agencies": ["code", "name", "kind", "source"],
    "statutory_partners": ["agency", "lead_role", "delegated_to", "reason", "source"],
    "people": ["code", "role_title", "name", "agency", "source"],
    "groups": ["code", "name", "kind", "accountable_to", "purpose", "cadence", "meetings_per_year",
               "chair_basis", "chair_office", "chair_rotation", "chair_rotation_start",
               "terms_of_reference_review", "shared_with", "source"],
    "seats": ["code", "group", "role", "post", "agency", "person", "deputy_of", "sector_representative",
              "membership_code", "source"],
}


def _rows(a: Arrangements, table: str) -> list[dict]:
    if table == "groups":
        return [
            g.model_dump(mode="json") | {
                "chair_basis": g.chair.basis.value if g.chair else None,
                "chair_office": g.chair.office if g.chair else None,
                "chair_rotation": " ".join(g.chair.rotation) if g.chair else None,
                "chair_rotation_start": g.chair.rotation_start if g.chair else None,
                "shared_with": "; ".join(g.shared_with),
            }
            for g in a.groups
        ]
    return [x.model_dump(mode="json") for x in getattr(a, table)]


def to_csv(a: Arrangements, table: str) -> str:
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}; tables: {', '.join(TABLES)}")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TABLES[table], extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in _rows(a, table):
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in TABLES[table]})
    return out.getvalue()
