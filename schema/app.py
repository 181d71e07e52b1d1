"""The ASGI application: `/graphql` (GraphiQL in development), `/schema.graphql`, `/healthz`,
`/readyz`, `/metrics`, the open-data exports.

`/graphql` speaks the GraphQL-over-HTTP spec: `application/json` and
`application/graphql-response+json` by the request's `Accept` (under the latter, a request
error — no `data` — is a 4xx), JSON for every refusal at every layer (see schema.errors),
persisted and trusted documents (schema.documents), and CORS for the origins the
`cors_allowed_origins` setting names.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import gc
import json

import mimeparse
import orjson
import structlog
from cross_web import HTTPException
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.exceptions import HTTPException as RouteException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData

from core import metrics
from core.config import Settings, get_settings
from core.db import create_engine, session_factory
from core.logging import REQUEST_ID_HEADER, RequestContext, configure_logging, current_request
from core.plugins import Registry, discover
from core.services.identity import AuthenticationError
from schema import graphiql, web
from schema.cache import Key as CacheKey
from schema.cache import ResponseCache, SharedTier, shared_namespace
from schema.compiled import CompiledReads
from schema.context import AppState, Context, principal_for
from schema.documents import PersistedDocuments, RequestDocument, share_parsed_documents
from schema.errors import (
    INTERNAL,
    RequestError,
    count_error,
    error_body,
    is_outage,
    outage_error,
)
from schema.limits import (
    NUL_MESSAGE,
    BadRequest,
    RateLimiter,
    client_key,
    parse_body,
    parse_query_params,
    rate_limited,
)
from schema.root import build_schema
from schema.subscriptions import OperationsHandler, share_event_results


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


#: The media types `/graphql` answers in (GraphQL-over-HTTP); on a tie (`*/*`), JSON.
GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON_MEDIA = "application/json"
_MEDIA = [GRAPHQL_RESPONSE, JSON_MEDIA]  # mimeparse prefers the later of equals
#: The request the endpoint checked, as strawberry's view reads it (see GraphQLApp.parse_http_body).
_request_data: contextvars.ContextVar[GraphQLRequestData | None] = contextvars.ContextVar(
    "partnerships_graphql_request", default=None)


class GraphQLApp(GraphQL):
    #: every WebSocket operation is checked and authorised as it arrives (schema.subscriptions)
    graphql_transport_ws_handler_class = OperationsHandler

    def __init__(self, state: AppState, **kwargs):
        # GraphiQL is the endpoint's (schema.graphiql): strawberry's page loads from a CDN.
        super().__init__(build_schema(state.settings), graphql_ide=None,
                         allowed_origins=state.settings.cors_allowed_origins,  # WebSocket handshakes
                         max_subscriptions_per_connection=None, **kwargs)  # OperationsHandler counts, with a code
        self.state = state
        share_parsed_documents(self.schema)
        share_event_results(self.schema)  # identical subscriptions execute an event once
        # last: plain structure answered by one statement (schema.compiled)
        self.schema.extensions = [*self.schema.extensions, CompiledReads]

    def should_render_graphql_ide(self, request) -> bool:
        return False  # the endpoint serves GraphiQL; a GET without `query` may be a persisted query

    async def parse_http_body(self, request_adapter):
        """The request the endpoint already read, checked and resolved (a persisted query's
        document in place of its hash): the body is not decoded a second time."""
        data = _request_data.get()
        return data if data is not None else await super().parse_http_body(request_adapter)

    async def get_sub_response(self, request) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.graphql_media = getattr(request.state, "media", JSON_MEDIA)
        return sub_response

    def create_response(self, response_data, sub_response) -> Response:
        """The answer in the negotiated media type. Under `application/graphql-response+json`
        a request error (parsing, validation, a variable, the cost limit: no field ran, so no
        `data`) is answered without `data` and with 400 (500 for an internal one), as the
        GraphQL-over-HTTP spec says; under `application/json` every answer is 200."""
        media = getattr(sub_response, "graphql_media", JSON_MEDIA)
        status = 200
        if media == GRAPHQL_RESPONSE and isinstance(response_data, dict) and _is_request_error(response_data):
            response_data = {k: v for k, v in response_data.items() if k != "data"}
            codes = {(e.get("extensions") or {}).get("code") for e in response_data["errors"]}
            status = 500 if codes == {INTERNAL} else 400
        response = Response(self.encode_json(response_data), status_code=status, media_type=media)
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        if sub_response.status_code:
            response.status_code = sub_response.status_code
        return response

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


def graphql_error_code(error) -> str:
    """``extensions.code``; masked internal errors and uncoded validation errors get one here."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str) and code:
        return code
    if error.message.startswith("Internal error"):
        return "INTERNAL_SERVER_ERROR"
    return "GRAPHQL_VALIDATION_FAILED"


