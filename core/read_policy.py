"""Who may read what: the one read policy every reader asks.

Two kinds of record are not public:

- **members-only records** — disputes and scrutiny, incidents and practice reviews, review
  actions, the risk & challenge log, the actor behind an audit event: readable by the
  partnership's members (every role in ``core.auth.MEMBERS``) and nobody else;
- **confidential groups** — a group marked ``confidential`` in the arrangements, with its
  seats, meetings, decisions and votes: readable by the partnership's members only.

Everything else (the published arrangements, rule answers, annual reports, business plans)
is public. Each decision is offered twice: as a Python test for rows already read, and as a
SQL condition for a statement that has not run yet, so a batch function can leave invisible
rows in the database instead of reading and discarding them. GraphQL batch functions,
``node(id:)``, the exports, the services that read before they write and the event feed all
ask here; none decides visibility on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, true

from core.auth import MEMBERS, Principal


@dataclass(frozen=True)
class ReadPolicy:
    """What one caller may read."""

    principal: Principal

    # ------------------------------------------------------------------ rows already read

    def sees_members_only(self, partnership_id: int | None) -> bool:
        """A members-only record of this partnership (a dispute, an incident, a risk …)."""
        return self.principal.is_member(partnership_id)

    def sees_group(self, partnership_id: int | None, confidential: bool) -> bool:
        """A group (and what belongs to it: seats, meetings, decisions, votes)."""
        return not confidential or self.principal.is_member(partnership_id)

    def sees_event(self, partnership_id: int | None, confidential: bool) -> bool:
        """An event of the feed (``core.services.events.visible_to`` is the same test in SQL)."""
        return not confidential or self.principal.is_member(partnership_id)

    def member_partnerships(self, partnership_ids) -> set[int]:
        """The partnerships, of those given, whose members-only records this caller reads."""
        return {pid for pid in partnership_ids if self.principal.is_member(pid)}

    # ------------------------------------------------------------------ statements not yet run

    def members_only_condition(self, partnership_id: ColumnElement) -> ColumnElement[bool]:
        """SQL: rows of members-only tables this caller may read."""
        ids = self._member_ids()
        if ids is None:
            return true()
        return partnership_id.in_(ids) if ids else false()

    def group_condition(self, partnership_id: ColumnElement, confidential: ColumnElement) -> ColumnElement[bool]:
        """SQL: groups (or rows joined to their group) this caller may read."""
        ids = self._member_ids()
        if ids is None:
            return true()
        public = confidential == false()
        return or_(public, partnership_id.in_(ids)) if ids else public

    def group_condition_sql(self, partnership_id: str, confidential: str) -> str:
        """``group_condition`` as SQL text, for statements planned as text (``schema.compiled``):
        the column names are the planner's, the partnership ids are integers from the principal."""
        ids = self._member_ids()
        if ids is None:
            return "TRUE"
        public = f"NOT {confidential}"
        return f"({public} OR {partnership_id} IN ({', '.join(str(int(i)) for i in ids)}))" if ids else public

    def visibility_key(self) -> tuple[int, ...] | None:
        """What this caller's reads depend on (the partnerships whose confidential rows it
        reads; ``None``: every one), for caching a statement planned for it."""
        ids = self._member_ids()
        return None if ids is None else tuple(ids)

    def _member_ids(self) -> list[int] | None:
        """The partnerships this caller is a member of; ``None``: every partnership."""
        if self.principal.platform_admin:
            return None
        return sorted(pid for pid, role in self.principal.roles.items() if role in MEMBERS)
