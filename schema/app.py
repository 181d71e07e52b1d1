"""The ASGI application: `/graphql` (GraphiQL in development), `/healthz`, `/readyz`, `/metrics`."""

from __future__ import annotations

import contextlib
import gc
import json

import orjson
import structlog
from cross_web import HTTPException
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL

from core import metrics
from core.auth import ANONYMOUS
from core.config import Settings, get_settings
from core.db import create_engine, session_factory
from core.logging import RequestContext, configure_logging, current_request
from core.migrate import current_revisions, head_revisions
from core.plugins import Registry, discover
from core.services.identity import AuthenticationError, authenticate
from schema import web
from schema.cache import Key as CacheKey
from schema.cache import ResponseCache
from schema.context import AppState, Context
from schema.errors import is_outage, outage_error
from schema.lean import lean_execution, lean_resolvers, stable_validation_rules
from schema.root import build_schema


class BodyLimit:
    """Refuse request bodies over the configured size before reading them whole."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            response = JSONResponse(
                {"errors": [{"message": f"request body over {self.max_bytes} bytes", "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]},
                status_code=413,
            )
            return await response(scope, receive, send)
        received = 0

        async def limited() -> dict:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _TooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            response = JSONResponse({"errors": [{"message": f"request body over {self.max_bytes} bytes"}]}, status_code=413)
            await response(scope, receive, send)


class _TooLarge(Exception):
    pass


class GraphQLApp(GraphQL):
    def __init__(self, state: AppState, **kwargs):
        super().__init__(build_schema(state.settings), graphql_ide=None if state.settings.production else "graphiql", **kwargs)
        self.state = state
        lean_resolvers(self.schema)
        stable_validation_rules(self.schema)
        lean_execution(self.schema)

    def encode_json(self, data: object) -> str:
        """Answers as compact JSON, by orjson: a partnership's page is ~115 KB, and the
        standard library's encoder took a tenth of a cold request (profiled under load).
        A string, not bytes, so WebSocket messages stay text frames."""
        try:
            return orjson.dumps(data).decode()
        except TypeError:  # what orjson refuses (a key that is not a string, an int over 64 bits)
            return json.dumps(data, separators=(",", ":"))

    async def get_context(self, request, response) -> Context:
        principal = getattr(request.state, "principal", None)
        if principal is None:  # WebSocket connections arrive here without the endpoint
            principal = await principal_for(self.state, request.headers.get("authorization", ""))
        context = Context(state=self.state, principal=principal, request=request, response=response)
        if request.scope["type"] == "websocket":
            context.connection_params = None  # strawberry fills it from `connection_init`
        elif isinstance(getattr(request.state, "loaders", None), list):  # graphql_endpoint releases it
            context.loaders.hold_connection()
            request.state.loaders.append(context.loaders)
        return context

    async def on_ws_connect(self, context):
        """WebSocket auth: `{"authorization": "Bearer <token>"}` as the connection_init payload."""
        from schema.subscriptions import authenticate_connection

        await authenticate_connection(context)

    async def process_result(self, request, result):
        """Count the answer's GraphQL errors by code (metrics, and the request's log line)."""
        for error in result.errors or ():
            count_error(graphql_error_code(error))
        return await super().process_result(request, result)


def count_error(code: str) -> None:
    """One GraphQL error answered: in the metrics, and in the request's log line."""
    metrics.record_graphql_error(code)
    info = current_request()
    if info is not None:
        info.error_codes.append(code)


