"""PDF reader: what a word processor's layout splits is read whole again.

A cell's text wrapped in a narrow column, a paragraph or a table row that runs over a page break
and a phrase wrapped at its dash (``kinh tế`` / ``- xã hội``) are one cell, paragraph, row or
phrase, as in the document's text. The PDFs are typeset here, word by word, the way Word and
LibreOffice print them (justified lines, ruled cells, a page number at the top).
"""

from __future__ import annotations

from typing import Any

from store.importing import read_document
from tests.store import import_samples as samples

_LINE = 6.0  # mm between two lines of text
_CELL = 5.0  # mm between two lines of a cell


def _pdf() -> Any:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", "", str(samples.FONT))
    pdf.set_auto_page_break(False)
    pdf.set_margins(30, 20, 15)
    return pdf


def _page(pdf: Any, number: int) -> None:
    pdf.add_page()
    pdf.set_font("dejavu", "", 11)
    pdf.text(105, 12, str(number))  # the page number, top centre


def _line(pdf: Any, y: float, text: str, *, x: float = 30.0, justify: bool = True) -> None:
    """One visual line at `y`; a justified one is spread to the right margin (180 mm)."""
    words = text.split()
    gap = pdf.get_string_width(" ")
    if justify and len(words) > 1:
        gap = (180 - x - sum(pdf.get_string_width(w) for w in words)) / (len(words) - 1)
    for word in words:
        pdf.text(x, y, word)
        x += pdf.get_string_width(word) + gap


def _row(pdf: Any, top: float, widths: list[float], cells: list[list[str]]) -> float:
    """A ruled table row whose cells hold these visual lines; returns its bottom."""
    height = max(len(lines) for lines in cells) * _CELL + 2
    x = 30.0
    for width, lines in zip(widths, cells, strict=True):
        pdf.rect(x, top, width, height)
        for k, text in enumerate(lines):
            pdf.text(x + 1, top + 4.5 + k * _CELL, text)
        x += width
    return top + height


def _lines(pdf: Any) -> list[str]:
    return [line for line in read_document(bytes(pdf.output()), "kh.pdf").lines if line]


def test_a_cell_wrapped_in_a_narrow_column_is_one_cell_text() -> None:
    pdf = _pdf()
    _page(pdf, 1)
    pdf.set_font("dejavu", "", 10)
    widths = [12.0, 66.0, 17.0, 30.0, 20.0]
    top = _row(pdf, 30, widths, [["TT"], ["Nhiệm vụ"], ["Chủ trì"], ["Phối hợp"], ["Thời hạn"]])
    # The words go to the next line because they do not fit: a wrap, whatever their case.
    top = _row(pdf, top, widths, [["I"], ["CƠ CHẾ, CHÍNH SÁCH VÀ", "THỂ CHẾ"], [], [], []])
    top = _row(
        pdf,
        top,
        widths,
        [
            ["1"],
            ["Xây dựng Bộ tiêu chí đánh giá mức", "độ chuyển đổi số doanh nghiệp"],
            ["Sở", "KH&CN"],
            ["Sở Tài chính;", "UBND các xã"],
            ["Thường", "xuyên"],
        ],
    )
    # Two units on two lines of a wide enough cell are two paragraphs: two units.
    _row(
        pdf,
        top,
        widths,
        [["2"], ["Đào tạo kỹ năng số"], ["Sở Nội vụ"], ["Sở Y tế", "Sở Tư pháp"], ["2026"]],
    )
    assert _lines(pdf) == [
        "| TT | Nhiệm vụ | Chủ trì | Phối hợp | Thời hạn |",
        "| I | CƠ CHẾ, CHÍNH SÁCH VÀ THỂ CHẾ |  |  |  |",
        "| 1 | Xây dựng Bộ tiêu chí đánh giá mức độ chuyển đổi số doanh nghiệp | Sở KH&CN"
        " | Sở Tài chính; UBND các xã | Thường xuyên |",
        "| 2 | Đào tạo kỹ năng số | Sở Nội vụ | Sở Y tế; Sở Tư pháp | 2026 |",
    ]


