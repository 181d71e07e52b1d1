"""What every request is checked against before it reaches GraphQL or the database.

* **Text the database cannot hold.** PostgreSQL text cannot contain U+0000, and no driver
  can encode a lone UTF-16 surrogate (``"\\ud800"`` in JSON). Either, anywhere in a request
  (the document — raw or as a GraphQL escape —, the variables, the operation name, GET
  parameters), is refused with ``BAD_USER_INPUT`` before anything runs: such a value must
  never reach a statement, least of all one shared with other requests (the response
  cache's version lookup answers many requests with one statement).
* **The shape of a request.** A body that is JSON but not a request object (a string,
  ``null``, ten thousand nested arrays, an ``operationName`` that is an object) is a client
  error (HTTP 400), not a crash.
* **Rate.** Requests per client, counted by the maintained ``limits`` package: in Redis
  when ``rate_limit_storage_url`` names one (so every worker and host shares the count),
  in memory otherwise. A client is its token, or — anonymous — its address.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass
from typing import Any

import structlog
from starlette.responses import JSONResponse

from schema.errors import count_error, error_body

#: A NUL, or a surrogate code point: after JSON decoding (which joins escaped pairs), any
#: surrogate left is a lone one.
_RAW = re.compile("[\x00\ud800-\udfff]")
#: GraphQL escapes of the same in a document: ``\u0000``, ``\u{0}``, any braced surrogate,
#: a lone ``\uD800`` (a high one not followed by a low one), a lone ``\uDC00``. An escaped
#: backslash (``\\u0000``) is text, not an escape.
_ESCAPED = re.compile(r"""
    (?<!\\)(?:\\\\)*\\u(?:0000|\{0+\}|\{0*[dD][89a-fA-F][0-9a-fA-F]{2}\}
                   |[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2}))
    |(?<![\\]u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}
""", re.VERBOSE)

NUL_MESSAGE = ("text may not contain the NUL character (U+0000) or a lone surrogate (U+D800–U+DFFF): "
               "neither can be stored")


class BadRequest(Exception):
    """A request refused before execution; ``code`` and ``status`` say how."""

    def __init__(self, message: str, code: str = "BAD_REQUEST", status: int = 400):
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


def bad_text(value: Any) -> bool:
    """Whether any string in ``value`` (any JSON value, walked without recursion) holds a
    NUL or a lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _RAW.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def bad_document(document: str) -> bool:
    """Whether a GraphQL document holds, raw or escaped, a NUL or a lone surrogate."""
    return bool(_RAW.search(document)) or ("\\u" in document and bool(_ESCAPED.search(document)))


def check_operation(query: Any, variables: Any, operation_name: Any) -> None:
    """Refuse an operation's parts that are of the wrong type or carry text no database
    can hold (HTTP POST and GET, and each WebSocket operation)."""
    if query is not None and not isinstance(query, str):
        raise BadRequest("`query` must be a string holding the GraphQL document")
    if variables is not None and not isinstance(variables, dict):
        raise BadRequest("`variables` must be an object (name → value) or null")
    if operation_name is not None and not isinstance(operation_name, str):
        raise BadRequest("`operationName` must be a string or null")
    if (query is not None and bad_document(query)) or bad_text(variables) or bad_text(operation_name):
        raise BadRequest(NUL_MESSAGE, code="BAD_USER_INPUT")


def parse_body(body: bytes) -> dict:
    """A POSTed JSON request object, checked (see :func:`check_operation`)."""
    if b"\x00" in body:
        raise BadRequest(NUL_MESSAGE, code="BAD_USER_INPUT")
    try:
        data = json.loads(body)
    except RecursionError:
        raise BadRequest("the request body nests too deeply to be a GraphQL request") from None
    except ValueError:  # not JSON, or not UTF-8
        raise BadRequest("the request body is not valid JSON") from None
    if isinstance(data, list):
        raise BadRequest("send one operation per request (batching is off)")
    if not isinstance(data, dict):
        raise BadRequest("the request body must be a JSON object with `query` (and optionally `variables`, "
                         "`operationName`)")
    check_operation(data.get("query"), data.get("variables"), data.get("operationName"))
    if data.get("extensions") is not None and not isinstance(data["extensions"], dict):
        raise BadRequest("`extensions` must be an object or null")
    if bad_text(data.get("extensions")):
        raise BadRequest(NUL_MESSAGE, code="BAD_USER_INPUT")
    return data


