"""Errors a client can act on.

Two families: *typed errors as data* (mutation payload unions — see ``schema.types.errors``)
and :class:`PublicError`, raised by query resolvers for a bad request (unknown code, page
too large). Both reach the client unmasked; anything else is an internal error and is
masked in production.

One contract at every layer: whatever refuses a request — the transport (body size, media
type, rate limit, authentication), the persisted-document check, parsing, validation, the
cost limit, variable coercion, a resolver — answers JSON of the same shape,
``{"errors": [{"message", "extensions": {"code", …}}]}``, and every error carries a code
(:class:`ErrorCodes` gives one to the errors graphql-core raises without).
"""

from __future__ import annotations

from graphql import GraphQLError, GraphQLSyntaxError

from core import metrics
from core.logging import current_request

#: Codes of the errors graphql-core raises without one (the names Apollo Server uses, so
#: clients' existing handling applies).
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTERNAL = "INTERNAL_SERVER_ERROR"
#: How a masked internal error's message begins (the schema's MaskErrors message).
MASKED_PREFIX = "Internal error"


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


class RequestError(Exception):
    """A GraphQL request refused before execution (a persisted document unknown or not
    trusted, a document naming no runnable operation …): an answer with ``errors`` and no
    ``data``. ``status`` is the HTTP status under ``application/graphql-response+json``;
    ``json_status`` under ``application/json`` (the GraphQL-over-HTTP spec answers a
    well-formed request 200 there; Apollo's persisted-query link expects it)."""

    def __init__(self, message: str, code: str, status: int = 400, json_status: int | None = None, **details):
        super().__init__(message)
        self.message, self.code, self.status, self.details = message, code, status, details
        self.json_status = status if json_status is None else json_status


def code_of(error: GraphQLError) -> str:
    """The code of an error graphql-core or strawberry raised without one, validation aside
    (:func:`error_contract_extension` codes those as it sees them): a syntax error (or one parse
    refused), a variable's value refused before execution (no path: user input), or a
    field's error that was not a :class:`PublicError` (masked: internal)."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str) and code:
        return code
    if isinstance(error, GraphQLSyntaxError) or isinstance(error.original_error, GraphQLSyntaxError):
        return PARSE_FAILED
    original = error.original_error
    if error.message.startswith(MASKED_PREFIX) or (original is not None and not isinstance(original, GraphQLError)):
        return INTERNAL
    return "BAD_USER_INPUT" if error.path is None else INTERNAL


MASKED_MESSAGE = f"{MASKED_PREFIX}; quote the request id to support."


def _coded(errors) -> None:
    """Give every error without one its ``extensions.code``."""
    for error in errors or ():
        if not (error.extensions or {}).get("code"):
            error.extensions = {**(error.extensions or {}), "code": code_of(error)}


def count_error(code: str) -> None:
    """One error answered: in the metrics, and in the request's log line."""
    metrics.record_graphql_error(code)
    info = current_request()
    if info is not None:
        info.error_codes.append(code)


def error_contract_extension():
    """A schema extension for the error contract, over HTTP and WebSocket alike: internal
    errors masked (strawberry's ``MaskErrors``, with :func:`should_mask`), then every error of
    an answer given its ``extensions.code``. One extension, first in the schema's list so its
    hooks close last (after every rule, limit and the cost have had their say): each extension
    is an object, with a suspended hook, held for as long as its operation runs, and a worker
    may hold 10,000 subscriptions."""
    from strawberry.extensions import MaskErrors

    class ErrorContract(MaskErrors):
        def __init__(self) -> None:
            super().__init__(should_mask_error=should_mask, error_message=MASKED_MESSAGE)

        def on_validate(self):
            yield  # last out: after every rule, the limits and the cost have had their say
            for error in self.execution_context.pre_execution_errors or ():
                if not (error.extensions or {}).get("code"):
                    error.extensions = {**(error.extensions or {}), "code": VALIDATION_FAILED}

        def on_operation(self):
            yield from super().on_operation()  # masked first, then coded
            _coded(getattr(self.execution_context.result, "errors", None))

        def on_stream_result(self, result):
            """Each result of a subscription, before it is sent (the hook's yield is the
            sending): masked by ``MaskErrors``' own hook, then coded."""
            masking = super().on_stream_result(result)
            next(masking)
            _coded(getattr(result, "errors", None))
            yield
            next(masking, None)

    return ErrorContract
