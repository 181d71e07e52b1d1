"""The one way a mutation writes: a transaction around a core service, domain errors
turned into typed errors as data, and nothing written when anything is refused."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from core import errors
from core.auth import Principal
from schema.errors import is_outage, outage_error
from schema.types.common import from_global_id
from schema.types.errors import UserError, UserErrors, to_user_error

R = TypeVar("R")


async def run_write(info: Info, action: Callable[[AsyncSession, Principal], Awaitable[R]]) -> R | UserError:
    ctx = info.context
    async with ctx.sessions() as session:
        try:
            async with session.begin():
                result = await action(session, ctx.principal)
        except errors.DomainError as exc:
            return to_user_error(exc)
        except IntegrityError:
            # A concurrent write got there first (a unique key or a version check in the
            # database): the loser gets a conflict to retry, never a 500.
            return to_user_error(errors.Conflict(
                "someone else changed this at the same moment; re-read it and try again"))
        except Exception as exc:
            if is_outage(exc):  # not acknowledged, so the client may safely retry
                raise outage_error(exc) from exc
            raise
    await ctx.after_write()
    return result


def result_union(name: str, payload: type, what: str = "The result"):
    """A mutation's result type: its payload, or one of the typed errors (errors as data)."""
    return Annotated[payload | UserErrors, strawberry.union(name, description=f"{what}, or why it was refused.")]


def decode_id(gid: Any, expected: str, field: str) -> int:
    """A global ID of the expected type, or a NotFound naming the input field."""
    try:
        type_name, pk = from_global_id(str(gid))
    except Exception:
        raise errors.NotFound(f"{field}: {gid!r} is not an ID issued by this API", ref=field) from None
    if type_name != expected:
        raise errors.NotFound(f"{field}: expected the ID of a {expected}, got one of a {type_name}", ref=field)
    return pk
