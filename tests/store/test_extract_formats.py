"""Readers and error codes: .docx, .xlsx, .csv round trips, encodings, bad input."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import docx
import openpyxl
import pytest

from store.importing import ImportFormatError, extract, read_document
from store.text import fold

FIXTURES = Path(__file__).parent / "fixtures"
QD230 = FIXTURES / "directives" / "qd230-vpcp-2025.txt"
TB35 = FIXTURES / "directives" / "tb35-tgv-2025.txt"


def _summary(data: bytes, name: str) -> list[tuple[str, list[str], str]]:
    return [(t.ref, t.lead, t.deadline_text) for t in extract(data, name).tasks]


# --- .docx --------------------------------------------------------------------------------


def _table_labels() -> list[dict]:
    """The labelled appendix rows of 230/QĐ-VPCP (refs under the roman groups)."""
    labels = json.loads((FIXTURES / "qd230_expected.json").read_text(encoding="utf-8"))
    return [label for label in labels["tasks"] if label["ref"][:1] in "IVX"]


def _qd230_docx() -> bytes:
    """A .docx of 230/QĐ-VPCP: header table, body paragraphs, appendix as a real table.

    The appendix rows come from the hand labels (fixtures/qd230_expected.json, source
    qd230-vpcp-2025.txt); unlike the web capture, this table keeps its roman group rows, with
    the group title merged across the remaining columns as Word documents do.
    """
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "VĂN PHÒNG CHÍNH PHỦ"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số: 230/QĐ-VPCP"
    header.cell(1, 1).text = "Hà Nội, ngày 14 tháng 5 năm 2025"
    document.add_paragraph("QUYẾT ĐỊNH")
    document.add_paragraph("Ban hành Kế hoạch hành động của Văn phòng Chính phủ")
    body = QD230.read_text(encoding="utf-8").splitlines()[83:120]
    for line in body:  # the body's headings and lettered paragraphs, as paragraphs
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=6)
    for cell, text in zip(
        table.rows[0].cells,
        [
            "TT",
            "Tên nhiệm vụ",
            "Đơn vị chủ trì",
            "Cơ quan, đơn vị phối hợp",
            "Thời gian hoàn thành",
            "Sản phẩm dự kiến",
        ],
        strict=True,
    ):
        cell.text = text
    group = ""
    for label in _table_labels():
        parts = label["ref"].split(".")
        if parts[0] != group:
            group = parts[0]
            row = table.add_row().cells
            row[0].text = group
            merged = row[1].merge(row[5])
            merged.text = f"Nhóm nhiệm vụ {group}"
        if parts[1:] == ["5", "a"]:
            row = table.add_row().cells
            row[0].text = "5"
            row[1].text = "Rà soát, điều chỉnh các quy trình nội bộ"
        row = table.add_row().cells
        row[0].text = parts[-1]
        row[1].text = label["title_starts"]
        row[2].text = "; ".join(label["lead"])
        row[3].text = "\n".join(label["cooperating"])
        row[4].text = label["deadline_text"]
        row[5].text = label["product"]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_with_a_real_table_round_trips() -> None:
    rows = _table_labels()
    directive = extract(_qd230_docx(), "qd230.docx")
    assert directive.number == "230/QĐ-VPCP"
    assert directive.issued_on == date(2025, 5, 14)
    assert directive.title.startswith("Quyết định Ban hành Kế hoạch hành động")
    # The appendix rows round-trip; the body's assignment items (refs 1-5, "Tổ chức thực
    # hiện") are tasks of their own under the corpus labelling rules.
    got = {t.ref: t for t in directive.tasks if t.ref[:1] in "IVX"}
    assert list(got) == [label["ref"] for label in rows]
    for label in rows:
        task = got[label["ref"]]
        assert task.lead == label["lead"]
        assert task.cooperating == label["cooperating"]
        assert task.deadline_text == label["deadline_text"].rstrip(".")
    assert got["I.1"].group == "Nhóm nhiệm vụ I"


def test_docx_reader_writes_tables_as_pipe_rows() -> None:
    lines = read_document(_qd230_docx(), "x.docx").lines
    assert lines[:4] == [
        "",
        "| VĂN PHÒNG CHÍNH PHỦ"
        " | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM; Độc lập - Tự do - Hạnh phúc |",
        "| Số: 230/QĐ-VPCP | Hà Nội, ngày 14 tháng 5 năm 2025 |",
        "",
    ]
    # A cell merged across five columns repeats its text in each of them.
    assert f"| I |{' Nhóm nhiệm vụ I |' * 5}" in lines


# --- .xlsx and .csv -----------------------------------------------------------------------


def _workbook(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_ROWS: list[list[object]] = [
    ["Số hiệu: 12/KH-UBND"],
    ["Ngày ban hành", datetime(2025, 8, 1)],
    ["Cơ quan ban hành", "Ủy ban nhân dân tỉnh Lào Cai"],
    ["Trích yếu", "Kế hoạch chuyển đổi số năm 2025"],
    [],
    ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Ghi chú"],
    ["I", "Hạ tầng số", None, None, None, None],
    [
        1,
        "Nâng cấp mạng",
        "Sở Khoa học và Công nghệ",
        "Sở Tài chính; Công an tỉnh",
        date(2025, 9, 30),
        "x",
    ],
    [2, "Rà soát thủ tục", "Sở Nội vụ\nVăn phòng UBND tỉnh", None, "Thường xuyên", None],
    ["II", "Dữ liệu", None, None, None, None],
    [1, "Số hóa hồ sơ", "Sở Tư pháp, Sở Nội vụ", "Các sở, ban, ngành", "Quý III/2025", None],
    [2, "Việc không có đơn vị", None, None, "Tháng 9/2025", None],
]


def test_xlsx_round_trips_with_metadata_groups_and_typed_dates() -> None:
    directive = extract(_workbook(XLSX_ROWS), "kehoach.xlsx")
    assert directive.number == "12/KH-UBND"
    assert directive.issued_on == date(2025, 8, 1)
    assert directive.issuer == "Ủy ban nhân dân tỉnh Lào Cai"
    assert directive.title == "Kế hoạch chuyển đổi số năm 2025"
    assert directive.doc_type == "Kế hoạch"  # from the number's KH code
    got = {t.ref: t for t in directive.tasks}
    assert list(got) == ["I.1", "I.2", "II.1"]
    assert got["I.1"].cooperating == ["Sở Tài chính", "Công an tỉnh"]
    assert got["I.1"].deadline_text == "30/09/2025"
    assert got["I.1"].group == "Hạ tầng số"
    assert got["I.2"].lead == ["Sở Nội vụ", "Văn phòng UBND tỉnh"]
    assert got["II.1"].lead == ["Sở Tư pháp", "Sở Nội vụ"]
    assert got["II.1"].cooperating == ["Các sở, ban, ngành"]
    assert any("no lead unit" in warning for warning in directive.warnings)


def test_csv_with_english_headers_round_trips() -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["number", "35-TB/TGV"])
    writer.writerow(["title", "Lead", "Cooperating", "Deadline", "Product"])
    writer.writerow(["Rà soát giải pháp bảo mật", "Ban Cơ yếu Chính phủ", "", "Thường xuyên", ""])
    writer.writerow(
        ["Cung cấp chữ ký số", "Ban Cơ yếu Chính phủ", "Các địa phương", "25/7/2025", "Báo cáo"]
    )
    directive = extract(buffer.getvalue().encode("utf-8-sig"), "tasks.csv")
    assert directive.number == "35-TB/TGV"
    assert [(t.ref, t.lead, t.deadline_text) for t in directive.tasks] == [
        ("1", ["Ban Cơ yếu Chính phủ"], "Thường xuyên"),
        ("2", ["Ban Cơ yếu Chính phủ"], "25/7/2025"),
    ]
    assert directive.tasks[1].product == "Báo cáo"


def test_csv_semicolon_delimited_without_diacritics_in_headers() -> None:
    text = (
        "TT;Ten nhiem vu;Don vi chu tri;Thoi gian hoan thanh\n1;Viec A;Bộ Tài chính;Tháng 9/2025\n"
    )
    directive = extract(text.encode("utf-8"), "a.csv")
    assert [(t.ref, t.lead, t.deadline_text) for t in directive.tasks] == [
        ("1", ["Bộ Tài chính"], "Tháng 9/2025")
    ]


def test_missing_lead_column_is_bad_columns() -> None:
    data = _workbook(
        [["TT", "Tên nhiệm vụ", "Thời gian hoàn thành"], [1, "Việc A", "Tháng 9/2025"]]
    )
    with pytest.raises(ImportFormatError) as info:
        extract(data, "x.xlsx")
    assert info.value.code == "bad_columns"
    assert "Đơn vị chủ trì" in str(info.value)


# --- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_other_unicode_encodings_parse_the_same(encoding: str) -> None:
    text = QD230.read_text(encoding="utf-8")
    assert _summary(text.encode(encoding), "qd230.txt") == _summary(QD230.read_bytes(), "a.txt")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_decomposed_text_parses_the_same(encoding: str) -> None:
    text = unicodedata.normalize("NFD", TB35.read_text(encoding="utf-8"))
    assert _summary(text.encode(encoding), "tb35.txt") == _summary(TB35.read_bytes(), "a.txt")


def _cp1258(text: str) -> bytes:
    """Windows-1258 stores tone marks as combining characters after a precomposed vowel."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258", errors="replace")


