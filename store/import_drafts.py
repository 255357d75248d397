"""Import drafts: a directive imported from the chat waits here until an admin confirms it.

Nothing of a draft is visible to officials: its tasks live only in `ImportDraft.parsed` until
`confirm_draft` hands them to `store.importer.import_directive` (the one place tasks go live,
audited there). Life of a draft: ``open`` → ``confirmed`` | ``cancelled`` | ``replaced`` (the
same directive was sent again; the new draft takes over its edits) | ``expired`` (left
unconfirmed for `DRAFT_TTL`; its edits are discarded, nothing went live).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.audit import audit
from store.deadlines import normalise_deadline
from store.import_corrections import (
    apply_edits,
    corrected_fields,
    load_corrections,
    merge_edits,
    save_corrections,
)
from store.import_identity import directive_identity
from store.import_resolve import ImportedTask, resolve
from store.importer import ImportResult, import_directive
from store.importing.parsed import ParsedDirective
from store.models import Broadcast, ImportDraft, TaskKind
from store.registry import UnitRegistry

logger = logging.getLogger(__name__)

#: How long a draft waits for its review before it expires.
DRAFT_TTL = timedelta(days=7)
OPEN, CONFIRMED, CANCELLED, REPLACED, EXPIRED = (
    "open",
    "confirmed",
    "cancelled",
    "replaced",
    "expired",
)


@dataclass(slots=True)
class DraftItem:
    """One task of a draft as the reviewer sees it; `position` counts from 1."""

    position: int
    task: ImportedTask
    dropped: bool = False
    checked: bool = False  # the reviewer kept it as it is (`giữ`)
    saved: list[str] = field(default_factory=list)  # fields corrected by an earlier review
    edited: list[str] = field(default_factory=list)  # fields corrected in this draft

    @property
    def to_check(self) -> bool:
        """Flagged, kept, and not yet looked at."""
        return bool(self.task.flags) and not self.dropped and not self.checked


@dataclass(slots=True)
class DraftView:
    """A draft with saved corrections and its edits applied, every task resolved."""

    draft: ImportDraft
    directive: ParsedDirective
    items: list[DraftItem]

    @property
    def kept(self) -> list[DraftItem]:
        """The tasks that would go live."""
        return [i for i in self.items if not i.dropped]

    @property
    def to_check(self) -> list[DraftItem]:
        """Flagged tasks not yet looked at, in document order."""
        return [i for i in self.items if i.to_check]

    def item(self, position: int) -> DraftItem | None:
        """The task at a 1-based position, or None."""
        return self.items[position - 1] if 1 <= position <= len(self.items) else None


def parsed_of(draft: ImportDraft) -> ParsedDirective:
    """The extracted directive a draft holds."""
    return parsed_from_dict(draft.parsed)


def parsed_from_dict(data: dict[str, Any]) -> ParsedDirective:
    """A `ParsedDirective` back from its `to_dict` form (as kept in drafts and flows)."""
    return ParsedDirective.from_dict(data)


async def create_draft(
    session: AsyncSession,
    parsed: ParsedDirective,
    *,
    now: datetime,
    actor_id: int | None,
    source_name: str | None = None,
    digest: str | None = None,
    broadcast_id: int | None = None,
    audit_detail: dict[str, Any] | None = None,
) -> ImportDraft:
    """Store a new draft; an open draft of the same directive is replaced (its edits kept).

    `audit_detail` is added to the detail of the `import_draft` audit row.
    """
    ident = directive_identity(parsed, digest=digest)
    refs = {t.ref for t in parsed.tasks}
    edits: dict[str, Any] = {}
    for older in await session.scalars(
        select(ImportDraft)
        .where(ImportDraft.number == ident.number, ImportDraft.status == OPEN)
        .order_by(ImportDraft.id)
    ):
        edits.update({ref: e for ref, e in older.edits.items() if ref in refs})
        older.status, older.decided_at, older.decided_by = REPLACED, now, actor_id
    draft = ImportDraft(
        number=ident.number,
        identity_key=ident.identity_key,
        source_name=source_name,
        source_hash=digest,
        parsed=parsed.to_dict(),
        edits=edits,
        status=OPEN,
        created_by=actor_id,
        broadcast_id=broadcast_id,
        created_at=now,
        expires_at=now + DRAFT_TTL,
    )
    session.add(draft)
    await session.flush()
    audit(
        session,
        actor_id=actor_id,
        action="import_draft",
        target=f"draft:{draft.id}",
        detail={
            "number": ident.number,
            "tasks": len(parsed.tasks),
            "source": source_name,
            **(audit_detail or {}),
        },
        now=now,
    )
    return draft


async def get_draft(
    session: AsyncSession, draft_id: int, now: datetime, *, lock: bool = False
) -> ImportDraft | None:
    """A draft by id (an open one past its expiry is marked expired first)."""
    query = select(ImportDraft).where(ImportDraft.id == draft_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    draft = await session.scalar(query)
    if draft is not None and draft.status == OPEN and draft.expires_at <= now:
        draft.status = EXPIRED
    return draft


async def open_drafts(session: AsyncSession, now: datetime) -> list[ImportDraft]:
    """Drafts waiting for review, oldest first; those past their expiry are marked expired."""
    rows = list(
        await session.scalars(
            select(ImportDraft).where(ImportDraft.status == OPEN).order_by(ImportDraft.id)
        )
    )
    for draft in rows:
        if draft.expires_at <= now:
            draft.status = EXPIRED
    return [d for d in rows if d.status == OPEN]


async def view_draft(
    session: AsyncSession, draft: ImportDraft, registry: UnitRegistry
) -> DraftView:
    """Resolve a draft's tasks with saved corrections and its own edits applied."""
    saved = await load_corrections(session, draft.number)
    edits = merge_edits(saved, draft.edits)
    parsed = parsed_of(draft)
    corrected = apply_edits(parsed, edits)
    fields = {ref: corrected_fields(edit) for ref, edit in edits.items()}
    tasks, _unresolved, _plan = resolve(corrected, registry, None, fields)
    items = []
    for position, task in enumerate(tasks, start=1):
        edit, own = edits.get(task.ref, {}), draft.edits.get(task.ref, {})
        items.append(
            DraftItem(
                position=position,
                task=task,
                dropped=bool(edit.get("drop")),
                checked=bool(own.get("ok")),
                saved=[f for f in _saved_fields(saved.get(task.ref)) if f not in own],
                edited=corrected_fields(own),
            )
        )
    return DraftView(draft, parsed, items)


