"""Import a directive file: read it in the sandbox, then draft it for review or import it.

The chat sends every directive to a draft that an admin reviews (handlers.directives); the
command line imports at once, drafts with `--draft`, or only shows what it would do with
`--dry-run` (bot.import_cli); a broadcast may carry a directive either way
(store.actions.broadcasts). All of them come here.

Reading a file (`read_file`) runs in the import sandbox and touches no database, so a chat
handler can read after its message's transaction and draft in a new one. The audit rows are
written where the data changes: `import_draft` by store.import_drafts, `import` by
store.importer; an actor other than the chat adds its `via` to them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from store.actions import CHAT, Actor
from store.db import Session
from store.import_drafts import create_draft, view_draft
from store.import_source import read_directive
from store.importer import ImportResult, import_directive, source_hash
from store.importing.parsed import ImportFormatError, ParsedDirective
from store.models import ImportDraft
from store.registry import UnitRegistry

__all__ = [
    "DirectiveImport",
    "DraftSummary",
    "ImportFormatError",
    "ParsedDirective",
    "draft_directive",
    "import_file",
    "read_file",
    "source_hash",
]


@dataclass(frozen=True, slots=True)
class DraftSummary:
    """A draft just stored: what a reviewer will find in it."""

    id: int
    number: str
    expires_at: datetime
    tasks: int
    to_check: int


@dataclass(frozen=True, slots=True)
class DirectiveImport:
    """What `import_file` did (or would do): the import's result, and the draft if one was made."""

    result: ImportResult
    draft: DraftSummary | None = None


async def read_file(
    data: bytes, name: str, *, max_bytes: int | None = None
) -> ParsedDirective | ImportFormatError:
    """Extract a directive from a file's bytes in the import sandbox; the refusal if it can't."""
    try:
        return await read_directive(data, name, max_bytes=max_bytes)
    except ImportFormatError as exc:
        return exc


def _detail(actor: Actor) -> dict[str, Any] | None:
    return None if actor.via == CHAT else {"via": actor.via}


async def draft_directive(
    session: Session,
    *,
    actor: Actor,
    parsed: ParsedDirective,
    now: datetime,
    source_name: str | None,
    digest: str | None,
    broadcast_id: int | None = None,
) -> ImportDraft:
    """Store a directive as a draft for review (replacing an open draft of the same one)."""
    return await create_draft(
        session,
        parsed,
        now=now,
        actor_id=actor.user_id,
        source_name=source_name,
        digest=digest,
        broadcast_id=broadcast_id,
        audit_detail=_detail(actor),
    )


async def import_file(
    session: Session,
    *,
    actor: Actor,
    parsed: ParsedDirective,
    now: datetime,
    source_name: str | None,
    digest: str | None,
    draft: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> DirectiveImport:
    """Import a directive that was read from a file, live unless `draft` or `dry_run`.

    With `draft` it is stored for review and the result says what the review will show (its
    edits applied, nothing live); with `dry_run` nothing is written.
    """
    registry = await UnitRegistry.load(session)
    summary, edits = None, None
    if draft:
        stored = await draft_directive(
            session, actor=actor, parsed=parsed, now=now, source_name=source_name, digest=digest
        )
        view = await view_draft(session, stored, registry)
        edits = stored.edits
        summary = DraftSummary(
            stored.id, stored.number, stored.expires_at, len(view.kept), len(view.to_check)
        )
    result = await import_directive(
        session,
        parsed,
        registry=registry,
        now=now,
        source_name=source_name,
        digest=digest,
        actor_id=actor.user_id,
        dry_run=dry_run or draft,
        progress=progress,
        edits=edits,
        audit_detail=_detail(actor),
    )
    return DirectiveImport(result, summary)
