"""Business errors raised by services. The API turns each into a typed error (errors as
data); the transaction is rolled back, so a refused write writes nothing."""

from __future__ import annotations


class DomainError(Exception):
    """Base class. ``message`` says what was wrong and how to put it right."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFound(DomainError):
    def __init__(self, message: str, ref: str | None = None):
        super().__init__(message)
        self.ref = ref


class NotAuthorized(DomainError):
    """Deliberately vague: a denial must not reveal whether the object exists."""

    def __init__(self, message: str = "You are not allowed to do this for that partnership."):
        super().__init__(message)


class Conflict(DomainError):
    """Someone else changed the object first, or the move breaks a rule of sequence."""
