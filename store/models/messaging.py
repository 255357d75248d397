"""Messages in and out: conversation state, handled updates, the outbox, broadcasts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, enum_column
from store.models.enums import DeliveryStatus


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


class ChatChoices(Base):
    """The numbered choices last shown in a chat (channels without buttons), so that an answer
    `2` means the same after a restart and on any replica."""

    __tablename__ = "chat_choices"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)  # "channel:chat_id"
    buttons: Mapped[list] = mapped_column(JSON, default=list)  # [[label, data], ...]
    shown_at: Mapped[datetime] = mapped_column()


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
        enum_column(DeliveryStatus), default=DeliveryStatus.PENDING
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