def test_windows_1258_text_parses_the_same() -> None:
    text = TB35.read_text(encoding="utf-8").replace("“", '"').replace("”", '"')
    assert _summary(_cp1258(text), "tb35.txt") == _summary(TB35.read_bytes(), "a.txt")


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "a.txt", "empty"),
        (b"  \n\r\n\t", "a.txt", "empty"),
        (bytes(range(256)) * 50, "a.bin", "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "scan.png", "corrupt"),
        (b"%PDF-1.7\n" + bytes(range(256)), "a.pdf", "corrupt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old.doc", "legacy_format"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old.xls", "legacy_format"),
        (b"PK\x03\x04 this is not a zip", "a.docx", "corrupt"),
        (b"not a zip at all", "a.xlsx", "corrupt"),
        ("Hôm nay trời đẹp. Cả nhà đi chơi công viên.".encode(), "a.txt", "no_tasks"),
    ],
)
def test_bad_input_raises_with_a_code(data: bytes, name: str, code: str) -> None:
    with pytest.raises(ImportFormatError) as info:
        extract(data, name)
    assert info.value.code == code


def test_office_files_without_content_are_empty() -> None:
    document, buffer = docx.Document(), io.BytesIO()
    document.save(buffer)
    with pytest.raises(ImportFormatError) as info:
        extract(buffer.getvalue(), "blank.docx")
    assert info.value.code == "empty"
    with pytest.raises(ImportFormatError) as info:
        extract(_workbook([]), "blank.xlsx")
    assert info.value.code == "empty"


def test_oversized_file_is_refused_before_reading() -> None:
    with pytest.raises(ImportFormatError) as info:
        extract(QD230.read_bytes(), "qd230.txt", max_bytes=1000)
    assert info.value.code == "too_large"


def test_zip_that_is_neither_docx_nor_xlsx_is_unsupported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(ImportFormatError) as info:
        extract(buffer.getvalue(), "a.odt")
    assert info.value.code == "unsupported"


# --- determinism --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "directives").glob("*.txt")))
def test_extraction_is_idempotent(name: str) -> None:
    data = (FIXTURES / "directives" / name).read_bytes()
    first, second = extract(data, name), extract(data, name)
    assert first.to_dict() == second.to_dict()
    assert json.dumps(first.to_dict(), ensure_ascii=False)  # JSON-ready
    refs = [task.ref for task in first.tasks]
    assert len(refs) == len(set(refs))
    assert all(task.lead and task.title for task in first.tasks)
    assert all(
        fold(task.title) in fold(task.body) or task.title.endswith("…") for task in first.tasks
    )
