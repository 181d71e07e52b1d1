"""Writing audit events. Every service that changes data calls :func:`record` in the same
transaction as the change, so a change and its audit event commit or fail together.

The trail is read by people who may not hold the credentials it could record: a
partnership's scrutineer reads every event, and webhook URLs often carry a password, an API
key in the query string or are a secret as a whole. So payloads are redacted as they are
written (:func:`redact`), and again as they are read, for rows written before: values under
credential-named keys, the user-info of any URL, credential-named query parameters, and
every query value and fragment of a webhook URL. What was changed, and where a webhook
points (scheme, host, path), stays on the record.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.ext.asyncio import AsyncSession

from core.models import AuditEvent
from core.services import events, outbox


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


REDACTED = "[redacted]"
#: Payload keys whose values are credentials wherever they appear.
_SECRET_KEY = re.compile(r"(?:^|_)(?:secret|password|passwd|token|api_?key|authorization|credentials?|signature)$",
                         re.IGNORECASE)
#: Query parameters that carry credentials by convention (OAuth, signed URLs, API keys …).
_SECRET_PARAM = re.compile(r"token|key|secret|sig|password|passwd|pwd|auth|credential|session|code|jwt",
                           re.IGNORECASE)
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s<>\"']+", re.IGNORECASE)
#: Entities whose URLs are credentials as a whole: a webhook URL is often its own secret.
CREDENTIAL_URL_ENTITIES = frozenset({"WebhookEndpoint"})


def _params(text: str, every: bool) -> str:
    pairs = []
    for pair in text.split("&"):
        name, sep, value = pair.partition("=")
        pairs.append(f"{name}={REDACTED}" if sep and value and (every or _SECRET_PARAM.search(name)) else pair)
    return "&".join(pairs)


def redact_url(url: str, *, every_param: bool = False) -> str:
    """The URL without its credentials: user-info, credential-named query parameters (every
    query value and the fragment with ``every_param``). Host and path stay."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return REDACTED
    if not parts.netloc:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rsplit('@', 1)[1]}"
    fragment = parts.fragment
    if fragment:
        fragment = REDACTED if every_param else _params(fragment, False)
    return urlunsplit((parts.scheme, netloc, parts.path, _params(parts.query, every_param) if parts.query else "",
                       fragment))


def redact(value: Any, *, every_param: bool = False) -> Any:
    """A payload with credentials replaced by ``[redacted]`` (see the module docstring)."""
    if isinstance(value, dict):
        return {k: REDACTED if isinstance(k, str) and _SECRET_KEY.search(k) and v not in (None, "")
                else redact(v, every_param=every_param) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, every_param=every_param) for v in value]
    if isinstance(value, str) and "://" in value:
        return _URL.sub(lambda m: redact_url(m.group(0), every_param=every_param), value)
    return value


def redact_payload(payload: Any, entity_type: str) -> Any:
    """:func:`redact` for a payload about ``entity_type``."""
    return redact(payload, every_param=entity_type in CREDENTIAL_URL_ENTITIES)


async def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    entity_type: str,
    partnership_id: int | None,
    entity_id: Any = None,
    before: dict | None = None,
    after: dict | None = None,
    confidential: bool = False,
) -> AuditEvent:
    # ``partnership_id`` is required (None for writes about access, not a partnership): the
    # response cache versions a partnership's pages by its newest event (schema/cache.py),
    # so an event naming the wrong partnership, or none by omission, would leave them stale.
    # Integrations: the audit trail is the event feed. Take the feed lock first so event ids
    # become visible in commit order (no gaps for a poller), then write the webhook outbox
    # rows for this event in the same transaction (see core/services/events.py, outbox.py).
    # The lock is held until commit, so call record() as a service's last write.
    await events.serialise_feed(session)
    event = AuditEvent(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        partnership_id=partnership_id,
        before=redact_payload(_jsonable(before), entity_type),
        after=redact_payload(_jsonable(after), entity_type),
        confidential=confidential,
    )
    session.add(event)
    await session.flush()
    await outbox.enqueue(session, event)
    return event
