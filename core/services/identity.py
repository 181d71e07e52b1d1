"""API tokens: issued once, stored as a SHA-256 digest, compared in constant time.

A token looks like ``pgt_<prefix>_<secret>``: the prefix finds the row, the digest of the
whole token proves it. Expired and revoked tokens authenticate as nobody.

The prefix is also the token's name for people: printed when it is issued, shown by
``partnerships token list``, taken by ``partnerships token revoke`` (which also takes the
whole token, or ``token:<number>`` as the audit trail names the token). It is never a secret:
the digest is of the whole token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, or_, select, update
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
    prefix: str
    secret: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class TokenInfo:
    """What ``token list`` shows of a token: never its secret or digest."""

    id: int
    prefix: str
    role: Role
    partnership: str | None
    label: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    def status(self, now: dt.datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at is not None and self.expires_at <= now else "live"


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
    while await session.scalar(select(ApiToken.id).where(ApiToken.prefix == prefix)) is not None:
        prefix = secrets.token_hex(4)  # the prefix names the token (`token revoke`): one token each
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
    return IssuedToken(row.id, prefix, secret, expires)


async def list_tokens(session: AsyncSession, partnership_code: str | None = None) -> list[TokenInfo]:
    """Every token (of one partnership and the platform administrators', with a code), oldest first."""
    stmt = (select(ApiToken, Partnership.code).outerjoin(Partnership, Partnership.id == ApiToken.partnership_id)
            .order_by(ApiToken.id))
    if partnership_code is not None:
        stmt = stmt.where(Partnership.code == partnership_code)
    return [TokenInfo(row.id, row.prefix, row.role, code, row.label, row.created_at, row.expires_at, row.last_used_at,
                      row.revoked_at) for row, code in (await session.execute(stmt)).all()]


async def find_token(session: AsyncSession, ref: str) -> int:
    """The number of the token ``ref`` names: its prefix (as printed and listed), the whole
    token, or ``token:<number>`` / a number as the audit trail names it. Raises
    :class:`TokenError` for none."""
    ref = ref.strip()
    if ref.startswith("pgt_"):
        parts = ref.split("_")
        found = await session.scalar(select(ApiToken.id).where(ApiToken.digest == _digest(ref)))
        if found is None:
            raise TokenError(f"no token pgt_{parts[1] if len(parts) > 1 else ''}_…: check it was copied whole")
        return found
    number = ref.removeprefix("token:")
    conditions = [ApiToken.prefix == ref]
    if number.isdigit() and int(number) < 2**31:
        conditions.append(ApiToken.id == int(number))
    rows = (await session.execute(select(ApiToken.id, ApiToken.prefix).where(or_(*conditions)))).all()
    by_prefix = [r.id for r in rows if r.prefix == ref]
    found = by_prefix or [r.id for r in rows]
    if not found:
        raise TokenError(f"no token {ref!r}: pass the prefix `partnerships token list` shows, or token:<number>")
    return found[0]


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


async def lapsed(session: AsyncSession, token_ids) -> tuple[dict[int, AuthenticationError], dict[int, dt.datetime | None]]:
    """:func:`recheck` for many tokens in one statement: the ones of ``token_ids`` revoked,
    expired or gone, each with the error ``recheck`` would raise, and when each of the others
    expires (the event feed's subscriptions re-check all their tokens at one statement)."""
    ids = sorted(set(token_ids))
    if not ids:
        return {}, {}
    rows = {row.id: row for row in (await session.scalars(
        select(ApiToken).where(ApiToken.id.in_(bindparam("ids", ids, expanding=True, literal_execute=True)))
        .execution_options(populate_existing=True))).all()}
    now, refused, expiries = utcnow(), {}, {}
    for token_id in ids:
        try:
            if token_id not in rows:
                raise AuthenticationError("unknown API token")
            _refuse_if_lapsed(rows[token_id], now)
        except AuthenticationError as exc:
            refused[token_id] = exc
            continue
        expires = rows[token_id].expires_at
        expiries[token_id] = expires.replace(tzinfo=dt.UTC) if expires is not None and expires.tzinfo is None else expires
    return refused, expiries


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
