"""Persist an extracted directive: directive, tasks and one assignment per unit and role.

Importing the same directive again (same number, or for a directive without a number the same
issuer, date and title — `store.import_identity`) updates it in place: tasks are matched by
their position in the document (`ref`), assignments by unit, so reports are never lost. Saved
review corrections (`store.import_corrections`) are applied on every import.

This is the one place where tasks go live: `nhacviec import` calls it directly, the chat's
draft review (`store.import_drafts`) calls it when an admin confirms.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.assignments import next_seq
from store.audit import audit
from store.extensions import approved_dues
from store.import_corrections import (
    Edits,
    apply_edits,
    corrected_fields,
    dropped,
    load_corrections,
    merge_edits,
)
from store.import_identity import DirectiveIdentity, directive_identity
from store.import_resolve import ImportedTask, Plan, Unresolved, resolve
from store.importing.parsed import ParsedDirective, ParsedTask
from store.models import Assignment, Directive, Report, Role, Task, TaskKind
from store.registry import UnitRegistry

logger = logging.getLogger(__name__)

__all__ = [
    "ImportResult",
    "ImportedTask",
    "Unresolved",
    "import_directive",
    "prepare",
    "resolve",
    "source_hash",
]


@dataclass(slots=True)
class ImportResult:
    """What an import did (or would do, with --dry-run)."""

    directive: dict[str, Any]
    tasks: list[ImportedTask]
    unresolved: list[Unresolved]
    warnings: list[str]
    # Assignee phrases that name no identifiable unit ("các cơ quan liên quan"): kept on the
    # task as written, assigned to nobody.
    vague: list[str] = field(default_factory=list)
    # Refs of tasks a review left out; they are not in `tasks`.
    dropped: list[str] = field(default_factory=list)
    created_tasks: int = 0
    updated_tasks: int = 0
    assignments: int = 0
    plan: Plan = field(default_factory=dict, repr=False)

    @property
    def to_check(self) -> int:
        """How many tasks carry a flag a reviewer should look at."""
        return sum(1 for t in self.tasks if t.flags)

    def to_json(self) -> dict[str, Any]:
        """The `nhacviec import --json` schema (ARCHITECTURE §8) plus resolution details."""
        return {
            "directive": self.directive,
            "tasks": [t.to_json() for t in self.tasks],
            "summary": {"tasks": len(self.tasks), "to_check": self.to_check},
            "unresolved": [asdict(u) for u in self.unresolved],
            "vague": self.vague,
            "dropped": self.dropped,
            "warnings": self.warnings,
            "stats": {
                "created_tasks": self.created_tasks,
                "updated_tasks": self.updated_tasks,
                "assignments": self.assignments,
            },
        }


def source_hash(data: bytes) -> str:
    """SHA-256 of the imported file, kept to tell re-imports of the same file."""
    return hashlib.sha256(data).hexdigest()


def _directive_json(parsed: ParsedDirective, ident: DirectiveIdentity) -> dict[str, Any]:
    return {
        "number": ident.number,
        "numbered": ident.numbered,
        "identity_key": ident.identity_key,
        "doc_type": parsed.doc_type,
        "issuer": parsed.issuer,
        "issued_on": parsed.issued_on.isoformat() if parsed.issued_on else None,
        "title": parsed.title,
    }


def prepare(
    parsed: ParsedDirective,
    registry: UnitRegistry,
    ident: DirectiveIdentity,
    saved: Edits,
    draft: Edits | None = None,
) -> tuple[ImportResult, ParsedDirective]:
    """Apply saved corrections and draft edits, resolve, and describe the result (no DB).

    Returns the result (dropped tasks left out of its `tasks`) and the corrected directive
    with every task, dropped ones included, in document order.
    """
    edits = merge_edits(saved, draft or {})
    corrected = apply_edits(parsed, edits)
    fields = {ref: corrected_fields(edit) for ref, edit in edits.items()}
    vague: list[str] = []
    tasks, unresolved, plan = resolve(corrected, registry, vague, fields)
    out = dropped(edits)
    result = ImportResult(
        directive=_directive_json(parsed, ident),
        tasks=[t for t in tasks if t.ref not in out],
        unresolved=unresolved,
        warnings=list(parsed.warnings),
        vague=vague,
        dropped=[t.ref for t in tasks if t.ref in out],
        plan=plan,
    )
    if not ident.numbered:
        result.warnings.insert(0, f"no directive number found; imported as {ident.number}")
    return result, corrected


async def import_directive(
    session: AsyncSession,
    parsed: ParsedDirective,
    *,
    registry: UnitRegistry,
    now: datetime,
    source_name: str | None = None,
    digest: str | None = None,
    number: str | None = None,
    actor_id: int | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    edits: Edits | None = None,
    audit_detail: dict[str, Any] | None = None,
) -> ImportResult:
    """Create or update the directive, its tasks and assignments; the caller commits.

    A directive without a number is imported under its identity (`store.import_identity`).
    Saved corrections are applied, then `edits` (a draft's, not yet saved) over them.
    """
    ident = directive_identity(parsed, number=number, digest=digest)
    saved = await load_corrections(session, ident.number)
    result, corrected = prepare(parsed, registry, ident, saved, edits)
    if dry_run:
        result.assignments = sum(len(v) for v in result.plan.values())
        return result
    directive = await _directive_row(session, ident)
    directive.doc_type = parsed.doc_type
    directive.issuer = parsed.issuer
    directive.issued_on = parsed.issued_on
    directive.title = parsed.title
    directive.source_name = source_name
    directive.source_hash = digest
    await session.flush()
    existing = {
        t.ref: t
        for t in await session.scalars(
            select(Task)
            .where(Task.directive_id == directive.id)
            .options(selectinload(Task.assignments))
        )
    }
    items = {t.ref: t for t in result.tasks}
    seqs: dict[int, int] = {}
    for position, pt in enumerate(corrected.tasks):
        task = existing.get(pt.ref)
        item = items.get(pt.ref)
        if item is None:  # dropped by a review: a live copy loses its unreported assignments
            if task is not None:
                await _sync_assignments(session, task, [], seqs)
            continue
        if task is None:
            task = Task(directive_id=directive.id, ref=pt.ref, assignments=[])
            session.add(task)
            result.created_tasks += 1
        else:
            result.updated_tasks += 1
        _fill_task(task, pt, item, position)
        await session.flush()
        result.assignments += await _sync_assignments(session, task, result.plan[pt.ref], seqs)
        if progress is not None:
            progress(1)
    audit(
        session,
        actor_id=actor_id,
        action="import",
        target=f"directive:{directive.id}",
        detail={
            "number": ident.number,
            "tasks": len(result.tasks),
            "dropped": len(result.dropped),
            "source": source_name,
            **(audit_detail or {}),
        },
        now=now,
    )
    result.directive["id"] = directive.id
    return result


async def _directive_row(session: AsyncSession, ident: DirectiveIdentity) -> Directive:
    """The directive with this number (or identity key), a new one if there is none."""
    directive = await session.scalar(select(Directive).where(Directive.number == ident.number))
    if directive is None and ident.identity_key is not None:
        directive = await session.scalar(
            select(Directive).where(Directive.identity_key == ident.identity_key)
        )
    if directive is None:
        directive = Directive(number=ident.number)
        session.add(directive)
    if ident.identity_key is not None:
        directive.identity_key = ident.identity_key
    return directive


def _fill_task(task: Task, pt: ParsedTask, item: ImportedTask, position: int) -> None:
    task.position = position
    task.title = pt.title
    task.body = pt.body
    task.lead_text = "; ".join(pt.lead)
    task.support_text = "; ".join(pt.cooperating)
    task.deadline_text = item.deadline_text
    task.due = item.due
    task.kind = TaskKind(item.kind)
    task.product = pt.product


async def _sync_assignments(
    session: AsyncSession,
    task: Task,
    wanted: list[tuple[int | None, Role]],
    seqs: dict[int, int],
) -> int:
    """Make the task's assignments match the plan; keep any that already has reports."""
    current = {a.unit_id: a for a in task.assignments}
    # An approved deadline extension outlives a re-import (unless the new date is later).
    extended = await approved_dues(session, [a.id for a in current.values()])
    wanted_ids = {uid for uid, _ in wanted if uid is not None}
    for uid, role in wanted:
        if uid is None:
            continue
        assignment = current.get(uid)
        if assignment is None:
            if uid not in seqs:
                seqs[uid] = await next_seq(session, uid)
            assignment = Assignment(task_id=task.id, unit_id=uid, seq=seqs[uid], role=role)
            seqs[uid] += 1
            session.add(assignment)
        assignment.role = role
        assignment.due = task.due
        if (moved := extended.get(assignment.id)) is not None and (
            task.due is None or moved > task.due
        ):
            assignment.due = moved
    for uid, assignment in current.items():
        if uid in wanted_ids:
            continue
        has_reports = await session.scalar(
            select(Report.id).where(Report.assignment_id == assignment.id).limit(1)
        )
        if has_reports is None:
            await session.delete(assignment)
        else:
            logger.warning(
                "unit %s no longer named on task %s but has reports; kept", uid, task.ref
            )
    return len(wanted_ids)
