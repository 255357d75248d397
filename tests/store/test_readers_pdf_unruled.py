"""Appendix tables without vertical rules: columns apart by white space only, or with
horizontal rules only, come out as the pipe rows of a ruled table and their tasks are read."""

from __future__ import annotations

import pytest

from store.importing import extract, read_document
from tests.store import import_samples as samples

HEADER = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
ROWS = [
    ["I", "NHÓM NHIỆM VỤ VỀ THỂ CHẾ"],  # a group row across the table
    [
        "1",
        "Xây dựng quy chế quản lý, vận hành hệ thống thông tin báo cáo của tỉnh và hướng dẫn "
        "các đơn vị cập nhật số liệu định kỳ",
        "Sở Tài chính",
        "Sở Nội vụ; Văn phòng UBND tỉnh",
        "Tháng 9/2025",
    ],
    [
        "2",
        "Rà soát, sửa đổi các quy định về thủ tục hành chính nội bộ",
        "Sở Tư pháp",
        "Các sở, ngành liên quan",
        "Quý IV/2025",
    ],
    ["II", "NHÓM NHIỆM VỤ VỀ HẠ TẦNG"],
    [
        "3",
        "Nâng cấp trung tâm dữ liệu dùng chung",
        "Sở Khoa học và Công nghệ",
        "Sở Tài chính",
        "Trước ngày 30/6/2026",
    ],
]
EXPECTED = [
    "| TT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |",
    # (A group title that stays within one column is that column's text.)
    "| I | NHÓM NHIỆM VỤ VỀ THỂ CHẾ |  |  |  |",
    "| 1 | Xây dựng quy chế quản lý, vận hành hệ thống thông tin báo cáo của tỉnh và hướng dẫn"
    " các đơn vị cập nhật số liệu định kỳ | Sở Tài chính | Sở Nội vụ; Văn phòng UBND tỉnh"
    " | Tháng 9/2025 |",
    "| 2 | Rà soát, sửa đổi các quy định về thủ tục hành chính nội bộ | Sở Tư pháp"
    " | Các sở, ngành liên quan | Quý IV/2025 |",
    "| II | NHÓM NHIỆM VỤ VỀ HẠ TẦNG |  |  |  |",
    "| 3 | Nâng cấp trung tâm dữ liệu dùng chung | Sở Khoa học và Công nghệ | Sở Tài chính"
    " | Trước ngày 30/6/2026 |",
]


