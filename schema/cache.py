"""Response cache for GraphQL reads, correct across workers and invalidated by writes.

Every write commits exactly one audit event in its own transaction, so the newest audit
event id is a version of everything the API can answer. A cached answer remembers the
version it was computed at (read *before* executing, so a write that lands during the
computation makes the entry stale, never wrong). A read costs one indexed
``max(id)`` statement: any worker's write is visible to every worker at once, before the
mutation's response is even sent.

The version statement runs on a plain connection in autocommit (no ORM session, no
transaction, no pre-ping per read), and concurrent reads share it: a read waits for the
next statement that *starts after it arrived* (never one already under way), so sharing
never returns a version older than the request. Under load one statement answers every
read that arrived while the previous one ran.

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

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse, print_ast
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from core.models import AuditEvent


@dataclass(frozen=True)
class Entry:
    version: int
    body: bytes
    etag: str


@lru_cache(maxsize=512)
def _normalise(document: str, operation_name: str | None) -> str | None:
    """The printed AST of a query operation's document, or None if it is not a cacheable query."""
    try:
        ast = parse(document)
    except GraphQLError:
        return None
    operations = [d for d in ast.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if len(chosen) != 1 or chosen[0].operation != OperationType.QUERY:
        return None
    return print_ast(ast)


_VERSION_SQL = f"SELECT coalesce(max(id), 0) FROM {AuditEvent.__tablename__}"


def _fail(future: asyncio.Future, exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


class ResponseCache:
    def __init__(self, sessions: async_sessionmaker, max_entries: int = 2048, engine: AsyncEngine | None = None):
        self.sessions = sessions
        self.engine = engine
        self.max_entries = max_entries
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.hits = 0
        self.misses = 0
        self._next: asyncio.Future | None = None  # the read not yet started; waiters join it
        self._reader: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @staticmethod
    def key(document: str | None, variables: dict | None, operation_name: str | None, scope: str) -> str | None:
        if not isinstance(document, str):
            return None
        normal = _normalise(document, operation_name)
        if normal is None:
            return None
        material = json.dumps([normal, operation_name, variables or {}, scope, dt.date.today().isoformat()],
                              sort_keys=True, default=str)
        return hashlib.sha256(material.encode()).hexdigest()

    async def version(self) -> int:
        """The newest audit event id, read by a statement that starts after this call."""
        if self.engine is None:
            async with self.sessions() as session:
                return await session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (tests): nothing of the old one carries over
            self._loop, self._next, self._reader = loop, None, None
        if self._next is None:
            self._next = loop.create_future()
        if self._reader is None:
            self._reader = loop.create_task(self._read_versions())
        return await asyncio.shield(self._next)

    async def _read_versions(self) -> None:
        """Answer waiting reads, one statement per batch of waiters, on one connection
        held while reads keep arriving and given back to the pool when they stop."""
        try:
            async with self.engine.connect() as conn:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                while self._next is not None:
                    future, self._next = self._next, None
                    try:
                        value = (await conn.exec_driver_sql(_VERSION_SQL)).scalar()
                    except BaseException as exc:
                        _fail(future, exc)
                        raise
                    if not future.done():
                        future.set_result(value)
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

    def get(self, key: str, version: int) -> Entry | None:
        entry = self.entries.get(key)
        if entry is None or entry.version != version:
            self.misses += 1
            return None
        self.entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: str, version: int, body: bytes) -> Entry:
        entry = Entry(version=version, body=body, etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)
        return entry
