"""The audit log: every change is written down with who made it and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from store.models import AuditLog


def audit(
    session: AsyncSession,
    *,
    actor_id: int | None,
    action: str,
    now: datetime,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Add an audit row to the session's transaction."""
    session.add(
        AuditLog(
            actor_id=actor_id, action=action, target=target, detail=detail or {}, created_at=now
        )
    )
