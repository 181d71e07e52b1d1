"""Types shared by every aggregate: Node and global IDs, connections, sources, enums."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from functools import lru_cache
from typing import Annotated, Generic, TypeVar

import strawberry

from core import enums
from core.financial_year import FinancialYear, FinancialYearError
from core.rules import common as _common
from schema.errors import BadArgument, NotFound

AgencyKind = strawberry.enum(enums.AgencyKind, description="What sort of body an agency is.")
GroupKind = strawberry.enum(enums.GroupKind, description="What sort of group: board, executive, sub-group …")
SeatRole = strawberry.enum(enums.SeatRole, description="The capacity in which a seat is held in a group.")
ChairBasis = strawberry.enum(enums.ChairBasis, description="How a group's chair is chosen.")
Role = strawberry.enum(enums.Role, description="What a principal may do for a partnership.")


@lru_cache(maxsize=16384)
def to_global_id(type_name: str, pk: int | str) -> strawberry.ID:
    """Remembered: a page asks for ~1,000 IDs, mostly the same ones request after request."""
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("="))


def from_global_id(gid: str) -> tuple[str, int]:
    """Decode a global ID; a malformed one is a client error naming the bad value."""
    try:
        padded = gid + "=" * (-len(gid) % 4)
        type_name, _, pk = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        if not -(2**31) <= int(pk) <= 2**31 - 1:  # beyond the 32-bit id columns: no ID this API issued
            raise ValueError
        return type_name, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise NotFound(f"{gid!r} is not an ID issued by this API; use the `id` of an object you read") from None


@strawberry.interface(description="An object with a globally unique ID, fetchable with `node(id:)`.")
class Node:
    @strawberry.field(description="Globally unique, opaque ID.")
    def id(self) -> strawberry.ID:
        return to_global_id(type(self).__name__, self.pk)  # type: ignore[attr-defined]


RuleStatus = strawberry.enum(
    _common.RuleStatus,
    description="How an answer knows what it says. STATED: the document says it (`section`, and its operative "
                "words in `quote`). DERIVED: follows from the quoted words by the step in `derivation`. BASELINE: "
                "the document is silent and statutory guidance or the platform default applies (`document` names "
                "which; `derivation` says why). NOT_STATED: nothing says, so the answer is unknown (null), never a "
                "guess; `derivation` says what was looked for.",
)


@strawberry.type(description="Where a fact or a rule comes from and how: the document, its section, the "
                             "quoted words and a status.")
class Source:
    document: str = strawberry.field(description="Title of the published document (or of the guidance applied "
                                                 "by default).")
    section: str | None = strawberry.field(description="Section, paragraph or appendix, e.g. `§8.12`.")
    status: RuleStatus = strawberry.field(default=_common.RuleStatus.STATED,
                                          description="STATED, DERIVED, BASELINE or NOT_STATED.")
    quote: str | None = strawberry.field(default=None, description="The document's operative words, quoted.")
    derivation: str | None = strawberry.field(
        default=None, description="DERIVED: the step from the quoted words; BASELINE or NOT_STATED: why.")


def source_of(citation) -> Source | None:
    """A rule's Citation (core.rules.common) as the GraphQL Source type; None stays None."""
    if citation is None:
        return None
    return Source(document=citation.document, section=citation.section, status=citation.status,
                  quote=citation.quote, derivation=citation.derivation)


T = TypeVar("T")

First = Annotated[int | None, strawberry.argument(description="Return at most this many items (the page-size limit applies).")]
After = Annotated[str | None, strawberry.argument(description="Return items after this cursor (an `endCursor`).")]


@strawberry.type(description="Pagination state of a connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge; pass as `after`.")


@strawberry.type(description="An item in a connection, with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque cursor of this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, Relay style.")
class Connection(Generic[T]):
    page: strawberry.Private[Sequence[T]]  # the items of this page …
    start: strawberry.Private[int]  # … and the offset of the first in the whole list
    page_info: PageInfo = strawberry.field(description="Pagination state.")
    total_count: int = strawberry.field(description="Number of items in the whole list.")

    @strawberry.field(description="The items of this page, with cursors.")
    def edges(self) -> list[Edge[T]]:
        # built on demand: most clients read `nodes`, and a page holds up to 100 items
        return [Edge(cursor=_cursor(self.start + i), node=n) for i, n in enumerate(self.page)]

    @strawberry.field(description="The items of this page, without cursors.")
    def nodes(self) -> list[T]:
        return list(self.page)


@lru_cache(maxsize=4096)  # pure; a page of 100 seats needs 100 of them (issue 9)
def _cursor(i: int) -> str:
    return base64.urlsafe_b64encode(f"o:{i}".encode()).decode()


def _offset(cursor: str) -> int:
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "o":
            raise ValueError
        return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadArgument(f"`after: {cursor!r}` is not a cursor from this list; use a `cursor` or `endCursor`") from None


def paginate(items: Sequence[T], first: int | None, after: str | None, max_page: int) -> Connection[T]:
    """Slice an already-loaded list into a connection page, enforcing the page-size limit."""
    if first is not None and (first < 0 or first > max_page):
        raise BadArgument(f"`first` must be between 0 and {max_page}; got {first}. Page with `after`.")
    start = _offset(after) + 1 if after else 0
    size = max_page if first is None else first
    page = list(items[start : start + size])
    return Connection(
        page=page,
        start=start,
        page_info=PageInfo(
            has_next_page=start + len(page) < len(items),
            has_previous_page=start > 0,
            start_cursor=_cursor(start) if page else None,
            end_cursor=_cursor(start + len(page) - 1) if page else None,
        ),
        total_count=len(items),
    )


def parse_year_arg(text: str) -> FinancialYear:
    """A `financialYear:` argument, or a BAD_USER_INPUT error showing the expected form."""
    try:
        return FinancialYear.parse(text)
    except FinancialYearError as exc:
        raise BadArgument(f"financialYear: {exc}") from None
