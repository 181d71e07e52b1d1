"""Checks on the text users send, shared by every service: one door, one set of messages."""

from __future__ import annotations

from collections.abc import Callable

from core.errors import InvalidInput


def text(value: str | None, field: str, limit: int, *, required: bool, hint: str = "",
         check: Callable[[str], str | None] | None = None) -> str | None:
    """``value`` stripped; ``None`` when empty and not ``required``.

    Refused (``InvalidInput`` naming ``field``) when required and empty (``hint`` says what to
    write), longer than ``limit`` characters, or when ``check`` returns a problem — e.g.
    the reviews domain's refusal of text that looks like a child's personal data."""
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidInput(f"{field} is required" + (f": {hint}" if hint else ""), field=field)
        return None
    if len(value) > limit:
        raise InvalidInput(f"{field} must be at most {limit} characters (got {len(value)})", field=field)
    if check is not None:
        problem = check(value)
        if problem:
            raise InvalidInput(f"{field}: {problem}", field=field)
    return value
