"""Signed webhooks: endpoints, the transactional outbox, and the worker that sends it.

* An administrator of a partnership registers a URL, a secret and the event types wanted.
* ``audit.record`` calls :func:`core.services.outbox.enqueue` in the same transaction as the
  change, writing one ``webhook_delivery`` row per matching endpoint: if the change commits
  the delivery exists, if it rolls back neither does (the transactional outbox).
* :class:`Worker` sends deliveries: a JSON body signed as the Standard Webhooks
  specification says (``webhook-id``, ``webhook-timestamp``, ``webhook-signature: v1,<base64
  HMAC-SHA256 of "<id>.<timestamp>.<body>">``), so a receiver verifies it with any Standard
  Webhooks library instead of code of its own. ``webhook-id`` is the delivery's ID, the same
  on every retry: a receiver that saw it already can skip it. A non-2xx answer or a network
  error is retried with exponential backoff and jitter (many endpoints behind one receiver
  that comes back do not all retry in the same second). Per endpoint, deliveries go
  strictly in order: the next is not attempted while an earlier one is pending, so a
  receiver that was down gets everything afterwards, in order. Every attempt is stored.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import json
import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import httpx
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks import Webhook

from core.auth import Principal
from core.enums import Role
from core.errors import InvalidInput, NotAuthorized, NotFound
from core.models import Partnership
from core.models.base import utcnow
from core.models.integrations import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from core.services import audit, egress
from core.services.events import EventType

log = logging.getLogger("partnerships.webhooks")

EVENT_HEADER = "X-Partnerships-Event"
WORKER_ACTOR = "webhooks worker"
#: The prefix of a secret in the Standard Webhooks form: base64 of the key's bytes.
STANDARD_SECRET_PREFIX = "whsec_"


class IntegrationSettings(BaseSettings):
    """Integration settings (same ``PARTNERSHIPS_`` prefix and ``.env`` as core.config)."""

    model_config = SettingsConfigDict(env_prefix="PARTNERSHIPS_", env_file=".env", extra="ignore")

    events_poll_interval_s: float = Field(
        default=1.0, description="How often a GraphQL subscription polls the event feed, in seconds.")
    webhook_poll_interval_s: float = Field(
        default=1.0, description="How often the webhook worker looks for due deliveries, in seconds.")
    webhook_retry_base_s: float = Field(
        default=10.0, description="First retry delay; each further retry doubles it. Each delay is then "
        "jittered: a random time between half of it and all of it.")
    webhook_max_backoff_s: float = Field(default=3600.0, description="Longest delay between two attempts.")
    webhook_max_attempts: int = Field(
        default=30, description="Attempts before a delivery is marked FAILED (11 to 21 hours at the defaults).")
    webhook_timeout_s: float = Field(default=10.0, description="Seconds to wait for a receiver's answer.")
    webhook_lease_s: float = Field(
        default=120.0, description="How long a worker holds an endpoint while sending to it.")
    webhook_allow_private_addresses: bool = Field(
        default=False, description="Let webhook URLs point at loopback, private or link-local addresses "
        "(a receiver on this machine or network). For development and tests only: see core/services/egress.py.")


@lru_cache
def get_integration_settings() -> IntegrationSettings:
    return IntegrationSettings()


# -- signatures ----------------------------------------------------------------------------


def _standard_key(secret: str) -> bytes:
    """The key of a ``whsec_<base64>`` secret (padding optional, as the libraries read it)."""
    encoded = secret[len(STANDARD_SECRET_PREFIX):].rstrip("=")
    return base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)


def signing_key(secret: str) -> bytes:
    """The HMAC key of an endpoint's secret: a ``whsec_…`` secret is the Standard Webhooks
    form (base64 of the key); any other secret is used as its UTF-8 bytes, which a receiver
    passes to its library as bytes (or as ``whsec_`` + base64 of them)."""
    if secret.startswith(STANDARD_SECRET_PREFIX):
        return _standard_key(secret)
    return secret.encode()


def delivery_global_id(delivery_id: int) -> str:
    """The delivery's API ID (as `webhookDeliveries` shows it), sent as ``webhook-id``."""
    return base64.urlsafe_b64encode(f"WebhookDelivery:{delivery_id}".encode()).decode().rstrip("=")


def signature_headers(secret: str, message_id: str, body: bytes, *, at: dt.datetime | None = None) -> dict[str, str]:
    """The Standard Webhooks headers for a body: its id, the time it is sent, the signature."""
    at = at or utcnow()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(signing_key(secret)).sign(message_id, at, body.decode()),
    }


