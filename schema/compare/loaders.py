"""Compare's own batch function: the few seats the `INDEPENDENT_SCRUTINY` aspect needs, so a
full comparison does not read every seat of every group (issue 9). Every other aspect reads
through the structure loaders and the other domains' batch functions."""

from __future__ import annotations

from sqlalchemy import select

from core.enums import SeatRole
from core.models import Group, Seat
from schema.batch import grouped


async def independent_seats(loaders, keys: list[int]) -> list[list]:
    """Each partnership's independent chair and scrutineer seats in force that the caller may see
    (the read policy's group condition is part of the statement), in the order of its groups
    and their seats: rows of (partnership_id, role, post, source_section)."""
    rows = await loaders.rows(
        select(Seat.partnership_id, Seat.role, Seat.post, Seat.source.label("source_section"))
        .join(Group, Group.id == Seat.group_id)
        .where(Seat.partnership_id.in_(keys), loaders.policy.group_condition(Group.partnership_id, Group.confidential),
               Seat.role.in_([SeatRole.INDEPENDENT_CHAIR, SeatRole.INDEPENDENT_SCRUTINEER]), Seat.ended_on.is_(None))
        .order_by(Seat.partnership_id, Group.position, Seat.position))
    return grouped(rows, lambda r: r.partnership_id, keys)
