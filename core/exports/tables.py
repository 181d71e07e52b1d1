"""CSV, one file per table of a partnership's structure. Columns are stable and documented
in docs/exports.md; references use codes, not database ids.

These files are opened in spreadsheets, and their cells include text anyone with a
business-unit token can write (a seat's post, say). A spreadsheet evaluates a cell that
starts with ``=``, ``+``, ``-`` or ``@`` (and after a leading tab or carriage return) as a
formula, which can fetch URLs or run commands on the reader's machine (CSV injection). So,
as OWASP advises, such a cell is written with a leading ``'``: spreadsheets show it as text,
and the value is otherwise unchanged. A plain number (``-12``) is not a formula and stays
as it is. (defusedcsv does the same for ``= + - @`` but leaves tab and carriage return
through and rewrites ``|`` inside cells, so it is not used.)
"""

from __future__ import annotations

import csv
import io
import re

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


#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9][0-9,.]*")


def neutralise(value: object) -> object:
    """A cell value that no spreadsheet will evaluate: formula-like text gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_csv(a: Arrangements, table: str) -> str:
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}; tables: {', '.join(TABLES)}")
    out = io.StringIO()
    # RFC 4180 line ends: with "\n" alone the csv module would leave a carriage return inside a
    # cell unquoted, and a reader would split the row there.
    writer = csv.DictWriter(out, fieldnames=TABLES[table], extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in _rows(a, table):
        writer.writerow({k: ("" if row.get(k) is None else neutralise(row.get(k))) for k in TABLES[table]})
    return out.getvalue()
