"""Compliance fields on the structure types."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

ComplianceReportT = Annotated["ComplianceReport", strawberry.lazy("schema.types.compliance")]  # noqa: F821


@strawberry.type
class PartnershipFields:
    @strawberry.field(description="The arrangements against the Working Together 2018 checklist of what they must "
                                  "cover: each item with its evidence, or reported missing.")
    async def compliance(self, info: Info) -> ComplianceReportT:
        from schema.types.compliance import compliance_for

        return await compliance_for(info, self)