def test_a_paragraph_over_a_page_break_and_a_phrase_wrapped_at_its_dash_are_whole() -> None:
    pdf = _pdf()
    _page(pdf, 1)
    _line(pdf, 30, "1. Sở Tài chính chủ trì, phối hợp với các sở, ngành xây dựng kế hoạch", x=40)
    _line(pdf, 30 + _LINE, "năm 2026 của tỉnh theo các nhiệm vụ, giải pháp mà Chính phủ đã giao.")
    # (Paragraphs start indented here, so a capital after a full stop goes on with this one.)
    _line(pdf, 30 + 2 * _LINE, "Kế hoạch gồm các chương trình về văn hóa và phát triển kinh tế")
    last = "- xã hội, trình Ủy ban nhân dân tỉnh trong tháng 12/2025."
    _line(pdf, 30 + 3 * _LINE, last, justify=False)
    _line(pdf, 271, "2. Sở Nội vụ chủ trì rà soát, sắp xếp tổ chức bộ máy các cơ quan", x=40)
    _line(pdf, 271 + _LINE, "chuyên môn thuộc Ủy ban nhân dân tỉnh, hoàn thành trong quý")
    _page(pdf, 2)
    _line(pdf, 28, "I/2026.", justify=False)
    _line(pdf, 28 + _LINE, "- Báo cáo kết quả về Ủy ban nhân dân tỉnh.", x=40, justify=False)
    assert _lines(pdf) == [  # (the page numbers are dropped)
        "1. Sở Tài chính chủ trì, phối hợp với các sở, ngành xây dựng kế hoạch năm 2026 của"
        " tỉnh theo các nhiệm vụ, giải pháp mà Chính phủ đã giao. Kế hoạch gồm các chương trình"
        " về văn hóa và phát triển kinh tế - xã hội, trình Ủy ban nhân dân tỉnh trong tháng"
        " 12/2025.",
        "2. Sở Nội vụ chủ trì rà soát, sắp xếp tổ chức bộ máy các cơ quan chuyên môn thuộc Ủy"
        " ban nhân dân tỉnh, hoàn thành trong quý I/2026.",
        "- Báo cáo kết quả về Ủy ban nhân dân tỉnh.",
    ]


def test_a_table_row_that_goes_on_over_the_next_page_is_one_row() -> None:
    pdf = _pdf()
    widths = [12.0, 70.0, 40.0, 28.0]
    _page(pdf, 1)
    pdf.set_font("dejavu", "", 10)
    top = _row(pdf, 240, widths, [["TT"], ["Nhiệm vụ"], ["Chủ trì"], ["Thời hạn"]])
    _row(
        pdf,
        top,
        widths,
        [["1"], ["Xây dựng, triển khai quy chế quản lý,", "vận hành nền tảng"], ["Văn phòng"], []],
    )
    _page(pdf, 2)
    pdf.set_font("dejavu", "", 10)
    top = _row(
        pdf, 20, widths, [[], ["kết nối liên thông của tỉnh"], ["Tỉnh ủy"], ["Quý IV/2025"]]
    )
    _row(pdf, 265, widths, [["2"], ["Rà soát danh mục điểm lõm sóng"], ["Bộ Công"], ["2026"]])
    _page(pdf, 3)
    pdf.set_font("dejavu", "", 10)
    # The rest of a name, in capitals: the rest of the row still, in fewer cells than it has.
    top = _row(pdf, 20, widths, [[], [], ["Thương"], []])
    # A row of its own under a merged number fills its cells: a row of its own.
    _row(pdf, top, widths, [[], ["Rà soát trạm phát sóng"], ["Bộ Khoa học"], ["2027"]])
    assert _lines(pdf) == [
        "| TT | Nhiệm vụ | Chủ trì | Thời hạn |",
        "| 1 | Xây dựng, triển khai quy chế quản lý, vận hành nền tảng kết nối liên thông của"
        " tỉnh | Văn phòng Tỉnh ủy | Quý IV/2025 |",
        "| 2 | Rà soát danh mục điểm lõm sóng | Bộ Công Thương | 2026 |",
        "|  | Rà soát trạm phát sóng | Bộ Khoa học | 2027 |",
    ]


def test_a_table_wider_than_the_page_is_read_not_refused() -> None:
    pdf = _pdf()
    _page(pdf, 1)
    pdf.set_font("dejavu", "", 10)
    widths = [12.0, 80.0, 50.0, 40.0]  # its last column runs past the page's right edge
    top = _row(pdf, 30, widths, [["TT"], ["Nhiệm vụ"], ["Chủ trì"], ["Thời hạn"]])
    _row(pdf, top, widths, [["1"], ["Số hóa hồ sơ"], ["Sở Nội vụ"], ["2026"]])
    lines = _lines(pdf)
    assert lines[0].startswith("| TT | Nhiệm vụ | Chủ trì |")
    assert lines[1].startswith("| 1 | Số hóa hồ sơ | Sở Nội vụ |")
