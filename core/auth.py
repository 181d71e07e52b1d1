"""Who is asking: the principal of a request, and what each role may do.

A principal holds at most one role per partnership (a token is issued for one partnership
and role; a platform administrator's token covers all). Anonymous callers are the public:
they read what the published documents say and nothing marked confidential.
"""

from __future__ import annotations

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
