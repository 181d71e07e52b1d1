"""Settings, read from the environment (prefix ``PARTNERSHIPS_``) or a ``.env`` file.

One class so the configuration reference in ``docs/`` can be generated from it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARTNERSHIPS_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///./partnerships.db",
        description="SQLAlchemy URL. The embedded SQLite file is the default; production uses "
        "postgresql+asyncpg://user@host/db.",
    )
    production: bool = Field(
        default=False,
        description="Mask internal errors, disable GraphiQL and introspection.",
    )
    max_query_depth: int = Field(default=12, description="Deepest selection nesting accepted.")
    max_query_tokens: int = Field(default=2000, description="Most lexical tokens in a document.")
    max_aliases: int = Field(default=30, description="Most aliases in a document.")
    max_page_size: int = Field(default=100, description="Largest `first:` on a connection.")
    max_body_bytes: int = Field(default=100_000, description="Largest accepted request body.")
    statement_timeout_ms: int = Field(
        default=5000, description="PostgreSQL statement timeout per statement, in milliseconds."
    )
    pool_size: int = Field(default=10, description="Database connection pool size (PostgreSQL).")
    pool_timeout_s: float = Field(
        default=5.0, description="Seconds to wait for a free pooled connection before failing."
    )
    token_lifetime_days: int = Field(default=365, description="Default lifetime of a new API token.")
    response_cache: bool = Field(default=True, description="Cache query answers until the next write.")
    response_cache_entries: int = Field(default=2048, description="Most cached answers kept per worker.")
    response_cache_mb: int = Field(
        default=64, ge=1, description="Most megabytes of cached answers kept per worker (a partnership's full "
        "page is ~115 KB); the least recently used go first.")
    host: str = Field(default="127.0.0.1", description="Address `partnerships serve` listens on.")
    port: int = Field(default=8000, description="Port `partnerships serve` listens on.")
    # Operability (logs, metrics, backups): see docs/deployment.md.
    log_format: Literal["auto", "json", "console"] = Field(
        default="auto",
        description="Log line format: `json` (one JSON object per line), `console` (readable), or "
        "`auto` = json when `production` is true, console otherwise.",
    )
    log_level: Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(lambda v: str(v).upper())] = Field(
        default="INFO", description="Lowest level logged. Health checks and scrapes log at DEBUG."
    )
    metrics_enabled: bool = Field(default=True, description="Expose Prometheus metrics at `/metrics`.")
    metrics_port: int | None = Field(
        default=None,
        description="Serve the metrics on this port (on `metrics_host`) instead of the public "
        "listener; `/metrics` then answers 404 there.",
    )
    metrics_host: str = Field(
        default="127.0.0.1", description="Address of the separate metrics listener (with `metrics_port`)."
    )
    pg_bin_dir: str | None = Field(
        default=None,
        description="Directory holding `pg_dump`/`pg_restore` for `partnerships backup`/`restore` "
        "(their major version must be at least the server's); default: found on PATH.",
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
