"""The compiled daily report of one unit as a Word document (python-docx), as an office files it.

National heading and the unit, `BÁO CÁO tình hình thực hiện nhiệm vụ ngày DD/MM/YYYY`, a count
of the day, then a table per directive (task number and position, title, deadline, status in
the Government Office's categories, progress, the day's notes and evidence, who reported),
then the tasks not reported that day and the overdue ones. Rendered in the current locale
(the caller picks Vietnamese for what is filed).

Sizes are bounded per row (at most `NOTES` notes of `NOTE_LIMIT` characters each, titles cut),
so 1,000 tasks make a document of some tens of pages whose table header repeats on each page.
"""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from handlers.i18n import _
from handlers.render import fmt_date, status_label
from handlers.summaries.documents.office import (
    add_row,
    cell_text,
    evidence_name,
    heading,
    new_document,
    paragraph,
    section_heading,
    table,
    title,
)
from store.daily_report import ReportItem, UnitDayReport
from store.models import TaskKind
from store.status import Status

#: Notes of one task shown in its row (the newest), and their length.
NOTES = 3
NOTE_LIMIT = 300
TITLE_LIMIT = 400

_MAIN = [1.3, 1.7, 6.2, 2.4, 2.6, 1.5, 6.3, 3.2]
_UNREPORTED = [1.3, 1.7, 3.0, 9.6, 2.6, 7.0]
_OVERDUE = [1.3, 1.7, 3.0, 9.6, 2.6, 2.4, 1.5, 3.1]


def deadline_cell(item: ReportItem) -> str:
    """The deadline as a date, or as the directive wrote it when it has none."""
    v = item.view
    if v.due is not None:
        return fmt_date(v.due)
    return cell_text(v.deadline_text, 80) or "—"


def progress_cell(item: ReportItem) -> str:
    """Progress in percent (recurring work has none)."""
    if item.view.kind in (TaskKind.RECURRING, TaskKind.ANNUAL) and item.view.due is None:
        return "—"
    return f"{item.view.progress}%"


def note_lines(item: ReportItem, tz: ZoneInfo, limit: int = NOTES) -> list[str]:
    """The day's notes of one task, newest last, each with its time, percent and evidence."""
    lines = []
    shown = item.notes[-limit:]
    if len(item.notes) > len(shown):
        hidden = len(item.notes) - len(shown)
        lines.append(_("({n} earlier reports today)").format(n=hidden))
    for note in shown:
        line = note.at.astimezone(tz).strftime("%H:%M")
        if note.percent is not None:
            line += f" ({note.percent}%)"
        text = cell_text(note.text, NOTE_LIMIT)
        if text:
            line += ": " + text
        evidence = evidence_name(note.evidence)
        if note.evidence:
            line += " — " + _("evidence: {name}").format(name=cell_text(evidence, 80) or "✓")
        lines.append(line)
    return lines


def number_cell(item: ReportItem) -> str:
    """The unit's task number (`NV 7`)."""
    return _("Task {seq}").format(seq=item.view.seq)


def _main_table(doc: object, items: list[ReportItem], tz: ZoneInfo) -> None:
    headers = [
        _("No."),
        _("Item"),
        _("Task"),
        _("Deadline"),
        _("Status"),
        _("Progress"),
        _("Today's report and evidence"),
        _("Reported by"),
    ]
    tbl = table(doc, headers, _MAIN)  # type: ignore[arg-type]
    for item in items:
        v = item.view
        notes = "\n".join(note_lines(item, tz)) or _("Not reported today")
        add_row(
            tbl,
            [
                number_cell(item),
                cell_text(v.ref, 40),
                cell_text(v.title, TITLE_LIMIT),
                deadline_cell(item),
                status_label(v.status),
                progress_cell(item),
                notes,
                cell_text(", ".join(item.reported_by), 200) or "—",
            ],
        )


def _unreported_table(doc: object, items: list[ReportItem]) -> None:
    headers = [_("No."), _("Item"), _("Directive"), _("Task"), _("Deadline"), _("Handed to")]
    tbl = table(doc, headers, _UNREPORTED)  # type: ignore[arg-type]
    for item in items:
        v = item.view
        assignees = ", ".join(item.assignees) or _("the whole unit")
        add_row(
            tbl,
            [
                number_cell(item),
                cell_text(v.ref, 40),
                cell_text(v.directive_number, 64),
                cell_text(v.title, TITLE_LIMIT),
                deadline_cell(item),
                cell_text(assignees, 200),
            ],
        )


def _overdue_table(doc: object, items: list[ReportItem], report: UnitDayReport) -> None:
    headers = [
        _("No."),
        _("Item"),
        _("Directive"),
        _("Task"),
        _("Deadline"),
        _("Days overdue"),
        _("Progress"),
        _("Reported today"),
    ]
    tbl = table(doc, headers, _OVERDUE)  # type: ignore[arg-type]
    for item in items:
        v = item.view
        days = (report.day - v.due).days if v.due else 0
        add_row(
            tbl,
            [
                number_cell(item),
                cell_text(v.ref, 40),
                cell_text(v.directive_number, 64),
                cell_text(v.title, TITLE_LIMIT),
                deadline_cell(item),
                str(days),
                progress_cell(item),
                _("yes") if item.reported else _("no"),
            ],
        )


def summary_line(report: UnitDayReport, tz: ZoneInfo) -> str:
    """The day in one sentence: how much work, how much reported, unreported and overdue."""
    local = report.until.astimezone(tz)
    return _(
        "Tasks to report on: {total}; reported: {reported}; not reported: {unreported}; "
        "overdue: {overdue}. Reports received up to {time} on {date}."
    ).format(
        total=len(report.items),
        reported=len(report.items) - len(report.unreported),
        unreported=len(report.unreported),
        overdue=len(report.overdue),
        time=local.strftime("%H:%M"),
        date=fmt_date(report.day),
    )


def daily_docx(report: UnitDayReport, tz: ZoneInfo) -> bytes:
    """The .docx of one unit's compiled day."""
    doc = new_document()
    heading(doc, parent=report.parent_name, body=report.unit_full_name, day=report.day)
    title(
        doc,
        [
            _("REPORT"),
            _("on the implementation of tasks on {date}").format(date=fmt_date(report.day)),
        ],
    )
    paragraph(doc, summary_line(report, tz))
    section_heading(doc, _("I. Implementation of tasks"))
    for n, (number, dtitle, items) in enumerate(report.by_directive(), start=1):
        head = _("{n}. Directive {number}").format(n=n, number=cell_text(number, 64))
        if dtitle:
            head += ": " + cell_text(dtitle, 300)
        section_heading(doc, head)
        _main_table(doc, items, tz)
    section_heading(doc, _("II. Tasks not reported today"))
    if report.unreported:
        _unreported_table(doc, report.unreported)
    else:
        paragraph(doc, _("Every task that needed a report today was reported."), italic=True)
    section_heading(doc, _("III. Overdue tasks"))
    overdue = [i for i in report.items if i.view.status == Status.OVERDUE]
    if overdue:
        _overdue_table(doc, overdue, report)
    else:
        paragraph(doc, _("No task is overdue."), italic=True)
    paragraph(
        doc,
        _("Compiled by Nhắc việc from the reports the unit's officials sent in the chat."),
        italic=True,
    )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
