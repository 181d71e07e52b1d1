"""The per-request context: who is asking, loaders, a session factory and the rules."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from core.auth import ANONYMOUS, MalformedAuthorization, Principal, bearer_token
from core.config import Settings
from core.plugins import Registry
from core.services.identity import AuthenticationError, authenticate
from schema.loaders import Loaders


@dataclass
class AppState:
    """What the app holds for its lifetime; built in the lifespan, never at import."""

    settings: Settings
    sessions: async_sessionmaker
    registry: Registry
    engine: Any = None
    cache: Any = None  # the response cache, when on
    limiter: Any = None  # per-client rate limits (schema.limits.RateLimiter)
    persisted: Any = None  # persisted and trusted documents (schema.documents.PersistedDocuments)
    #: WebSocket operations in flight per client (token or address), over all its connections
    ws_operations: Counter = field(default_factory=Counter)
    feed_hub: Any = None  # the worker's one poller of the event feed (schema.subscriptions.FeedHub)
    token_checks: Any = None  # WebSocket operations' token re-checks, shared (schema.subscriptions.TokenChecks)


async def principal_for(state: AppState, header: str | None) -> Principal:
    """The caller behind an Authorization header, for GraphQL and the plain HTTP routes
    alike; AuthenticationError for a bad token or a header that is not ``Bearer <token>``."""
    try:
        bearer = bearer_token(header)
    except MalformedAuthorization as exc:
        raise AuthenticationError(str(exc)) from None
    if not bearer:
        return ANONYMOUS
    async with state.sessions() as session, session.begin():
        return await authenticate(session, bearer)


@dataclass
class Context:
    state: AppState
    principal: Principal
    request: Any = None
    response: Any = None
    loaders: Loaders = field(init=False)
    #: A subscription's result group (schema.subscriptions.result_group), when it runs over a WebSocket
    result_group: tuple | None = field(default=None, init=False)
    #: Its share in its group's messages (schema.subscriptions.SharedDelivery)
    delivery: Any = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.state.sessions, self.principal)

    def for_operation(self, principal: Principal) -> Context:
        """A context for one operation on a long-lived connection (a WebSocket): the
        principal as authorised now, and loaders of its own — a DataLoader caches what it
        read, so one kept for the connection would answer later queries with old rows."""
        context = Context(state=self.state, principal=principal, request=self.request, response=self.response)
        context.connection_params = getattr(self, "connection_params", None)
        return context

    async def after_write(self) -> None:
        """Called once a write has committed; caches that cover written data hook in here."""

    @property
    def settings(self) -> Settings:
        return self.state.settings

    @property
    def sessions(self) -> async_sessionmaker:
        return self.state.sessions

    @property
    def registry(self) -> Registry:
        return self.state.registry
