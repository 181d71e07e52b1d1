"""Settings, read from the environment (prefix ``PARTNERSHIPS_``) or a ``.env`` file.

One class so the configuration reference in ``docs/`` can be generated from it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _origins(value):
    """Allowed origins as a comma-separated list (``https://a.example,https://b.example``),
    a JSON list, or a list: browsers send origins without a trailing slash, so none is kept."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            import json

            value = json.loads(text)
        else:
            value = text.split(",")
    return [str(origin).strip().rstrip("/") for origin in value if str(origin).strip()]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARTNERSHIPS_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///./partnerships.db",
        description="SQLAlchemy URL. The embedded SQLite file is the default; production uses "
        "postgresql+asyncpg://user@host/db.",
    )
    production: bool = Field(
        default=False,
        description="Mask internal errors and serve no GraphiQL (introspection is a setting of its own).",
    )
    introspection: bool = Field(
        default=True, description="Answer introspection queries and serve the schema at `/schema.graphql`. On by "
        "default, in production too: the schema of this open-data API is public (it is in the repository), and "
        "codegen, GraphiQL and Postman read it from the server.")
    max_query_depth: int = Field(default=12, description="Deepest selection nesting accepted.")
    max_query_tokens: int = Field(default=2000, description="Most lexical tokens in a document.")
    max_aliases: int = Field(default=30, description="Most aliases in a document.")
    max_page_size: int = Field(default=100, description="Largest `first:` or `last:` on a connection.")
    max_body_bytes: int = Field(
        default=100_000, description="Largest accepted request body (and WebSocket operation).")
    # What one request may cost: see docs/limits.md.
    max_query_cost: int = Field(
        default=2_000_000, ge=1,
        description="Highest static cost of an operation, computed before it runs: every object it may "
        "return counts 1, and a list counts its items at its `first:` (or the page size, `max_page_size`) or, "
        "unpaged, at `cost_list_size`. A partnership's full page costs ~32,000, twenty of them ~1,000,000; one "
        "alias of the seat → group → partnership loop ~3,000,000.")
    cost_list_size: int = Field(
        default=5, ge=1, description="Items a list without `first:` (subgroups, a rotation …) is costed at.")
    max_response_bytes: int = Field(
        default=8_000_000, ge=1, description="Largest answer sent; a larger one is replaced by a "
        "`RESPONSE_TOO_LARGE` error stating its size.")
    request_time_limit_s: float = Field(
        default=10.0, gt=0, description="Seconds a query or mutation may run before it is stopped with "
        "`TIMEOUT` (subscriptions are not limited).")
    body_timeout_s: float = Field(
        default=10.0, gt=0, description="Seconds a client may take to send a request body.")
    rate_limit: str = Field(
        default="6000/minute",
        description="Requests per client (a token, or the address of an anonymous caller), in the `limits` "
        "notation (`N/second`, `N/minute`, … joined by `;`); empty turns it off. WebSocket operations count too.")
    rate_limit_storage_url: str | None = Field(
        default=None, description="Where rate-limit counts are kept, shared by every worker and host: a "
        "Redis URL such as `redis://127.0.0.1:6379/0`. Unset: in memory, per worker.")
    max_subscriptions_per_connection: int = Field(
        default=20, ge=1, description="Operations in flight (subscriptions included) on one WebSocket.")
    max_subscriptions_per_client: int = Field(
        default=50, ge=1, description="Operations in flight over all of one client's WebSockets (per worker).")
    statement_timeout_ms: int = Field(
        default=5000, description="PostgreSQL statement timeout per statement, in milliseconds."
    )
    pool_size: int = Field(default=10, description="Database connection pool size (PostgreSQL).")
    pool_timeout_s: float = Field(
        default=5.0, description="Seconds to wait for a free pooled connection before failing."
    )
    token_lifetime_days: int = Field(
        default=365, ge=1, description="Default lifetime of a new API token, in days (every token expires).")
    response_cache: bool = Field(default=True, description="Cache query answers until the next write.")
    compiled_reads: bool = Field(
        default=True,
        description="On PostgreSQL, answer a query of plain structure (partnerships, agencies, groups, seats, people "
                    "and their connections) from one SQL statement that builds the JSON; anything else runs on the "
                    "generic executor. Off: every query runs on the generic executor.")
    lean_execution: bool = Field(
        default=True, description="Execute plain fields by the lean path (schema/lean.py: ~1.5× faster on a "
        "partnership's page, the same answers and errors). It relies on strawberry-graphql and graphql-core "
        "internals: turn it off to run their generic path alone, e.g. on a release newer than the one "
        "`make canary` last passed.")
    response_cache_entries: int = Field(default=2048, description="Most cached answers kept per worker.")
    response_cache_mb: int = Field(
        default=64, ge=1, description="Most megabytes of cached answers kept per worker (a partnership's full "
        "page is ~115 KB); the least recently used go first.")
    response_cache_entry_kb: int = Field(
        default=1024, ge=1, description="Largest answer kept in the response cache, in KB; larger ones are "
        "served but not kept.")
    response_cache_client_share: float = Field(
        default=0.25, gt=0, le=1, description="Most of the response cache (entries and bytes) one client's "
        "answers may fill; past it, that client's own least recently used answers go first.")
    response_cache_url: str | None = Field(
        default=None, description="A Redis URL (`redis://127.0.0.1:6379/0`) for a second, shared tier of the "
        "response cache: every worker and host on the same database reads and fills it, so a page one worker "
        "computed is a hit on the others. Keyed and versioned as the per-worker tier (a write anywhere moves the "
        "version, so no worker serves an answer older than it), bounded by the same entry, size and per-client "
        "settings, and each entry expires after `response_cache_ttl_s`. Unset: each worker caches alone. If "
        "Redis cannot be reached, requests are answered as misses (logged once). What it holds is served as is: "
        "it must be reachable by this deployment alone.")
    response_cache_ttl_s: int = Field(
        default=3600, ge=1, description="Seconds an answer is kept in the shared tier (`response_cache_url`).")
    response_cache_namespace: str = Field(
        default="", description="Prefix of the shared tier's keys, with the database and the schema and plugin "
        "versions. Change it on a deployment that changes answers without changing any of those (a patched "
        "resolver, say) to start from an empty shared cache.")
    cache_control_max_age_s: int = Field(
        default=0, ge=0, description="Seconds a browser or proxy may reuse a GraphQL GET answer or an export "
        "(SVG, CSV, JSON, Markdown) without asking again (`Cache-Control: max-age`). 0: reuse only after "
        "revalidating with the ETag (`no-cache`), since any write can change an answer.")
    # Persisted and trusted documents: see docs/api.md.
    automatic_persisted_queries: bool = Field(
        default=True, description="Accept Apollo's automatic persisted queries (a document's SHA-256 in "
        "`extensions.persistedQuery.sha256Hash`): a client sends the hash alone once the server has seen the "
        "document. Ignored when `trusted_documents` is set.")
    persisted_queries_mb: int = Field(
        default=8, ge=1, description="Most megabytes of automatically persisted documents kept per worker; the "
        "least recently used go first (a client whose hash is forgotten is asked for the document again).")
    trusted_documents: str | None = Field(
        default=None, description="Path of a manifest of the operations the frontend ships (JSON: id → document, as "
        "GraphQL Code Generator's client preset and Relay's persisted queries emit). When set, only those "
        "operations run: by id (`extensions.persistedQuery.sha256Hash` or `documentId`), or as the exact text; "
        "any other document is refused with `PERSISTED_QUERY_NOT_IN_LIST`.")
    cors_allowed_origins: Annotated[list[str], NoDecode, BeforeValidator(_origins)] = Field(
        default_factory=list, description="Origins whose pages may call the API from a browser (CORS and "
        "WebSocket handshakes), comma-separated: `https://app.example.org,https://other.example`; `*` allows "
        "any origin. Empty: browser pages on other origins cannot call it.")
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
    trace_hooks: bool = Field(
        default=False, description="Log every plugin hook call, its arguments and its answer (logger "
                                   "`partnerships.hooks`): why did a borough get this quorum?")
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
