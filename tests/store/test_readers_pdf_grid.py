"""Ruled PDF tables drawn a box per line, headers merged over split columns, framed
paragraphs, and glyphs whose boxes rise with their marks (PDFs generated with fpdf2 here, in
the shapes seen in a provincial plan exported from Word)."""

from __future__ import annotations

import importlib
from typing import Any

from store.importing import extract, read_document
from store.importing.readers.pdf_grid import Cell, collapse_split_columns, join_wrapped_rows
from store.importing.readers.pdf_lines import rows_by_top
from tests.store import import_samples as samples

TITLE = (
    "Nghiên cứu bổ sung chức năng, nhiệm vụ, nguồn lực cho Quỹ Bảo vệ và phát triển rừng "
    "tỉnh để thực hiện các nhiệm vụ của Chỉ thị về trồng và bảo vệ cây xanh."
)


def _boxed_lines_table(*, split_header: bool) -> bytes:
    """TT, lead and time merged down over the title cut into one ruled box a line."""
    pdf = samples.pdf_page()
    width = 60
    lines = pdf.multi_cell(width - 2, 5, TITLE, dry_run=True, output="LINES")
    assert len(lines) >= 3
    widths = (12, 8, width, 8, 45, 30) if split_header else (12, width, 45, 30)
    with pdf.table(
        width=sum(widths), col_widths=widths, text_align="LEFT", line_height=5
    ) as table:
        row = table.row()
        row.cell("TT")
        row.cell("Nhiệm vụ", colspan=3 if split_header else 1)
        row.cell("Cơ quan chủ trì")
        row.cell("Thời gian thực hiện")
        for index, line in enumerate(lines):
            row = table.row()
            if index == 0:
                row.cell("5", rowspan=len(lines))
            if split_header:
                row.cell("")
            row.cell(line)
            if split_header:
                row.cell("")
            if index == 0:
                row.cell("Sở Nông nghiệp và Phát triển nông thôn", rowspan=len(lines))
                row.cell("Quý I/2025", rowspan=len(lines))
        for values in (["6", "Tăng cường thanh tra, kiểm tra.", "Thanh tra tỉnh", "Hàng năm"],):
            row = table.row()
            row.cell(values[0])
            if split_header:
                row.cell("")
            row.cell(values[1])
            if split_header:
                row.cell("")
            for value in values[2:]:
                row.cell(value)
    return bytes(pdf.output())


def _rows(data: bytes) -> list[str]:
    return [line for line in read_document(data, "kh.pdf").lines if line.startswith("|")]


def test_a_title_ruled_a_box_per_line_is_one_row() -> None:
    rows = _rows(_boxed_lines_table(split_header=False))
    assert rows == [
        "| TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian thực hiện |",
        f"| 5 | {TITLE} | Sở Nông nghiệp và Phát triển nông thôn | Quý I/2025 |",
        "| 6 | Tăng cường thanh tra, kiểm tra. | Thanh tra tỉnh | Hàng năm |",
    ]


def test_a_header_merged_over_split_columns_is_one_column() -> None:
    rows = _rows(_boxed_lines_table(split_header=True))
    assert rows[0] == "| TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian thực hiện |"
    assert rows[1] == f"| 5 | {TITLE} | Sở Nông nghiệp và Phát triển nông thôn | Quý I/2025 |"
    data = _boxed_lines_table(split_header=True)
    (task, _other) = extract(data, "kh.pdf").tasks
    assert task.title == TITLE.rstrip(".") and task.lead == [
        "Sở Nông nghiệp và Phát triển nông thôn"
    ]
    assert task.deadline_text == "Quý I/2025"


def test_sub_rows_with_their_own_work_stay_rows() -> None:
    # Two tasks under one merged number and lead: the second is no wrap of the first.
    pdf = samples.pdf_page()
    with pdf.table(col_widths=(12, 70, 50), text_align="LEFT") as table:
        for values in (["TT", "Nhiệm vụ", "Chủ trì"],):
            row = table.row()
            for value in values:
                row.cell(value)
        row = table.row()
        row.cell("1", rowspan=2)
        row.cell("Rà soát quy hoạch")
        row.cell("Sở Xây dựng", rowspan=2)
        row = table.row()
        row.cell("Xây dựng đề án")
    assert _rows(bytes(pdf.output())) == [
        "| TT | Nhiệm vụ | Chủ trì |",
        "| 1 | Rà soát quy hoạch | Sở Xây dựng |",
        "| 1 | Xây dựng đề án | Sở Xây dựng |",
    ]


