"""Compliance fields on the structure types (mixed into Partnership by schema/structure/types.py)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

# schema.compliance.types imports no structure type at module level, so it can be imported here.
from schema.compliance.types import ComplianceReport, compliance_for


@strawberry.type
class PartnershipFields:
    @strawberry.field(description="The arrangements against the Working Together 2018 checklist of what they must "
                                  "cover: each item with its evidence, or reported missing.")
    async def compliance(self, info: Info) -> ComplianceReport:
        return await compliance_for(info, self)
