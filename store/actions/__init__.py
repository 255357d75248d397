"""Domain actions: what the chat, the command line, the scheduler and the web pages all do.

Each module holds one family of actions (`directives`: import a directive file; `invites`:
issue an invite; `broadcasts`: record a broadcast; `reports`: record a report; `groups`: link,
unlink and migrate a group chat). An action is written once and called by every adapter:

    async def verb(session: Session, *, actor: Actor, ...) -> <frozen dataclass result>

The action does the data work and writes its audit row (store.audit) in the caller's
transaction; it never commits, and it checks nothing about chats or platforms (who may do what
in which chat is the adapter's concern). Adapters parse their input, call the action and
render or print its result.

The audit row names the actor's user id; `via` goes into its detail unless it is "chat" (the
default: rows written before the action layer, all from the chat, carry none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from store.audit import audit
from store.db import Session


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: the user's id (None for an operator at the command line) and through what.

    `via` is one of "chat", "cli", "web", "scheduler".
    """

    user_id: int | None
    via: str


CHAT, CLI, WEB, SCHEDULER = "chat", "cli", "web", "scheduler"


def audit_as(
    session: Session,
    actor: Actor,
    *,
    action: str,
    now: datetime,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Write an action's audit row for `actor` in the session's transaction (see above)."""
    detail = dict(detail or {})
    if actor.via != CHAT:
        detail["via"] = actor.via
    audit(session, actor_id=actor.user_id, action=action, target=target, detail=detail, now=now)


__all__ = ["CHAT", "CLI", "SCHEDULER", "WEB", "Actor", "audit_as"]