def verify(secret: str, headers: dict[str, str], body: bytes) -> dict:
    """Check a delivery as a receiver does (the right key, a recent timestamp) and return its
    JSON; raises ``standardwebhooks.WebhookVerificationError`` otherwise."""
    return Webhook(signing_key(secret)).verify(body, headers)


def encode_body(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


# -- endpoints (administrators) ------------------------------------------------------------


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("url must be an absolute http:// or https:// URL, e.g. https://example.org/hooks",
                           field="url")
    if len(url) > 2000:
        raise InvalidInput("url must be at most 2000 characters", field="url")
    if not get_integration_settings().webhook_allow_private_addresses:
        refusal = egress.refusal_for_host(parts.hostname)
        if refusal is not None:
            raise InvalidInput(f"url: {refusal}; webhooks are delivered to receivers on the public internet",
                               field="url")
    try:  # the client that will send the deliveries must be able to read it
        httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise InvalidInput(f"url cannot be sent to: {exc}", field="url") from None
    return url


def _check_secret(secret: str) -> str:
    if not 16 <= len(secret) <= 200:
        raise InvalidInput("secret must be 16 to 200 characters; use a random string, e.g. `openssl rand -hex 32`",
                           field="secret")
    if secret.startswith(STANDARD_SECRET_PREFIX):
        try:
            key = _standard_key(secret)
        except (binascii.Error, ValueError):
            key = b""
        if len(key) < 16:
            raise InvalidInput("a secret starting `whsec_` is in the Standard Webhooks form and must be base64 of at "
                               "least 16 bytes, e.g. `whsec_$(openssl rand -base64 32)`", field="secret")
    return secret


def _types(types: Iterable[EventType] | None) -> list[str] | None:
    if types is None:
        return None
    names = sorted({EventType(t).value for t in types})
    if not names:
        raise InvalidInput("eventTypes must name at least one type; omit it (null) for every type",
                           field="eventTypes")
    return names


def endpoint_values(e: WebhookEndpoint) -> dict:
    """For the audit trail: never the secret."""
    return {"partnership_id": e.partnership_id, "url": e.url, "event_types": e.event_types,
            "description": e.description, "active": e.active}


async def _admin_partnership(session: AsyncSession, principal: Principal, code: str) -> int:
    pid = await session.scalar(select(Partnership.id).where(Partnership.code == code))
    if pid is None:
        if principal.platform_admin:
            raise NotFound(f"no partnership has code {code!r}", ref="partnership")
        raise NotAuthorized()
    if not principal.has_role(pid, [Role.ADMINISTRATOR]):
        raise NotAuthorized("Only the partnership's administrators may manage its webhooks.")
    return pid


async def register_endpoint(
    session: AsyncSession, principal: Principal, *, partnership: str, url: str, secret: str,
    event_types: Iterable[EventType] | None, description: str = "",
) -> WebhookEndpoint:
    pid = await _admin_partnership(session, principal, partnership)
    endpoint = WebhookEndpoint(
        partnership_id=pid, url=_check_url(url), secret=_check_secret(secret), event_types=_types(event_types),
        description=description.strip()[:300], active=True, created_by=principal.actor,
    )
    session.add(endpoint)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="webhook.create", entity_type="WebhookEndpoint",
                       entity_id=endpoint.id, partnership_id=pid, after=endpoint_values(endpoint), confidential=True)
    return endpoint


async def visible_endpoint(session: AsyncSession, principal: Principal, endpoint_id: int) -> WebhookEndpoint:
    endpoint = await session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or not principal.has_role(endpoint.partnership_id, [Role.ADMINISTRATOR]):
        raise NotFound(f"no webhook endpoint with id {endpoint_id}", ref="id")
    return endpoint


async def update_endpoint(
    session: AsyncSession, principal: Principal, *, endpoint_id: int, url: str | None = None,
    secret: str | None = None, event_types: Iterable[EventType] | None = None, set_event_types: bool = False,
    active: bool | None = None, description: str | None = None,
) -> WebhookEndpoint:
    endpoint = await visible_endpoint(session, principal, endpoint_id)
    before = endpoint_values(endpoint)
    if url is not None:
        endpoint.url = _check_url(url)
    if secret is not None:
        endpoint.secret = _check_secret(secret)
    if set_event_types:
        endpoint.event_types = _types(event_types)
    if active is not None:
        endpoint.active = active
    if description is not None:
        endpoint.description = description.strip()[:300]
    await session.flush()
    await audit.record(session, actor=principal.actor, action="webhook.update", entity_type="WebhookEndpoint",
                       entity_id=endpoint.id, partnership_id=endpoint.partnership_id, before=before,
                       after=endpoint_values(endpoint), confidential=True)
    return endpoint