def test_a_framed_paragraph_is_text() -> None:
    pdf = samples.pdf_page()
    with pdf.table(col_widths=(150,), text_align="LEFT", first_row_as_headings=False) as table:
        for text in ("2. Sở Tài chính", "Hằng năm, tham mưu bố trí kinh phí thực hiện Kế hoạch."):
            table.row().cell(text)
    lines = [line for line in read_document(bytes(pdf.output()), "f.pdf").lines if line]
    assert lines == ["2. Sở Tài chính", "Hằng năm, tham mưu bố trí kinh phí thực hiện Kế hoạch."]


def test_split_columns_collapse_only_when_they_never_disagree() -> None:
    rows = [["TT", "Thời gian", "Thời gian"], ["1", "", "2025"], ["2", "2026", ""]]
    assert collapse_split_columns(rows) == [["TT", "Thời gian"], ["1", "2025"], ["2", "2026"]]
    rows = [["TT", "Thời gian", "Thời gian"], ["", "Bắt đầu", "Kết thúc"], ["1", "2025", "2026"]]
    assert collapse_split_columns(rows) == rows


class _TextPage:
    """PDFium's text page of one line whose ``ể`` box starts 3.2 pt above the others'."""

    def __init__(self, text: str) -> None:
        self.text = text

    def count_chars(self) -> int:
        return len(self.text)

    def get_text_range(self, index: int, count: int) -> str:
        return self.text[index : index + count]

    def get_charbox(self, index: int, loose: bool = False) -> tuple[float, float, float, float]:
        x0 = 100.0 + 7.0 * index
        rises = self.text[index] in "ểỦ"
        return (x0, 600.0, x0 + 7.0, 613.0 + (3.2 if rises else 0.0))

    def close(self) -> None:
        pass


class _Page:
    def __init__(self, text: str) -> None:
        self.text = text

    def get_textpage(self) -> _TextPage:
        return _TextPage(self.text)

    def get_height(self) -> float:
        return 842.0


def test_letters_with_stacked_marks_stay_in_their_words_and_line() -> None:
    pdf_module: Any = importlib.import_module("store.importing.readers.pdf")
    words = pdf_module._pdfium_words(_Page("Triển khai Ủy ban"))
    assert [w["text"] for w in words] == ["Triển", "khai", "Ủy", "ban"]
    assert [" ".join(w["text"] for w in row) for row in rows_by_top(words)] == [
        "Triển khai Ủy ban"
    ]


def test_a_row_with_a_number_of_its_own_is_never_joined_to_the_row_above() -> None:
    # Even where every cell would pass the wrap test ("STT" and "A" do not fit one line of a
    # narrow number column), a number in a box of its own opens a row.
    def cell(text: str, x0: float, top: float) -> Cell:
        box = (x0, top, x0 + 30.0, top + 10.0)
        return Cell(text, box, box)

    header = [cell("STT", 0, 0), cell("Nhiệm vụ, giải pháp", 30, 0)]
    group = [cell("A", 0, 10), cell("PHÁT TRIỂN NỀN MÓNG CHO KINH TẾ SỐ", 30, 10)]
    wrapped = [header[0], cell("hoàn thiện thể chế", 30, 10)]  # the number cell spans down
    joined = join_wrapped_rows([header, group], lambda upper, lower: True)
    assert [[c.text for c in row if c] for row in joined] == [
        ["STT", "Nhiệm vụ, giải pháp"],
        ["A", "PHÁT TRIỂN NỀN MÓNG CHO KINH TẾ SỐ"],
    ]
    joined = join_wrapped_rows([header, wrapped], lambda upper, lower: True)
    assert [[c.text for c in row if c] for row in joined] == [
        ["STT", "Nhiệm vụ, giải pháp\nhoàn thiện thể chế"]
    ]


def test_a_header_alone_keeps_its_columns() -> None:
    # The header at the foot of a page, its body on the next: nothing shows a split column.
    rows = [["STT", "Nhiệm vụ", "Cơ quan", "Cơ quan", "Thời hạn"]]
    assert collapse_split_columns(rows) == rows
