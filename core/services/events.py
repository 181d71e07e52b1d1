"""The event feed: every audited write, read as a typed domain event.

The audit trail *is* the feed. ``audit_event.id`` only ever grows, so it is the cursor: a
poller that keeps the id of the last event it saw and asks for ``id > cursor`` catches up
without gaps or duplicates — provided ids become visible in order. On SQLite writers are
serialised by the database. On PostgreSQL two transactions could otherwise commit their
ids out of order (id 11 visible while id 10 is still in flight, and a poller at 11 would
skip 10 for ever), so :func:`serialise_feed` takes a transaction-scoped advisory lock before
an event gets its id: ids are then handed out in commit order.

Events follow the authorization of what they describe: an event written with
``confidential=True`` is visible only to members of its partnership; others are public,
like the published facts they change. Writes about credentials (API tokens, webhook
endpoints) are not domain events and never appear.

An event speaks the API's language, not the database's (:func:`present`): the object
written is named by its GraphQL type and global ID (what ``node(id:)`` takes and every
``id`` field returns), and ``before``/``after`` use the API's camelCase field names with
every reference to another row as that row's global ID. The audit trail keeps the raw
values; events are presented as they are read, so the feed, subscriptions and webhook
payloads agree, and events written before this rule read the same way.
"""

from __future__ import annotations

import base64
import binascii
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from core.auth import Principal
from core.errors import InvalidInput
from core.models import AuditEvent, Partnership
from core.models import audit as audit_model
from core.models.base import Base


class EventType(enum.StrEnum):
    """What happened, named for integrations (a council system, a website, a warehouse)."""

    ARRANGEMENTS_LOADED = "ARRANGEMENTS_LOADED"
    SEAT_ADDED = "SEAT_ADDED"
    SEAT_REMOVED = "SEAT_REMOVED"
    MEETING_SCHEDULED = "MEETING_SCHEDULED"
    DECISION_RECORDED = "DECISION_RECORDED"
    VOTE_CLOSED = "VOTE_CLOSED"
    DISPUTE_RAISED = "DISPUTE_RAISED"
    DISPUTE_ESCALATED = "DISPUTE_ESCALATED"
    DISPUTE_RESOLVED = "DISPUTE_RESOLVED"
    CONTRIBUTION_AGREED = "CONTRIBUTION_AGREED"
    CONTRIBUTION_RECEIVED = "CONTRIBUTION_RECEIVED"
    REVIEW_STARTED = "REVIEW_STARTED"
    REVIEW_PUBLISHED = "REVIEW_PUBLISHED"
    RISK_ADDED = "RISK_ADDED"
    OTHER = "OTHER"  # an audited write with no name of its own yet


#: Audit ``action`` -> event type. Services name actions ``<entity>.<verb>``; an action not
#: listed here is still in the feed, as OTHER. Add a line when a domain adds an action.
ACTION_TYPES: dict[str, EventType] = {
    "partnership.load": EventType.ARRANGEMENTS_LOADED,
    "seat.create": EventType.SEAT_ADDED,
    "seat.remove": EventType.SEAT_REMOVED,
    "meeting.create": EventType.MEETING_SCHEDULED,
    "meeting.schedule": EventType.MEETING_SCHEDULED,
    "decision.record": EventType.DECISION_RECORDED,
    "vote.close": EventType.VOTE_CLOSED,
    "dispute.raise": EventType.DISPUTE_RAISED,
    "dispute.open": EventType.DISPUTE_RAISED,
    "dispute.create": EventType.DISPUTE_RAISED,
    "dispute.escalate": EventType.DISPUTE_ESCALATED,
    "dispute.resolve": EventType.DISPUTE_RESOLVED,
    "contribution.agree": EventType.CONTRIBUTION_AGREED,
    "contribution.create": EventType.CONTRIBUTION_AGREED,
    "contribution.receive": EventType.CONTRIBUTION_RECEIVED,
    "review.start": EventType.REVIEW_STARTED,
    "review.open": EventType.REVIEW_STARTED,
    "review.create": EventType.REVIEW_STARTED,
    "review.publish": EventType.REVIEW_PUBLISHED,
    "risk.add": EventType.RISK_ADDED,
    "risk.create": EventType.RISK_ADDED,
}

