"""The enumerations the models store (as short ASCII strings, see `enum_column`)."""

from __future__ import annotations

import enum


class UnitKind(enum.StrEnum):
    MINISTRY = "ministry"
    AGENCY = "agency"
    PARTY_BODY = "party_body"
    OFFICE_UNIT = "office_unit"
    PROVINCE = "province"
    COMMUNE = "commune"
    ENTERPRISE = "enterprise"
    WORKING_GROUP = "working_group"
    OTHER = "other"


class Role(enum.StrEnum):
    LEAD = "lead"
    SUPPORT = "support"


class AssignmentState(enum.StrEnum):
    """What the unit reported; the Government Office status is derived (see store.status)."""

    OPEN = "open"
    DONE = "done"


class UserRole(enum.StrEnum):
    OFFICER = "officer"
    HEAD = "head"
    ADMIN = "admin"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    UNREACHABLE = "unreachable"
    FAILED = "failed"


class ExtensionState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
