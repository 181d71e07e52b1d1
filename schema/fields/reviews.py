"""Reviews fields on the structure types (mixed into Partnership, Group, Seat, Agency)."""

from __future__ import annotations

import strawberry


@strawberry.type
class PartnershipFields:
    pass


@strawberry.type
class GroupFields:
    pass


@strawberry.type
class SeatFields:
    pass


@strawberry.type
class AgencyFields:
    pass
