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

Two tiers. Each worker keeps answers in memory; with ``response_cache_url`` set, a second
tier in Redis is shared by every worker and host (:class:`SharedTier`). A request reads the
worker's tier, then the shared one (a shared hit fills the worker's); an answer computed is
put in both. A shared entry holds the version it was computed at and is served only at that
same version, so a write through any worker invalidates every worker's copies at once:
versions live in the database, not in the tiers. Redis being down never fails a request.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import hashlib
import json
import re
import time
from collections import OrderedDict
from dataclasses import dataclass

import structlog
from graphql import (
    FieldNode,
    OperationDefinitionNode,
    OperationType,
    StringValueNode,
    VariableNode,
)
from sqlalchemy import bindparam, func, literal, or_, select, union_all
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


def _split(codes: frozenset[str]) -> tuple[list[str], list[int]]:
    """The partnership codes and the ``#<id>`` ids of a set of labels, in order."""
    return (sorted(c for c in codes if not c.startswith("#")),
            sorted(int(c[1:]) for c in codes if c.startswith("#") and c[1:].isdigit()))


def _version_statement(codes: frozenset[str]):
    """One statement: the newest event of all, of no partnership, and of each code (and of
    each ``#<id>``), at every visibility level a caller can have there."""
    audit, partnership = AuditEvent.__table__, Partnership.__table__
    parts = [select(literal(_ALL + suffix), newest) for suffix, newest in _levels(levels=(_FULL, _PUBLIC)).items()]
    parts += [select(literal(_NONE + suffix), newest)
              for suffix, newest in _levels(audit.c.partnership_id.is_(None), levels=(_FULL, _PUBLIC)).items()]
    names, ids = _split(codes)
    if names or ids:
        wanted = or_(partnership.c.code.in_(bindparam("codes", names, expanding=True)),
                     partnership.c.id.in_(bindparam("ids", ids, expanding=True)))
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


class _VersionSQL:
    """The version statement compiled once per shape (how many codes, how many ids) for the
    engine's dialect, as text and the order of its parameters: building and compiling the
    statement for every batch cost a cache hit more than the rest of its work together. The
    codes stay bound parameters (a value the driver cannot encode fails its own batch, never
    the connection), and each shape is one prepared statement for asyncpg."""

    def __init__(self, dialect, size: int = 64):
        self.dialect, self.size = dialect, size
        self.shapes: OrderedDict[tuple[int, int], tuple] = OrderedDict()

    def _compile(self, shape: tuple[int, int]) -> tuple:
        """(text, parameter order or None for a named style, values, the parameter of each
        code, of each id), found by compiling with values no real code or id can be."""
        names = [f"\x00code{i}" for i in range(shape[0])]
        ids = [10**18 + i for i in range(shape[1])]
        compiled = _version_statement(frozenset([*names, *(f"#{i}" for i in ids)])).compile(
            dialect=self.dialect, compile_kwargs={"render_postcompile": True})
        values = compiled.construct_params()
        where = {value: key for key, value in values.items()}
        return (compiled.string, tuple(compiled.positiontup) if compiled.positional else None, values,
                [where[n] for n in names], [where[i] for i in ids])

    def __call__(self, codes: frozenset[str]) -> tuple[str, tuple | dict]:
        """The statement's text and parameters for a set of labels."""
        names, ids = _split(codes)
        shape = (len(names), len(ids))
        compiled = self.shapes.get(shape)
        if compiled is None:
            compiled = self.shapes[shape] = self._compile(shape)
            if len(self.shapes) > self.size:
                self.shapes.popitem(last=False)
        else:
            self.shapes.move_to_end(shape)
        text, order, defaults, name_keys, id_keys = compiled
        values = {**defaults, **dict(zip(name_keys, names, strict=True)), **dict(zip(id_keys, ids, strict=True))}
        return text, tuple(values[k] for k in order) if order is not None else values


