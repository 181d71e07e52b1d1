"""Changes to a partnership's structure between loads of its published arrangements
(a new co-opted member, a seat that lapses). Each is one transaction with one audit event."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal
from core.enums import SeatRole
from core.errors import InvalidInput, NotAuthorized, NotFound
from core.models import Agency, Group, Seat
from core.services import audit

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def seat_values(seat: Seat) -> dict:
    return {
        "code": seat.code, "group_id": seat.group_id, "role": seat.role, "post": seat.post,
        "agency_id": seat.agency_id, "deputy_of_id": seat.deputy_of_id,
        "sector_representative": seat.sector_representative,
    }


async def visible_group(session: AsyncSession, principal: Principal, group_id: int) -> Group:
    group = await session.get(Group, group_id)
    if group is None or (group.confidential and not principal.is_member(group.partnership_id)):
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
        select(Seat.id).where(Seat.partnership_id == group.partnership_id, Seat.code == code)
    )
    if taken is not None:
        raise InvalidInput(f"seat code {code!r} is already used in this partnership; choose another", field="code")
    if agency_id is not None:
        agency = await session.get(Agency, agency_id)
        if agency is None or agency.partnership_id != group.partnership_id:
            raise NotFound("no agency with that id in this partnership", ref="agencyId")
    if deputy_of_id is not None:
        principal_seat = await session.get(Seat, deputy_of_id)
        if principal_seat is None or principal_seat.group_id != group.id:
            raise NotFound("a standing deputy must deputise for a seat in the same group", ref="deputyOfId")
    position = await session.scalar(select(func.coalesce(func.max(Seat.position), -1) + 1).where(Seat.group_id == group.id))
    seat = Seat(
        partnership_id=group.partnership_id, group_id=group.id, code=code, position=position, role=role,
        post=post, agency_id=agency_id, deputy_of_id=deputy_of_id, sector_representative=sector_representative,
    )
    session.add(seat)
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="seat.create", entity_type="Seat", entity_id=seat.id,
        partnership_id=group.partnership_id, after=seat_values(seat), confidential=group.confidential,
    )
    return seat


async def remove_seat(session: AsyncSession, principal: Principal, *, seat_id: int) -> Seat:
    seat = await session.get(Seat, seat_id)
    if seat is None:
        raise NotFound(f"no seat with id {seat_id}", ref="seatId")
    group = await visible_group(session, principal, seat.group_id)
    if not principal.can_edit(seat.partnership_id):
        raise NotAuthorized()
    before = seat_values(seat)
    await session.delete(seat)
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="seat.remove", entity_type="Seat", entity_id=seat_id,
        partnership_id=seat.partnership_id, before=before, confidential=group.confidential,
    )
    return seat
