"""Funding batch functions, keyed by (partnership id, financial year) or by agency, so a
request's statement count does not grow with the number of partnerships asked about. Each
answers rows of ``core.models.funding``; the types in ``schema.funding.types`` wrap them.

Reads are public: WT2018 ch.3 §36 asks that funding be transparent to children and families.
"""

from __future__ import annotations

from sqlalchemy import select

from core.models.funding import BudgetRevision as BudgetRow
from core.models.funding import Contribution as ContributionRow
from core.models.funding import Expenditure as ExpenditureRow
from core.models.funding import HostRecord, ReserveBroughtForward
from schema.batch import grouped


async def _by_year(loaders, model, keys, order) -> list[list]:
    pids = sorted({k[0] for k in keys})
    years = sorted({k[1] for k in keys})
    rows = await loaders.rows(
        select(model).where(model.partnership_id.in_(pids), model.financial_year.in_(years)).order_by(*order)
    )
    return grouped((r for (r,) in rows), lambda r: (r.partnership_id, r.financial_year), keys)


async def budgets_by_year(loaders, keys):
    return await _by_year(loaders, BudgetRow, keys, (BudgetRow.revision,))


async def contributions_by_year(loaders, keys):
    return await _by_year(loaders, ContributionRow, keys, (ContributionRow.id,))


async def expenditure_by_year(loaders, keys):
    return await _by_year(loaders, ExpenditureRow, keys, (ExpenditureRow.id,))


async def reserves_by_year(loaders, keys):
    return await _by_year(loaders, ReserveBroughtForward, keys, (ReserveBroughtForward.id,))


async def host_records_by_year(loaders, keys):
    return await _by_year(loaders, HostRecord, keys, (HostRecord.position,))


async def contributions_by_agency(loaders, keys):
    rows = await loaders.rows(
        select(ContributionRow).where(ContributionRow.agency_id.in_(keys))
        .order_by(ContributionRow.financial_year, ContributionRow.id)
    )
    return grouped((r for (r,) in rows), lambda r: r.agency_id, keys)
