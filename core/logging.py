"""Structured logs: JSON lines in production, readable lines in development.

Every line logged while a request is handled carries its ``request_id`` (also sent back in
the ``X-Request-ID`` response header, and taken from an incoming ``X-Request-ID`` when it is
a sane value). The one line per request adds the route, status, duration, outcome, the
GraphQL operation name and type, and the SHA-256 of the document.

What is never logged: GraphQL variables, response bodies, query strings, tokens — any of
them may hold personal data. graphql-core puts invalid variable values into its error
messages, so client errors (bad documents, bad variables) are not logged line by line
(they are counted in the metrics by code); an unexpected error in a resolver is logged by
its type and stack frames only, not its message (a database error's message can quote the
statement's parameters).

Everything goes through the standard library's ``logging`` (so uvicorn's, strawberry's and
the webhook worker's lines come out in the same format with the same request id);
``structlog.get_logger()`` is the API for new code.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import traceback
import uuid
from dataclasses import dataclass, field
from typing import IO, Any

import structlog

from core import metrics
from core.config import Settings

REQUEST_ID_HEADER = "X-Request-ID"
#: An incoming request id is kept only when it looks like an id (no spaces, quotes,
#: newlines or markup, at most 128 characters); otherwise a new one is made.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@+/=-]{0,127}")
#: Routes polled by load balancers and Prometheus: logged at DEBUG, not INFO.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
#: Libraries whose DEBUG/INFO lines quote SQL parameters (user data): held at WARNING even
#: when ``log_level`` is DEBUG.
PARAMETER_LOGGERS = ("aiosqlite", "sqlalchemy.engine", "sqlalchemy.pool", "asyncpg")
#: Libraries that say the same thing on every readiness probe, or print whole URLs (a
#: webhook receiver's URL may carry a secret): held at WARNING too.
CHATTY_LOGGERS = ("alembic.runtime.migration", "httpx", "httpcore")

log = structlog.get_logger("partnerships.request")


# --------------------------------------------------------------------------- per request


@dataclass
class RequestInfo:
    """What the request line says about one request; filled in as the request runs."""

    request_id: str
    method: str = ""
    path: str = ""
    operation: str | None = None
    operation_type: str | None = None
    document_sha256: str | None = None
    error_codes: list[str] = field(default_factory=list)


_current: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar("partnerships_request", default=None)


def current_request() -> RequestInfo | None:
    """The request being handled in this context (None outside a request)."""
    return _current.get()


def current_request_id() -> str | None:
    info = _current.get()
    return info.request_id if info else None


def request_id_from(incoming: str | None) -> str:
    """The incoming ``X-Request-ID`` when it is sane, else a new random id."""
    if incoming and _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def outcome_of(status: int, error_codes: list[str]) -> str:
    """ok | error (GraphQL errors in a 200 answer) | rejected (4xx) | unavailable (503) | failed (5xx)."""
    if status == 503:
        return "unavailable"
    if status >= 500:
        return "failed"
    if status >= 400:
        return "rejected"
    return "error" if error_codes else "ok"


class RequestContext:
    """ASGI middleware: request id, the request log line, request metrics.

    The GraphQL endpoint names the operation and the document's hash on the request's
    :class:`RequestInfo` from the one parse it makes of the document (nothing here reads or
    parses the body again). An exception that escapes the application is logged (type and
    frames) and answered with a 500 that carries the request id.
    """

    def __init__(self, app, settings: Settings, graphql_path: str = "/graphql"):
        self.app = app
        self.settings = settings
        self.graphql_path = graphql_path

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(REQUEST_ID_HEADER.lower().encode())
        info = RequestInfo(request_id=request_id_from(incoming.decode("latin-1") if incoming else None),
                           method=scope.get("method", ""), path=scope.get("path", ""))
        is_graphql = info.path == self.graphql_path
        status = 0
        crashed = False
        cache: str | None = None

        async def send_with_id(message):
            nonlocal status, cache
            if message["type"] == "http.response.start":
                status = message["status"]
                raw = list(message.get("headers") or [])
                for key, value in raw:
                    if key.lower() == b"x-cache":
                        cache = value.decode("latin-1")
                raw.append((REQUEST_ID_HEADER.encode(), info.request_id.encode()))
                message = {**message, "headers": raw}
            await send(message)

        token = _current.set(info)
        started = time.perf_counter()
        try:
            with structlog.contextvars.bound_contextvars(request_id=info.request_id):
                try:
                    await self.app(scope, receive, send_with_id)
                except Exception as exc:
                    crashed = True
                    log.error("unhandled exception", **exception_fields(exc))
                    if status:  # the response had started; nothing more can be sent
                        return
                    status = 500
                    await _internal_error(send_with_id, info.request_id)
                finally:
                    duration = time.perf_counter() - started
                    route = scope.get("route")
                    route_path = getattr(route, "path", None) or "unmatched"
                    outcome = "failed" if crashed else outcome_of(status, info.error_codes)
                    metrics.observe_request(route=route_path, operation=info.operation or "",
                                            outcome=outcome, seconds=duration)
                    fields: dict[str, Any] = {
                        "method": info.method, "path": info.path, "status": status,
                        "duration_ms": round(duration * 1000, 2), "outcome": outcome,
                    }
                    if is_graphql:
                        fields.update(operation=info.operation, operation_type=info.operation_type,
                                      document_sha256=info.document_sha256)
                        if info.error_codes:
                            fields["error_codes"] = sorted(set(info.error_codes))
                    if cache:
                        fields["cache"] = cache.lower()
                    level = logging.DEBUG if info.path in QUIET_PATHS and status < 500 and not crashed else (
                        logging.WARNING if status >= 500 or crashed else logging.INFO)
                    log.log(level, "request", **fields)
        finally:
            _current.reset(token)


async def _internal_error(send, request_id: str) -> None:
    body = json.dumps({"errors": [{"message": "Internal error; quote the request id to support.",
                                   "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}}]}).encode()
    await send({"type": "http.response.start", "status": 500,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def exception_fields(exc: BaseException, limit: int = 12) -> dict[str, Any]:
    """An exception as log fields: its type and where it was raised — not its message."""
    frames = traceback.extract_tb(exc.__traceback__)[-limit:]
    return {
        "error_type": f"{type(exc).__module__}.{type(exc).__qualname__}",
        "frames": [f"{f.filename}:{f.lineno} in {f.name}" for f in frames],
    }


# --------------------------------------------------------------------------- configuration


class _ResolverErrors(logging.Filter):
    """strawberry logs every GraphQL error with its message. Drop client errors (their
    messages can quote variable values); keep unexpected ones as type + frames."""

    def filter(self, record: logging.LogRecord) -> bool:
        from graphql import GraphQLError

        error = record.msg
        if not isinstance(error, GraphQLError):
            return True
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            return False
        fields = exception_fields(original)
        record.msg, record.args, record.exc_info, record.exc_text = "unexpected error in a resolver", (), None, None
        record.error_type, record.frames = fields["error_type"], fields["frames"]
        record.graphql_path = ".".join(str(p) for p in error.path or ())
        return True


class _Handler(logging.StreamHandler):
    """Writes to the given stream, or to whatever ``sys.stderr`` is at the time."""

    def __init__(self, stream: IO[str] | None):
        super().__init__(stream or sys.stderr)
        self._fixed = stream is not None

    def emit(self, record: logging.LogRecord) -> None:
        if not self._fixed:
            self.stream = sys.stderr
        super().emit(record)


_configured: tuple | None = None


def log_format(settings: Settings) -> str:
    """json | console: ``log_format`` "auto" means JSON in production, console otherwise."""
    if settings.log_format == "auto":
        return "json" if settings.production else "console"
    return settings.log_format


def configure_logging(settings: Settings, *, stream: IO[str] | None = None, force: bool = False) -> None:
    """Route stdlib logging and structlog through one handler on the root logger.

    Idempotent for the same format, level and stream; other handlers on the root logger
    (a test runner's, say) are left alone.
    """
    global _configured
    fmt, level = log_format(settings), settings.log_level.upper()
    key = (fmt, level, id(stream) if stream is not None else None)
    if key == _configured and not force:
        return
    timestamper = structlog.processors.TimeStamper(fmt="iso", utc=True)
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        timestamper,
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.StackInfoRenderer(),
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        # The processors above are the same in every configuration (the format is the
        # handler's), so a logger can keep them: binding one anew cost a tenth of the line.
        cache_logger_on_first_use=True,
    )
    if fmt == "json":
        renderer: list = [structlog.processors.dict_tracebacks, structlog.processors.JSONRenderer()]
    else:
        colors = bool(getattr(stream or sys.stderr, "isatty", lambda: False)())
        renderer = [structlog.dev.ConsoleRenderer(colors=colors)]
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder(allow=["error_type", "frames", "graphql_path"])],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )
    handler = _Handler(stream)
    handler.setFormatter(formatter)
    handler._partnerships = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_partnerships", False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in (*PARAMETER_LOGGERS, *CHATTY_LOGGERS):
        logging.getLogger(name).setLevel(logging.WARNING)
    strawberry_log = logging.getLogger("strawberry.execution")
    for old in [f for f in strawberry_log.filters if isinstance(f, _ResolverErrors)]:
        strawberry_log.removeFilter(old)
    strawberry_log.addFilter(_ResolverErrors())
    _configured = key
