"""PDF and image readers: the text layer with its tables, and OCR for scans (Tesseract vie)."""

from __future__ import annotations

import importlib
import shutil
import unicodedata

import pytest

from store.importing import ImportFormatError, read_document
from store.importing.readers import ocr
from store.importing.sandbox import extract_in_worker
from tests.store import import_samples as samples

needs_ocr = pytest.mark.skipif(
    not ocr.ocr_available(), reason="Tesseract with its Vietnamese model is not installed"
)


def test_text_pdf_keeps_reading_order_markers_and_the_table_as_pipe_rows() -> None:
    # Page 1 has no table (read with PDFium), page 2 has the appendix (read with pdfplumber).
    lines = read_document(samples.text_pdf(2), "kh125.pdf").lines
    # The two-column header gives one line per side, in reading order.
    assert lines[:8] == [
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH LÀO CAI",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 125/KH-UBND",
        "Lào Cai, ngày 12 tháng 3 năm 2025",
        "KẾ HOẠCH",
        "Triển khai chuyển đổi số năm 2025",
    ]
    # Both pages read the same: markers kept, a wrapped item joined into one line.
    first = lines.index(samples.ITEMS[0])
    second = lines.index(samples.ITEMS[0], first + 1)
    assert lines[first : first + 6] == lines[second : second + 6] == samples.ITEMS
    start = lines.index("| TT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn |")
    assert lines[start - 1] == "" and lines[start + 3] == ""
    assert lines[start + 1 : start + 3] == [
        "| 1 | Nâng cấp trung tâm dữ liệu | Sở Khoa học và Công nghệ | Sở Tài chính"
        " | Quý IV/2025 |",
        "| 2 | Đào tạo kỹ năng số | Sở Nội vụ | Các sở, ngành | Tháng 10/2025 |",
    ]
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)


def test_pdf_table_with_merged_cells_repeats_them() -> None:
    pdf = samples.pdf_page()
    with pdf.table(col_widths=(15, 70, 50), text_align="LEFT") as table:
        for values in (["TT", "Nhiệm vụ", "Chủ trì"], ["I", "Nhóm thể chế"]):
            row = table.row()
            row.cell(values[0])
            row.cell(values[1], colspan=2 if len(values) == 2 else 1)
            if len(values) == 3:
                row.cell(values[2])
        row = table.row()
        row.cell("1")
        row.cell("Sửa Luật")
        row.cell("Bộ Tư pháp", rowspan=2)
        row = table.row()
        row.cell("2")
        row.cell("Sửa Nghị định")
    lines = [line for line in read_document(bytes(pdf.output()), "pl.pdf").lines if line]
    assert lines == [
        "| TT | Nhiệm vụ | Chủ trì |",
        "| I | Nhóm thể chế | Nhóm thể chế |",
        "| 1 | Sửa Luật | Bộ Tư pháp |",
        "| 2 | Sửa Nghị định | Bộ Tư pháp |",
    ]


def test_corrupt_and_legacy_files_say_what_to_do() -> None:
    with pytest.raises(ImportFormatError) as info:
        read_document(b"%PDF-1.7\n" + bytes(range(256)), "a.pdf")
    assert info.value.code == "corrupt"
    with pytest.raises(ImportFormatError) as info:
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "qd.doc")
    assert info.value.code == "legacy_format" and ".docx or PDF" in str(info.value)
    with pytest.raises(ImportFormatError) as info:  # renamed, still Word 97
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "qd.docx")
    assert info.value.code == "legacy_format"


@needs_ocr
def test_scanned_pdf_is_read_through_ocr() -> None:
    lines = read_document(samples.scanned_pdf(1), "scan.pdf").lines
    text = "\n".join(lines)
    assert "Số: 125/KH-UBND" in text
    assert "KẾ HOẠCH" in lines
    # Wrapped scan lines are joined into the item's paragraph, the marker kept.
    item = next(line for line in lines if line.startswith("1. Sở Khoa học"))
    assert "trước ngày 30 tháng 6 năm 2025" in item


@needs_ocr
def test_photo_of_a_page_is_read_through_ocr() -> None:
    image = samples.page_image(["Số: 9387/UBND-KT", "Giao Sở Tài chính chủ trì thực hiện."])
    lines = read_document(samples.png(image), "anh.jpg").lines
    assert lines[:2] == ["Số: 9387/UBND-KT", "Giao Sở Tài chính chủ trì thực hiện."]


