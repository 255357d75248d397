"""`nhacviec export`: a unit's assignments, statuses and reports as an Excel workbook.

Two sheets with headers in the chosen language (Vietnamese by default): the assignments, one
row each with status and progress, and every report on them. Text officials typed is written
as text, never as a formula (a note starting with "=" stays a note).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.i18n import _
from handlers.render import status_label
from store.db import Session
from store.extensions import histories
from store.models import Assignment, Extension, ExtensionState, Report, Role, Unit
from store.status import classify
from store.unit_export import assignment_reports, unit_assignments

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written, not at start-up
    from openpyxl.worksheet.worksheet import Worksheet

_DATE = "DD/MM/YYYY"
_DATETIME = "DD/MM/YYYY HH:MM"


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What was written."""

    unit: str
    assignments: int
    reports: int
    path: Path


def _local(at: datetime | None, tz: ZoneInfo) -> datetime | None:
    # Excel has no time zones: write the local wall time officials know.
    return at.astimezone(tz).replace(tzinfo=None) if at is not None else None


def _safe(value: object) -> object:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def attachment_name(ref: str | None) -> str:
    """The file name of a report's evidence, from what the report stores about it.

    Reports keep a JSON object (`{"channel", "ref", "name", "size", "sha256"}`, see
    handlers.reporting.evidence); rows written before that kept `reference|name`. A reference
    without a name gives an empty cell rather than an opaque platform id.
    """
    if not ref:
        return ""
    try:
        data = json.loads(ref)
    except ValueError:
        return ref.rpartition("|")[2]
    if isinstance(data, dict):
        return str(data.get("name") or "")
    return ""


def _sheet(ws: Worksheet, headers: list[str], rows: list[list[object]], widths: list[int]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_safe(v) for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, not a formula
            elif isinstance(cell.value, datetime):
                cell.number_format = _DATETIME
            elif isinstance(cell.value, date):
                cell.number_format = _DATE
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions


def extension_summary(changes: list[Extension]) -> str:
    """One cell listing a task's extension requests: when, to which date, the decision."""
    states = {
        ExtensionState.PENDING: _("waiting for a decision"),
        ExtensionState.APPROVED: _("granted"),
        ExtensionState.REFUSED: _("refused"),
        ExtensionState.WITHDRAWN: _("replaced"),
    }
    return "; ".join(
        f"{e.created_at:%d/%m/%Y} → {e.new_due:%d/%m/%Y}: {states[e.state]}" for e in changes
    )


_TASK_WIDTHS = [30, 8, 16, 12, 60, 12, 24, 12, 24, 10, 17, 12, 50]
_REPORT_WIDTHS = [30, 8, 16, 12, 17, 24, 10, 16, 60, 24]


def _task_headers() -> list[str]:
    return [
        _("Unit"),
        _("Task no."),
        _("Directive"),
        _("Position in directive"),
        _("Task"),
        _("Role"),
        _("Deadline as written"),
        _("Due date"),
        _("Status"),
        _("Progress (%)"),
        _("Last report"),
        _("Original due date"),
        _("Deadline changes"),
    ]


def _report_headers() -> list[str]:
    return [
        _("Unit"),
        _("Task no."),
        _("Directive"),
        _("Position in directive"),
        _("Reported at"),
        _("Reported by"),
        _("Progress (%)"),
        _("State"),
        _("Note"),
        _("Attached file"),
    ]


def _task_rows(
    unit_name: str,
    assignments: list[Assignment],
    changes: dict[int, list[Extension]],
    *,
    today: date,
    tz: ZoneInfo,
) -> list[list[object]]:
    """One row per assignment: the task, the unit's role, its status and deadline history."""
    roles = {Role.LEAD: _("lead"), Role.SUPPORT: _("supporting")}
    rows: list[list[object]] = []
    for a in assignments:
        t = a.task
        status = classify(a.state, a.due, a.completed_on, t.kind, today)
        rows.append(
            [
                unit_name,
                a.seq,
                t.directive.number,
                t.ref,
                t.title,
                roles[a.role],
                t.deadline_text,
                a.due,
                status_label(status),
                a.progress,
                _local(a.last_report_at, tz),
                t.due,
                extension_summary(changes.get(a.id, [])),
            ]
        )
    return rows


def _report_rows(
    unit_name: str, reports: list[Report], by_id: dict[int, Assignment], tz: ZoneInfo
) -> list[list[object]]:
    """One row per report, under the assignment it is about."""
    rows: list[list[object]] = []
    for r in reports:
        a = by_id[r.assignment_id]
        rows.append(
            [
                unit_name,
                a.seq,
                a.task.directive.number,
                a.task.ref,
                _local(r.created_at, tz),
                r.author.name if r.author else "",
                r.percent,
                _("done") if r.state.value == "done" else _("in progress"),
                r.text,
                attachment_name(r.attachment),
            ]
        )
    return rows


async def write_unit_workbook(
    session: Session, unit: Unit, path: Path, *, today: date, tz: ZoneInfo
) -> ExportSummary:
    """Write the unit's assignments and reports to `path` (in the current locale).

    Args:
        session: An open session.
        unit: The unit to export.
        path: The .xlsx file to create (replaced if it exists).
        today: The local day statuses are judged on.
        tz: The zone report times are shown in.
    """
    assignments = await unit_assignments(session, unit.id)
    by_id = {a.id: a for a in assignments}
    reports = await assignment_reports(session, list(by_id))
    # Deadline extensions: the directive's date and every request stay on the record.
    changes = await histories(session, list(by_id))
    unit_name = unit.name
    rows = _task_rows(unit_name, assignments, changes, today=today, tz=tz)
    report_rows = _report_rows(unit_name, reports, by_id, tz)
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = _("Tasks")
    _sheet(first, _task_headers(), rows, _TASK_WIDTHS)
    _sheet(wb.create_sheet(_("Reports")), _report_headers(), report_rows, _REPORT_WIDTHS)
    await asyncio.to_thread(wb.save, path)
    return ExportSummary(unit_name, len(rows), len(report_rows), path)
