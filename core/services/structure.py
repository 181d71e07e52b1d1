"""Changes to a partnership's structure between loads of its published arrangements
(a new co-opted member, a seat that lapses). Each is one transaction with one audit event.

Seats written here are RECORDED (``core.enums.SeatOrigin``): a later load of the document
leaves them as they are. Removing a seat ends it; it is never deleted, so the attendance
and votes recorded for it stay (the record of past meetings never changes)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal
from core.enums import SeatOrigin, SeatRole
from core.errors import Conflict, InvalidInput, NotAuthorized, NotFound
from core.models import Agency, Group, Seat
from core.read_policy import ReadPolicy
from core.services import audit

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def seat_values(seat: Seat) -> dict:
    return {
        "code": seat.code, "group_id": seat.group_id, "role": seat.role, "post": seat.post,
        "agency_id": seat.agency_id, "deputy_of_id": seat.deputy_of_id,
        "sector_representative": seat.sector_representative, "origin": seat.origin,
    }


async def visible_group(session: AsyncSession, principal: Principal, group_id: int) -> Group:
    group = await session.get(Group, group_id)
    if group is None or not ReadPolicy(principal).sees_group(group.partnership_id, group.confidential):
        raise NotFound(f"no group with id {group_id}", ref="groupId")
    return group


async def add_seat(
    session: AsyncSession,
    principal: Principal,
    *,
    group_id: int,
    code: str,
    role: SeatRole,
    post: str,
    agency_id: int | None = None,
    deputy_of_id: int | None = None,
    sector_representative: bool = False,
) -> Seat:
    group = await visible_group(session, principal, group_id)
    if not principal.can_edit(group.partnership_id):
        raise NotAuthorized()
    if not _CODE.match(code):
        raise InvalidInput("code must be lower-case letters, digits and hyphens, 1–64 long", field="code")
    post = post.strip()
    if not post:
        raise InvalidInput("post (the role title) is required, even where no name is published", field="post")
    if len(post) > 300:
        raise InvalidInput("post must be at most 300 characters", field="post")
    taken = await session.scalar(
        select(Seat).where(Seat.partnership_id == group.partnership_id, Seat.code == code)
    )
    if taken is not None:
        # An ended seat keeps its code: the history that names it must keep meaning that seat.
        held = f" by a seat that ended on {taken.ended_on.isoformat()}" if taken.ended_on else ""
        raise InvalidInput(f"seat code {code!r} is already used in this partnership{held}; choose another",
                           field="code")
    if agency_id is not None:
        agency = await session.get(Agency, agency_id)
        if agency is None or agency.partnership_id != group.partnership_id:
            raise NotFound("no agency with that id in this partnership", ref="agencyId")
    if deputy_of_id is not None:
        principal_seat = await session.get(Seat, deputy_of_id)
        if principal_seat is None or principal_seat.group_id != group.id or principal_seat.ended_on is not None:
            raise NotFound("a standing deputy must deputise for a seat in the same group", ref="deputyOfId")
    position = await session.scalar(select(func.coalesce(func.max(Seat.position), -1) + 1).where(Seat.group_id == group.id))
    seat = Seat(
        partnership_id=group.partnership_id, group_id=group.id, code=code, position=position, role=role,
        post=post, agency_id=agency_id, deputy_of_id=deputy_of_id, sector_representative=sector_representative,
        origin=SeatOrigin.RECORDED,
    )
    session.add(seat)
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="seat.create", entity_type="Seat", entity_id=seat.id,
        partnership_id=group.partnership_id, after=seat_values(seat), confidential=group.confidential,
    )
    return seat


async def remove_seat(session: AsyncSession, principal: Principal, *, seat_id: int) -> Seat:
    """End a seat today: it leaves its group's seats (and quorum, and voting) from now on,
    and keeps its attendance and votes. A seat of a group the caller may not see is answered
    exactly as a seat that does not exist, so the answer reveals nothing about it."""
    seat = await session.get(Seat, seat_id)
    group = None
    if seat is not None:
        try:
            group = await visible_group(session, principal, seat.group_id)
        except NotFound:
            group = None
    if group is None:
        raise NotFound(f"no seat with id {seat_id}", ref="seatId")
    if not principal.can_edit(seat.partnership_id):
        raise NotAuthorized()
    if seat.ended_on is not None:
        raise Conflict(f"the seat ended on {seat.ended_on.isoformat()}; it is kept as the record of its past meetings")
    before = seat_values(seat)
    today = dt.date.today()
    ended = await session.execute(
        update(Seat).where(Seat.id == seat.id, Seat.ended_on.is_(None))
        .values(ended_on=today, ended_by=SeatOrigin.RECORDED)
        .execution_options(synchronize_session="fetch")
    )
    if ended.rowcount != 1:
        raise Conflict("someone else ended this seat at the same moment; re-read it")
    await audit.record(
        session, actor=principal.actor, action="seat.remove", entity_type="Seat", entity_id=seat_id,
        partnership_id=seat.partnership_id, before=before, after={"ended_on": today, "ended_by": SeatOrigin.RECORDED},
        confidential=group.confidential,
    )
    return seat
