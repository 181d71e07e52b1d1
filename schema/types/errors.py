"""Typed errors returned as data from mutations, and the mapping from core's exceptions."""

from __future__ import annotations

import strawberry

from core import errors


@strawberry.interface(description="Something the caller can put right; no data was written.")
class UserError:
    message: str = strawberry.field(description="What was wrong and how to fix it.")


@strawberry.type(description="An argument was invalid.")
class ValidationError(UserError):
    field: str | None = strawberry.field(description="The input field at fault, where there is one.")


@strawberry.type(description="A referenced object does not exist (or is not visible to you).")
class NotFoundError(UserError):
    ref: str | None = strawberry.field(description="The reference that did not resolve.")


@strawberry.type(description="Your token's role does not allow this for that partnership.")
class NotAuthorizedError(UserError):
    pass


@strawberry.type(description="The write conflicts with the current state; re-read and retry.")
class ConflictError(UserError):
    pass


def to_user_error(exc: errors.DomainError) -> UserError:
    if isinstance(exc, errors.InvalidInput):
        return ValidationError(message=exc.message, field=exc.field)
    if isinstance(exc, errors.NotFound):
        return NotFoundError(message=exc.message, ref=exc.ref)
    if isinstance(exc, errors.NotAuthorized):
        return NotAuthorizedError(message=exc.message)
    if isinstance(exc, errors.Conflict):
        return ConflictError(message=exc.message)
    return ValidationError(message=exc.message, field=None)


ALL_ERRORS = (ValidationError, NotFoundError, NotAuthorizedError, ConflictError)
#: Every typed error a mutation may return, for `Payload | UserErrors` unions.
UserErrors = ValidationError | NotFoundError | NotAuthorizedError | ConflictError
