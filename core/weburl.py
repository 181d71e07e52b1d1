"""Which links the API may hand out: absolute http(s) URLs only.

A partnership's document URL comes from a data file or an imported Popolo export, and is
served to browsers (GraphQL, the Popolo export). A ``javascript:``, ``data:`` or
``vbscript:`` URL there would run script in the browser of whoever follows the link, and a
``file:`` or scheme-relative one points somewhere the publisher never meant. So such a URL
is refused when the data is read, and one already stored is never served.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import HttpUrl, TypeAdapter, ValidationError

_HTTP_URL = TypeAdapter(HttpUrl)


def is_web_url(value: str | None) -> bool:
    """An absolute ``http://`` or ``https://`` URL with a host (pydantic's URL parser
    agreeing that it is one)."""
    if not value:
        return False
    try:
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname or value[:1].isspace():
            return False
        if not value.lower().startswith(f"{parts.scheme.lower()}://"):
            return False  # "https:example.org": browsers and parsers disagree on what it means
        _HTTP_URL.validate_python(value)
    except (ValueError, ValidationError):
        return False
    return True


def web_url_or_none(value: str | None) -> str | None:
    """The URL if it may be served, else None (a value stored before the check existed)."""
    return value if is_web_url(value) else None
