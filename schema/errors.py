"""Errors a client can act on.

Two families: *typed errors as data* (mutation payload unions — see ``schema.types.errors``)
and :class:`PublicError`, raised by query resolvers for a bad request (unknown code, page
too large). Both reach the client unmasked; anything else is an internal error and is
masked in production.
"""

from __future__ import annotations

from graphql import GraphQLError


class PublicError(GraphQLError):
    """An error whose message is meant for the client; ``code`` goes in ``extensions``.

    A GraphQLError subclass, so graphql-core passes it through as raised (with the field's
    path) instead of wrapping it as an unexpected exception.
    """

    code = "BAD_REQUEST"

    def __init__(self, message: str, *, code: str | None = None, **details):
        if code:
            self.code = code
        super().__init__(message, extensions={"code": self.code, **details})


class NotFound(PublicError):
    code = "NOT_FOUND"


class BadArgument(PublicError):
    code = "BAD_USER_INPUT"


def should_mask(error: GraphQLError) -> bool:
    """Mask everything but validation/coercion errors and :class:`PublicError`.

    graphql-core reports a bad document or variable as a GraphQLError (possibly wrapping
    another GraphQLError); any other original exception is a bug and is masked.
    """
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


class Unavailable(PublicError):
    """The database cannot be reached or is saturated; the client should retry shortly."""

    code = "SERVICE_UNAVAILABLE"


def is_outage(exc: BaseException) -> bool:
    """A database that is down, restarting, or out of pooled connections — not a bug."""
    from sqlalchemy import exc as sa

    if isinstance(exc, sa.TimeoutError | sa.OperationalError | sa.InterfaceError | ConnectionError | OSError):
        return True
    if not isinstance(exc, sa.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    # PostgreSQL refusing or dropping connections while it stops or starts: SQLSTATE class 08
    # (connection exception) and 57P01–57P03 (admin shutdown, crash shutdown, cannot connect now).
    state = str(getattr(exc.orig, "sqlstate", "") or getattr(exc.orig, "pgcode", "") or "")
    return state.startswith("08") or state.startswith("57P")


def outage_error(exc: BaseException) -> Unavailable:
    from sqlalchemy import exc as sa

    if isinstance(exc, sa.TimeoutError):
        return Unavailable("the database is busy (no free connection); retry shortly")
    return Unavailable("the database is unavailable; retry shortly")


def error_body(message: str, code: str, **details) -> dict:
    """The answer to a request refused before (or instead of) GraphQL execution: the same
    shape as a GraphQL error, so a client reads every refusal by ``extensions.code``."""
    return {"errors": [{"message": message, "extensions": {"code": code, **details}}]}
