"""Prometheus metrics: the series the service exposes at ``/metrics``, and a small API for
other modules to count things.

Series (all prefixed ``partnerships_``):

- ``requests_total{route, operation, outcome}`` and ``request_duration_seconds{…}`` — every
  HTTP request; ``route`` is the route's template (``/graphql``, ``/healthz``, …),
  ``operation`` the GraphQL operation name ("" elsewhere), ``outcome`` one of ok, error
  (GraphQL errors in the answer), rejected (4xx), unavailable (503), failed (5xx).
- ``graphql_errors_total{code}`` — GraphQL errors by ``extensions.code``.
- ``db_pool_in_use``, ``db_pool_waiting``, ``db_pool_size`` — the database connection pool.
- ``response_cache_total{outcome}`` — response-cache hits and misses.
- ``webhook_deliveries_total{outcome}`` — webhook delivery attempts (``record_webhook_delivery``).

Several worker processes: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory shared by
them (``partnerships serve --workers N`` does so itself) and every scrape sums all workers.

Operation names come from clients, so at most ``MAX_OPERATIONS`` distinct names are kept as
label values per process; later ones (and names that are not GraphQL names) count as
"other".
"""

from __future__ import annotations

import os
import re
import threading
import weakref

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

PREFIX = "partnerships_"
MAX_OPERATIONS = 200
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,99}")

REQUESTS = Counter(f"{PREFIX}requests_total", "HTTP requests by route, GraphQL operation name and outcome.",
                   ["route", "operation", "outcome"])
LATENCY = Histogram(f"{PREFIX}request_duration_seconds", "Request latency by route, GraphQL operation name and outcome.",
                    ["route", "operation", "outcome"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
GRAPHQL_ERRORS = Counter(f"{PREFIX}graphql_errors_total", "GraphQL errors in answers, by extensions.code.", ["code"])
POOL_IN_USE = Gauge(f"{PREFIX}db_pool_in_use", "Database connections checked out of the pool.",
                    multiprocess_mode="livesum")
POOL_WAITING = Gauge(f"{PREFIX}db_pool_waiting", "Requests waiting for a free pooled database connection.",
                     multiprocess_mode="livesum")
POOL_SIZE = Gauge(f"{PREFIX}db_pool_size", "Configured size of the database connection pool.",
                  multiprocess_mode="livesum")
CACHE = Counter(f"{PREFIX}response_cache_total", "Response-cache lookups by outcome (hit, miss).", ["outcome"])
WEBHOOK_DELIVERIES = Counter(f"{PREFIX}webhook_deliveries_total",
                             "Webhook delivery attempts by outcome (delivered, retry, failed).", ["outcome"])

_counters: dict[str, Counter] = {}
_operations: set[str] = set()
_lock = threading.Lock()


def counter(name: str, documentation: str, labelnames: tuple[str, ...] = ()) -> Counter:
    """A counter other modules can use, created on first use (same name, same counter).

    >>> hits = counter("exports_total", "Exports served, by format.", ("format",))
    >>> hits.labels(format="csv").inc()
    """
    full = name if name.startswith(PREFIX) else PREFIX + name
    full = full.removesuffix("_total")  # prometheus_client adds it back
    with _lock:
        existing = _counters.get(full)
        if existing is None:
            existing = _counters[full] = Counter(full, documentation, list(labelnames))
        return existing


def record_cache(hit: bool) -> None:
    CACHE.labels(outcome="hit" if hit else "miss").inc()


def record_webhook_delivery(outcome: str) -> None:
    """Count one delivery attempt: "delivered", "retry" or "failed"."""
    WEBHOOK_DELIVERIES.labels(outcome=outcome).inc()


def record_graphql_error(code: str) -> None:
    GRAPHQL_ERRORS.labels(code=code).inc()


def operation_label(name: str | None) -> str:
    if not name:
        return ""
    if not _NAME.fullmatch(name):
        return "other"
    if name in _operations:
        return name
    with _lock:
        if len(_operations) >= MAX_OPERATIONS:
            return "other"
        _operations.add(name)
    return name


def observe_request(*, route: str, operation: str, outcome: str, seconds: float) -> None:
    labels = {"route": route, "operation": operation_label(operation), "outcome": outcome}
    REQUESTS.labels(**labels).inc()
    LATENCY.labels(**labels).observe(seconds)


# --------------------------------------------------------------------------- the pool

_engines: weakref.WeakSet = weakref.WeakSet()


def watch_pool(engine) -> None:
    """Report this engine's connection pool (an AsyncEngine or Engine) in the pool gauges."""
    from sqlalchemy import event

    sync = getattr(engine, "sync_engine", engine)
    _engines.add(sync)
    event.listen(sync, "checkout", lambda *_: sample_pools())
    event.listen(sync, "checkin", lambda *_: sample_pools(returning=1))  # fires before the return


def _waiting(pool) -> int:
    """Waiters on an async-adapted queue pool (0 where the pool does not tell)."""
    queue = getattr(getattr(pool, "_pool", None), "_queue", None)
    getters = getattr(queue, "_getters", None)
    try:
        return sum(1 for g in getters if not g.done()) if getters is not None else 0
    except (TypeError, AttributeError):
        return 0


def sample_pools(returning: int = 0) -> None:
    """Set the pool gauges from every watched engine (``returning``: connections being checked in)."""
    in_use = waiting = size = 0
    for sync in list(_engines):
        pool = sync.pool
        in_use += int(getattr(pool, "checkedout", lambda: 0)())
        size += int(getattr(pool, "size", lambda: 0)())
        waiting += _waiting(pool)
    POOL_IN_USE.set(max(0, in_use - returning))
    POOL_WAITING.set(waiting)
    POOL_SIZE.set(size)


# --------------------------------------------------------------------------- exposition


def registry() -> CollectorRegistry:
    """The registry to expose: every worker's values when ``PROMETHEUS_MULTIPROC_DIR`` is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)
        return combined
    return REGISTRY


def render() -> tuple[bytes, str]:
    """(body, content type) of the Prometheus text exposition."""
    sample_pools()
    return generate_latest(registry()), CONTENT_TYPE_LATEST


def serve_separately(host: str, port: int):
    """Serve the metrics on their own listener (a thread); returns (server, thread).

    Raises OSError when the port is taken — with several workers, one of them has it.
    """
    from prometheus_client import start_http_server

    sample_pools()
    return start_http_server(port, addr=host, registry=registry())