@needs_ocr
async def test_scanned_directive_imports_through_the_worker() -> None:
    directive = await extract_in_worker(samples.scanned_pdf(1), "scan.pdf")
    assert directive.number == "125/KH-UBND"
    assert any("Sở Khoa học và Công nghệ" in " ".join(t.lead) for t in directive.tasks)


def test_missing_tesseract_is_refused_naming_the_packages(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on this PATH
    ocr.ocr_available.cache_clear()
    try:
        assert shutil.which("tesseract") is None
        with pytest.raises(ImportFormatError) as info:
            read_document(samples.png(samples.page_image(scale=0.3)), "scan.png")
    finally:
        monkeypatch.undo()
        ocr.ocr_available.cache_clear()
    assert info.value.code == "ocr_missing"
    assert "tesseract-ocr tesseract-ocr-vie" in str(info.value)


def test_unreadable_image_is_corrupt() -> None:
    with pytest.raises(ImportFormatError) as info:
        read_document(b"\x89PNG\r\n\x1a\n" + bytes(300), "x.png")
    assert info.value.code == "corrupt"


@needs_ocr
def test_scan_with_a_signature_line_of_text_is_still_read_through_ocr() -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", "", str(samples.FONT))
    pdf.add_page()
    pdf.image(samples.page_image().convert("RGB"), x=0, y=0, w=210, h=297)
    pdf.set_font("dejavu", "", 8)
    pdf.set_xy(120, 280)
    pdf.cell(0, 4, "Ký bởi: Văn phòng UBND tỉnh")  # the e-signature stamp, as text
    lines = read_document(bytes(pdf.output()), "scan-ky-so.pdf").lines
    assert "Số: 125/KH-UBND" in lines


def test_page_numbers_of_scanned_pages_are_dropped(monkeypatch) -> None:
    # What OCR reads of two scanned pages: the number printed at the top of page 2 would
    # otherwise sit between the introducing sentence and its list.
    pdf_module = importlib.import_module("store.importing.readers.pdf")
    pages = iter([["Đề nghị Cục Thuế các tỉnh thực hiện:", "1"], ["2", "1/ Tổ chức quán triệt."]])
    monkeypatch.setattr(pdf_module, "require_ocr", lambda: None)
    monkeypatch.setattr(pdf_module, "ocr_lines", lambda image: next(pages))
    lines = read_document(samples.scanned_pdf(2), "scan.pdf").lines
    assert [line for line in lines if line] == [
        "Đề nghị Cục Thuế các tỉnh thực hiện:",
        "1/ Tổ chức quán triệt.",
    ]


def _scan_with_hidden_text(text: str) -> bytes:
    """A scanned page with an invisible text layer over it, as scanners' OCR writes one."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", "", str(samples.FONT))
    pdf.add_page()
    pdf.image(samples.page_image().convert("RGB"), x=0, y=0, w=210, h=297)
    pdf.set_font("dejavu", "", 10)
    pdf.text_mode = "INVISIBLE"
    pdf.set_xy(10, 10)
    pdf.multi_cell(190, 5, text)
    return bytes(pdf.output())


@needs_ocr
def test_scan_whose_text_layer_is_no_vietnamese_is_read_through_ocr() -> None:
    # A scanner's OCR without the Vietnamese model (lamdong TB 493/TB-UBND, 2025).
    garbled = "uY BAN NgAN nAN ceNG HoA xA ugr cuu xcuia vrET NAM TINH LAMDONG DQc l$p " * 6
    lines = read_document(_scan_with_hidden_text(garbled), "tb.pdf").lines
    assert "Số: 125/KH-UBND" in lines
    assert not any("NgAN" in line for line in lines)


def test_scan_with_a_vietnamese_text_layer_keeps_it(monkeypatch) -> None:
    pdf_module = importlib.import_module("store.importing.readers.pdf")
    monkeypatch.setattr(pdf_module, "ocr_lines", lambda image: pytest.fail("OCR not needed"))
    good = "Ủy ban nhân dân tỉnh giao Sở Tài chính chủ trì, phối hợp với các sở, ngành. " * 4
    lines = read_document(_scan_with_hidden_text(good), "scan-ocr-tot.pdf").lines
    assert any("Sở Tài chính chủ trì" in line for line in lines)
