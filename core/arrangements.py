"""The arrangements data file: what a borough's published document says, as validated data.

Each borough plugin ships one TOML file transcribed from its published arrangements, with
the section of the document each fact comes from (`source = "§8.12"`). TOML has no null:
a fact the document does not state is simply left out and reads as ``None`` — unknown is
null, never invented.

Validation happens here, before anything touches the database, so a bad file fails with
the file, the path inside it and what is wrong (:class:`ArrangementsError`).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core.enums import AgencyKind, ChairBasis, GroupKind, SeatRole
from core.weburl import is_web_url

Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
# Lengths match the database columns, so an over-long value fails here with its path.
Name = Annotated[str, Field(min_length=1, max_length=300)]
Ref = Annotated[str, Field(max_length=200)]  # a section reference: "§8.12", "App. 1"
FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Document(_Strict):
    """The published document the data is transcribed from."""

    title: Annotated[str, Field(min_length=1, max_length=500)]
    published: str | None = None  # as the document states it: "May 2019", "2021-07"
    version: str | None = None
    url: str | None = None
    seed_file: str | None = None

    @field_validator("url")
    @classmethod
    def _web_link(cls, value: str | None) -> str | None:
        """A link browsers will follow: never ``javascript:`` or ``data:`` (core/weburl.py)."""
        if value is not None and not is_web_url(value):
            raise ValueError("must be an absolute http:// or https:// URL, e.g. https://example.org/arrangements.pdf")
        return value


class PartnershipInfo(_Strict):
    code: Code
    name: Name
    local_authority: Name
    region: str | None = None
    population: int | None = Field(default=None, ge=0)
    document: Document
    source: Ref | None = None


class AgencyData(_Strict):
    code: Code
    name: Name
    kind: AgencyKind
    source: Ref | None = None


class StatutoryPartnerData(_Strict):
    agency: Code
    lead_role: Name  # e.g. "Chief Executive"
    delegated_to: Name | None = None  # e.g. "Director of Children's Services"
    reason: str | None = None  # why a partner beyond the three (Sandwell §2)
    source: Ref | None = None


class PersonData(_Strict):
    """A public office holder as published. Names are optional; the role title is not."""

    code: Code
    role_title: Name
    name: Name | None = None
    agency: Code | None = None
    source: Ref | None = None


class ChairData(_Strict):
    """How a group's chair is chosen (the chairing rule as data)."""

    basis: ChairBasis
    office: Name | None = None  # who holds it, as the document puts it
    seat: Code | None = None  # the seat that chairs, where one fixed seat does
    # The agencies the chair rotates among, as listed (the document's order is stated only
    # where the borough's rulebook says so: see core.rules.governance.rotation_answer).
    rotation: list[Code] = Field(default_factory=list)
    rotation_start: str | None = None  # financial year the first listed agency chairs, "2019/20"
    vice_chair: Name | None = None
    source: Ref | None = None

    @model_validator(mode="after")
    def _rotation_is_complete(self) -> Self:
        # A rotation among agencies the document does not list, or in an order it does not
        # give, is still a rotation: its unknowns are answered as not stated, never guessed.
        if self.rotation_start is not None and not self.rotation:
            raise ValueError("rotation_start names the year the first agency of `rotation` chairs: list `rotation`")
        if self.rotation_start is not None and not FINANCIAL_YEAR.match(self.rotation_start):
            raise ValueError("rotation_start must be a financial year like '2019/20'")
        return self


class GroupData(_Strict):
    code: Code
    name: Name
    kind: GroupKind
    accountable_to: Code | None = None
    purpose: str | None = None
    cadence: Annotated[str, Field(max_length=200)] | None = None  # as published: "bi-monthly", "every six weeks"
    meetings_per_year: int | None = Field(default=None, ge=0, le=52)
    chair: ChairData | None = None
    terms_of_reference_review: dt.date | None = None
    shared_with: list[str] = Field(default_factory=list)  # other local authorities
    confidential: bool = False
    source: Ref | None = None


class SeatData(_Strict):
    code: Code
    group: Code
    role: SeatRole
    post: Name  # the role title: required even where no name is published
    agency: Code | None = None
    person: Code | None = None
    deputy_of: Code | None = None  # this seat is the standing deputy of that seat
    sector_representative: bool = False
    membership_code: Annotated[str, Field(max_length=60)] | None = None  # as published, e.g. Merton's SP/RA/C/A/B/SGC
    notes: str | None = None
    source: Ref | None = None


