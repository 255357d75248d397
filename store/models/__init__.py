"""SQLAlchemy 2 models: units, directives, tasks, assignments, reports, people and the outbox.

One module per domain (`units`, `work`, `people`, `messaging`, `records`; `base` and `enums`
hold what they share). Every model is re-exported here, so `from store.models import X` is the
one way to reach them, and importing this package registers every table on `Base.metadata`
(which the Alembic environment, store/migrations/env.py, compares the migrations with).
"""

from __future__ import annotations

from store.kinds import TaskKind  # re-exported: the models use it, importers need it alone
from store.models.base import Base, UTCDateTime, enum_column
from store.models.enums import (
    AssignmentState,
    DeliveryStatus,
    ExtensionState,
    Role,
    UnitKind,
    UserRole,
)
from store.models.messaging import (
    Broadcast,
    ChatChoices,
    Conversation,
    Delivery,
    ProcessedMessage,
)
from store.models.people import (
    Chat,
    ChatUnit,
    Identity,
    Invite,
    JoinRequest,
    User,
    WebSession,
    WebToken,
)
from store.models.records import AuditLog, ImportCorrection, ImportDraft, JobRun, OAuthToken
from store.models.units import Unit
from store.models.work import (
    Assignment,
    Directive,
    Extension,
    Report,
    Task,
    TaskAssignee,
)

__all__ = [
    "Assignment",
    "AssignmentState",
    "AuditLog",
    "Base",
    "Broadcast",
    "Chat",
    "ChatChoices",
    "ChatUnit",
    "Conversation",
    "Delivery",
    "DeliveryStatus",
    "Directive",
    "Extension",
    "ExtensionState",
    "Identity",
    "ImportCorrection",
    "ImportDraft",
    "Invite",
    "JobRun",
    "JoinRequest",
    "OAuthToken",
    "ProcessedMessage",
    "Report",
    "Role",
    "Task",
    "TaskAssignee",
    "TaskKind",
    "UTCDateTime",
    "Unit",
    "UnitKind",
    "User",
    "UserRole",
    "WebSession",
    "WebToken",
    "enum_column",
]
