"""The compiled daily report as a workbook (openpyxl) and as JSON: the same data as the .docx.

Three sheets: every task of the day (one row each, all of the day's notes), the tasks not
reported, the overdue ones. Text officials typed is written as text, never as a formula.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from handlers.i18n import _
from handlers.render import status_label
from handlers.summaries.documents.daily_docx import deadline_cell, note_lines
from handlers.summaries.documents.office import FONT, cell_text, evidence_name
from store.daily_report import ReportItem, UnitDayReport

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

#: Notes of one task kept in its cell (Excel cells hold 32,767 characters).
XLSX_NOTES = 20


def _row(item: ReportItem, tz: ZoneInfo) -> list[object]:
    v = item.view
    return [
        v.seq,
        v.ref,
        v.directive_number,
        cell_text(v.title, 2000),
        v.due,
        deadline_cell(item) if v.due is None else "",
        status_label(v.status),
        v.progress,
        "\n".join(note_lines(item, tz, XLSX_NOTES)),
        ", ".join(item.reported_by),
        ", ".join(item.assignees),
        _("yes") if item.reported else _("no"),
    ]


def _sheet(ws: Worksheet, rows: list[list[object]]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    headers = [
        _("No."),
        _("Item"),
        _("Directive"),
        _("Task"),
        _("Due date"),
        _("Deadline as written"),
        _("Status"),
        _("Progress (%)"),
        _("Today's report and evidence"),
        _("Reported by"),
        _("Handed to"),
        _("Reported today"),
    ]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(name=FONT, bold=True)
    font = Font(name=FONT)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=2):
        # Cell by cell: `ws.append` then `ws[r]` scans the sheet, quadratic over a long one.
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font = font
            cell.alignment = wrap
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, not a formula
            elif c == 5 and value is not None:
                cell.number_format = "DD/MM/YYYY"
    for n, width in enumerate([8, 10, 16, 60, 12, 20, 22, 10, 60, 24, 24, 12], start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def daily_xlsx(report: UnitDayReport, tz: ZoneInfo) -> bytes:
    """The .xlsx of one unit's compiled day."""
    from openpyxl import Workbook

    wb = Workbook()
    main = wb.active
    main.title = _("Tasks")[:31]
    _sheet(main, [_row(i, tz) for i in report.items])
    _sheet(wb.create_sheet(_("Not reported")[:31]), [_row(i, tz) for i in report.unreported])
    _sheet(wb.create_sheet(_("Overdue")[:31]), [_row(i, tz) for i in report.overdue])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _brief(item: ReportItem) -> dict[str, Any]:
    v = item.view
    return {
        "ref": v.ref,
        "seq": v.seq,
        "directive": v.directive_number,
        "title": v.title,
        "due": v.due.isoformat() if v.due else None,
    }


def daily_json(report: UnitDayReport, tz: ZoneInfo) -> dict[str, Any]:
    """The compiled day as `nhacviec daily-report --json` prints it."""
    tasks = []
    for item in report.items:
        v = item.view
        tasks.append(
            {
                **_brief(item),
                "status": v.status.value,
                "percent": v.progress,
                "notes": [
                    {
                        "time": n.at.astimezone(tz).isoformat(timespec="minutes"),
                        "author": n.author,
                        "percent": n.percent,
                        "text": n.text,
                        "evidence": evidence_name(n.evidence) or None,
                    }
                    for n in item.notes
                ],
                "reported_by": item.reported_by,
                "assignees": item.assignees,
            }
        )
    return {
        "unit": report.unit_full_name,
        "day": report.day.isoformat(),
        "until": report.until.astimezone(tz).isoformat(timespec="minutes"),
        "tasks": tasks,
        "unreported": [_brief(i) for i in report.unreported],
        "overdue": [
            {**_brief(i), "days_overdue": (report.day - i.view.due).days}
            for i in report.overdue
            if i.view.due is not None
        ],
    }
