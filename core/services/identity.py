"""API tokens: issued once, stored as a SHA-256 digest, compared in constant time.

A token looks like ``pgt_<prefix>_<secret>``: the prefix finds the row, the digest of the
whole token proves it. Expired and revoked tokens authenticate as nobody.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import ANONYMOUS, Principal
from core.enums import Role
from core.models import ApiToken, Partnership
from core.models.base import utcnow
from core.services import audit


class TokenError(Exception):
    """Raised to the CLI for a request it cannot carry out (unknown partnership …)."""


class AuthenticationError(Exception):
    """A bearer token was sent but cannot be used; the message says why (never which part)."""


@dataclass(frozen=True)
class IssuedToken:
    id: int
    secret: str
    expires_at: dt.datetime


#: How often a token's last-used time is written; reads should not each cost a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(
    session: AsyncSession,
    *,
    role: Role,
    partnership_code: str | None,
    label: str = "",
    lifetime_days: int = 365,
    actor: str = "cli",
) -> IssuedToken:
    """Issue a token that expires ``lifetime_days`` from now. Every token expires: there is
    no lifetime meaning "never" (a zero once did, by accident). The CLI and the settings
    accept only a positive lifetime; a negative one here gives an already expired token,
    which is what tests of expiry need."""
    partnership_id = None
    if partnership_code is not None:
        partnership_id = await session.scalar(select(Partnership.id).where(Partnership.code == partnership_code))
        if partnership_id is None:
            raise TokenError(f"no partnership with code {partnership_code!r}; run `partnerships load` first")
    elif role != Role.ADMINISTRATOR:
        raise TokenError("only an administrator token may cover every partnership; pass --partnership")
    prefix = secrets.token_hex(4)
    secret = f"pgt_{prefix}_{secrets.token_urlsafe(32)}"
    expires = utcnow() + dt.timedelta(days=lifetime_days)
    row = ApiToken(
        partnership_id=partnership_id, role=role, label=label or f"{role.value.lower()} token",
        prefix=prefix, digest=_digest(secret), expires_at=expires,
    )
    session.add(row)
    await session.flush()
    await audit.record(
        session, actor=actor, action="token.create", entity_type="ApiToken", entity_id=row.id,
        partnership_id=partnership_id,
        after={"role": role, "label": row.label, "expires_at": expires},
    )
    return IssuedToken(row.id, secret, expires)


async def revoke_token(session: AsyncSession, token_id: int, actor: str = "cli") -> bool:
    row = await session.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    await audit.record(
        session, actor=actor, action="token.revoke", entity_type="ApiToken", entity_id=row.id,
        partnership_id=row.partnership_id, after={"revoked_at": row.revoked_at},
    )
    return True


def _refuse_if_lapsed(row: ApiToken, now: dt.datetime) -> None:
    if row.revoked_at is not None:
        raise AuthenticationError("API token revoked: ask an administrator for a new one")
    expires = row.expires_at
    if expires is not None and expires.tzinfo is None:  # SQLite returns naive datetimes
        expires = expires.replace(tzinfo=dt.UTC)
    if expires is not None and expires <= now:
        raise AuthenticationError("API token expired: ask an administrator for a new one")


async def recheck(session: AsyncSession, principal: Principal) -> None:
    """Raise :class:`AuthenticationError` if the token behind ``principal`` has been revoked
    or has expired since it was authenticated: a long-lived connection (a subscription)
    must stop receiving what only that token could see."""
    if principal.token_id is None:
        return
    row = await session.get(ApiToken, principal.token_id, populate_existing=True)
    if row is None:
        raise AuthenticationError("unknown API token")
    _refuse_if_lapsed(row, utcnow())


async def lapsed(session: AsyncSession, token_ids) -> dict[int, AuthenticationError]:
    """:func:`recheck` for many tokens in one statement: the ones of ``token_ids`` revoked,
    expired or gone, each with the error ``recheck`` would raise (the event feed's
    subscriptions re-check all their tokens on every poll, at one statement however many)."""
    ids = sorted(set(token_ids))
    if not ids:
        return {}
    rows = {row.id: row for row in (await session.scalars(
        select(ApiToken).where(ApiToken.id.in_(bindparam("ids", ids, expanding=True, literal_execute=True)))
        .execution_options(populate_existing=True))).all()}
    now, found = utcnow(), {}
    for token_id in ids:
        try:
            if token_id not in rows:
                raise AuthenticationError("unknown API token")
            _refuse_if_lapsed(rows[token_id], now)
        except AuthenticationError as exc:
            found[token_id] = exc
    return found


async def authenticate(session: AsyncSession, bearer: str | None) -> Principal:
    """The principal for a bearer token; anonymous for none. A token that was sent but is
    unknown, revoked or expired raises :class:`AuthenticationError` rather than silently
    downgrading the caller to the public."""
    if not bearer:
        return ANONYMOUS
    parts = bearer.split("_")
    if len(parts) < 3 or parts[0] != "pgt":
        raise AuthenticationError("malformed API token: expected 'Bearer pgt_…'")
    candidates = (await session.scalars(select(ApiToken).where(ApiToken.prefix == parts[1]))).all()
    digest = _digest(bearer)
    now = utcnow()
    for row in candidates:
        if not hmac.compare_digest(row.digest, digest):
            continue
        _refuse_if_lapsed(row, now)
        last = row.last_used_at
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=dt.UTC)
        if last is None or now - last > LAST_USED_RESOLUTION:  # a write per minute, not per request
            await session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
        code = None
        if row.partnership_id is not None:
            code = await session.scalar(select(Partnership.code).where(Partnership.id == row.partnership_id))
        label = f"token:{row.id} ({row.role.value.lower()}, {code or 'all partnerships'})"
        if row.partnership_id is None:
            return Principal(label=label, token_id=row.id, platform_admin=True)
        return Principal(label=label, token_id=row.id, roles={row.partnership_id: row.role})
    raise AuthenticationError("unknown API token")
