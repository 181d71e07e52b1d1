"""Domain vocabularies shared by storage, rules, plugins and the GraphQL schema.

Kept in one module so a plugin author, the database and the API all spell a kind the
same way; the GraphQL enums are generated from these classes.
"""

from __future__ import annotations

import enum


class AgencyKind(enum.StrEnum):
    """What sort of body an agency is (WT2018 ch.3 names the first three as partners)."""

    LOCAL_AUTHORITY = "LOCAL_AUTHORITY"
    HEALTH_COMMISSIONER = "HEALTH_COMMISSIONER"  # CCG, today's integrated care board
    POLICE = "POLICE"
    CHILDRENS_TRUST = "CHILDRENS_TRUST"  # e.g. Sandwell Children's Trust (Sandwell §2)
    HEALTH_PROVIDER = "HEALTH_PROVIDER"
    EDUCATION = "EDUCATION"
    PROBATION = "PROBATION"
    HOUSING = "HOUSING"
    VOLUNTARY_COMMUNITY_FAITH = "VOLUNTARY_COMMUNITY_FAITH"
    OTHER_PUBLIC_BODY = "OTHER_PUBLIC_BODY"
    INDEPENDENT = "INDEPENDENT"  # independent chairs, scrutineers and lay members


class GroupKind(enum.StrEnum):
    PARTNERSHIP_BOARD = "PARTNERSHIP_BOARD"
    EXECUTIVE = "EXECUTIVE"
    FORUM = "FORUM"
    SUB_GROUP = "SUB_GROUP"
    TASK_AND_FINISH = "TASK_AND_FINISH"
    PRIORITY_GROUP = "PRIORITY_GROUP"
    REFERENCE_GROUP = "REFERENCE_GROUP"
    PANEL = "PANEL"


class SeatOrigin(enum.StrEnum):
    """Where a seat comes from: the partnership's published document (brought in by
    ``partnerships load`` or ``import``) or a write through the API. A load reconciles only
    what the document published; it never changes what users recorded."""

    PUBLISHED = "PUBLISHED"
    RECORDED = "RECORDED"


class SeatRole(enum.StrEnum):
    """The capacity in which a seat is held in a group."""

    STATUTORY_PARTNER_LEAD = "STATUTORY_PARTNER_LEAD"
    DELEGATED_OFFICER = "DELEGATED_OFFICER"
    RELEVANT_AGENCY = "RELEVANT_AGENCY"
    CO_OPTED = "CO_OPTED"
    ADVISOR = "ADVISOR"
    LAY_MEMBER = "LAY_MEMBER"
    PARTICIPANT_OBSERVER = "PARTICIPANT_OBSERVER"
    BOARD_SUPPORT = "BOARD_SUPPORT"
    INDEPENDENT_CHAIR = "INDEPENDENT_CHAIR"
    INDEPENDENT_SCRUTINEER = "INDEPENDENT_SCRUTINEER"
    SUBGROUP_CHAIR = "SUBGROUP_CHAIR"
    MEMBER = "MEMBER"  # a member whose capacity the seed does not classify further
    ATTENDEE = "ATTENDEE"  # attends, but the seed says is not a member


class ChairBasis(enum.StrEnum):
    """How a group's chair is chosen."""

    INDEPENDENT_APPOINTMENT = "INDEPENDENT_APPOINTMENT"
    ANNUAL_ROTATION = "ANNUAL_ROTATION"
    ROTATION = "ROTATION"  # rotational, with no period stated by the seed
    FIXED_OFFICE = "FIXED_OFFICE"
    ELECTION = "ELECTION"
    JOINT = "JOINT"
    UNKNOWN = "UNKNOWN"


class Role(enum.StrEnum):
    """What a principal may do for a partnership. Ordered from least to most trusted."""

    PUBLIC = "PUBLIC"
    MEMBER = "MEMBER"
    STATUTORY_PARTNER = "STATUTORY_PARTNER"
    BUSINESS_UNIT = "BUSINESS_UNIT"
    SCRUTINEER = "SCRUTINEER"
    ADMINISTRATOR = "ADMINISTRATOR"
