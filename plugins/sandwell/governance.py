"""Sandwell: governance hooks — only where the MASA 2021 departs from the baseline.

§21 quorum (each of the four safeguarding partners — council, health, police and Sandwell
Children's Trust — present, at the Partnership and at any sub-group or reference group acting
on its behalf) and §11 (participant observers — the Lead Member and the lay member — have no
decision-making rights). The Partnership's chair (the Director of Children's Services, §11)
is a fixed office the baseline reads from the data file.
"""

from __future__ import annotations

from dataclasses import replace

from core.enums import GroupKind
from core.hookspecs import hookimpl
from core.rules.common import Citation
from core.rules.governance import partners_quorum

__all__ = ["governance_quorum", "governance_voting_rule"]


@hookimpl
def governance_quorum(group, seats, present, partners, acting_for_partnership, document):
    if group.kind != GroupKind.PARTNERSHIP_BOARD and not acting_for_partnership:
        return None
    # Sandwell §21: at least one member from each of the four key safeguarding partners.
    ruling = partners_quorum(present=present, seats=seats, partners=partners, needed=None,
                             source=Citation(document, "§21"), group_name=group.name, any_member=True)
    if acting_for_partnership and group.kind != GroupKind.PARTNERSHIP_BOARD:
        ruling = replace(ruling, reasons=ruling.reasons + (
            "the same rule applies to a sub-group or reference group acting on behalf of the Partnership (§21)",))
    return ruling


@hookimpl
def governance_voting_rule(group, seats, partners, document):
    from core.baseline.governance import governance_voting_rule as baseline

    rule = baseline(group=group, seats=seats, partners=partners, document=document)
    # Sandwell §11: participant observers (the Lead Member, the lay member) have no decision-making rights.
    return replace(rule, source=Citation(document, "§11"), reasons=(
        "participant observers (the council's Lead Member and the lay member) have no decision-making rights; "
        "every other member has one vote and a majority of the votes cast carries",))
