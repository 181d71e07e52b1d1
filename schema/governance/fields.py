"""Governance fields on the structure types (mixed into Partnership and Group by
schema/structure/types.py)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.governance.loaders import (
    appointments_by_partnership,
    decisions_by_group,
    meetings_by_group,
)

# schema.governance.types imports no structure type at module level, so it can be imported here.
from schema.governance.types import (
    Appointment,
    AttendanceConcernType,
    AttendancePolicyType,
    ChairAnswerType,
    Decision,
    Meeting,
    MeetingRulesType,
    ProxyRuleType,
    QuorumResult,
    Voter,
    VotingRuleType,
    attendance_concerns_of,
    chair_of,
    decode_seat_ids,
    rule_context,
    what_if_quorum,
)
from schema.types.common import parse_year_arg, source_of

FinancialYearArg = Annotated[str, strawberry.argument(description="A UK financial year, written like `2020/21`.")]


@strawberry.type
class PartnershipFields:
    @strawberry.field(description="Appointments to the partnership's offices (independent chair or person, "
                                  "scrutineer, sub-group chairs and vice-chairs), oldest first.")
    async def appointments(self, info: Info) -> list[Appointment]:
        rows = await info.context.loaders.of(appointments_by_partnership).load(self.pk)  # type: ignore[attr-defined]
        return [Appointment.from_row(r) for r in rows]

    @strawberry.field(description="Members, across all groups, whose attendance breaks their group's attendance rule.")
    async def attendance_concerns(self, info: Info) -> list[AttendanceConcernType]:
        groups = await info.context.loaders.groups_by_partnership.load(self.pk)  # type: ignore[attr-defined]
        per_group = await asyncio.gather(*(attendance_concerns_of(info, g) for g in groups))
        return [c for concerns in per_group for c in concerns]


@strawberry.type
class GroupFields:
    @strawberry.field(description="The group's meetings, by date.")
    async def meetings(self, info: Info) -> list[Meeting]:
        return [Meeting.from_row(r) for r in await info.context.loaders.of(meetings_by_group).load(self.pk)]  # type: ignore[attr-defined]

    @strawberry.field(description="The group's decisions, oldest first.")
    async def decisions(self, info: Info) -> list[Decision]:
        return [Decision.from_row(r) for r in await info.context.loaders.of(decisions_by_group).load(self.pk)]  # type: ignore[attr-defined]

    @strawberry.field(description="What-if: would a meeting be quorate with these seats present? By the group's rule.")
    async def quorum(
        self, info: Info,
        present: Annotated[list[strawberry.ID], strawberry.argument(description="IDs of the group's seats present.")],
        acting_for_partnership: Annotated[bool, strawberry.argument(
            description="The meeting acts on behalf of the partnership (Sandwell §21).")] = False,
    ) -> QuorumResult:
        ctx = await rule_context(info, self)
        return what_if_quorum(ctx, decode_seat_ids(present, ctx), acting_for_partnership)

    @strawberry.field(description="Who chairs the group in a UK financial year and on what basis; a recorded selection "
                                  "overrides a rotation, and a rotation's answer is provisional until recorded.")
    async def chair(self, info: Info, financial_year: FinancialYearArg) -> ChairAnswerType:
        return await chair_of(info, self, parse_year_arg(financial_year))

    @strawberry.field(description="Who may vote in the group, what carries and what a tie means.")
    async def voting_rule(self, info: Info) -> VotingRuleType:
        ctx = await rule_context(info, self)
        r = ctx.rules.voting_rule(group=ctx.ref, seats=ctx.seats, partners=ctx.partners)
        return VotingRuleType(
            voters=[Voter(seat_id=v.seat_id, group_pk=self.pk, counts_for=v.counts_for, reason=v.reason)  # type: ignore[attr-defined]
                    for v in r.voters],
            carries=r.carries, tie=r.tie, reasons=list(r.reasons), source=source_of(r.source))

    @strawberry.field(description="Whether proxies are accepted at the group's meetings.")
    async def proxy_rule(self, info: Info) -> ProxyRuleType:
        ctx = await rule_context(info, self)
        r = ctx.rules.proxy_rule(group=ctx.ref)
        return ProxyRuleType(allowed=r.allowed, needs_chair_agreement=r.needs_chair_agreement,
                             reasons=list(r.reasons), source=source_of(r.source))

    @strawberry.field(description="The deadlines the group's meetings are held to: notice of dates, papers, minutes.")
    async def meeting_rules(self, info: Info) -> MeetingRulesType:
        ctx = await rule_context(info, self)
        return MeetingRulesType.of(ctx.rules.meeting_rules(group=ctx.ref))

    @strawberry.field(description="The attendance the group expects of its members.")
    async def attendance_policy(self, info: Info) -> AttendancePolicyType:
        ctx = await rule_context(info, self)
        return AttendancePolicyType.of(ctx.rules.attendance_policy(group=ctx.ref))

    @strawberry.field(description="Members whose attendance at held meetings breaks the group's attendance rule.")
    async def attendance_concerns(self, info: Info) -> list[AttendanceConcernType]:
        return await attendance_concerns_of(info, self)
