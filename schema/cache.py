"""Response cache for GraphQL reads, correct across workers and invalidated by writes.

Every write commits exactly one audit event, in its own transaction, naming the
partnership it changes (or none, for writes about access). The newest audit event id is
therefore a version of everything the API can answer, and the newest event *of one
partnership* (or of none) a version of everything a query confined to that partnership
can answer. A cached answer remembers the version it was computed at (read *before*
executing, so a write that lands during the computation makes the entry stale, never
wrong). Any worker's write is visible to every worker's next read, before the mutation's
response is even sent.

A query is confined to a partnership when every root field is ``partnership(code:)`` with
the same literal or variable code (a partnership's page): a write to Merton then leaves
Sefton's cached pages valid. Any other query (``partnerships``, ``compare``, ``node``,
the event feed …) is versioned by the newest event of all.

The version statement runs on a plain connection in autocommit (no ORM session, no
transaction, no pre-ping per read), and concurrent reads share it: a read waits for the
next statement that *starts after it arrived* (never one already under way), so sharing
never returns a version older than the request. Under load one statement answers every
read that arrived while the previous one ran, for every partnership they ask about.

Keys: the document's SHA-256 (the hash the request log and persisted queries name it by;
a client sends the same text every time, and hashing it costs nothing more, where printing
a normalised AST cost a pass over the document), the operation name, the variables, the
caller's visibility scope (so an anonymous caller can never get a member's answer) and
today's date (answers such as ``overdue`` without ``asOf`` move at midnight). The
confinement below is read from the request's one parse (schema.documents). Only queries are
cached, and only answers without errors.

Versions move only with what the caller may see. Were the public's answers versioned by
every event, a confidential write (a risk, a dispute) would turn the public's next read
from a hit into a miss: ``X-Cache`` would tell anyone that, and when, a partnership
recorded something it keeps from them. So each answer is versioned at its caller's level
(:func:`_level`): the public's by events outside writes about access (tokens, webhooks)
and not confidential; a member's, for its own partnership, by every event but those about
access; an administrator's or scrutineer's (who read the whole audit trail) by every event.
A confidential event changes only what its partnership's members see, so this is still a
version of everything the caller can be answered.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import re
from collections import OrderedDict
from dataclasses import dataclass

from graphql import (
    FieldNode,
    OperationDefinitionNode,
    OperationType,
    StringValueNode,
    VariableNode,
)
from sqlalchemy import func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from core.auth import Principal
from core.enums import Role
from core.models import AuditEvent, Partnership
from core.models.audit import open_event, public_event
from schema.documents import RequestDocument


@dataclass(frozen=True)
class Entry:
    version: int
    body: bytes
    etag: str
    owner: str | None = None  # the client whose request filled it (see ``ResponseCache.put``)


@dataclass(frozen=True)
class Key:
    digest: str
    partnership: str | None  # the code the query is confined to; None: it may read anything




def _confinement(operation: OperationDefinitionNode) -> tuple[str | None, str | None]:
    """(literal code, variable name) when every root field is ``partnership(code:)`` with
    the same code (``__typename`` aside), else (None, None)."""
    codes = set()
    for selection in operation.selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.directives:
            return None, None
        if selection.name.value == "__typename":
            continue
        arguments = selection.arguments or ()
        if selection.name.value != "partnership" or len(arguments) != 1 or arguments[0].name.value != "code":
            return None, None
        value = arguments[0].value
        if isinstance(value, StringValueNode):
            codes.add(("code", value.value))
        elif isinstance(value, VariableNode):
            codes.add(("variable", value.name.value))
        else:
            return None, None
    if len(codes) != 1:
        return None, None
    ((kind, value),) = codes
    return (value, None) if kind == "code" else (None, value)


#: Labels of the two versions every statement reads besides the partnerships'; no
#: partnership code can take them (codes are ``[a-z0-9][a-z0-9-]*``).
_ALL, _NONE = "*", ""
#: What a partnership code looks like. Anything else names no partnership (its version is
#: that of no partnership) and never goes into the shared statement: a value the driver
#: cannot encode would fail the statement for every read waiting on it.
_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


#: Suffixes of a label's versions by visibility level: every event; every event but those
#: about access; only those the public sees. ``<code>|id`` holds the partnership's id, and
#: ``#<id>`` asks for a partnership by id (a member's own, for a query over all of them).
_FULL, _MEMBER, _PUBLIC, _ID = "", "|m", "|p", "|id"
#: Roles that read every event of their partnership (the audit trail; webhooks).
_WHOLE_TRAIL = frozenset({Role.ADMINISTRATOR, Role.SCRUTINEER})


def _level(principal: Principal | None, partnership_id: int | None) -> str:
    """The events that can change what ``principal`` is answered about a partnership
    (None: no principal given, every event)."""
    if principal is None or principal.platform_admin or principal.role_in(partnership_id) in _WHOLE_TRAIL:
        return _FULL
    return _MEMBER if principal.is_member(partnership_id) else _PUBLIC


def _own_partnerships(principal: Principal | None) -> list[str]:
    """``#<id>`` labels of the partnerships whose non-public events a principal sees."""
    if principal is None or principal.platform_admin:
        return []
    return [f"#{pid}" for pid in sorted(principal.roles) if _level(principal, pid) != _PUBLIC]