def graphql_error_code(error) -> str:
    """``extensions.code``; masked internal errors and uncoded validation errors get one here."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str) and code:
        return code
    if error.message.startswith("Internal error"):
        return "INTERNAL_SERVER_ERROR"
    return "GRAPHQL_VALIDATION_FAILED"


async def principal_for(state: AppState, header: str):
    """The caller behind an Authorization header; AuthenticationError for a bad token."""
    bearer = header[7:].strip() if header.lower().startswith("bearer ") else None
    if not bearer:
        return ANONYMOUS
    async with state.sessions() as session, session.begin():
        return await authenticate(session, bearer)


async def _contains_nul(request: Request) -> bool:
    """PostgreSQL text cannot hold U+0000; refuse it up front rather than fail in the database."""
    if request.method == "GET":
        raw = request.url.query.encode()
        return b"%00" in raw or b"\\u0000" in raw.lower()
    body = await request.body()
    return b"\x00" in body or b"\\u0000" in body.lower()


async def _graphql_params(request: Request) -> tuple[str | None, dict | None, str | None]:
    """The document, variables and operation name of a GraphQL HTTP request (or Nones)."""
    if request.method == "GET":
        q = request.query_params
        try:
            variables = json.loads(q["variables"]) if q.get("variables") else None
        except ValueError:
            return None, None, None
        return q.get("query"), variables, q.get("operationName")
    if "json" not in request.headers.get("content-type", ""):
        return None, None, None
    try:
        data = json.loads(await request.body())
    except ValueError:
        return None, None, None
    if not isinstance(data, dict):
        return None, None, None
    variables = data.get("variables")
    return data.get("query"), variables if isinstance(variables, dict) else None, data.get("operationName")


#: Collector thresholds once the app has started: a request allocates tens of thousands
#: of short-lived objects, and CPython's default (700) runs a collection every few fields.
GC_THRESHOLD = (10_000, 10, 10)


def settle_gc() -> None:
    """After start-up: move everything built so far (schema, plugins, registry, SQLAlchemy
    metadata; ~180k objects with 150 boroughs installed) out of the collector's reach, and
    collect young objects less often. A full collection over the start-up heap costs ~170 ms
    and, with default thresholds, ran every few requests (DESIGN: 1.3–2.4× on reads).

    The second collection, over the now empty oldest generation, resets what CPython
    measures full collections against: it runs one only once the objects promoted since
    the last exceed a quarter of what that one found, and left at the start-up heap, any
    garbage cycle a request leaves (loaders break theirs: ``Loaders.forget``) would wait
    for ~45k promotions."""
    gc.collect()
    gc.freeze()
    gc.collect()
    gc.set_threshold(*GC_THRESHOLD)


def create_app(settings: Settings | None = None, registry: Registry | None = None) -> Starlette:
    settings = settings or get_settings()
    configure_logging(settings)
    engine = create_engine(settings)
    metrics.watch_pool(engine)
    state = AppState(settings=settings, sessions=session_factory(engine),
                     registry=registry if registry is not None else discover(), engine=engine)
    graphql = GraphQLApp(state)

    cache = ResponseCache(state.sessions, settings.response_cache_entries, engine,
                          max_bytes=settings.response_cache_mb * 1024 * 1024) if settings.response_cache else None
    state.cache = cache

    async def cached(request: Request, key: CacheKey):
        """Serve from the cache when the data has not changed since; fill it otherwise."""
        version = await cache.version(key.partnership)
        entry = cache.get(key, version)
        if entry is None:
            response = await graphql.run(request)
            if response.status_code != 200 or b'"errors"' in response.body:
                return response
            entry = cache.put(key, version, bytes(response.body))
            outcome = "miss"
        else:
            outcome = "hit"
        metrics.record_cache(outcome == "hit")
        headers = {"ETag": entry.etag, "X-Cache": outcome}
        if request.method == "GET" and request.headers.get("if-none-match") == entry.etag:
            return Response(status_code=304, headers=headers)
        return Response(entry.body, media_type="application/json", headers=headers)

    async def graphql_endpoint(request: Request):
        request.state.loaders = []  # the request's loaders hold one read connection until it ends
        try:
            return await _graphql_endpoint(request)
        finally:
            for loaders in request.state.loaders:
                await loaders.release()
                loaders.forget()

    async def _graphql_endpoint(request: Request):
        try:
            if await _contains_nul(request):
                count_error("BAD_USER_INPUT")
                return JSONResponse({"errors": [{"message": "text may not contain the NUL character (U+0000)",
                                                 "extensions": {"code": "BAD_USER_INPUT"}}]}, status_code=400)
            request.state.principal = await principal_for(state, request.headers.get("authorization", ""))
            if cache is not None and request.method in ("GET", "POST") and "text/html" not in request.headers.get("accept", ""):
                document, variables, operation = await _graphql_params(request)
                key = cache.key(document, variables, operation, request.state.principal.scope)
                if key is not None:
                    return await cached(request, key)
            return await graphql.run(request)
        except HTTPException as exc:
            return PlainTextResponse(exc.reason, status_code=exc.status_code)
        except AuthenticationError as exc:
            count_error("UNAUTHENTICATED")
            return JSONResponse(
                {"errors": [{"message": str(exc), "extensions": {"code": "UNAUTHENTICATED"}}]},
                status_code=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        except Exception as exc:
            if not is_outage(exc):
                raise
            count_error("SERVICE_UNAVAILABLE")
            return JSONResponse(
                {"errors": [{"message": outage_error(exc).message, "extensions": {"code": "SERVICE_UNAVAILABLE"}}]},
                status_code=503, headers={"Retry-After": "2"},
            )

    async def healthz(_: Request):
        return PlainTextResponse("ok")

    async def readyz(_: Request):
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            current = await current_revisions(engine)
        except Exception as exc:  # the database is the thing being checked
            return JSONResponse({"ready": False, "reason": f"database unreachable: {type(exc).__name__}"}, status_code=503)
        heads = head_revisions()
        if current != heads:
            return JSONResponse(
                {"ready": False, "reason": f"migrations not at head (database {sorted(current)}, code {sorted(heads)}); "
                 "run `partnerships db upgrade`"}, status_code=503)
        return JSONResponse({"ready": True})

    async def metrics_endpoint(_: Request):
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        metrics_server = None
        if settings.metrics_enabled and settings.metrics_port:
            try:
                metrics_server, _thread = metrics.serve_separately(settings.metrics_host, settings.metrics_port)
            except OSError:  # another worker of this server holds the port
                structlog.get_logger("partnerships").info(
                    "metrics port in use; another worker serves it", port=settings.metrics_port)
        settle_gc()
        try:
            yield
        finally:
            if metrics_server is not None:
                metrics_server.shutdown()
                metrics_server.server_close()
            await engine.dispose()

    app = Starlette(
        routes=[
            Route("/graphql", graphql_endpoint, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),  # subscriptions: graphql-transport-ws
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *([Route("/metrics", metrics_endpoint)] if settings.metrics_enabled and not settings.metrics_port else []),
            *web.routes(state, graphql.schema),
        ],
        middleware=[Middleware(RequestContext, settings=settings),  # outermost: request id, log line, metrics
                    Middleware(BodyLimit, max_bytes=settings.max_body_bytes)],
        lifespan=lifespan,
    )
    app.state.partnerships = state
    return app


