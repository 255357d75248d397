"""The roll-up as chat text, as a Word report (with the chart) and as a workbook.

One row per unit: completed on time, late, overdue at the end, reporting discipline (reported
days of required ones), score and its change since the period before. Rendered in the current
locale.
"""

from __future__ import annotations

import io
from typing import Any

from babel.numbers import format_decimal

from handlers.i18n import _, current_locale
from handlers.markup import bold, clean_user_text
from handlers.render import fmt_date
from handlers.summaries.documents.office import (
    FONT,
    add_row,
    cell_text,
    heading,
    new_document,
    paragraph,
    section_heading,
    table,
    title,
)
from handlers.summaries.rollup import Rollup, RollupRow, period_key

#: Units the chat text lists; the documents list them all.
TEXT_ROWS = 30
_WIDTHS = [1.2, 6.4, 2.0, 2.0, 2.2, 2.6, 3.0, 2.2, 3.6]


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return format_decimal(value, format="#,##0.#", locale=current_locale())


def _change(row: RollupRow) -> str:
    change = row.change
    if change is None:
        return "—"
    return ("+" if change > 0 else "") + _num(change)


def period_title(rollup: Rollup) -> str:
    """`week 01/12/2025 – 07/12/2025` or `month 12/2025`."""
    p = rollup.period
    if rollup.kind == "week":
        return _("week {start} – {end}").format(start=fmt_date(p.start), end=fmt_date(p.end))
    return _("month {month}/{year}").format(month=f"{p.start.month:02d}", year=p.start.year)


def _discipline(row: RollupRow) -> str:
    s = row.score
    if not s.required_days:
        return "—"
    return f"{s.reported_days}/{s.required_days}"


def _cells(row: RollupRow) -> list[str]:
    s = row.score
    return [
        str(s.rank or "—"),
        cell_text(s.name, 120),
        str(s.on_time),
        str(s.late),
        str(row.overdue),
        _discipline(row),
        _num(s.score),
        _change(row),
        f"{row.previous_overdue} → {row.overdue}",
    ]


def _headers() -> list[str]:
    return [
        _("Rank"),
        _("Unit"),
        _("Done on time"),
        _("Done late"),
        _("Overdue"),
        _("Daily reports (days)"),
        _("Score"),
        _("Change"),
        _("Overdue before → now"),
    ]


def rollup_text(rollup: Rollup) -> str:
    """The roll-up in chat: one line per unit (most behind last), the rest counted."""
    lines = [bold(_("Roll-up — {period}").format(period=period_title(rollup)))]
    if not rollup.rows:
        lines.append(_("No unit had work in this period."))
        return "\n".join(lines)
    for row in rollup.rows[:TEXT_ROWS]:
        s = row.score
        lines.append(
            _(
                "{rank}. {unit}: {on_time} on time, {late} late, {overdue} overdue; reports "
                "{discipline}; score {score} ({change})"
            ).format(
                rank=s.rank or "—",
                unit=clean_user_text(s.name),
                on_time=s.on_time,
                late=s.late,
                overdue=row.overdue,
                discipline=_discipline(row),
                score=_num(s.score),
                change=_change(row),
            )
        )
    if len(rollup.rows) > TEXT_ROWS:
        lines.append(_("…and {n} more units").format(n=len(rollup.rows) - TEXT_ROWS))
    return "\n".join(lines)


def rollup_docx(rollup: Rollup, *, body: str, chart_png: bytes | None = None) -> bytes:
    """The roll-up as a Word report issued by `body` (the oversight group's name)."""
    from docx.shared import Cm

    doc = new_document()
    heading(doc, parent="", body=body, day=rollup.period.end)
    title(
        doc,
        [
            _("REPORT"),
            _("Roll-up of task implementation, {period}").format(period=period_title(rollup)),
        ],
    )
    paragraph(
        doc,
        _("Compared with the period before: {start} – {end}.").format(
            start=fmt_date(rollup.previous.start), end=fmt_date(rollup.previous.end)
        ),
    )
    section_heading(doc, _("I. Results by unit"))
    tbl = table(doc, _headers(), _WIDTHS)
    for row in rollup.rows:
        add_row(tbl, _cells(row))
    if chart_png:
        section_heading(doc, _("II. Scores"))
        doc.add_picture(io.BytesIO(chart_png), width=Cm(20))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def rollup_xlsx(rollup: Rollup) -> bytes:
    """The roll-up as a workbook: one row per unit, with the previous period's figures."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = period_key(rollup.period)
    headers = [*_headers()[:8], _("Overdue before"), _("Score before")]
    headers += [_("Completion"), _("Discipline")]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(name=FONT, bold=True)
    for n, row in enumerate(rollup.rows, start=2):
        s = row.score
        values: list[Any] = [
            s.rank,
            s.name,
            s.on_time,
            s.late,
            row.overdue,
            _discipline(row),
            s.score,
            row.change,
            row.previous_overdue,
            row.previous.score if row.previous else None,
            s.completion,
            s.discipline,
        ]
        ws.append(values)
        for cell in ws[n]:
            cell.font = Font(name=FONT)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    ws.column_dimensions["B"].width = 48
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