#: Writes that are about access, not about a partnership's business: never in the feed.
INTERNAL_ENTITY_TYPES = frozenset(audit_model.INTERNAL_ENTITY_TYPES)

#: Key of the PostgreSQL advisory lock that orders the feed ("PGFEED" in hex, any constant).
FEED_LOCK_KEY = 0x5047_4645_4544


def event_type(action: str) -> EventType:
    return ACTION_TYPES.get(action, EventType.OTHER)


def is_feed_event(entity_type: str) -> bool:
    return entity_type not in INTERNAL_ENTITY_TYPES


async def serialise_feed(session: AsyncSession) -> None:
    """Make feed ids visible in order: on PostgreSQL, hold a transaction-scoped advisory
    lock from before an event takes its id until the transaction ends. Called by
    ``audit.record``; SQLite needs nothing (one writer at a time)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FEED_LOCK_KEY})


# -- cursors -------------------------------------------------------------------------------

_PREFIX = "ev:"
#: Event ids are 32-bit integers in the database (``audit_event.id``).
MAX_EVENT_ID = 2**31 - 1


def encode_cursor(event_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{event_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The event id a cursor stands for (0 for none: the start of the feed)."""
    if cursor is None or cursor == "":
        return 0
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        if not raw.startswith(_PREFIX):
            raise ValueError
        value = int(raw[len(_PREFIX):])
        if not 0 <= value <= MAX_EVENT_ID:  # beyond the id column: no cursor this API issued
            raise ValueError
        return value
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput(
            f"`after: {cursor!r}` is not an event cursor; pass an event's `cursor` or a page's "
            "`endCursor` (or `latestEventCursor`), or omit it to start at the beginning",
            field="after",
        ) from None


# -- presenting: the API's names and IDs ----------------------------------------------------

#: Models whose GraphQL type has another name.
API_TYPE_NAMES = {"Expenditure": "ExpenditureLine", "ChairSelectionRecord": "ChairSelection"}
#: Entity names services write to the audit trail that are not their model's class name.
_MODEL_NAMES = {"ChairSelection": "ChairSelectionRecord", "ExpenditureLine": "Expenditure"}


def global_id(type_name: str, pk: Any) -> str:
    """The API's global ID of an object: the same encoding as every GraphQL ``id``."""
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def api_type_name(entity_type: str) -> str:
    """The GraphQL type an audited entity is read as (``Expenditure`` is an ``ExpenditureLine``)."""
    return API_TYPE_NAMES.get(entity_type, entity_type)