# -- the worker ----------------------------------------------------------------------------


@dataclass
class Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def backoff(attempts: int, base: float, cap: float) -> float:
    """Delay after the ``attempts``-th failure: base, 2×base, 4×base … at most ``cap``, then
    jittered to a random time between half of that and all of it ("equal jitter"), so that
    deliveries that failed together (one receiver down for many endpoints) do not retry in
    lock-step, and a delay still grows with each failure."""
    delay = min(cap, base * (2 ** max(0, attempts - 1)))
    return random.uniform(delay / 2, delay)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


class Worker:
    """Sends due deliveries. Any number may run (beside any number of servers): an endpoint
    is leased by one worker at a time, so its deliveries are never sent out of order."""

    def __init__(
        self, sessions: async_sessionmaker, *, settings: IntegrationSettings | None = None,
        retry_base_s: float | None = None, max_backoff_s: float | None = None, max_attempts: int | None = None,
        timeout_s: float | None = None, lease_s: float | None = None, client: httpx.AsyncClient | None = None,
        endpoint_ids: Sequence[int] | None = None,
    ):
        s = settings or get_integration_settings()
        self.sessions = sessions
        self.retry_base_s = s.webhook_retry_base_s if retry_base_s is None else retry_base_s
        self.max_backoff_s = s.webhook_max_backoff_s if max_backoff_s is None else max_backoff_s
        self.max_attempts = s.webhook_max_attempts if max_attempts is None else max_attempts
        self.timeout_s = s.webhook_timeout_s if timeout_s is None else timeout_s
        self.lease_s = s.webhook_lease_s if lease_s is None else lease_s
        self.allow_private_addresses = s.webhook_allow_private_addresses
        self.endpoint_ids = list(endpoint_ids) if endpoint_ids is not None else None
        self.worker_id = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._client = client
        self._own_client = client is None

    async def __aenter__(self) -> Worker:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._client is not None and self._own_client:
            await self._client.aclose()
            self._client = None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout_s, follow_redirects=False)
        return self._client

    async def run_once(self) -> int:
        """One pass: for each endpoint whose oldest pending delivery is due, send its
        deliveries in order until one fails or none is due. Returns the attempts made."""
        due = await self._due_endpoints()
        if not due:
            return 0
        counts = await asyncio.gather(*(self._drain(eid) for eid in due))
        return sum(counts)

    async def run(self, *, poll_interval_s: float | None = None, stop: asyncio.Event | None = None) -> None:
        """Loop until ``stop`` is set (or the task is cancelled)."""
        interval = get_integration_settings().webhook_poll_interval_s if poll_interval_s is None else poll_interval_s
        stop = stop or asyncio.Event()
        while not stop.is_set():
            try:
                made = await self.run_once()
            except Exception:  # a database blip must not end the worker
                log.exception("webhook worker pass failed; retrying")
                made = 0
            if made == 0:
                try:
                    await asyncio.wait_for(stop.wait(), timeout=interval)
                except TimeoutError:
                    pass

    async def _due_endpoints(self) -> list[int]:
        now = utcnow()
        heads = (
            select(WebhookDelivery.endpoint_id, func.min(WebhookDelivery.id).label("head"))
            .where(WebhookDelivery.status == DeliveryStatus.PENDING)
            .group_by(WebhookDelivery.endpoint_id)
            .subquery()
        )
        stmt = (
            select(WebhookDelivery.endpoint_id)
            .join(heads, heads.c.head == WebhookDelivery.id)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(WebhookDelivery.next_attempt_at <= now, WebhookEndpoint.active.is_(True),
                   or_(WebhookEndpoint.lease_until.is_(None), WebhookEndpoint.lease_until < now))
            .order_by(WebhookDelivery.endpoint_id)
        )
        if self.endpoint_ids is not None:
            stmt = stmt.where(WebhookDelivery.endpoint_id.in_(self.endpoint_ids))
        async with self.sessions() as session:
            return list((await session.scalars(stmt)).all())

    async def _lease(self, endpoint_id: int) -> bool:
        now = utcnow()
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.id == endpoint_id,
                       or_(WebhookEndpoint.lease_until.is_(None), WebhookEndpoint.lease_until < now))
                .values(lease_owner=self.worker_id, lease_until=now + dt.timedelta(seconds=self.lease_s))
            )
            return result.rowcount == 1

    async def _release(self, endpoint_id: int) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.lease_owner == self.worker_id)
                .values(lease_owner=None, lease_until=None)
            )

    async def _drain(self, endpoint_id: int) -> int:
        if not await self._lease(endpoint_id):
            return 0  # another worker has it
        made = 0
        try:
            while True:
                async with self.sessions() as session:
                    endpoint = await session.get(WebhookEndpoint, endpoint_id)
                    delivery = await session.scalar(
                        select(WebhookDelivery)
                        .where(WebhookDelivery.endpoint_id == endpoint_id,
                               WebhookDelivery.status == DeliveryStatus.PENDING)
                        .order_by(WebhookDelivery.id).limit(1)
                    )
                if endpoint is None or not endpoint.active or delivery is None:
                    break
                if _aware(delivery.next_attempt_at) > utcnow():
                    break
                outcome = await self._send(endpoint, delivery)
                made += 1
                await self._record(delivery.id, outcome)
                if not outcome.ok:
                    break
        finally:
            await self._release(endpoint_id)
        return made

    async def _send(self, endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> Outcome:
        body = encode_body(delivery.payload)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "partnerships-graph-webhooks/1",
            EVENT_HEADER: delivery.event_type,
            **signature_headers(endpoint.secret, delivery_global_id(delivery.id), body),
        }
        started = time.perf_counter()
        if not self.allow_private_addresses:  # checked again now: DNS may have changed since registration
            parts = urlsplit(endpoint.url)
            refusal = await egress.refusal_for_resolved(parts.hostname or "", parts.port or
                                                        (443 if parts.scheme == "https" else 80))
            if refusal is not None:
                return Outcome(None, f"not sent: {refusal}", int((time.perf_counter() - started) * 1000))
        try:
            response = await self.client.post(endpoint.url, content=body, headers=headers, timeout=self.timeout_s)
            code, error = response.status_code, None
            if not 200 <= code < 300:
                error = f"HTTP {code}: {response.text[:200]}"
        except httpx.HTTPError as exc:
            code, error = None, f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__
        return Outcome(code, error, int((time.perf_counter() - started) * 1000))

    async def _record(self, delivery_id: int, outcome: Outcome) -> None:
        from core import metrics

        now = utcnow()
        async with self.sessions() as session, session.begin():
            delivery = await session.get(WebhookDelivery, delivery_id)
            if delivery is None:
                return
            delivery.attempts += 1
            session.add(WebhookAttempt(
                delivery_id=delivery.id, number=delivery.attempts, attempted_at=now, status_code=outcome.status_code,
                error=outcome.error, succeeded=outcome.ok, duration_ms=outcome.duration_ms,
            ))
            if outcome.ok:
                delivery.status = DeliveryStatus.DELIVERED
                delivery.delivered_at = now
                delivery.last_error = None
                metrics.record_webhook_delivery("delivered")
            else:
                delivery.last_error = outcome.error
                failed = delivery.attempts >= self.max_attempts
                metrics.record_webhook_delivery("failed" if failed else "retry")
                if failed:
                    delivery.status = DeliveryStatus.FAILED
                    log.warning("webhook delivery %s failed after %s attempts: %s",
                                delivery.id, delivery.attempts, outcome.error)
                else:
                    delay = backoff(delivery.attempts, self.retry_base_s, self.max_backoff_s)
                    delivery.next_attempt_at = now + dt.timedelta(seconds=delay)
            # The worker writes too, so it audits like every writer: the newest audit id stays a
            # version of everything the API can answer (the response cache relies on it). An
            # internal entity type: never in the feed, never itself delivered.
            partnership_id = await session.scalar(
                select(WebhookEndpoint.partnership_id).where(WebhookEndpoint.id == delivery.endpoint_id))
            await audit.record(
                session, actor=WORKER_ACTOR, action="webhook.attempt", entity_type="WebhookDelivery",
                entity_id=delivery.id, partnership_id=partnership_id, confidential=True,
                after={"attempt": delivery.attempts, "status": delivery.status, "status_code": outcome.status_code},
            )