def _is_request_error(response_data: dict) -> bool:
    """Errors and no data, and no error at a field's path: nothing executed."""
    errors = response_data.get("errors")
    return response_data.get("data") is None and bool(errors) and all("path" not in e for e in errors)


@functools.lru_cache(maxsize=256)
def _chosen_media(accept: str) -> str:
    """mimeparse's choice for an `Accept` header ("" for neither), kept for the headers seen
    most recently: a client sends the same one every time, and parsing it cost a thirtieth
    of a cache hit."""
    if not accept.strip():
        return JSON_MEDIA
    try:
        return mimeparse.best_match(_MEDIA, accept)
    except ValueError:
        return JSON_MEDIA


def negotiate(accept: str) -> str:
    """The media type to answer in: `application/graphql-response+json` or
    `application/json` (also for no `Accept`, `*/*`, or a header that does not parse);
    BadRequest 406 when the client accepts neither."""
    chosen = _chosen_media(accept)
    if not chosen:
        raise BadRequest(f"this endpoint answers {GRAPHQL_RESPONSE} or {JSON_MEDIA}; the request accepts neither",
                         code="NOT_ACCEPTABLE", status=406)
    return chosen


def _wants_graphiql(request: Request) -> bool:
    """A browser opening `/graphql`: a GET with no operation that prefers HTML."""
    if request.method != "GET" or any(k in request.query_params for k in ("query", "extensions", "documentId")):
        return False
    accept = request.headers.get("accept", "")
    try:
        return mimeparse.best_match([*_MEDIA, "text/html"], accept) == "text/html"
    except ValueError:
        return False


async def _checked_params(request: Request) -> dict:
    """The document, variables, operation name and extensions of a GraphQL HTTP request,
    refused (:class:`~schema.limits.BadRequest`) when malformed, carrying text no database
    can hold, or not JSON."""
    if request.method == "GET":
        return parse_query_params(request.query_params)
    body = await request.body()
    if "json" not in request.headers.get("content-type", ""):
        if b"\x00" in body or b"\\u0000" in body.lower():
            raise BadRequest(NUL_MESSAGE, code="BAD_USER_INPUT")
        raise BadRequest("send the request as JSON with `Content-Type: application/json`: "
                         '{"query": "…", "variables": {…}}', code="UNSUPPORTED_MEDIA_TYPE", status=415)
    return parse_body(body)


#: Codes of the HTTP statuses a router or strawberry's view answers by itself.
_STATUS_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 406: "NOT_ACCEPTABLE",
                 415: "UNSUPPORTED_MEDIA_TYPE"}
#: Response headers a page on another origin may read (CORS): the request id to quote,
#: the ETag to revalidate with, whether the cache answered, and the rate limit's state.
EXPOSED = [REQUEST_ID_HEADER, "ETag", "X-Cache", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
           "RateLimit-Policy", "Retry-After"]


def _error(message: str, code: str, status: int, media: str = JSON_MEDIA, headers: dict | None = None,
           **details) -> Response:
    """A refusal, in the error contract's shape and the negotiated media type."""
    return Response(orjson.dumps(error_body(message, code, **details)), status_code=status, media_type=media,
                    headers=headers)


async def _route_error(request: Request, exc: RouteException) -> Response:
    """No such route (404) or method (405): JSON, like every other refusal."""
    code = _STATUS_CODES.get(exc.status_code, "BAD_REQUEST")
    count_error(code)
    return JSONResponse(error_body(exc.detail, code), status_code=exc.status_code, headers=exc.headers)


