"""Record a broadcast: an announcement queued for its recipients, with a directive's tasks.

The chat's /broadcast (handlers.directives.broadcast) and `nhacviec broadcast`
(bot.broadcast_cli) both record through `record_broadcast`; the fan-out into the outbox is the
scheduler's (scheduler.broadcasts). Targets are `{"all": True}`, `{"units": [ids]}`,
`{"chats": [ids]}` or `{"groups": True}` (every active group, resolved when recorded).

The recipients are counted in the recording transaction: a broadcast nobody would receive is
not recorded. The directive a broadcast carries is drafted for review (the chat: nothing
reaches officials before an admin confirms it; the draft's confirmation links the directive
to the broadcast) or imported at once (the command line, as `nhacviec import` does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from store import broadcasts as store
from store.actions import Actor, audit_as
from store.actions.directives import draft_directive, import_file
from store.db import Session
from store.importing.parsed import ParsedDirective
from store.models import ImportDraft


@dataclass(frozen=True, slots=True)
class DirectiveFile:
    """A directive read from the broadcast's document, to import with it."""

    parsed: ParsedDirective
    name: str | None
    digest: str | None
    review: bool = True  # a draft for an admin to confirm; False: live at once


@dataclass(frozen=True, slots=True)
class RecordedBroadcast:
    """What `record_broadcast` did; `broadcast_id` is None when nobody would receive it."""

    broadcast_id: int | None
    recipients: int
    directive_id: int | None = None  # imported live with it
    draft: ImportDraft | None = None  # drafted for review


async def resolve_targets(session: Session, targets: dict[str, Any]) -> dict[str, Any]:
    """The targets as stored: `{"groups": True}` becomes the ids of the active group chats."""
    if targets.get("groups"):
        return {"chats": await store.active_group_ids(session)}
    return dict(targets)


async def preview_reach(session: Session, targets: dict[str, Any]) -> store.Reach:
    """How many recipients the targets have now, and how many can be reached (for a preview)."""
    return await store.count_reach(session, await resolve_targets(session, targets))


async def record_broadcast(
    session: Session,
    *,
    actor: Actor,
    text: str,
    targets: dict[str, Any],
    now: datetime,
    file_ref: str | None = None,
    file_name: str | None = None,
    directive: DirectiveFile | None = None,
) -> RecordedBroadcast:
    """Queue a broadcast for the fan-out and write its `broadcast` audit row.

    Nothing is written when the targets reach nobody. A directive to import goes live before
    the broadcast is recorded (so it names it), or is drafted after it (so the draft names it).
    """
    targets = await resolve_targets(session, targets)
    reach = await store.count_reach(session, targets)
    if reach.total == 0:
        return RecordedBroadcast(None, 0)
    directive_id = None
    if directive is not None and not directive.review:
        imported = await import_file(
            session,
            actor=actor,
            parsed=directive.parsed,
            now=now,
            source_name=directive.name,
            digest=directive.digest,
        )
        directive_id = imported.result.directive["id"]
    created = await store.create_broadcast(
        session,
        created_by=actor.user_id,
        text=text,
        targets=targets,
        now=now,
        file_ref=file_ref,
        file_name=file_name,
        directive_id=directive_id,
    )
    audit_as(
        session,
        actor,
        action="broadcast",
        target=f"broadcast:{created.id}",
        detail={"targets": targets, "recipients": reach.total, "import": directive is not None},
        now=now,
    )
    draft = None
    if directive is not None and directive.review:
        draft = await draft_directive(
            session,
            actor=actor,
            parsed=directive.parsed,
            now=now,
            source_name=directive.name,
            digest=directive.digest,
            broadcast_id=created.id,
        )
    return RecordedBroadcast(created.id, reach.total, directive_id, draft)
