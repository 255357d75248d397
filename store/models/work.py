"""The work: directives, their tasks, each unit's assignment, reports and extensions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.kinds import TaskKind
from store.models.base import Base, enum_column
from store.models.enums import AssignmentState, ExtensionState, Role
from store.models.people import User
from store.models.units import Unit


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
    kind: Mapped[TaskKind] = mapped_column(enum_column(TaskKind))
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
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # Denormalised from the task so "due this month for my unit" is one index range scan.
    due: Mapped[date | None] = mapped_column(Date)
    state: Mapped[AssignmentState] = mapped_column(
        enum_column(AssignmentState), default=AssignmentState.OPEN
    )
    progress: Mapped[int] = mapped_column(Integer, default=0)
    completed_on: Mapped[date | None] = mapped_column(Date)
    last_report_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())

    task: Mapped[Task] = relationship(back_populates="assignments")
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
    state: Mapped[AssignmentState] = mapped_column(enum_column(AssignmentState))
    attachment: Mapped[str | None] = mapped_column(Text)
    # channel:chat:message id, so an update delivered twice is recorded once.
    source_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column()
    # The whole message the report was read from, as typed (the note is that minus the task
    # and the percent).
    original: Mapped[str | None] = mapped_column(Text)

    assignment: Mapped[Assignment] = relationship()
    author: Mapped[User | None] = relationship()


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
        enum_column(ExtensionState), default=ExtensionState.PENDING
    )
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column()


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
