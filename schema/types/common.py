"""Types shared by every aggregate: Node and global IDs, connections, sources, enums."""

from __future__ import annotations

import base64
import binascii
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Generic, TypeVar

import strawberry

from core import enums
from core.financial_year import FinancialYear, FinancialYearError
from core.rules import common as _common
from schema.errors import BadArgument, NotFound

AGENCY = {
    "LOCAL_AUTHORITY": "A local authority (the council): one of the three safeguarding partners Working Together 2018 names.",
    "HEALTH_COMMISSIONER": "The health commissioner (a clinical commissioning group, today an integrated care board): a safeguarding partner.",
    "POLICE": "The police force for the area: a safeguarding partner.",
    "CHILDRENS_TRUST": "A children's trust that runs children's services for the local authority (Sandwell Children's Trust, Sandwell §2).",
    "HEALTH_PROVIDER": "A provider of health services: an NHS trust, hospital, community or mental health service.",
    "EDUCATION": "Schools, colleges or early-years settings, or a body speaking for them.",
    "PROBATION": "The probation service.",
    "HOUSING": "A housing provider or housing service.",
    "VOLUNTARY_COMMUNITY_FAITH": "A voluntary, community or faith organisation.",
    "OTHER_PUBLIC_BODY": "Another public body (fire and rescue, youth justice, Cafcass …).",
    "INDEPENDENT": "Independent office holders: independent chairs, scrutineers and lay members.",
}
GROUP = {
    "PARTNERSHIP_BOARD": "The partnership's main board, where the safeguarding partners meet the relevant agencies.",
    "EXECUTIVE": "An executive group of the safeguarding partners' leads that directs the partnership's work.",
    "FORUM": "A wider forum or network of agencies and practitioners.",
    "SUB_GROUP": "A standing sub-group with a remit of its own (learning reviews, quality assurance …).",
    "TASK_AND_FINISH": "A group set up for one task, which ends when the task is done.",
    "PRIORITY_GROUP": "A group that leads one of the partnership's priorities.",
    "REFERENCE_GROUP": "A reference or advisory group the partnership consults.",
    "PANEL": "A panel (the child death overview panel, a panel of the statutory partners …).",
}
SEAT = {
    "STATUTORY_PARTNER_LEAD": "The lead representative of a safeguarding partner.",
    "DELEGATED_OFFICER": "An officer to whom a partner's lead has delegated, such as a standing deputy.",
    "RELEVANT_AGENCY": "A representative of a relevant agency the arrangements name.",
    "CO_OPTED": "A member co-opted by the group.",
    "ADVISOR": "An advisor to the group (a designated professional, legal or finance advice …).",
    "LAY_MEMBER": "A lay member from the community.",
    "PARTICIPANT_OBSERVER": "Takes part in the group's meetings as an observer.",
    "BOARD_SUPPORT": "Supports the group: business unit officers, minute takers.",
    "INDEPENDENT_CHAIR": "The independent chair.",
    "INDEPENDENT_SCRUTINEER": "The independent scrutineer.",
    "SUBGROUP_CHAIR": "The chair of a sub-group, sitting in that capacity.",
    "MEMBER": "A member whose capacity the document does not classify further.",
    "ATTENDEE": "Attends the group's meetings, but the document says is not a member.",
}
CHAIR = {
    "INDEPENDENT_APPOINTMENT": "An independent chair, appointed (usually by the safeguarding partners).",
    "ANNUAL_ROTATION": "The chair rotates among named partners in an agreed order, one UK financial year each.",
    "ROTATION": "The chair rotates, with no period stated by the document.",
    "FIXED_OFFICE": "The holder of a named office chairs.",
    "ELECTION": "The group elects its chair.",
    "JOINT": "Two or more people chair jointly.",
    "UNKNOWN": "The document does not say how the chair is chosen.",
}
ROLE = {
    "PUBLIC": "Anyone, with no token: reads what the published documents say.",
    "MEMBER": "A member of the partnership: also reads its confidential business.",
    "STATUTORY_PARTNER": "A safeguarding partner: a member who also raises and escalates disputes and responds to the scrutineer's recommendations.",
    "BUSINESS_UNIT": "The partnership's business unit: a member who also records its business (seats, meetings, decisions, funding, reviews).",
    "SCRUTINEER": "The independent scrutineer: a member who also reads the audit trail and records scrutiny.",
    "ADMINISTRATOR": "An administrator of the partnership: everything above, and its webhooks.",
}


E = TypeVar("E", bound=enum.Enum)


def described(enum_type: type[E], values: Mapping[str, str]) -> type[E]:
    """Give each value of a GraphQL enum its description, by member name: clients read the
    SDL (GraphiQL, generated code), not the Python behind it. A name that is not a member
    is a mistake and raises; a member left out shows in tests/test_schema_descriptions.py."""
    definition = enum_type.__strawberry_definition__  # type: ignore[attr-defined]
    unknown = set(values) - {v.name for v in definition.values}
    if unknown:
        raise ValueError(f"{definition.name} has no value {', '.join(sorted(unknown))}")
    for value in definition.values:
        if value.name in values:
            value.description = values[value.name]
    return enum_type


AgencyKind = described(strawberry.enum(enums.AgencyKind, description="What sort of body an agency is."), AGENCY)
GroupKind = described(strawberry.enum(enums.GroupKind, description="What sort of group: board, executive, sub-group …"),
                      GROUP)