@cache
def _references() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Which type each ``*_id`` key refers to, read off the models' foreign keys: per model
    (``report_id`` is an AnnualReport on a copy, a ScrutinyReport on a recommendation), and
    for every column name that refers to one type wherever it appears."""
    by_table = {m.local_table.name: m.class_.__name__ for m in Base.registry.mappers}
    per_model: dict[str, dict[str, str]] = {}
    anywhere: dict[str, set[str]] = {}
    for mapper in Base.registry.mappers:
        refs = per_model.setdefault(mapper.class_.__name__, {})
        for column in mapper.local_table.columns:
            for fk in column.foreign_keys:
                target = api_type_name(by_table[fk.column.table.name])
                refs[column.name] = target
                anywhere.setdefault(column.name, set()).add(target)
    unique = {name: next(iter(types)) for name, types in anywhere.items() if len(types) == 1}
    # A key named after a model that no column uses (``contribution_id`` in a list of what a
    # write opened) refers to that model.
    named = {f"{_snake(model)}_id": api_type_name(model) for model in by_table.values()}
    return per_model, {**named, **unique}


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def referenced_type(entity_type: str, key: str) -> str | None:
    """The API type a ``*_id`` key of an ``entity_type`` payload refers to (None: not a reference)."""
    if not key.endswith("_id"):
        return None
    per_model, anywhere = _references()
    own = per_model.get(_MODEL_NAMES.get(entity_type, entity_type), {})
    return own.get(key) or anywhere.get(key)


def present_values(entity_type: str, values: Any) -> Any:
    """A before/after payload in the API's terms: camelCase keys, references as global IDs
    (lists and nested objects too)."""
    if isinstance(values, list):
        return [present_values(entity_type, v) for v in values]
    if not isinstance(values, dict):
        return values
    out = {}
    for key, value in values.items():
        target = referenced_type(entity_type, key) if isinstance(key, str) else None
        if target is not None and isinstance(value, int | str) and not isinstance(value, bool):
            out[to_camel_case(key)] = global_id(target, value)
        else:
            out[to_camel_case(key) if isinstance(key, str) else key] = present_values(entity_type, value)
    return out


def present(entity_type: str, entity_id: str | None, before: dict | None, after: dict | None
            ) -> tuple[str, str | None, dict | None, dict | None]:
    """An audited write as an event shows it: (API type name, global ID, before, after)."""
    type_name = api_type_name(entity_type)
    return (type_name, None if entity_id is None else global_id(type_name, entity_id),
            present_values(entity_type, before), present_values(entity_type, after))


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEvent:
    """One event as read from the feed: plain values, no ORM object, presented in the API's
    terms (``entity_type`` a GraphQL type, ``entity_id`` a global ID; see :func:`present`)."""

    id: int
    type: EventType
    action: str
    occurred_at: Any
    partnership_id: int | None
    partnership_code: str | None
    actor: str
    entity_type: str
    entity_id: str | None
    before: dict | None
    after: dict | None
    confidential: bool

    @property
    def cursor(self) -> str:
        return encode_cursor(self.id)

    def payload(self) -> dict:
        """The JSON an integration receives (the webhook body)."""
        return event_payload(self.id, self.type, self.action, self.occurred_at, self.partnership_code,
                             self.entity_type, self.entity_id, self.before, self.after, self.confidential)


def event_payload(event_id: int, type_: EventType, action: str, occurred_at: Any, partnership_code: str | None,
                  entity_type: str, entity_id: str | None, before: dict | None, after: dict | None,
                  confidential: bool) -> dict:
    """The webhook body: the `Event` type's fields under the same names, values as the API
    answers them (``entity_type``… are already presented, see :func:`present`)."""
    return {
        "id": global_id("Event", event_id),
        "cursor": encode_cursor(event_id),
        "type": type_.value,
        "action": action,
        "occurredAt": occurred_at.isoformat() if hasattr(occurred_at, "isoformat") else occurred_at,
        "partnershipCode": partnership_code,
        "entityType": entity_type,
        "entityId": entity_id,
        "before": before,
        "after": after,
        "confidential": confidential,
    }


def payload_of(event: AuditEvent, kind: EventType, partnership_code: str | None) -> dict:
    """The webhook body for an audit row just written (the outbox calls this)."""
    entity_type, entity_id, before, after = present(event.entity_type, event.entity_id, event.before, event.after)
    return event_payload(event.id, kind, event.action, event.occurred_at, partnership_code, entity_type, entity_id,
                         before, after, event.confidential)


def actions_for(types: Iterable[EventType]) -> tuple[list[str], bool]:
    """The audit actions that make up these event types, and whether OTHER was asked for."""
    wanted = set(types)
    return [a for a, t in ACTION_TYPES.items() if t in wanted], EventType.OTHER in wanted


def visible_to(stmt: Select, principal: Principal) -> Select:
    """Confidential events only for members of their partnership (platform admins: all)."""
    if principal.platform_admin:
        return stmt
    member_of = [pid for pid in principal.roles if principal.is_member(pid)]
    public = audit_model.public_event()
    if not member_of:
        return stmt.where(public)
    return stmt.where(or_(public, AuditEvent.partnership_id.in_(member_of)))


def feed_query(principal: Principal, *, after: int = 0, partnership_id: int | None = None,
               types: Sequence[EventType] | None = None, limit: int | None = None,
               upto: int | None = None, before: int | None = None, newest_first: bool = False) -> Select:
    stmt = (
        select(AuditEvent, Partnership.code)
        .outerjoin(Partnership, Partnership.id == AuditEvent.partnership_id)
        .where(AuditEvent.id > after, audit_model.open_event())
    )
    stmt = visible_to(stmt, principal)
    if upto is not None:
        stmt = stmt.where(AuditEvent.id <= upto)
    if before is not None:
        stmt = stmt.where(AuditEvent.id < before)
    if partnership_id is not None:
        stmt = stmt.where(AuditEvent.partnership_id == partnership_id)
    if types:
        actions, other = actions_for(types)
        conditions = []
        if actions:
            conditions.append(AuditEvent.action.in_(actions))
        if other:
            conditions.append(AuditEvent.action.not_in(list(ACTION_TYPES)))
        stmt = stmt.where(or_(*conditions))
    stmt = stmt.order_by(AuditEvent.id.desc() if newest_first else AuditEvent.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return stmt


def to_feed_event(row: AuditEvent, code: str | None) -> FeedEvent:
    entity_type, entity_id, before, after = present(row.entity_type, row.entity_id, row.before, row.after)
    return FeedEvent(
        id=row.id, type=event_type(row.action), action=row.action, occurred_at=row.occurred_at,
        partnership_id=row.partnership_id, partnership_code=code, actor=row.actor,
        entity_type=entity_type, entity_id=entity_id, before=before, after=after,
        confidential=row.confidential,
    )


async def read(session: AsyncSession, principal: Principal, *, after: int = 0, partnership_id: int | None = None,
               types: Sequence[EventType] | None = None, limit: int = 100, upto: int | None = None,
               before: int | None = None, newest_first: bool = False) -> list[FeedEvent]:
    """Up to ``limit`` events after the cursor id (at most ``upto``, before ``before``) that
    the principal may see, oldest first (newest first to page backward from ``before``)."""
    rows = (await session.execute(feed_query(principal, after=after, partnership_id=partnership_id,
                                             types=types, limit=limit, upto=upto, before=before,
                                             newest_first=newest_first))).all()
    return [to_feed_event(r[0], r[1]) for r in rows]


async def latest_id(session: AsyncSession) -> int:
    """The id of the newest event written so far (0 for none): a cursor meaning "from now"."""
    return int(await session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0))) or 0)


async def latest_visible_id(session: AsyncSession, principal: Principal) -> int:
    """The id of the newest event in the principal's feed (0 for none): "from now" as that
    caller may know it. Were it the newest of all, the public would see it move when a
    partnership records something confidential (or issues a token), and so learn that, and
    when, something it may not read happened. Starting after it misses nothing the caller
    may see: every later event it may see has a larger id."""
    stmt = visible_to(select(AuditEvent.id).where(audit_model.open_event()), principal)
    stmt = stmt.order_by(AuditEvent.id.desc()).limit(1)
    return int(await session.scalar(stmt) or 0)


async def partnership_id_for(session: AsyncSession, code: str | None) -> int | None:
    """The id of a partnership by code; an unknown code is invalid input naming the known ones."""
    if code is None:
        return None
    pid = await session.scalar(select(Partnership.id).where(Partnership.code == code))
    if pid is None:
        codes = (await session.scalars(select(Partnership.code).order_by(Partnership.code))).all()
        raise InvalidInput(f"no partnership has code {code!r}; known codes: {', '.join(codes) or 'none loaded'}",
                           field="partnership")
    return pid
