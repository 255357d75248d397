"""People and where they are: officials, their channel accounts, invites, group chats and
web sign-in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, enum_column
from store.models.enums import UserRole
from store.models.units import Unit


class User(Base):
    """An official (one person, whatever channels they use)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole), default=UserRole.OFFICER)
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


class Invite(Base):
    """A code that links whoever presents it to a unit with a role."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole), default=UserRole.OFFICER)
    expires_at: Mapped[datetime | None] = mapped_column()
    max_uses: Mapped[int] = mapped_column(Integer, default=1)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    unit: Mapped[Unit] = relationship()


class JoinRequest(Base):
    """A person without an invite asking to be linked to a unit; an admin approves it."""

    __tablename__ = "join_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole), default=UserRole.OFFICER)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()


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
