"""Persist an extracted directive: directive, tasks and one assignment per unit and role.

Importing the same directive again (same number) updates it in place: tasks are matched by
their position in the document (`ref`), assignments by unit, so reports are never lost.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.assignments import next_seq
from store.audit import audit
from store.deadlines import normalise_deadline
from store.importing.extract import ParsedDirective, ParsedTask
from store.models import Assignment, Directive, Report, Role, Task, TaskKind
from store.registry import UnitRegistry

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Unresolved:
    """An assignee phrase that matched no unit, with the nearest candidates."""

    text: str
    candidates: list[str]


@dataclass(slots=True)
class ImportedTask:
    """One task as imported: the phrases as written plus the units they resolved to."""

    ref: str
    title: str
    lead: list[str]
    cooperating: list[str]
    deadline_text: str
    due: date | None
    kind: str
    product: str
    lead_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)


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
    created_tasks: int = 0
    updated_tasks: int = 0
    assignments: int = 0

    def to_json(self) -> dict[str, Any]:
        """The `nhacviec import --json` schema (ARCHITECTURE §8) plus resolution details."""
        tasks = []
        for t in self.tasks:
            item = asdict(t)
            item["due"] = t.due.isoformat() if t.due else None
            tasks.append(item)
        return {
            "directive": self.directive,
            "tasks": tasks,
            "unresolved": [asdict(u) for u in self.unresolved],
            "vague": self.vague,
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


def _directive_json(parsed: ParsedDirective, number: str) -> dict[str, Any]:
    return {
        "number": number,
        "doc_type": parsed.doc_type,
        "issuer": parsed.issuer,
        "issued_on": parsed.issued_on.isoformat() if parsed.issued_on else None,
        "title": parsed.title,
    }


def resolve(
    parsed: ParsedDirective, registry: UnitRegistry, vague: list[str] | None = None
) -> tuple[list[ImportedTask], list[Unresolved], dict[str, list[tuple[int | None, Role]]]]:
    """Normalise deadlines and resolve assignee phrases to units, without touching the DB.

    Returns the imported tasks, the phrases nobody matched, and per task ref the
    (unit id, role) pairs to assign; a unit named as both lead and support is lead. Phrases
    that name no identifiable unit are appended to `vague` when given.
    """
    context = registry.match(parsed.issuer).unit if parsed.issuer else None
    context_code = context.code if context else None
    unresolved: dict[str, Unresolved] = {}
    tasks: list[ImportedTask] = []
    plan: dict[str, list[tuple[int | None, Role]]] = {}
    for pt in parsed.tasks:
        deadline = normalise_deadline(pt.deadline_text, parsed.issued_on)
        item = ImportedTask(
            ref=pt.ref,
            title=pt.title,
            lead=list(pt.lead),
            cooperating=list(pt.cooperating),
            deadline_text=deadline.text,
            due=deadline.due,
            kind=deadline.kind.value,
            product=pt.product,
        )
        roles: dict[int | None, Role] = {}
        for role, phrases, names in (
            (Role.LEAD, pt.lead, item.lead_units),
            (Role.SUPPORT, pt.cooperating, item.cooperating_units),
        ):
            for phrase in phrases:
                expansion = registry.expand(phrase, context_parent=context_code)
                for unit in expansion.units:
                    if unit.id in roles:
                        continue
                    roles[unit.id] = role
                    names.append(unit.name)
                for part in expansion.vague:
                    if vague is not None and part not in vague:
                        vague.append(part)
                for part, candidates in expansion.unresolved:
                    key = part.strip()
                    if key and key not in unresolved:
                        unresolved[key] = Unresolved(key, [c.name for c, _ in candidates][:3])
        plan[pt.ref] = [(uid, role) for uid, role in roles.items()]
        tasks.append(item)
    return tasks, list(unresolved.values()), plan


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
) -> ImportResult:
    """Create or update the directive, its tasks and assignments; the caller commits."""
    number = (number or parsed.number or "").strip()
    if not number:
        raise ValueError("the directive has no number; pass one explicitly")
    vague: list[str] = []
    tasks, unresolved, plan = resolve(parsed, registry, vague)
    result = ImportResult(
        directive=_directive_json(parsed, number),
        tasks=tasks,
        unresolved=unresolved,
        warnings=list(parsed.warnings),
        vague=vague,
    )
    if dry_run:
        result.assignments = sum(len(v) for v in plan.values())
        return result
    directive = await session.scalar(select(Directive).where(Directive.number == number))
    if directive is None:
        directive = Directive(number=number)
        session.add(directive)
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
    seqs: dict[int, int] = {}
    for position, (pt, item) in enumerate(zip(parsed.tasks, tasks, strict=True)):
        task = existing.get(pt.ref)
        if task is None:
            task = Task(directive_id=directive.id, ref=pt.ref, assignments=[])
            session.add(task)
            result.created_tasks += 1
        else:
            result.updated_tasks += 1
        _fill_task(task, pt, item, position)
        await session.flush()
        result.assignments += await _sync_assignments(session, task, plan[pt.ref], seqs)
        if progress is not None:
            progress(1)
    audit(
        session,
        actor_id=actor_id,
        action="import",
        target=f"directive:{directive.id}",
        detail={"number": number, "tasks": len(tasks), "source": source_name},
        now=now,
    )
    return result


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
