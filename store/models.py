"""SQLAlchemy 2 models: units, directives, tasks, assignments, reports, people and the outbox."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from store.kinds import TaskKind  # re-exported: the models use it, importers need it alone


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC; SQLite keeps no zone, so it is attached on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a timezone-aware column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base; every datetime column is timezone-aware (UTC in the database)."""

    type_annotation_map: ClassVar = {datetime: UTCDateTime}


def _enum(cls: type[enum.Enum]) -> Enum:
    # Store the value (short ASCII) as a plain string column with a CHECK, so SQLite and
    # PostgreSQL behave alike and adding a member needs no ALTER TYPE.
    return Enum(
        cls,
        native_enum=False,
        values_callable=lambda e: [m.value for m in e],
        length=24,
        validate_strings=True,
    )


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


class Unit(Base):
    """An organisation that can be assigned work: a ministry, province, commune, office unit..."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[UnitKind] = mapped_column(_enum(UnitKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])


class Directive(Base):
    """A document (Quyết định, Thông báo, Kế hoạch...) that assigns tasks."""

    __tablename__ = "directives"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    doc_type: Mapped[str | None] = mapped_column(String(64))
    issuer: Mapped[str | None] = mapped_column(String(255))
    issued_on: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text, default="")
    source_name: Mapped[str | None] = mapped_column(String(255))
    source_hash: Mapped[str | None] = mapped_column(String(64))
    # For a directive that states no number: a hash of its issuer, date and title (see
    # store.import_identity); `number` then holds a label derived from it.
    identity_key: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    imported_at: Mapped[datetime] = mapped_column(server_default=func.now())

    tasks: Mapped[list[Task]] = relationship(back_populates="directive")


class Task(Base):
    """One task of a directive, identified by its position in the document (`ref`)."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("directive_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id", ondelete="CASCADE"))
    ref: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    lead_text: Mapped[str] = mapped_column(Text, default="")
    support_text: Mapped[str] = mapped_column(Text, default="")
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[date | None] = mapped_column(Date, index=True)
    kind: Mapped[TaskKind] = mapped_column(_enum(TaskKind))
    product: Mapped[str] = mapped_column(Text, default="")

    directive: Mapped[Directive] = relationship(back_populates="tasks")
    assignments: Mapped[list[Assignment]] = relationship(back_populates="task")


class Assignment(Base):
    """A task given to one unit in one role; reports and scores hang on it."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("task_id", "unit_id"),
        # `seq` is the short number officials type ("NV 7"): stable and unique per unit.
        UniqueConstraint("unit_id", "seq"),
        Index("ix_assignments_unit_due", "unit_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[Role] = mapped_column(_enum(Role))
    # Denormalised from the task so "due this month for my unit" is one index range scan.
    due: Mapped[date | None] = mapped_column(Date)
    state: Mapped[AssignmentState] = mapped_column(
        _enum(AssignmentState), default=AssignmentState.OPEN
    )
    progress: Mapped[int] = mapped_column(Integer, default=0)
    completed_on: Mapped[date | None] = mapped_column(Date)
    last_report_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())

    task: Mapped[Task] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship()


class User(Base):
    """An official (one person, whatever channels they use)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[UserRole] = mapped_column(_enum(UserRole), default=UserRole.OFFICER)
    locale: Mapped[str | None] = mapped_column(String(8))
    preferred_channel: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    unit: Mapped[Unit | None] = relationship()
    identities: Mapped[list[Identity]] = relationship(back_populates="user")


class Identity(Base):
    """A user's account on one channel (Telegram user id, Zalo user id, console name)."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    # Where to push private messages; Telegram chat ids are 64-bit, Zalo ids are strings.
    chat_id: Mapped[str] = mapped_column(String(64))
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    last_seen_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship(back_populates="identities")


class Chat(Base):
    """A group chat linked to one or more units (oversight groups link several)."""

    __tablename__ = "chats"
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    oversight: Mapped[bool] = mapped_column(Boolean, default=False)


class ChatUnit(Base):
    """Link between a group chat and a unit it may see."""

    __tablename__ = "chat_units"

    chat_pk: Mapped[int] = mapped_column(
        ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)


class Invite(Base):
    """A code that links whoever presents it to a unit with a role."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[UserRole] = mapped_column(_enum(UserRole), default=UserRole.OFFICER)
    expires_at: Mapped[datetime | None] = mapped_column()
    max_uses: Mapped[int] = mapped_column(Integer, default=1)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    unit: Mapped[Unit] = relationship()


class Report(Base):
    """A progress report on one assignment."""

    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_assignment_created", "assignment_id", "created_at"),
        # The score reads a period's reports by time (store.scoring).
        Index("ix_reports_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[AssignmentState] = mapped_column(_enum(AssignmentState))
    attachment: Mapped[str | None] = mapped_column(Text)
    # channel:chat:message id, so an update delivered twice is recorded once.
    source_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column()
    # The whole message the report was read from, as typed (the note is that minus the task
    # and the percent).
    original: Mapped[str | None] = mapped_column(Text)

    assignment: Mapped[Assignment] = relationship()
    author: Mapped[User | None] = relationship()


class Conversation(Base):
    """State of a multi-step flow (guided report...) for one chat participant."""

    __tablename__ = "conversations"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    flow: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(index=True)  # housekeeping purges by it


class ProcessedMessage(Base):
    """Incoming messages already handled (updates are delivered at least once)."""

    __tablename__ = "processed_messages"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(index=True)  # housekeeping purges by it


class Delivery(Base):
    """Outbox row: one push to one chat, sent at most once per idempotency key."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_status_next", "status", "next_attempt_at"),
        # "Pushes we could not deliver to this person" is asked on every message they send.
        Index("ix_deliveries_user_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    acked_at: Mapped[datetime | None] = mapped_column()
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="SET NULL"), index=True
    )
    # Higher goes first: an answer to someone waiting (REPLY) before a reminder fan-out.
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Which dispatcher holds the `sending` lease ("host:pid:nonce"), renewed while it lives.
    lease_owner: Mapped[str | None] = mapped_column(String(64))


class JobRun(Base):
    """A scheduled job claimed for one day, so nothing runs twice."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "run_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(32))
    run_on: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()


