"""The ASGI application: `/graphql` (GraphiQL in development), `/healthz`, `/readyz`, `/metrics`."""

from __future__ import annotations

import asyncio
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
from core.auth import ANONYMOUS, MalformedAuthorization, bearer_token
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
from schema.errors import error_body, is_outage, outage_error
from schema.lean import lean_execution, lean_resolvers, stable_validation_rules
from schema.limits import (
    NUL_MESSAGE,
    BadRequest,
    RateLimiter,
    client_key,
    parse_body,
    parse_query_params,
)
from schema.root import build_schema
from schema.subscriptions import OperationsHandler


class BodyLimit:
    """Refuse request bodies over the configured size before reading them whole, and bodies
    that take longer than ``timeout_s`` to arrive: a client trickling a body a byte at a
    time would otherwise hold a request (and its memory) open for as long as it likes."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float = 10.0):
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_large = JSONResponse(error_body(f"request body over {self.max_bytes} bytes", "PAYLOAD_TOO_LARGE",
                                            limit=self.max_bytes), status_code=413)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            return await too_large(scope, receive, send)
        received, deadline, complete = 0, None, False

        async def limited() -> dict:
            nonlocal received, deadline, complete
            if complete:  # the body is in; waiting for a disconnect is not limited
                return await receive()
            if deadline is None:
                deadline = asyncio.get_running_loop().time() + self.timeout_s
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise _SlowBody() from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge()
                complete = not message.get("more_body", False)
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await too_large(scope, receive, send)
        except _SlowBody:
            count_error("REQUEST_TIMEOUT")
            response = JSONResponse(error_body(f"the request body took longer than {self.timeout_s:g} s to arrive",
                                               "REQUEST_TIMEOUT", limit=self.timeout_s),
                                    status_code=408, headers={"Connection": "close"})
            await response(scope, receive, send)


class _TooLarge(Exception):
    pass


class _SlowBody(Exception):
    pass


class GraphQLApp(GraphQL):
    #: every WebSocket operation is checked and authorised as it arrives (schema.subscriptions)
    graphql_transport_ws_handler_class = OperationsHandler

    def __init__(self, state: AppState, **kwargs):
        super().__init__(build_schema(state.settings), graphql_ide=None if state.settings.production else "graphiql",
                         max_subscriptions_per_connection=None, **kwargs)  # OperationsHandler counts, with a code
        self.state = state
        lean_resolvers(self.schema)
        stable_validation_rules(self.schema)
        lean_execution(self.schema)

    def encode_json(self, data: object) -> str:
        """Answers as compact JSON, by orjson: a partnership's page is ~115 KB, and the
        standard library's encoder took a tenth of a cold request (profiled under load).
        A string, not bytes, so WebSocket messages stay text frames."""
        try:
            encoded = orjson.dumps(data).decode()
        except TypeError:  # what orjson refuses (a key that is not a string, an int over 64 bits)
            encoded = json.dumps(data, separators=(",", ":"))
        limit = self.state.settings.max_response_bytes
        if len(encoded) > limit and isinstance(data, dict):
            refusal = error_body(f"the answer is {len(encoded):,} bytes, over the limit of {limit:,}; ask for less "
                                 "(smaller pages, fewer fields or aliases)", "RESPONSE_TOO_LARGE",
                                 bytes=len(encoded), limit=limit)
            if data.get("type") == "next" and isinstance(data.get("payload"), dict):  # a WebSocket result
                data = {**data, "payload": {"data": None, **refusal}}
            elif "data" in data or "errors" in data:
                data = {"data": None, **refusal}
            else:
                return encoded
            count_error("RESPONSE_TOO_LARGE")
            return orjson.dumps(data).decode()
        return encoded

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
    """The caller behind an Authorization header; AuthenticationError for a bad token or a
    header that is not ``Bearer <token>``."""
    try:
        bearer = bearer_token(header)
    except MalformedAuthorization as exc:
        raise AuthenticationError(str(exc)) from None
    if not bearer:
        return ANONYMOUS
    async with state.sessions() as session, session.begin():
        return await authenticate(session, bearer)


async def _checked_params(request: Request) -> dict | None:
    """The document, variables and operation name of a GraphQL HTTP request, refused
    (:class:`~schema.limits.BadRequest`) when malformed or carrying text no database can
    hold; None for a request GraphQL itself will answer (GraphiQL, another content type)."""
    if request.method == "GET":
        return parse_query_params(request.query_params)
    body = await request.body()
    if "json" not in request.headers.get("content-type", ""):
        if b"\x00" in body or b"\\u0000" in body.lower():
            raise BadRequest(NUL_MESSAGE, code="BAD_USER_INPUT")
        return None
    return parse_body(body)


def _rate_limited(verdict) -> JSONResponse:
    count_error("RATE_LIMITED")
    return JSONResponse(error_body(verdict.message, "RATE_LIMITED", retryAfter=verdict.reset_s), status_code=429,
                        headers=verdict.headers())


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
                          max_bytes=settings.response_cache_mb * 1024 * 1024,
                          max_entry_bytes=settings.response_cache_entry_kb * 1024,
                          client_share=settings.response_cache_client_share) if settings.response_cache else None
    state.cache = cache
    state.limiter = RateLimiter(settings.rate_limit, settings.rate_limit_storage_url)

    async def cached(request: Request, key: CacheKey, client: str):
        """Serve from the cache when the data has not changed since; fill it otherwise."""
        version = await cache.version(key.partnership, request.state.principal)
        entry = cache.get(key, version)
        if entry is None:
            response = await graphql.run(request)
            if response.status_code != 200 or b'"errors"' in response.body:
                return response
            entry = cache.put(key, version, bytes(response.body), owner=client)
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
        address = request.client.host if request.client else None
        verdict = None
        try:
            try:  # the body first: the request's log line names its operation, whatever the answer
                params = await _checked_params(request)
            except BadRequest:
                verdict = await state.limiter.hit(client_key(None, address))  # malformed requests count too
                if not verdict.allowed:
                    return _rate_limited(verdict)
                raise
            try:
                principal = await principal_for(state, request.headers.get("authorization", ""))
            except AuthenticationError:
                verdict = await state.limiter.hit(client_key(None, address))  # guessing tokens is counted too
                if not verdict.allowed:
                    return _rate_limited(verdict)
                raise
            client = client_key(principal, address)
            verdict = await state.limiter.hit(client)
            if not verdict.allowed:
                return _rate_limited(verdict)
            request.state.principal = principal
            limit = settings.request_time_limit_s
            timer = asyncio.timeout(limit)
            try:
                async with timer:
                    response = None
                    if (cache is not None and params is not None
                            and "text/html" not in request.headers.get("accept", "")):
                        key = cache.key(params.get("query"), params.get("variables"), params.get("operationName"),
                                        principal.scope)
                        if key is not None:
                            response = await cached(request, key, client)
                    if response is None:
                        response = await graphql.run(request)
            except TimeoutError:
                if not timer.expired():
                    raise
                count_error("TIMEOUT")
                return JSONResponse(error_body(
                    f"the request took longer than the limit of {limit:g} s and was stopped; ask for less "
                    "(smaller pages, fewer fields or aliases)", "TIMEOUT", limit=limit),
                    status_code=504, headers=verdict.headers())
            response.headers.update(verdict.headers())
            return response
        except BadRequest as exc:
            count_error(exc.code)
            return JSONResponse(error_body(exc.message, exc.code), status_code=exc.status,
                                headers=verdict.headers() if verdict else None)
        except HTTPException as exc:
            return PlainTextResponse(exc.reason, status_code=exc.status_code)
        except AuthenticationError as exc:
            count_error("UNAUTHENTICATED")
            return JSONResponse(
                error_body(str(exc), "UNAUTHENTICATED"), status_code=401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"', **(verdict.headers() if verdict else {})},
            )
        except Exception as exc:
            if not is_outage(exc):
                raise
            count_error("SERVICE_UNAVAILABLE")
            return JSONResponse(
                error_body(outage_error(exc).message, "SERVICE_UNAVAILABLE"),
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
                    Middleware(BodyLimit, max_bytes=settings.max_body_bytes, timeout_s=settings.body_timeout_s)],
        lifespan=lifespan,
    )
    app.state.partnerships = state
    return app