def _newest(*conditions):
    # Each level's newest event is one probe of its own index (migrations 0007 and 0009).
    return func.coalesce(select(func.max(AuditEvent.id)).where(*conditions).scalar_subquery(), 0)


def _levels(*conditions, levels: tuple[str, ...] = (_FULL, _MEMBER, _PUBLIC)) -> dict[str, object]:
    wheres = {_FULL: (), _MEMBER: (open_event(),), _PUBLIC: (public_event(),)}
    return {level: _newest(*conditions, *wheres[level]) for level in levels}


def _version_statement(codes: frozenset[str]):
    """One statement: the newest event of all, of no partnership, and of each code (and of
    each ``#<id>``), at every visibility level a caller can have there."""
    audit, partnership = AuditEvent.__table__, Partnership.__table__
    parts = [select(literal(_ALL + suffix), newest) for suffix, newest in _levels(levels=(_FULL, _PUBLIC)).items()]
    parts += [select(literal(_NONE + suffix), newest)
              for suffix, newest in _levels(audit.c.partnership_id.is_(None), levels=(_FULL, _PUBLIC)).items()]
    names = sorted(c for c in codes if not c.startswith("#"))
    ids = sorted(int(c[1:]) for c in codes if c.startswith("#") and c[1:].isdigit())
    if names or ids:
        wanted = or_(partnership.c.code.in_(names), partnership.c.id.in_(ids))
        for suffix, newest in _levels(audit.c.partnership_id == partnership.c.id).items():
            parts.append(select(partnership.c.code + suffix if suffix else partnership.c.code, newest).where(wanted))
        parts.append(select(partnership.c.code + _ID, partnership.c.id).where(wanted))
    return union_all(*parts)


def _version_of(versions: dict[str, int | Exception], partnership: str | None,
                principal: Principal | None = None) -> int:
    """The version of what ``principal`` can be answered by a query confined to
    ``partnership`` (None: any query), at the principal's level for each partnership."""
    none = versions[_NONE + _level(principal, None)]
    if partnership is None:
        if principal is None or principal.platform_admin:
            return versions[_ALL]
        newest = max(versions[_ALL + _PUBLIC], none)
        codes = {pid: label[: -len(_ID)] for label, pid in versions.items() if label.endswith(_ID)}
        for pid in principal.roles:
            level = _level(principal, pid)
            if level == _PUBLIC:
                continue
            failed = versions.get(f"#{pid}")
            if isinstance(failed, Exception):
                raise failed
            if pid in codes:
                newest = max(newest, versions.get(codes[pid] + level, 0))
        return newest
    own = versions.get(partnership, 0)
    if isinstance(own, Exception):  # this code's own statement failed: its readers' failure alone
        raise own
    pid = versions.get(partnership + _ID)
    return max(versions.get(partnership + _level(principal, pid), 0), none)


async def _one_by_one(conn, wanted: frozenset[str]) -> dict[str, int | Exception]:
    """The versions of a batch whose shared statement failed for a reason other than an
    outage, one code at a time: a code that fails again fails only the reads asking for it."""
    from schema.errors import is_outage

    versions: dict[str, int | Exception] = dict((await conn.execute(_version_statement(frozenset()))).all())
    for code in wanted:
        try:
            versions.update((await conn.execute(_version_statement(frozenset([code])))).all())
        except Exception as exc:
            if is_outage(exc):
                raise
            versions[code] = exc
    return versions


