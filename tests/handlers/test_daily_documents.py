"""The compiled documents stay readable and bounded: 1,000 tasks, chatty notes (issue 13)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from handlers.summaries.documents.daily_docx import NOTE_LIMIT, NOTES, daily_docx
from handlers.summaries.documents.daily_xlsx import daily_json, daily_xlsx
from store.assignments import AssignmentView
from store.daily_report import Note, ReportItem, UnitDayReport
from store.models import AssignmentState, Role, TaskKind
from store.status import Status

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = date(2025, 3, 10)
CHATTY = "Đã hoàn thành một phần, đang phối hợp với các đơn vị liên quan. " * 40


def _big_report(n: int = 1000) -> UnitDayReport:
    report = UnitDayReport(
        1, "Bộ Công an", "Bộ Công an", "Chính phủ", DAY, datetime(2025, 3, 10, 9, tzinfo=UTC)
    )
    for i in range(n):
        overdue = i % 5 == 0
        view = AssignmentView(
            i + 1,
            i + 1,
            1,
            Role.LEAD,
            AssignmentState.OPEN,
            30,
            date(2025, 3, 1) if overdue else date(2025, 3, 31),
            None,
            TaskKind.ONCE,
            f"II.{i + 1}",
            "Xây dựng cơ sở dữ liệu quốc gia về dân cư " * 15,
            "",
            "",
            f"{i // 100 + 1}/QĐ-TTg",
            Status.OVERDUE if overdue else Status.IN_PROGRESS,
        )
        if i == 2:  # a title that looks like a formula
            view = replace(view, title='=HYPERLINK("http://example.invalid")')
        item = ReportItem(view, "Kế hoạch thực hiện Nghị quyết 57-NQ/TW")
        if i % 2:
            for hour in range(2, 9):
                at = datetime(2025, 3, 10, hour, tzinfo=UTC)
                item.notes.append(Note(at, "Nguyễn Thị Lan", 40, CHATTY, '{"name": "mc.pdf"}'))
        report.items.append(item)
    return report


def test_a_thousand_tasks_make_a_bounded_paginated_docx():
    report = _big_report()
    content = daily_docx(report, TZ)
    assert len(content) < 1_500_000
    doc = Document(io.BytesIO(content))
    body_rows = sum(len(t.rows) - 1 for t in doc.tables[1:11])  # ten directives
    assert body_rows == 1000
    for table in doc.tables[1:]:
        header = table.rows[0]._tr
        assert header.trPr.find(qn("w:tblHeader")) is not None  # repeats on every page
    fields = doc.sections[0].header._element.xpath(".//w:instrText")
    assert [f.text for f in fields] == ["PAGE"]
    # Each row is bounded: the last NOTES notes, each cut, the earlier ones counted.
    cell = doc.tables[1].rows[2].cells[6].text
    assert cell.count("Nguyễn Thị Lan") == 0 and cell.count("40%") == NOTES
    assert "(4 báo cáo trước đó trong ngày)" in cell
    assert max(len(line) for line in cell.split("\n")) < NOTE_LIMIT + 80
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(s)) for s in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == {
        "Times New Roman"
    }
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape for the table


def test_the_workbook_has_every_task_and_no_formula():
    report = _big_report(200)
    wb = load_workbook(io.BytesIO(daily_xlsx(report, TZ)))
    tasks, missing, late = wb.worksheets
    assert tasks.max_row == 201 and missing.max_row == 101 and late.max_row == 41
    assert tasks["D4"].value.startswith("=HYPERLINK") and tasks["D4"].data_type == "s"
    data = daily_json(report, TZ)
    assert len(data["tasks"]) == 200 and len(data["unreported"]) == 100
    assert data["overdue"][0] == {
        "ref": "II.1",
        "seq": 1,
        "directive": "1/QĐ-TTg",
        "title": report.items[0].view.title,
        "due": "2025-03-01",
        "days_overdue": 9,
    }
