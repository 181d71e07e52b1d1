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

Keys: the normalised document (whitespace and comments don't matter), the operation
name, the variables, the caller's visibility scope (so an anonymous caller can never get
a member's answer) and today's date (answers such as ``overdue`` without ``asOf`` move at
midnight). Only queries are cached, and only answers without errors.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from graphql import (
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    StringValueNode,
    VariableNode,
    parse,
    print_ast,
)
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from core.models import AuditEvent, Partnership


@dataclass(frozen=True)
class Entry:
    version: int
    body: bytes
    etag: str


@dataclass(frozen=True)
class Key:
    digest: str
    partnership: str | None  # the code the query is confined to; None: it may read anything


@dataclass(frozen=True)
class _Query:
    normal: str
    code: str | None = None  # confined to this literal code …
    variable: str | None = None  # … or to the code in this variable


@lru_cache(maxsize=512)
def _analyse(document: str, operation_name: str | None) -> _Query | None:
    """The printed AST of a query operation and what it is confined to, or None if the
    document is not a cacheable query."""
    try:
        ast = parse(document)
    except GraphQLError:
        return None
    operations = [d for d in ast.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if len(chosen) != 1 or chosen[0].operation != OperationType.QUERY:
        return None
    return _Query(print_ast(ast), *_confinement(chosen[0]))


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


def _version_statement(codes: frozenset[str]):
    """One statement: the newest event of all, of no partnership, and of each code."""
    audit, partnership = AuditEvent.__table__, Partnership.__table__
    parts = [
        select(literal(_ALL), func.coalesce(func.max(audit.c.id), 0)),
        select(literal(_NONE), func.coalesce(func.max(audit.c.id), 0)).where(audit.c.partnership_id.is_(None)),
    ]
    if codes:
        newest = select(func.max(audit.c.id)).where(audit.c.partnership_id == partnership.c.id).scalar_subquery()
        parts.append(select(partnership.c.code, func.coalesce(newest, 0)).where(partnership.c.code.in_(sorted(codes))))
    return union_all(*parts)


def _version_of(versions: dict[str, int], partnership: str | None) -> int:
    if partnership is None:
        return versions[_ALL]
    return max(versions.get(partnership, 0), versions[_NONE])


def _fail(future: asyncio.Future, exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


class ResponseCache:
    def __init__(self, sessions: async_sessionmaker, max_entries: int = 2048, engine: AsyncEngine | None = None,
                 max_bytes: int = 64 * 1024 * 1024):
        self.sessions = sessions
        self.engine = engine
        self.max_entries = max_entries
        self.max_bytes = max_bytes  # answers differ a thousandfold in size: bound the memory, not only the count
        self.bytes = 0
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.hits = 0
        self.misses = 0
        self._next: asyncio.Future | None = None  # the read not yet started; waiters join it
        self._wanted: set[str] = set()  # the partnerships its waiters ask about
        self._reader: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @staticmethod
    def key(document: str | None, variables: dict | None, operation_name: str | None, scope: str) -> Key | None:
        if not isinstance(document, str):
            return None
        query = _analyse(document, operation_name)
        if query is None:
            return None
        material = json.dumps([query.normal, operation_name, variables or {}, scope, dt.date.today().isoformat()],
                              sort_keys=True, default=str)
        code = query.code
        if query.variable is not None:
            value = (variables or {}).get(query.variable)
            code = value if isinstance(value, str) else None
        return Key(hashlib.sha256(material.encode()).hexdigest(), code)

    async def version(self, partnership: str | None = None) -> int:
        """The version of what a query confined to ``partnership`` (or, with None, any
        query) can answer, read by a statement that starts after this call."""
        if self.engine is None:
            async with self.sessions() as session:
                rows = (await session.execute(_version_statement(frozenset(
                    [partnership] if partnership else [])))).all()
            return _version_of(dict(rows), partnership)
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (tests): nothing of the old one carries over
            self._loop, self._next, self._reader = loop, None, None
        if self._next is None:
            self._next, self._wanted = loop.create_future(), set()
        if partnership is not None:
            self._wanted.add(partnership)
        if self._reader is None:
            self._reader = loop.create_task(self._read_versions())
        return _version_of(await asyncio.shield(self._next), partnership)

    async def _read_versions(self) -> None:
        """Answer waiting reads, one statement per batch of waiters, on one connection
        held while reads keep arriving and given back to the pool when they stop."""
        try:
            async with self.engine.connect() as conn:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                while self._next is not None:
                    future, wanted, self._next = self._next, frozenset(self._wanted), None
                    try:
                        rows = (await conn.execute(_version_statement(wanted))).all()
                    except BaseException as exc:
                        _fail(future, exc)
                        raise
                    if not future.done():
                        future.set_result(dict(rows))
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
        self.hits += 1
        return entry

    def put(self, key: Key, version: int, body: bytes) -> Entry:
        entry = Entry(version=version, body=body, etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        if len(body) > self.max_bytes:  # served, not kept
            return entry
        replaced = self.entries.pop(key.digest, None)
        if replaced is not None:
            self.bytes -= len(replaced.body)
        self.entries[key.digest] = entry
        self.bytes += len(body)
        while len(self.entries) > self.max_entries or self.bytes > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)
            self.bytes -= len(evicted.body)
        return entry