def _saved_fields(edit: dict[str, Any] | None) -> list[str]:
    """What a saved correction changes: its fields, and ``drop`` when it leaves the task out."""
    return corrected_fields(edit) + (["drop"] if edit and edit.get("drop") else [])


def edit_task(draft: ImportDraft, ref: str, **fields: Any) -> None:
    """Record a reviewer's change to one task of an open draft (saved on confirm)."""
    edits = {k: dict(v) for k, v in draft.edits.items()}
    edits[ref] = {**edits.get(ref, {}), **fields}
    draft.edits = edits  # a new object, so the JSON column is written


def set_deadline(draft: ImportDraft, ref: str, text: str) -> bool:
    """Record a deadline typed by the reviewer; False (nothing changed) when it can't be read."""
    deadline = normalise_deadline(text, parsed_of(draft).dated)
    if deadline.due is None and deadline.kind == TaskKind.UNSPECIFIED:
        return False
    edit_task(draft, ref, deadline=deadline.text)
    return True


async def confirm_draft(
    session: AsyncSession,
    draft: ImportDraft,
    *,
    registry: UnitRegistry,
    now: datetime,
    actor_id: int | None,
) -> ImportResult:
    """Make a draft live: import its tasks with the edits, save the corrections."""
    if draft.status != OPEN:
        raise ValueError(f"draft {draft.id} is {draft.status}")
    result = await import_directive(
        session,
        parsed_of(draft),
        registry=registry,
        now=now,
        source_name=draft.source_name,
        digest=draft.source_hash,
        actor_id=actor_id,
        edits=draft.edits,
        audit_detail={"draft": draft.id},
    )
    await save_corrections(session, draft.number, draft.edits, actor_id=actor_id, now=now)
    draft.status, draft.decided_at, draft.decided_by = CONFIRMED, now, actor_id
    draft.directive_id = result.directive.get("id")
    if draft.broadcast_id is not None:
        broadcast = await session.get(Broadcast, draft.broadcast_id)
        if broadcast is not None and broadcast.directive_id is None:
            broadcast.directive_id = draft.directive_id
    return result


def cancel_draft(
    session: AsyncSession, draft: ImportDraft, *, now: datetime, actor_id: int | None
) -> None:
    """Throw a draft away: nothing of it goes live and its edits are forgotten (audited)."""
    draft.status, draft.decided_at, draft.decided_by = CANCELLED, now, actor_id
    audit(
        session,
        actor_id=actor_id,
        action="import_cancel",
        target=f"draft:{draft.id}",
        detail={"number": draft.number},
        now=now,
    )