def _pdf(borders: str, *, tight: bool = False) -> bytes:
    """A plan with its appendix table drawn with `borders` (fpdf2's ``borders_layout``);
    `tight`: no space between rows, cells aligned to the top (Word's defaults)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", "", str(samples.FONT))
    pdf.add_font("dejavu", "B", str(samples.FONT_BOLD))
    pdf.add_page()
    pdf.set_font("dejavu", "", 11)
    for left, right in samples.HEADER:
        pdf.cell(80, 6, left, align="C")
        pdf.cell(0, 6, right, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for line in samples.TITLE:
        pdf.cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0, 6, "Ủy ban nhân dân tỉnh giao nhiệm vụ tại Phụ lục kèm theo.", new_x="LMARGIN"
    )
    pdf.ln(8)
    pdf.cell(0, 7, "PHỤ LỤC", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("dejavu", "", 10)
    with pdf.table(
        col_widths=(10, 70, 40, 40, 30),
        text_align="LEFT",
        borders_layout=borders,
        padding=(0, 2) if tight else (1, 2),
        line_height=5,
        v_align="TOP" if tight else "MIDDLE",
    ) as table:
        for values in [HEADER, *ROWS]:
            row = table.row()
            for i, value in enumerate(values):
                row.cell(value, colspan=4 if len(values) == 2 and i == 1 else 1)
    pdf.ln(14)
    pdf.set_font("dejavu", "", 11)
    pdf.multi_cell(
        0,
        6,
        "Các cơ quan, đơn vị căn cứ nhiệm vụ được giao tổ chức thực hiện và báo cáo kết quả "
        "về Ủy ban nhân dân tỉnh trước ngày 15 tháng 12 hằng năm.",
        new_x="LMARGIN",
    )
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("borders", "tight"),
    [("NONE", False), ("HORIZONTAL_LINES", False), ("NONE", True)],
    ids=["white-space", "horizontal-rules", "no-space-between-rows"],
)
def test_unruled_table_comes_out_as_pipe_rows(borders, tight) -> None:
    lines = read_document(_pdf(borders, tight=tight), "kh125.pdf").lines
    start = lines.index(EXPECTED[0])
    assert lines[start - 1] == "" and lines[start + len(EXPECTED)] == ""
    assert lines[start : start + len(EXPECTED)] == EXPECTED
    # The text around the table stays running text.
    assert "Ủy ban nhân dân tỉnh giao nhiệm vụ tại Phụ lục kèm theo." in lines
    assert any(line.startswith("Các cơ quan, đơn vị căn cứ") for line in lines)


@pytest.mark.parametrize("borders", ["NONE", "HORIZONTAL_LINES"])
def test_unruled_table_tasks_have_their_lead_and_deadline(borders) -> None:
    directive = extract(_pdf(borders), "kh125.pdf")
    tasks = {t.lead[0]: t for t in directive.tasks if t.lead}
    assert tasks["Sở Tài chính"].deadline_text == "Tháng 9/2025"
    assert tasks["Sở Tài chính"].cooperating == ["Sở Nội vụ", "Văn phòng UBND tỉnh"]
    assert tasks["Sở Tư pháp"].deadline_text == "Quý IV/2025"
    assert tasks["Sở Khoa học và Công nghệ"].deadline_text == "Trước ngày 30/6/2026"
    assert tasks["Sở Khoa học và Công nghệ"].group.startswith("NHÓM NHIỆM VỤ VỀ HẠ TẦNG")


def _long_pdf(repeat_header: bool) -> bytes:
    """An appendix of 30 tasks running over two pages, its header repeated or not."""
    from fpdf import FPDF
    from fpdf.enums import TableHeadingsDisplay

    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", "", str(samples.FONT))
    pdf.add_font("dejavu", "B", str(samples.FONT_BOLD))
    pdf.add_page()
    pdf.set_font("dejavu", "", 11)
    for left, right in samples.HEADER:
        pdf.cell(80, 6, left, align="C")
        pdf.cell(0, 6, right, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, "KẾ HOẠCH", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("dejavu", "", 10)
    repeat = TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE if repeat_header else 0
    with pdf.table(
        col_widths=(10, 70, 40, 40, 30),
        text_align="LEFT",
        borders_layout="NONE",
        padding=(1, 2),
        line_height=5,
        repeat_headings=repeat,
    ) as table:
        row = table.row()
        for value in HEADER:
            row.cell(value)
        for n in range(1, 31):
            row = table.row()
            for value in (
                str(n),
                f"Triển khai nhiệm vụ số {n} của kế hoạch, bảo đảm tiến độ và chất lượng",
                "Sở Tài chính" if n % 2 else "Sở Nội vụ",
                "Các sở, ngành liên quan",
                f"Tháng {n % 12 + 1}/2026",
            ):
                row.cell(value)
    return bytes(pdf.output())


@pytest.mark.parametrize("repeat_header", [False, True], ids=["header-once", "header-repeated"])
def test_unruled_table_goes_on_over_the_next_page(repeat_header) -> None:
    data = _long_pdf(repeat_header)
    lines = read_document(data, "kh.pdf").lines
    rows = [line for line in lines if line.startswith("| ")]
    headers = [row for row in rows if row.startswith("| TT |")]
    assert len(rows) - len(headers) == 30
    assert len(headers) == (3 if repeat_header else 1)  # the table runs over three pages
    tasks = extract(data, "kh.pdf").tasks
    assert [t.ref for t in tasks] == [str(n) for n in range(1, 31)]
    for n, task in enumerate(tasks, start=1):
        assert task.lead == ["Sở Tài chính" if n % 2 else "Sở Nội vụ"]
        assert task.deadline_text == f"Tháng {n % 12 + 1}/2026"


def test_running_text_naming_the_columns_is_not_a_table() -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", "", str(samples.FONT))
    pdf.add_page()
    pdf.set_font("dejavu", "", 11)
    for text in (
        "TT Nội dung nhiệm vụ, cơ quan chủ trì, thời gian hoàn thành và sản phẩm",
        "được nêu tại Phụ lục; các sở, ngành theo dõi, đôn đốc việc thực hiện.",
        "1. Sở Tài chính chủ trì, hoàn thành trong tháng 9/2025.",
    ):
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT", align="J")
    lines = read_document(bytes(pdf.output()), "a.pdf").lines
    assert not any(line.startswith("|") for line in lines)
    assert "1. Sở Tài chính chủ trì, hoàn thành trong tháng 9/2025." in lines
