"""Merton: reviews hooks — only where the document departs from the baseline.

Partnership Agreement 2019 §9.3: the annual report goes to the Secretary of State for
Education, the DfE, Ofsted, the Child Safeguarding Practice Review Panel and the What Works
Centre within seven days of publication. Review timescales follow the baseline (App. 7
restates WT2018 ch.4: notify within five working days).
"""

from __future__ import annotations

from pathlib import Path

from core.hookspecs import hookimpl
from core.rules.common import Citation
from core.rules.reviews import AnnualReportRecipients

__all__ = ["annual_report_recipients", "business_plan_files"]


@hookimpl
def business_plan_files():
    # Merton Safeguarding Children Board Business Plan 2014–16 (with its Risk & Challenge Log)
    return [Path(__file__).with_name("business_plan_2014_16.toml")]


@hookimpl
def annual_report_recipients(document):
    # Merton §9.3
    return AnnualReportRecipients(
        recipients=(
            "Secretary of State for Education",
            "Department for Education",
            "Ofsted",
            "Child Safeguarding Practice Review Panel",
            "What Works Centre for Children's Social Care",
        ),
        within_days=7,
        source=Citation(document, "§9.3"),
        reasons=("the approved annual report is sent to the Secretary of State for Education, the DfE, Ofsted, "
                 "the Panel and the What Works Centre within seven days of publication",),
    )
