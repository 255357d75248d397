"""Reviewers' corrections of imported tasks, remembered per directive and task ref.

A correction made while reviewing a draft is saved when the draft is confirmed and applied
again on every later import of the same directive (from the chat or the CLI), so fixing a
lead once is enough. Edits are plain dicts per task ref with any of:

* ``lead`` / ``cooperating``: unit names replacing the phrases the extractor read;
* ``deadline``: the deadline as the reviewer wrote it (normalised like any deadline);
* ``drop``: True to leave the task out (False undoes an earlier drop);
* ``ok``: the reviewer looked at the task and kept it as it is (drafts only, not saved).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.importing.parsed import ParsedDirective, ParsedTask
from store.models import ImportCorrection

logger = logging.getLogger(__name__)

Edits = dict[str, dict[str, Any]]

#: Fields saved as corrections (``ok`` only marks a task as checked within one review).
SAVED_FIELDS = ("lead", "cooperating", "deadline", "drop")
_LEAD_FLAGS = {"unit_unresolved", "unit_ambiguous", "no_lead", "lead_from_heading"}
_DEADLINE_FLAGS = {"no_deadline", "deadline_inherited", "deadline_span", "deadline_milestone"}


async def load_corrections(session: AsyncSession, number: str) -> Edits:
    """The saved corrections of a directive, per task ref."""
    rows = await session.scalars(
        select(ImportCorrection).where(ImportCorrection.directive_number == number)
    )
    return {row.ref: dict(row.data) for row in rows}


async def save_corrections(
    session: AsyncSession, number: str, edits: Edits, *, actor_id: int | None, now: datetime
) -> int:
    """Merge a review's edits into the saved corrections; return how many tasks changed."""
    saved = {
        row.ref: row
        for row in await session.scalars(
            select(ImportCorrection).where(ImportCorrection.directive_number == number)
        )
    }
    changed = 0
    for ref, edit in edits.items():
        fields = {k: v for k, v in edit.items() if k in SAVED_FIELDS}
        if not fields:
            continue
        row = saved.get(ref)
        if row is None:
            row = ImportCorrection(directive_number=number, ref=ref, data={})
            session.add(row)
        row.data = {**row.data, **fields}
        row.updated_by = actor_id
        row.updated_at = now
        changed += 1
    return changed


def merge_edits(saved: Edits, draft: Edits) -> Edits:
    """Draft edits over saved corrections, field by field."""
    merged = {ref: dict(edit) for ref, edit in saved.items()}
    for ref, edit in draft.items():
        merged[ref] = {**merged.get(ref, {}), **edit}
    return merged


def apply_edits(parsed: ParsedDirective, edits: Edits) -> ParsedDirective:
    """A copy of the directive with the edits applied (dropped tasks kept; see `dropped`)."""
    tasks = [_apply(task, edits.get(task.ref)) for task in parsed.tasks]
    return replace(parsed, tasks=tasks)


def dropped(edits: Edits) -> set[str]:
    """Refs of the tasks the edits leave out."""
    return {ref for ref, edit in edits.items() if edit.get("drop")}


def corrected_fields(edit: dict[str, Any] | None) -> list[str]:
    """Which of lead / cooperating / deadline an edit changes."""
    if not edit:
        return []
    return [name for name in ("lead", "cooperating", "deadline") if name in edit]


def _apply(task: ParsedTask, edit: dict[str, Any] | None) -> ParsedTask:
    if not edit:
        return task
    flags = list(task.flags)
    changes: dict[str, Any] = {}
    if "lead" in edit:
        changes["lead"] = list(edit["lead"])
        flags = [f for f in flags if f not in _LEAD_FLAGS and f != "low_confidence"]
    if "cooperating" in edit:
        changes["cooperating"] = list(edit["cooperating"])
    if "deadline" in edit:
        changes["deadline_text"] = str(edit["deadline"])
        flags = [f for f in flags if f not in _DEADLINE_FLAGS]
    return replace(task, flags=flags, **changes)
