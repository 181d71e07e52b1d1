"""Who is asking: the principal of a request, and what each role may do.

A principal holds at most one role per partnership (a token is issued for one partnership
and role; a platform administrator's token covers all). Anonymous callers are the public:
they read what the published documents say and nothing marked confidential.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.enums import Role

#: Roles that make a principal one of the partnership's own people.
MEMBERS = frozenset({Role.MEMBER, Role.STATUTORY_PARTNER, Role.BUSINESS_UNIT, Role.SCRUTINEER, Role.ADMINISTRATOR})
#: Roles that may change a partnership's structure and record its business.
EDITORS = frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Principal:
    label: str = "anonymous"
    token_id: int | None = None
    roles: dict[int, Role] = field(default_factory=dict)  # partnership id -> role
    platform_admin: bool = False

    @property
    def anonymous(self) -> bool:
        return self.token_id is None

    def role_in(self, partnership_id: int | None) -> Role:
        if self.platform_admin:
            return Role.ADMINISTRATOR
        if partnership_id is None:
            return Role.PUBLIC
        return self.roles.get(partnership_id, Role.PUBLIC)

    def has_role(self, partnership_id: int | None, allowed: Iterable[Role]) -> bool:
        return self.role_in(partnership_id) in set(allowed)

    def is_member(self, partnership_id: int | None) -> bool:
        """May read the partnership's confidential business (Merton business plan: members only)."""
        return self.role_in(partnership_id) in MEMBERS

    def can_edit(self, partnership_id: int | None) -> bool:
        return self.role_in(partnership_id) in EDITORS

    @property
    def scope(self) -> str:
        """A stable key of what this principal may see: responses cached per scope."""
        if self.platform_admin:
            return "admin"
        return ",".join(f"{pid}:{role.value}" for pid, role in sorted(self.roles.items())) or "public"

    @property
    def actor(self) -> str:
        return self.label


ANONYMOUS = Principal()


class MalformedAuthorization(Exception):
    """An ``Authorization`` value that is not ``Bearer <token>``. Refused rather than read as
    anonymous: a client that sends ``Token x`` or a bare token means to be someone, and
    answering it as the public hides its mistake (and shows it less than it expects)."""


#: RFC 6750: the scheme (case-insensitive), one or more spaces, a b64token; nothing else.
_BEARER = re.compile(r"[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9\-._~+/]+=*)")


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization`` header; None when there is none (the public).

    Raises :class:`MalformedAuthorization` for any other form (``Token x``, ``Basic …``,
    ``Bearer:x``, a bare token, a tab for the space, trailing words)."""
    if header is None or header == "":
        return None
    match = _BEARER.fullmatch(header)
    if match is None:
        raise MalformedAuthorization(
            "the Authorization header must be 'Bearer <token>' (the word Bearer, a space, the token); "
            "send no header to read as the public")
    return match.group(1)
