"""The ASGI application: `/graphql` (GraphiQL in development), `/healthz`, `/readyz`."""

from __future__ import annotations

import contextlib

from cross_web import HTTPException
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL

from core.config import Settings, get_settings
from core.db import create_engine, session_factory
from core.migrate import current_revisions, head_revisions
from core.plugins import Registry, discover
from core.services.identity import AuthenticationError, authenticate
from schema.context import AppState, Context
from schema import web
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

    async def get_context(self, request, response) -> Context:
        bearer = None
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            bearer = header[7:].strip()
        async with self.state.sessions() as session, session.begin():
            principal = await authenticate(session, bearer)
        return Context(state=self.state, principal=principal, request=request, response=response)


def create_app(settings: Settings | None = None, registry: Registry | None = None) -> Starlette:
    settings = settings or get_settings()
    engine = create_engine(settings)
    state = AppState(settings=settings, sessions=session_factory(engine),
                     registry=registry if registry is not None else discover(), engine=engine)
    graphql = GraphQLApp(state)

    async def graphql_endpoint(request: Request):
        try:
            return await graphql.run(request)
        except HTTPException as exc:
            return PlainTextResponse(exc.reason, status_code=exc.status_code)
        except AuthenticationError as exc:
            return JSONResponse(
                {"errors": [{"message": str(exc), "extensions": {"code": "UNAUTHENTICATED"}}]},
                status_code=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
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

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        await engine.dispose()

    app = Starlette(
        routes=[
            Route("/graphql", graphql_endpoint, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *web.routes(state),
        ],
        middleware=[Middleware(BodyLimit, max_bytes=settings.max_body_bytes)],
        lifespan=lifespan,
    )
    app.state.partnerships = state
    return app