class Arrangements(_Strict):
    """A borough's whole arrangements file, cross-checked for dangling references."""

    partnership: PartnershipInfo
    agencies: list[AgencyData]
    statutory_partners: list[StatutoryPartnerData]
    people: list[PersonData] = Field(default_factory=list)
    groups: list[GroupData]
    seats: list[SeatData] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        problems: list[str] = []
        agencies = _unique(self.agencies, "agencies", problems)
        people = _unique(self.people, "people", problems)
        groups = _unique(self.groups, "groups", problems)
        seats = _unique(self.seats, "seats", problems)

        def need(kind: str, known: dict, code: str | None, where: str) -> None:
            if code is not None and code not in known:
                problems.append(f"{where}: unknown {kind} {code!r} (known: {', '.join(sorted(known)) or 'none'})")

        for i, sp in enumerate(self.statutory_partners):
            need("agency", agencies, sp.agency, f"statutory_partners[{i}].agency")
        for i, p in enumerate(self.people):
            need("agency", agencies, p.agency, f"people[{i}].agency")
        for i, g in enumerate(self.groups):
            need("group", groups, g.accountable_to, f"groups[{i}].accountable_to")
            if g.chair:
                need("seat", seats, g.chair.seat, f"groups[{i}].chair.seat")
                for j, code in enumerate(g.chair.rotation):
                    need("agency", agencies, code, f"groups[{i}].chair.rotation[{j}]")
        for i, s in enumerate(self.seats):
            need("group", groups, s.group, f"seats[{i}].group")
            need("agency", agencies, s.agency, f"seats[{i}].agency")
            need("person", people, s.person, f"seats[{i}].person")
            need("seat", seats, s.deputy_of, f"seats[{i}].deputy_of")
            if s.deputy_of in seats and seats[s.deputy_of].group != s.group:
                problems.append(f"seats[{i}].deputy_of: a standing deputy sits in the same group as the seat it deputises for")
        cycle = _cycle(groups)
        if cycle:
            problems.append("groups: accountable_to forms a cycle: " + " -> ".join(cycle))
        if len(self.statutory_partners) < 3:
            problems.append("statutory_partners: WT2018 requires the three safeguarding partners")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _unique(items: list, where: str, problems: list[str]) -> dict:
    seen: dict = {}
    for i, item in enumerate(items):
        if item.code in seen:
            problems.append(f"{where}[{i}].code: duplicate code {item.code!r}")
        seen[item.code] = item
    return seen


def _cycle(groups: dict[str, GroupData]) -> list[str] | None:
    for start in groups:
        path, code = [], start
        while code is not None and code in groups:
            if code in path:
                return path[path.index(code):] + [code]
            path.append(code)
            code = groups[code].accountable_to
    return None


class ArrangementsError(Exception):
    """A data file that cannot be loaded: says which file, where inside it and what is wrong."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        super().__init__(f"{self.path}: " + "; ".join(problems))


def parse_arrangements(path: Path) -> Arrangements:
    """Read and validate an arrangements TOML file."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ArrangementsError(path, ["file not found"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ArrangementsError(path, [f"not valid TOML: {exc}"]) from exc
    try:
        return Arrangements.model_validate(raw)
    except ValidationError as exc:
        raise ArrangementsError(path, [_describe(err) for err in exc.errors()]) from exc


@lru_cache(maxsize=8)
def _read_cached(path: Path, mtime_ns: int, size: int) -> Arrangements:
    return parse_arrangements(path)


def read_arrangements(path: Path) -> Arrangements:
    """``parse_arrangements`` for a file read again and again (a partnership's rules read
    their arrangements on demand): the last few parses are kept, keyed by the file's
    modification time and size, so an edited file is read afresh."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return parse_arrangements(path)  # reports the missing file as parsing does
    return _read_cached(path, stat.st_mtime_ns, stat.st_size)


def _describe(err: dict) -> str:
    loc = ""
    for part in err["loc"]:
        loc += f"[{part}]" if isinstance(part, int) else (f".{part}" if loc else str(part))
    msg = err["msg"].removeprefix("Value error, ")
    return f"{loc or '(top level)'}: {msg}"


if __name__ == "__main__":  # python -m core.arrangements FILE...: validate data files
    import sys

    status = 0
    for name in sys.argv[1:]:
        try:
            a = parse_arrangements(Path(name))
        except ArrangementsError as e:
            print(e)
            status = 1
        else:
            print(
                f"{name}: ok — {len(a.statutory_partners)} statutory partners, "
                f"{len(a.agencies)} agencies, {len(a.groups)} groups, {len(a.seats)} seats"
            )
    sys.exit(status)