SeatRole = described(strawberry.enum(enums.SeatRole, description="The capacity in which a seat is held in a group."), SEAT)
ChairBasis = described(strawberry.enum(enums.ChairBasis, description="How a group's chair is chosen."), CHAIR)
Role = described(strawberry.enum(enums.Role, description="What a principal may do for a partnership."), ROLE)


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


RuleStatus = described(strawberry.enum(
    _common.RuleStatus,
    description="How an answer knows what it says. STATED: the document says it (`section`, and its operative "
                "words in `quote`). DERIVED: follows from the quoted words by the step in `derivation`. BASELINE: "
                "the document is silent and statutory guidance or the platform default applies (`document` names "
                "which; `derivation` says why). NOT_STATED: nothing says, so the answer is unknown (null), never a "
                "guess; `derivation` says what was looked for.",
), {
    "STATED": "The document says it: `section`, and its operative words in `quote`.",
    "DERIVED": "Follows from the quoted words by the step given in `derivation`.",
    "BASELINE": "The document is silent: statutory guidance or the platform default applies (`document` names which).",
    "NOT_STATED": "Nothing says: the answer is unknown (null), never a guess.",
})


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
Last = Annotated[int | None, strawberry.argument(
    description="Return at most this many items, the last ones before `before` (or of the list): page backward "
                "(the page-size limit applies).")]
Before = Annotated[str | None, strawberry.argument(description="Return items before this cursor (a `startCursor`).")]


@strawberry.type(description="Pagination state of a connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge; pass as `before` to page "
                                                            "backward.")
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


def cursor_offset(cursor: str, argument: str = "after") -> int:
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "o":
            raise ValueError
        return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadArgument(f"`{argument}: {cursor!r}` is not a cursor from this list; use a `cursor`, `startCursor` "
                          "or `endCursor`") from None


def check_page_size(first: int | None, last: int | None, max_page: int) -> None:
    """`first` and `last` within 0 … the page-size limit, or a BAD_USER_INPUT error."""
    for name, value, cursor in (("first", first, "after"), ("last", last, "before")):
        if value is not None and not 0 <= value <= max_page:
            raise BadArgument(f"`{name}` must be between 0 and {max_page}; got {value}. Page with `{cursor}`.")


def paginate(items: Sequence[T], first: int | None, after: str | None, max_page: int,
             last: int | None = None, before: str | None = None) -> Connection[T]:
    """Slice an already-loaded list into a connection page, as the Relay specification does:
    the items after `after` and before `before`, then the first `first` of them, then the
    last `last`; without either, the first page-size of them. `hasPreviousPage` and
    `hasNextPage` say whether the list has items beyond the page on each side."""
    check_page_size(first, last, max_page)
    start = max(0, cursor_offset(after) + 1) if after else 0
    end = min(len(items), cursor_offset(before, "before")) if before else len(items)
    end = max(start, end)
    if first is not None:
        end = min(end, start + first)
    if last is not None:
        start = max(start, end - last)
    elif first is None:
        end = min(end, start + max_page)
    page = list(items[start:end])
    return Connection(
        page=page,
        start=start,
        page_info=PageInfo(
            has_next_page=end < len(items),
            has_previous_page=start > 0,
            start_cursor=_cursor(start) if page else None,
            end_cursor=_cursor(end - 1) if page else None,
        ),
        total_count=len(items),
    )


@dataclass(frozen=True)
class Keyset:
    """A page of a list ordered by an integer key (the event feed and webhook deliveries
    oldest first, the audit trail newest first), read by key range rather than by offset,
    so a page stays put while rows are added. Made from the Relay arguments (cursors already
    decoded to keys): the conditions on the key, the order to read in and how many rows to
    read; :meth:`page` turns what was read into the page, in the list's order."""

    first: int | None
    last: int | None
    after: int | None
    before: int | None
    size: int
    descending: bool

    @classmethod
    def of(cls, first: int | None, after: int | None, last: int | None, before: int | None, max_page: int, *,
           descending: bool = False) -> Keyset:
        check_page_size(first, last, max_page)
        size = first if first is not None else last if last is not None else max_page
        return cls(first, last, after, before, size, descending)

    @property
    def backward(self) -> bool:
        """A `last` page without `first`: read from the far end of the range."""
        return self.last is not None and self.first is None

    def conditions(self, key) -> list:
        """The key range between the cursors, in the list's order."""
        out = []
        if self.after is not None:
            out.append(key < self.after if self.descending else key > self.after)
        if self.before is not None:
            out.append(key > self.before if self.descending else key < self.before)
        return out

    def order(self, key):
        """Read in the list's order, or against it for a backward page."""
        return key.desc() if self.descending != self.backward else key.asc()

    @property
    def limit(self) -> int:
        """One row more than the page: it tells whether the list goes on."""
        return self.size + 1

    def page(self, rows: Sequence[T]) -> tuple[list[T], bool, bool]:
        """The page in the list's order, whether items precede it, and whether items follow it."""
        more = len(rows) > self.size
        rows = list(rows[: self.size])
        if self.backward:
            return rows[::-1], more, self.before is not None
        earlier = self.after is not None
        if self.last is not None and len(rows) > self.last:  # `first` and `last`: the last of the first
            rows, earlier = rows[len(rows) - self.last:], True
        return rows, earlier, more


def parse_year_arg(text: str) -> FinancialYear:
    """A `financialYear:` argument, or a BAD_USER_INPUT error showing the expected form."""
    try:
        return FinancialYear.parse(text)
    except FinancialYearError as exc:
        raise BadArgument(f"financialYear: {exc}") from None
