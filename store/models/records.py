"""Bookkeeping: import drafts and corrections, job runs, the audit log, rotating credentials."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base


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