def parse_query_params(params) -> dict:
    """A GET request's operation, checked; ``variables`` arrives as JSON text."""
    if any(_RAW.search(k) or _RAW.search(v) for k, v in params.multi_items()):
        raise BadRequest(NUL_MESSAGE, code="BAD_USER_INPUT")
    variables = params.get("variables")
    if variables:
        try:
            variables = json.loads(variables)
        except RecursionError:
            raise BadRequest("`variables` nests too deeply") from None
        except ValueError:
            raise BadRequest("`variables` is not valid JSON") from None
    extensions = params.get("extensions")
    if extensions:  # persisted queries over GET (Apollo's `useGETForHashedQueries`)
        try:
            extensions = json.loads(extensions)
        except (ValueError, RecursionError):
            raise BadRequest("`extensions` is not valid JSON") from None
        if not isinstance(extensions, dict):
            raise BadRequest("`extensions` must be an object or null")
    data = {"query": params.get("query"), "variables": variables or None, "operationName": params.get("operationName"),
            "extensions": extensions or None, "documentId": params.get("documentId")}
    check_operation(data["query"], data["variables"], data["operationName"])
    return data


# -- rate limits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """The outcome of counting one request against a client's limits."""

    allowed: bool
    limit: int = 0
    remaining: int = 0
    reset_s: int = 0
    window_s: int = 0
    described: str = ""

    def headers(self) -> dict[str, str]:
        """``RateLimit-*`` (IETF httpapi draft) for the most constraining limit."""
        if not self.limit:
            return {}
        headers = {"RateLimit-Limit": str(self.limit), "RateLimit-Remaining": str(self.remaining),
                   "RateLimit-Reset": str(self.reset_s), "RateLimit-Policy": f"{self.limit};w={self.window_s}"}
        if not self.allowed:
            headers["Retry-After"] = str(self.reset_s)
        return headers

    @property
    def message(self) -> str:
        return f"rate limit of {self.described} exceeded for this client; retry in {self.reset_s} s"


ALLOWED = Verdict(True)


def _storage_uri(url: str | None) -> str:
    if not url:
        return "async+memory://"
    return url if url.startswith("async+") else f"async+{url}"


class RateLimiter:
    """Per-client request limits (``rate_limit``), counted by the ``limits`` package.

    The sliding-window counter keeps two numbers per client and window, in memory or in
    Redis. If the store cannot be reached the request is let through (and logged): a rate
    limiter's outage must not become the API's."""

    def __init__(self, spec: str, storage_url: str | None = None):
        from limits import parse_many
        from limits.aio.strategies import SlidingWindowCounterRateLimiter
        from limits.storage import storage_from_string

        self.items = parse_many(spec) if spec and spec.strip() else []
        self.strategy = SlidingWindowCounterRateLimiter(storage_from_string(_storage_uri(storage_url))) \
            if self.items else None

    @property
    def enabled(self) -> bool:
        return bool(self.items)

    async def hit(self, client: str) -> Verdict:
        if not self.items:
            return ALLOWED
        try:
            tightest: Verdict | None = None
            for item in self.items:
                allowed = await self.strategy.hit(item, "partnerships", client)
                stats = await self.strategy.get_window_stats(item, "partnerships", client)
                verdict = Verdict(allowed, item.amount, max(0, stats.remaining),
                                  max(1, math.ceil(stats.reset_time - time.time())), item.get_expiry(), str(item))
                if not allowed:
                    return verdict
                if tightest is None or verdict.remaining < tightest.remaining:
                    tightest = verdict
            return tightest or ALLOWED
        except Exception as exc:  # the shared store is down: count nothing rather than refuse everyone
            structlog.get_logger("partnerships").warning("rate limit store unavailable; request let through",
                                                         error=type(exc).__name__)
            return ALLOWED


def rate_limited(verdict: Verdict):
    """The answer to a request over its client's limit, on every route: 429, the API's JSON
    error (``RATE_LIMITED``, with ``retryAfter``) and the ``RateLimit-*`` headers."""
    count_error("RATE_LIMITED")
    return JSONResponse(error_body(verdict.message, "RATE_LIMITED", retryAfter=verdict.reset_s), status_code=429,
                        headers=verdict.headers())


def client_key(principal, address: str | None) -> str:
    """Whom a request is counted against: its token, or (anonymous) the address it came from."""
    if principal is not None and principal.token_id is not None:
        return f"token:{principal.token_id}"
    return f"addr:{address or 'unknown'}"