class AuditLog(Base):
    """Who changed what, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(48))
    target: Mapped[str] = mapped_column(String(128), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column()


class Broadcast(Base):
    """An admin's announcement (usually a new directive) pushed to chosen recipients."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    # Channel file reference or stored path of an attached document, and its name.
    file_ref: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(255))
    # {"all": true} | {"units": [ids]} | {"chats": [ids]}
    targets: Mapped[dict] = mapped_column(JSON, default=dict)
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directives.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()


class JoinRequest(Base):
    """A person without an invite asking to be linked to a unit; an admin approves it."""

    __tablename__ = "join_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[UserRole] = mapped_column(_enum(UserRole), default=UserRole.OFFICER)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()


class OAuthToken(Base):
    """Credentials that rotate (Zalo OA access + single-use refresh token), one row per app.

    `version` increases with every rotation so a writer that lost a race can tell.
    """

    __tablename__ = "oauth_tokens"

    provider: Mapped[str] = mapped_column(String(32), primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    access_expires_at: Mapped[datetime] = mapped_column()
    refresh_expires_at: Mapped[datetime | None] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column()


class ImportDraft(Base):
    """An import from the chat waiting for an admin's review; nothing of it is live yet.

    `parsed` is the extracted directive (`ParsedDirective.to_dict`), `edits` the reviewer's
    changes per task ref. Status: open → confirmed | cancelled | replaced | expired.
    """

    __tablename__ = "import_drafts"
    __table_args__ = (Index("ix_import_drafts_status_expires", "status", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), index=True)
    identity_key: Mapped[str | None] = mapped_column(String(64))
    source_name: Mapped[str | None] = mapped_column(String(255))
    source_hash: Mapped[str | None] = mapped_column(String(64))
    parsed: Mapped[dict] = mapped_column(JSON)
    edits: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="SET NULL")
    )
    directive_id: Mapped[int | None] = mapped_column(
        ForeignKey("directives.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column()


class ImportCorrection(Base):
    """A reviewer's correction of one task, re-applied whenever the directive is imported again.

    Keyed by the directive's number (or its no-number label) and the task's ref; `data` holds
    the corrected fields: `lead`, `cooperating` (unit names), `deadline` (text), `drop`.
    """

    __tablename__ = "import_corrections"
    __table_args__ = (UniqueConstraint("directive_number", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_number: Mapped[str] = mapped_column(String(64))
    ref: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column()


class ExtensionState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class Extension(Base):
    """A request to move one assignment's due date, and its decision.

    The task keeps the deadline as the directive wrote it (`Task.due`); an approved request
    moves `Assignment.due`, and these rows are the history of every change.
    """

    __tablename__ = "extensions"
    __table_args__ = (Index("ix_extensions_assignment", "assignment_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    old_due: Mapped[date | None] = mapped_column(Date)
    new_due: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[ExtensionState] = mapped_column(
        _enum(ExtensionState), default=ExtensionState.PENDING
    )
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column()


class ChatChoices(Base):
    """The numbered choices last shown in a chat (channels without buttons), so that an answer
    `2` means the same after a restart and on any replica."""

    __tablename__ = "chat_choices"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)  # "channel:chat_id"
    buttons: Mapped[list] = mapped_column(JSON, default=list)  # [[label, data], ...]
    shown_at: Mapped[datetime] = mapped_column()


# The dashboard's per-unit status counts (store.dashboard.unit_counts) read only this index:
# a GROUP BY over every assignment of a government without touching the table.
Index(
    "ix_assignments_dashboard",
    Assignment.unit_id,
    Assignment.state,
    Assignment.due,
    Assignment.completed_on,
    Assignment.last_report_at,
)


class WebToken(Base):
    """A single-use proof for the web app: a one-time sign-in link, or a Mini App `initData`
    already used (so a replayed one gets nothing). `key` is a SHA-256 (hex) of the secret, never
    the secret itself; the row is shared by every replica, so "single use" holds across them."""

    __tablename__ = "web_tokens"
    __table_args__ = (Index("ix_web_tokens_expires", "expires_at"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))  # "link" | "initdata"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    identity_id: Mapped[int | None] = mapped_column(
        ForeignKey("identities.id", ondelete="CASCADE")
    )
    # The oversight group the link was asked for in (its units join the person's own).
    chat_pk: Mapped[int | None] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()


class WebSession(Base):
    """A signed-in browser; the cookie holds the secret, this row its SHA-256 (hex)."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_expires", "expires_at"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    identity_id: Mapped[int | None] = mapped_column(
        ForeignKey("identities.id", ondelete="CASCADE")
    )
    chat_pk: Mapped[int | None] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    via: Mapped[str] = mapped_column(String(16))  # "link" | "telegram"
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()


class TaskAssignee(Base):
    """An official of the unit a head handed one assignment to (issue 13).

    An assignment without rows here stays with the whole unit; with rows, the daily reminder
    and `việc của tôi` show it to these people only. A report by anyone of the unit still
    counts for the unit.
    """

    __tablename__ = "task_assignees"

    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column()
