"""The per-request context: who is asking, loaders, a session factory and the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from core.auth import Principal
from core.config import Settings
from core.plugins import Registry
from schema.loaders import Loaders


@dataclass
class AppState:
    """What the app holds for its lifetime; built in the lifespan, never at import."""

    settings: Settings
    sessions: async_sessionmaker
    registry: Registry
    engine: Any = None
    cache: Any = None  # the response cache, when on


@dataclass
class Context:
    state: AppState
    principal: Principal
    request: Any = None
    response: Any = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.state.sessions, self.principal)

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
