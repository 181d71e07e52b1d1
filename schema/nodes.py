"""`node(id:)` for every Node type: which table holds it, how to build it, who may see it.

Visibility follows each domain's own lists: confidential records (disputes, scrutiny
activity, incidents, review actions, the risk log) only for the partnership's members;
records of a group only when the group is visible. Anything not visible is null, exactly
as if it did not exist.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import select


@dataclass(frozen=True)
class NodeKind:
    model: str  # "module:Class" of the SQLAlchemy model
    build: str  # "module:Class" of the GraphQL type with `from_row`
    members_only: bool = False
    needs_code: bool = False  # from_row(row, partnership_code)


DOMAIN_NODES: dict[str, NodeKind] = {
    "Meeting": NodeKind("core.models.governance:Meeting", "schema.governance.types:Meeting"),
    "Decision": NodeKind("core.models.governance:Decision", "schema.governance.types:Decision"),
    "Appointment": NodeKind("core.models.governance:Appointment", "schema.governance.types:Appointment"),
    "Dispute": NodeKind("core.models.disputes:Dispute", "schema.disputes.types:Dispute", members_only=True),
    "ScrutinyAppointment": NodeKind("core.models.disputes:ScrutinyAppointment", "schema.disputes.types:ScrutinyAppointment"),
    "ScrutinyActivity": NodeKind("core.models.disputes:ScrutinyActivity", "schema.disputes.types:ScrutinyActivity",
                                 members_only=True),
    "ScrutinyReport": NodeKind("core.models.disputes:ScrutinyReport", "schema.disputes.types:ScrutinyReport",
                               members_only=True),
    "ScrutinyRecommendation": NodeKind("core.models.disputes:ScrutinyRecommendation",
                                       "schema.disputes.types:ScrutinyRecommendation", members_only=True),
    "BudgetRevision": NodeKind("core.models.funding:BudgetRevision", "schema.funding.types:BudgetRevision"),
    "Contribution": NodeKind("core.models.funding:Contribution", "schema.funding.types:Contribution"),
    "ExpenditureLine": NodeKind("core.models.funding:Expenditure", "schema.funding.types:ExpenditureLine"),
    "Incident": NodeKind("core.models.reviews:Incident", "schema.reviews.types:Incident", members_only=True,
                         needs_code=True),
    "ReviewAction": NodeKind("core.models.reviews:ReviewAction", "schema.reviews.types:ReviewAction", members_only=True),
    "AnnualReport": NodeKind("core.models.reviews:AnnualReport", "schema.reviews.types:AnnualReport"),
    "AnnualReportCopy": NodeKind("core.models.reviews:AnnualReportCopy", "schema.reviews.types:AnnualReportCopy"),
    "BusinessPlan": NodeKind("core.models.reviews:BusinessPlan", "schema.reviews.types:BusinessPlan"),
    "PlanAction": NodeKind("core.models.reviews:PlanAction", "schema.reviews.types:PlanAction"),
    "RiskEntry": NodeKind("core.models.reviews:RiskEntry", "schema.reviews.types:RiskEntry", members_only=True),
}


def _resolve(ref: str) -> Any:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


@cache
def batch_for(type_name: str) -> Callable:
    """One batch function per type, so `loaders.of` gives one DataLoader per type per request."""
    kind = DOMAIN_NODES[type_name]

    async def batch(loaders, keys):
        model, gql = _resolve(kind.model), _resolve(kind.build)
        rows = [r[0] for r in await loaders.rows(select(model).where(model.id.in_(keys)))]
        found = {}
        for row in rows:
            pid = row.partnership_id
            if kind.members_only and not loaders.policy.sees_members_only(pid):
                continue
            group_id = getattr(row, "group_id", None)
            if group_id is not None and await loaders.group_by_id.load(group_id) is None:
                continue  # a confidential group's record
            if kind.needs_code:
                partnership = await loaders.partnership_by_id.load(pid)
                found[row.id] = gql.from_row(row, partnership.code)
            else:
                found[row.id] = gql.from_row(row)
        return [found.get(k) for k in keys]

    return batch