class Cors(CORSMiddleware):
    """Starlette's CORS, with a refused preflight answered in the error contract (JSON with
    a code) instead of plain text."""

    def preflight_response(self, request_headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        headers = {k: v for k, v in response.headers.items() if k not in ("content-type", "content-length")}
        reason = bytes(response.body).decode()
        return JSONResponse(error_body(f"{reason}: this API allows browser calls only from the origins its "
                                       "`cors_allowed_origins` setting names", "CORS_REFUSED"),
                            status_code=response.status_code, headers=headers)


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
    persisted = PersistedDocuments(automatic=settings.automatic_persisted_queries,
                                   store_bytes=settings.persisted_queries_mb * 1024 * 1024,
                                   trusted=settings.trusted_documents)
    state.persisted = persisted

    cache = None
    if settings.response_cache:
        max_bytes, share = settings.response_cache_mb * 1024 * 1024, settings.response_cache_client_share
        shared = SharedTier(settings.response_cache_url, shared_namespace(settings, graphql.schema.as_str()),
                            ttl_s=settings.response_cache_ttl_s, max_entries=settings.response_cache_entries,
                            max_bytes=max_bytes, client_entries=max(1, int(settings.response_cache_entries * share)),
                            client_bytes=max(1, int(max_bytes * share))) if settings.response_cache_url else None
        cache = ResponseCache(state.sessions, settings.response_cache_entries, engine, max_bytes=max_bytes,
                              max_entry_bytes=settings.response_cache_entry_kb * 1024, client_share=share,
                              shared=shared)
    state.cache = cache
    state.limiter = RateLimiter(settings.rate_limit, settings.rate_limit_storage_url)

    async def cached(request: Request, key: CacheKey, client: str):
        """Serve from the cache when the data has not changed since; fill it otherwise."""
        version = await cache.version(key.partnership, request.state.principal)
        entry = await cache.lookup(key, version, owner=client)
        if entry is None:
            response = await graphql.run(request)
            if response.status_code != 200 or b'"errors"' in response.body:
                return response
            entry = await cache.store(key, version, bytes(response.body), owner=client)
            outcome = "miss"
        else:
            outcome = "hit"
        metrics.record_cache(outcome == "hit")
        headers = {"ETag": entry.etag, "X-Cache": outcome}
        if request.method == "GET":
            headers.update(web.cache_headers(request, settings, vary="Accept, Authorization"))
            if request.headers.get("if-none-match") == entry.etag:
                return Response(status_code=304, headers=headers)
        return Response(entry.body, media_type=request.state.media, headers=headers)

    async def graphql_endpoint(request: Request):
        request.state.loaders = []  # the request's loaders hold one read connection until it ends
        try:
            with cache.serving() if cache is not None else contextlib.nullcontext():
                return await _graphql_endpoint(request)
        finally:
            for loaders in request.state.loaders:
                await loaders.release()
                loaders.forget()

    def document_of(params: dict) -> RequestDocument:
        """The request's document — from `query`, or a persisted or trusted one by its id —
        parsed once and named on the request's log line; RequestError when there is none."""
        resolved = persisted.resolve(params)
        if resolved.text is None:
            raise RequestError("no GraphQL document: send it in `query` (or a persisted query's hash in "
                               "`extensions.persistedQuery`)", "BAD_REQUEST", json_status=400)
        document = RequestDocument.of(resolved.text, params.get("operationName"), settings.max_query_tokens,
                                      sha256=resolved.sha256)
        info = current_request()
        if info is not None:  # the log line names the operation whatever the answer
            info.document_sha256 = document.sha256
            info.operation, info.operation_type = document.logged_name, document.operation_type
        if document.ast is not None:
            persisted.remember(resolved)
        return document

    def check_runnable(request: Request, document: RequestDocument) -> None:
        """RequestError when no operation of the document can run here (none is named, or a
        mutation comes by GET, or a subscription over HTTP)."""
        if (why := document.unselectable()) is not None:
            raise RequestError(why, "BAD_REQUEST", json_status=200)
        kind = document.operation_type
        if request.method == "GET" and kind is not None and kind != "query":
            raise RequestError(f"a {kind} cannot be sent with GET; POST it", "METHOD_NOT_ALLOWED",
                               status=405, json_status=405)
        if kind == "subscription":
            raise RequestError("subscriptions run over a WebSocket at this address (graphql-transport-ws)",
                               "BAD_REQUEST", json_status=400)

    async def _graphql_endpoint(request: Request):
        address = request.client.host if request.client else None
        verdict = None
        media = JSON_MEDIA
        try:
            if _wants_graphiql(request) and not settings.production:
                return graphiql.page()
            media = request.state.media = negotiate(request.headers.get("accept", ""))
            try:  # the body first: the request's log line names its operation, whatever the answer
                params = await _checked_params(request)
            except BadRequest:
                verdict = await state.limiter.hit(client_key(None, address))  # malformed requests count too
                if not verdict.allowed:
                    return rate_limited(verdict)
                raise
            try:
                document, refused = document_of(params), None
            except RequestError as exc:  # answered once the request is counted
                document, refused = None, exc
            try:
                principal = await principal_for(state, request.headers.get("authorization", ""))
            except AuthenticationError:
                verdict = await state.limiter.hit(client_key(None, address))  # guessing tokens is counted too
                if not verdict.allowed:
                    return rate_limited(verdict)
                raise
            client = client_key(principal, address)
            verdict = await state.limiter.hit(client)
            if not verdict.allowed:
                return rate_limited(verdict)
            if refused is not None:
                raise refused
            check_runnable(request, document)
            request.state.principal = principal
            request.state.document = document  # execution reads this parse (schema.documents.SharedDocument)
            token = _request_data.set(GraphQLRequestData(
                query=document.text, variables=params.get("variables"), operation_name=params.get("operationName"),
                extensions=params.get("extensions")))
            limit = settings.request_time_limit_s
            timer = asyncio.timeout(limit)
            try:
                async with timer:
                    response = None
                    if cache is not None and document.operation_type == "query":
                        key = cache.key(document, params.get("variables"), None, principal.scope)
                        if key is not None:
                            response = await cached(request, key, client)
                    if response is None:
                        response = await graphql.run(request)
            except TimeoutError:
                if not timer.expired():
                    raise
                count_error("TIMEOUT")
                return _error(f"the request took longer than the limit of {limit:g} s and was stopped; ask for less "
                              "(smaller pages, fewer fields or aliases)", "TIMEOUT", 504, media, verdict.headers(),
                              limit=limit)
            finally:
                _request_data.reset(token)
            if request.method == "GET" and "etag" not in response.headers:
                response.headers["Cache-Control"] = "no-store"  # not cacheable (errors, or the cache is off)
            response.headers.update(verdict.headers())
            return response
        except BadRequest as exc:
            count_error(exc.code)
            return _error(exc.message, exc.code, exc.status, media, verdict.headers() if verdict else None)
        except RequestError as exc:
            count_error(exc.code)
            headers = {**(verdict.headers() if verdict else {}), **({"Allow": "POST"} if exc.status == 405 else {})}
            return _error(exc.message, exc.code, exc.status if media == GRAPHQL_RESPONSE else exc.json_status,
                          media, headers, **exc.details)
        except HTTPException as exc:  # what strawberry's view still refuses itself
            code = _STATUS_CODES.get(exc.status_code, "BAD_REQUEST")
            count_error(code)
            return _error(exc.reason, code, exc.status_code, media, verdict.headers() if verdict else None)
        except AuthenticationError as exc:
            count_error("UNAUTHENTICATED")
            return _error(str(exc), "UNAUTHENTICATED", 401, media, {
                "WWW-Authenticate": 'Bearer error="invalid_token"', **(verdict.headers() if verdict else {})})
        except Exception as exc:
            if not is_outage(exc):
                raise
            count_error("SERVICE_UNAVAILABLE")
            return _error(outage_error(exc).message, "SERVICE_UNAVAILABLE", 503, media, {"Retry-After": "2"})

    async def healthz(_: Request):
        return PlainTextResponse("ok")

    async def readyz(_: Request):
        # Imported here, not with the app: alembic is ~11 MB of every worker's memory, and
        # only readiness compares the database's migrations with the code's.
        from core.migrate import current_revisions, head_revisions

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
            *([] if settings.production else graphiql.routes()),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *([Route("/metrics", metrics_endpoint)] if settings.metrics_enabled and not settings.metrics_port else []),
            *web.routes(state, graphql.schema),
        ],
        middleware=[
            # outermost, so every answer — a 500 or a 413 included — carries the CORS headers a page needs to read it
            Middleware(Cors, allow_origins=settings.cors_allowed_origins, allow_methods=["GET", "POST"],
                       allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER], expose_headers=EXPOSED,
                       max_age=600),
            Middleware(RequestContext, settings=settings),  # request id, log line, metrics
            Middleware(BodyLimit, max_bytes=settings.max_body_bytes, timeout_s=settings.body_timeout_s),
        ],
        exception_handlers={RouteException: _route_error},
        lifespan=lifespan,
    )
    app.state.partnerships = state
    return app