async def _one_by_one(conn, sql: _VersionSQL, wanted: frozenset[str]) -> dict[str, int | Exception]:
    """The versions of a batch whose shared statement failed for a reason other than an
    outage, one code at a time: a code that fails again fails only the reads asking for it."""
    from schema.errors import is_outage

    versions: dict[str, int | Exception] = dict((await conn.exec_driver_sql(*sql(frozenset()))).all())
    for code in wanted:
        try:
            versions.update((await conn.exec_driver_sql(*sql(frozenset([code])))).all())
        except Exception as exc:
            if is_outage(exc):
                raise
            versions[code] = exc
    return versions


#: The request in progress (``ResponseCache.serving``): whether it has yet to ask for a version.
_expecting: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar("partnerships_cache_expecting",
                                                                               default=None)


def _fail(future: asyncio.Future, exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


class ResponseCache:
    #: Seconds the version reader keeps its connection, while requests are in progress, for
    #: the next read to come.
    LINGER_S = 0.05

    def __init__(self, sessions: async_sessionmaker, max_entries: int = 2048, engine: AsyncEngine | None = None,
                 max_bytes: int = 64 * 1024 * 1024, max_entry_bytes: int | None = None, client_share: float = 1.0,
                 shared: SharedTier | None = None):
        self.sessions = sessions
        self.shared = shared
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
        self._arrived: asyncio.Event | None = None  # set when a read joins an idle reader, or the last request ends
        self._expected = 0  # requests in progress that have not asked for a version yet (see ``serving``)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sql = _VersionSQL(engine.dialect) if engine is not None else None

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
            self._loop, self._next, self._reader, self._arrived = loop, None, None, asyncio.Event()
        if self._next is None:
            self._next, self._wanted = loop.create_future(), set()
            self._arrived.set()
        if partnership is not None and _CODE.fullmatch(partnership):
            self._wanted.add(partnership)
        self._wanted.update(own)
        if self._reader is None:
            self._reader = loop.create_task(self._read_versions())
        self._asked(_expecting.get())
        return _version_of(await asyncio.shield(self._next), partnership, principal)

    @contextlib.contextmanager
    def serving(self):
        """Marks a request in progress in this worker: until it has asked for a version (or
        ended without), the version reader keeps its connection for it (:meth:`_read_versions`)."""
        mark = [True]  # still to ask
        token = _expecting.set(mark)
        self._expected += 1
        try:
            yield
        finally:
            _expecting.reset(token)
            self._asked(mark)

    def _asked(self, mark: list[bool] | None) -> None:
        """The request of ``mark`` needs no more versions than it has asked for."""
        if not mark or not mark[0]:
            return
        mark[0] = False
        self._expected -= 1
        if not self._expected and self._reader is not None and self._loop is asyncio.get_running_loop():
            self._arrived.set()

    async def _read_versions(self) -> None:
        """Answer waiting reads, one statement per batch of waiters, on one connection held
        while reads keep arriving — the next within ``LINGER_S``, while requests in progress
        have yet to ask — and given back to the pool when they stop. Under load the next read
        comes within a millisecond of the last statement: giving the connection back between
        them made every batch check one out again, with the pool's ping, which cost a cache
        hit more than the statement did. With no request left to ask, it goes back at once."""
        try:
            async with self.engine.connect() as conn:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                while True:
                    if self._next is None:
                        if not self._expected:
                            break
                        self._arrived.clear()
                        try:
                            async with asyncio.timeout(self.LINGER_S):
                                await self._arrived.wait()
                        except TimeoutError:
                            break
                        continue  # a read arrived, or no request is left to ask
                    future, wanted, self._next = self._next, frozenset(self._wanted), None
                    try:
                        try:
                            versions = dict((await conn.exec_driver_sql(*self._sql(wanted))).all())
                        except Exception as exc:
                            from schema.errors import is_outage

                            if is_outage(exc) or not wanted:
                                raise
                            versions = await _one_by_one(conn, self._sql, wanted)
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

    async def lookup(self, key: Key, version: int, owner: str | None = None) -> Entry | None:
        """The answer kept for ``key`` at ``version``: this worker's, else the shared tier's
        (which then fills this worker's, on ``owner``'s share), else None."""
        entry = self.get(key, version)
        if entry is not None or self.shared is None:
            return entry
        found = await self.shared.get(key.digest, version)
        if found is None:
            return None
        self.misses -= 1  # counted by ``get``; answered after all
        self.hits += 1
        body, etag = found
        return self.put(key, version, body, owner=owner, etag=etag)

    async def store(self, key: Key, version: int, body: bytes, owner: str | None = None) -> Entry:
        """Keep an answer computed at ``version`` in this worker's tier and the shared one."""
        entry = self.put(key, version, body, owner=owner)
        if self.shared is not None and len(body) <= self.max_entry_bytes:
            await self.shared.put(key.digest, version, body, entry.etag, owner)
        return entry

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

    def put(self, key: Key, version: int, body: bytes, owner: str | None = None, etag: str | None = None) -> Entry:
        """Keep an answer; ``owner`` is the client whose request computed it. A client over
        its share (``client_share`` of the entries or bytes) gives up its own least recently
        used answers first, so it cannot push out everyone else's."""
        entry = Entry(version=version, body=body, etag=etag or '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
                      owner=owner)
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


#: Puts one answer in the shared tier and keeps the tier within its bounds, atomically (one
#: script, so workers putting at once cannot overshoot). Per entry ``d``: ``<ns>:e:<d>`` holds
#: it (with a TTL); ``<ns>:i`` orders every entry by when it was put, ``<ns>:s`` and ``<ns>:w``
#: hold each one's size and owner, ``<ns>:b`` the bytes of all; per owner ``o``, ``<ns>:o:<o>``
#: orders its entries and ``<ns>:ob:<o>`` counts their bytes. The oldest put goes first (a
#: read does not move an entry: reads are served from the workers' own tiers).
_PUT = """
local ns, digest, value = ARGV[1], ARGV[2], ARGV[3]
local ttl, now, owner = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local max_n, max_b, own_n, own_b = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local index, sizes, owners, total = ns .. ':i', ns .. ':s', ns .. ':w', ns .. ':b'
local function drop(d)
  local size = tonumber(redis.call('HGET', sizes, d) or '0') or 0
  local who = redis.call('HGET', owners, d)
  redis.call('DEL', ns .. ':e:' .. d)
  redis.call('ZREM', index, d)
  redis.call('HDEL', sizes, d)
  redis.call('HDEL', owners, d)
  redis.call('DECRBY', total, size)
  if who then
    redis.call('ZREM', ns .. ':o:' .. who, d)
    redis.call('DECRBY', ns .. ':ob:' .. who, size)
  end
end
local function trim(order, bytes, most_n, most_b)
  while redis.call('ZCARD', order) > most_n or (tonumber(redis.call('GET', bytes) or '0') or 0) > most_b do
    local oldest = redis.call('ZRANGE', order, 0, 0)[1]
    if not oldest then
      redis.call('SET', bytes, 0)
      break
    end
    drop(oldest)
  end
end
for _, d in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', now - ttl)) do drop(d) end
drop(digest)
local size = string.len(value)
redis.call('SET', ns .. ':e:' .. digest, value, 'EX', ttl)
redis.call('ZADD', index, now, digest)
redis.call('HSET', sizes, digest, size)
redis.call('INCRBY', total, size)
if owner ~= '' then
  local mine, mine_b = ns .. ':o:' .. owner, ns .. ':ob:' .. owner
  redis.call('HSET', owners, digest, owner)
  redis.call('ZADD', mine, now, digest)
  redis.call('INCRBY', mine_b, size)
  redis.call('EXPIRE', mine, ttl)
  redis.call('EXPIRE', mine_b, ttl)
  trim(mine, mine_b, own_n, own_b)
end
trim(index, total, max_n, max_b)
return 1
"""


class SharedTier:
    """The response cache's tier in Redis, shared by every worker and host.

    An entry is the answer's body with the version it was computed at and its ETag; it is
    served only to a read at that same version (the caller passes the version it read from
    the database), so it can be old but never stale. Bounded like a worker's tier — the
    largest entry, entries, bytes, and each client's share of them — and every entry expires
    ``ttl_s`` after it was put. Keys carry ``namespace``: the database and the code and
    plugins answering, so two deployments (or two releases) never read each other's answers.

    Redis being unreachable or slow is a miss, never a failed request: logged once when it
    starts, and not asked again for ``retry_after_s`` so that requests do not each wait for it.
    One Redis server (with replicas, if any), not a cluster: the put script names keys it
    derives itself.
    """

    def __init__(self, url: str, namespace: str, *, ttl_s: int, max_entries: int, max_bytes: int,
                 client_entries: int, client_bytes: int, timeout_s: float = 0.5, retry_after_s: float = 2.0):
        import coredis
        from coredis.retry import NoRetryPolicy

        self.client = coredis.Redis.from_url(url, decode_responses=False, retry_policy=NoRetryPolicy(),
                                             connect_timeout=timeout_s, stream_timeout=timeout_s)
        self.namespace = namespace
        self.ttl_s, self.max_entries, self.max_bytes = ttl_s, max_entries, max_bytes
        self.client_entries, self.client_bytes = client_entries, client_bytes
        self.retry_after_s = retry_after_s
        self._script = self.client.register_script(_PUT)
        self._down_until = 0.0  # monotonic time before which Redis is not asked (it just failed)
        self._down = False

    def _key(self, digest: str) -> str:
        return f"{self.namespace}:e:{digest}"

    async def get(self, digest: str, version: int) -> tuple[bytes, str] | None:
        """(body, ETag) of the entry for ``digest`` computed at ``version``, else None."""
        if self._skip():
            return None
        try:
            value = await self.client.get(self._key(digest))
        except Exception as exc:  # Redis is a cache: its outage is a miss
            self._failed(exc)
            return None
        self._up()
        if not value:
            return None
        head, _, body = bytes(value).partition(b"\n")
        kept, _, etag = head.partition(b" ")
        if not kept.isdigit() or int(kept) != version:
            return None
        return body, etag.decode()

    async def put(self, digest: str, version: int, body: bytes, etag: str, owner: str | None) -> None:
        if self._skip():
            return
        value = f"{version} {etag}\n".encode() + body
        try:
            await self._script(args=[self.namespace, digest, value, self.ttl_s, time.time(), owner or "",
                                     self.max_entries, self.max_bytes, self.client_entries, self.client_bytes])
        except Exception as exc:
            self._failed(exc)
            return
        self._up()

    def _skip(self) -> bool:
        """Whether to leave Redis alone: it failed less than ``retry_after_s`` ago. Past that,
        one request asks it again while the others still skip it, so that when it is down
        (or unreachable, and each attempt waits out the timeout) only that one waits."""
        if not self._down:
            return False
        now = time.monotonic()
        if now < self._down_until:
            return True
        self._down_until = now + self.retry_after_s
        return False

    def _failed(self, exc: Exception) -> None:
        if not self._down:
            structlog.get_logger("partnerships").warning(
                "shared response cache unavailable; answering without it", error=type(exc).__name__)
        self._down, self._down_until = True, time.monotonic() + self.retry_after_s

    def _up(self) -> None:
        if self._down:
            structlog.get_logger("partnerships").info("shared response cache available again")
        self._down = False


def shared_namespace(settings, schema_sdl: str) -> str:
    """The shared tier's key prefix: the configured namespace, and a digest of what an answer
    depends on besides the data — the database (its URL without credentials), the schema,
    and the versions of this package and of every installed borough plugin."""
    from importlib.metadata import PackageNotFoundError, entry_points, version

    from sqlalchemy.engine import make_url

    try:
        ours = version("partnerships-graph")
    except PackageNotFoundError:
        ours = "unknown"
    plugins = sorted(f"{ep.name}={ep.value}@{ep.dist.version if ep.dist else ''}"
                     for ep in entry_points(group="partnerships.plugins"))
    database = make_url(settings.database_url).render_as_string(hide_password=True)
    material = json.dumps([database, ours, plugins, schema_sdl])
    digest = hashlib.sha256(material.encode()).hexdigest()[:16]
    prefix = settings.response_cache_namespace
    return f"partnerships:{prefix}:{digest}" if prefix else f"partnerships:{digest}"