def _fail(future: asyncio.Future, exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


class ResponseCache:
    def __init__(self, sessions: async_sessionmaker, max_entries: int = 2048, engine: AsyncEngine | None = None,
                 max_bytes: int = 64 * 1024 * 1024, max_entry_bytes: int | None = None, client_share: float = 1.0):
        self.sessions = sessions
        self.engine = engine
        self.max_entries = max_entries
        self.max_bytes = max_bytes  # answers differ a thousandfold in size: bound the memory, not only the count
        # One answer, and one client's answers, may fill only part of the cache: a single huge
        # answer or a stream of one-off queries must not evict everyone else's.
        self.max_entry_bytes = min(max_entry_bytes or max_bytes, max_bytes)
        self.client_entries = max(1, int(max_entries * client_share))
        self.client_bytes = max(1, int(max_bytes * client_share))
        self.bytes = 0
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.owned: dict[str, OrderedDict[str, None]] = {}  # client -> its entries, least recently used first
        self.owned_bytes: dict[str, int] = {}
        self.hits = 0
        self.misses = 0
        self._next: asyncio.Future | None = None  # the read not yet started; waiters join it
        self._wanted: set[str] = set()  # the partnerships its waiters ask about
        self._reader: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @staticmethod
    def key(document: RequestDocument | str | None, variables: dict | None, operation_name: str | None,
            scope: str) -> Key | None:
        """The key of a query's answer, or None when the document is not one cacheable query
        (``document``: the request's parsed document, or a document's text)."""
        if isinstance(document, str):
            document = RequestDocument.of(document, operation_name, max_tokens=None)
        if document is None:
            return None
        operation = document.operation
        if operation is None or operation.operation != OperationType.QUERY:
            return None
        material = json.dumps([document.sha256, document.operation_name, variables or {}, scope,
                               dt.date.today().isoformat()], sort_keys=True, default=str)
        code, variable = _confinement(operation)
        if variable is not None:
            value = (variables or {}).get(variable)
            code = value if isinstance(value, str) else None
        return Key(hashlib.sha256(material.encode()).hexdigest(), code)

    async def version(self, partnership: str | None = None, principal: Principal | None = None) -> int:
        """The version of what a query confined to ``partnership`` (or, with None, any
        query) can answer ``principal`` (None: anyone), read by a statement that starts
        after this call."""
        own = _own_partnerships(principal) if partnership is None else []
        if self.engine is None:
            async with self.sessions() as session:
                rows = (await session.execute(_version_statement(frozenset(
                    ([partnership] if partnership and _CODE.fullmatch(partnership) else []) + own)))).all()
            return _version_of(dict(rows), partnership, principal)
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (tests): nothing of the old one carries over
            self._loop, self._next, self._reader = loop, None, None
        if self._next is None:
            self._next, self._wanted = loop.create_future(), set()
        if partnership is not None and _CODE.fullmatch(partnership):
            self._wanted.add(partnership)
        self._wanted.update(own)
        if self._reader is None:
            self._reader = loop.create_task(self._read_versions())
        return _version_of(await asyncio.shield(self._next), partnership, principal)

    async def _read_versions(self) -> None:
        """Answer waiting reads, one statement per batch of waiters, on one connection
        held while reads keep arriving and given back to the pool when they stop."""
        try:
            async with self.engine.connect() as conn:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                while self._next is not None:
                    future, wanted, self._next = self._next, frozenset(self._wanted), None
                    try:
                        try:
                            versions = dict((await conn.execute(_version_statement(wanted))).all())
                        except Exception as exc:
                            from schema.errors import is_outage

                            if is_outage(exc) or not wanted:
                                raise
                            versions = await _one_by_one(conn, wanted)
                    except BaseException as exc:
                        _fail(future, exc)
                        raise
                    if not future.done():
                        future.set_result(versions)
        except BaseException as exc:  # the database is unreachable: the waiting reads say so
            if self._next is not None:
                future, self._next = self._next, None
                _fail(future, exc)
            if not isinstance(exc, Exception):
                raise
        finally:
            self._reader = None
            if self._next is not None:  # a read arrived while the connection was being given back
                self._reader = asyncio.get_running_loop().create_task(self._read_versions())

    def get(self, key: Key, version: int) -> Entry | None:
        entry = self.entries.get(key.digest)
        if entry is None or entry.version != version:
            self.misses += 1
            return None
        self.entries.move_to_end(key.digest)
        if entry.owner is not None:
            self.owned[entry.owner].move_to_end(key.digest)
        self.hits += 1
        return entry

    def put(self, key: Key, version: int, body: bytes, owner: str | None = None) -> Entry:
        """Keep an answer; ``owner`` is the client whose request computed it. A client over
        its share (``client_share`` of the entries or bytes) gives up its own least recently
        used answers first, so it cannot push out everyone else's."""
        entry = Entry(version=version, body=body, etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"', owner=owner)
        if len(body) > self.max_entry_bytes:  # served, not kept
            return entry
        self._drop(key.digest)
        self.entries[key.digest] = entry
        self.bytes += len(body)
        if owner is not None:
            self.owned.setdefault(owner, OrderedDict())[key.digest] = None
            self.owned_bytes[owner] = self.owned_bytes.get(owner, 0) + len(body)
            while owner in self.owned and (len(self.owned[owner]) > self.client_entries
                                           or self.owned_bytes[owner] > self.client_bytes):
                self._drop(next(iter(self.owned[owner])))
        while len(self.entries) > self.max_entries or self.bytes > self.max_bytes:
            self._drop(next(iter(self.entries)))
        return entry

    def _drop(self, digest: str) -> None:
        entry = self.entries.pop(digest, None)
        if entry is None:
            return
        self.bytes -= len(entry.body)
        if entry.owner is not None:
            mine = self.owned[entry.owner]
            del mine[digest]
            self.owned_bytes[entry.owner] -= len(entry.body)
            if not mine:
                del self.owned[entry.owner], self.owned_bytes[entry.owner]
