"""Response cache for GraphQL reads, correct across workers and invalidated by writes.

Every write commits exactly one audit event in its own transaction, so the newest audit
event id is a version of everything the API can answer. A cached answer remembers the
version it was computed at (read *before* executing, so a write that lands during the
computation makes the entry stale, never wrong). A read costs one indexed
``max(id)`` statement: any worker's write is visible to every worker at once, before the
mutation's response is even sent.

Keys: the normalised document (whitespace and comments don't matter), the operation
name, the variables, the caller's visibility scope (so an anonymous caller can never get
a member's answer) and today's date (answers such as ``overdue`` without ``asOf`` move at
midnight). Only queries are cached, and only answers without errors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse, print_ast
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

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


class ResponseCache:
    def __init__(self, sessions: async_sessionmaker, max_entries: int = 2048):
        self.sessions = sessions
        self.max_entries = max_entries
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.hits = 0
        self.misses = 0

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
        async with self.sessions() as session:
            return await session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))

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
