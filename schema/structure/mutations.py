"""Structure mutations: seats added to and removed from groups."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from core.services import structure
from schema.mutations.base import decode_id, run_write
from schema.structure.types import Seat
from schema.types.common import SeatRole
from schema.types.errors import ConflictError, NotAuthorizedError, NotFoundError, ValidationError


@strawberry.input(description="A seat to add to a group.")
class AddSeatInput:
    group_id: strawberry.ID = strawberry.field(description="The group's ID.")
    code: str = strawberry.field(description="Short code, unique in the partnership (a-z, 0-9, -).")
    role: SeatRole = strawberry.field(description="The capacity in which the seat is held.")
    post: str = strawberry.field(description="The role title (required even without a name).")
    agency_id: strawberry.ID | None = strawberry.field(default=None, description="The agency represented.")
    deputy_of_id: strawberry.ID | None = strawberry.field(default=None, description="Seat this one deputises for.")
    sector_representative: bool = strawberry.field(default=False, description="Represents a sector.")


@strawberry.input(description="A seat to remove.")
class RemoveSeatInput:
    seat_id: strawberry.ID = strawberry.field(description="The seat's ID.")


@strawberry.type(description="The seat as written.")
class SeatPayload:
    seat: Seat = strawberry.field(description="The seat.")


@strawberry.type(description="The seat ended: it is no longer in force, and its past attendance and votes stay.")
class RemoveSeatPayload:
    removed_seat_id: strawberry.ID = strawberry.field(description="The seat's ID (it still resolves, for history).")
    ended_on: dt.date = strawberry.field(description="The seat's last day in force.")


SeatResult = Annotated[
    SeatPayload | ValidationError | NotFoundError | NotAuthorizedError | ConflictError,
    strawberry.union("SeatResult", description="The seat, or why it was refused."),
]
RemoveSeatResult = Annotated[
    RemoveSeatPayload | NotFoundError | NotAuthorizedError | ConflictError,
    strawberry.union("RemoveSeatResult", description="Confirmation, or why it was refused."),
]


@strawberry.type
class StructureMutation:
    @strawberry.mutation(description="Add a seat to a group (business unit or administrator).")
    async def add_seat(self, info: Info, input: Annotated[AddSeatInput, strawberry.argument(description="A seat to add to a group.")]) -> SeatResult:
        async def action(session, principal):
            seat = await structure.add_seat(
                session, principal,
                group_id=decode_id(input.group_id, "Group", "groupId"),
                code=input.code, role=input.role, post=input.post,
                agency_id=decode_id(input.agency_id, "Agency", "agencyId") if input.agency_id else None,
                deputy_of_id=decode_id(input.deputy_of_id, "Seat", "deputyOfId") if input.deputy_of_id else None,
                sector_representative=input.sector_representative,
            )
            return SeatPayload(seat=Seat.from_row(seat))

        return await run_write(info, action)

    @strawberry.mutation(description="Remove a seat from its group (business unit or administrator): the seat "
                                     "ends today; its attendance and votes at past meetings are kept.")
    async def remove_seat(self, info: Info, input: Annotated[RemoveSeatInput, strawberry.argument(description="A seat to remove.")]) -> RemoveSeatResult:
        async def action(session, principal):
            seat = await structure.remove_seat(session, principal, seat_id=decode_id(input.seat_id, "Seat", "seatId"))
            return RemoveSeatPayload(removed_seat_id=input.seat_id, ended_on=seat.ended_on)

        return await run_write(info, action)
