"""The .docx reader: Word automatic numbering comes back, merged cells become pipe rows."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml

from store.importing import read_document

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


SYMBOL_BULLET = "\uf0b7"  # Word's bullet in the Symbol font (a private-use character)
NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {W_NS}>
  <w:abstractNum w:abstractNumId="10">
    {_lvl(0, "decimal", "%1.")}{_lvl(1, "lowerLetter", "%2)")}{_lvl(2, "bullet", "-")}
    {_lvl(3, "decimal", "%1.%4.")}
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="20">{_lvl(0, "upperRoman", "%1.")}</w:abstractNum>
  <w:abstractNum w:abstractNumId="30">
    {_lvl(0, "bullet", SYMBOL_BULLET)}{_lvl(1, "bullet", "o")}
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>
  <w:num w:numId="3"><w:abstractNumId w:val="10"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
  <w:abstractNum w:abstractNumId="40"><w:numStyleLink w:val="VnList"/></w:abstractNum>
  <w:abstractNum w:abstractNumId="41"><w:styleLink w:val="VnList"/>
    {_lvl(0, "decimal", "(%1)")}</w:abstractNum>
  <w:num w:numId="4"><w:abstractNumId w:val="30"/></w:num>
  <w:num w:numId="5"><w:abstractNumId w:val="40"/></w:num>
  <w:num w:numId="6"><w:abstractNumId w:val="41"/></w:num>
</w:numbering>"""


def _numbered(document: docx.Document, text: str, num_id: int | None, ilvl: int = 0) -> None:
    paragraph = document.add_paragraph(text)
    if num_id is not None:
        paragraph._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
            )
        )


def _with_numbering(document: docx.Document) -> bytes:
    """Save the document with our numbering.xml in place of the template's."""
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/numbering.xml":
                data = NUMBERING.encode()
            target.writestr(item, data)
    return out.getvalue()


def _directive() -> bytes:
    document = docx.Document()
    style = document.styles.add_style("VnSection", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr>')
    )
    listing = document.styles.add_style("VnList", WD_STYLE_TYPE.LIST)
    listing.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_NS}><w:numId w:val="6"/></w:numPr>')
    )
    document.add_paragraph("NHIỆM VỤ CHUNG", style="VnSection")
    _numbered(document, "Các Bộ: Công Thương, Xây dựng thực hiện:", 1, 0)
    for word in ("một", "hai", "ba", "bốn", "năm", "sáu"):
        _numbered(document, f"Nhiệm vụ {word};", 1, 1)
    _numbered(document, "Báo cáo hằng tháng", 1, 2)
    _numbered(document, "Bộ Tài chính chủ trì:", 1, 0)
    _numbered(document, "Cân đối kinh phí.", 1, 1)
    _numbered(document, "Chi tiết cấp bốn", 1, 3)
    document.add_paragraph("Đoạn văn không đánh số.")
    document.add_paragraph("NHIỆM VỤ CỤ THỂ", style="VnSection")
    _numbered(document, "Danh sách mới bắt đầu lại", 3, 0)
    _numbered(document, "Gạch đầu dòng ký hiệu", 4, 0)
    _numbered(document, "Gạch cấp hai", 4, 1)
    _numbered(document, "Danh sách theo kiểu danh sách", 5, 0)
    revised = document.add_paragraph("Hoàn thành ")
    revised._p.append(
        parse_xml(
            f"<w:del {W_NS} w:id='1' w:author='A'><w:r><w:delText>tháng 6</w:delText></w:r>"
            "</w:del>"
        )
    )
    revised._p.append(
        parse_xml(f"<w:ins {W_NS} w:id='2' w:author='A'><w:r><w:t>tháng 9</w:t></w:r></w:ins>")
    )
    return _with_numbering(document)


def test_word_automatic_numbering_comes_back_as_markers() -> None:
    lines = [line for line in read_document(_directive(), "nv.docx").lines if line]
    assert lines == [
        "I. NHIỆM VỤ CHUNG",
        "1. Các Bộ: Công Thương, Xây dựng thực hiện:",
        "a) Nhiệm vụ một;",
        "b) Nhiệm vụ hai;",
        "c) Nhiệm vụ ba;",
        "d) Nhiệm vụ bốn;",
        "đ) Nhiệm vụ năm;",  # the Vietnamese alphabet: a, b, c, d, đ, e
        "e) Nhiệm vụ sáu;",
        "- Báo cáo hằng tháng",
        "2. Bộ Tài chính chủ trì:",
        "a) Cân đối kinh phí.",  # letters restart under a new number
        "2.1. Chi tiết cấp bốn",  # %1.%4. refers to the level above
        "Đoạn văn không đánh số.",
        "II. NHIỆM VỤ CỤ THỂ",  # the style's numbering continues its list
        "1. Danh sách mới bắt đầu lại",  # startOverride restarts the instance
        "- Gạch đầu dòng ký hiệu",  # a Symbol-font bullet reads as a dash
        "+ Gạch cấp hai",
        "(1) Danh sách theo kiểu danh sách",  # numStyleLink: the list of the numbering style
        "Hoàn thành tháng 9",  # a tracked deletion is not text; the insertion is
    ]


def _merged_table() -> bytes:
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC")
    table = document.add_table(rows=4, cols=4)
    header = ["TT", "Nhiệm vụ", "Chủ trì", "Thời hạn"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    group = table.cell(1, 1).merge(table.cell(1, 3))  # gridSpan across three columns
    table.cell(1, 0).text = "I"
    group.text = "Nhóm nhiệm vụ về thể chế"
    for row, (tt, task) in enumerate([("1", "Sửa Luật"), ("2", "Sửa Nghị định")], start=2):
        table.cell(row, 0).text = tt
        table.cell(row, 1).text = task
    lead = table.cell(2, 2).merge(table.cell(3, 2))  # vMerge down two rows
    lead.text = "Bộ Tư pháp\nBộ Nội vụ"
    due = table.cell(2, 3).merge(table.cell(3, 3))
    due.text = "Quý IV/2025"
    table.cell(3, 1).paragraphs[0].add_run(" | có ký tự gạch")
    document.add_paragraph("Nơi nhận:")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_merged_cells_repeat_their_text_in_pipe_rows() -> None:
    lines = read_document(_merged_table(), "pl.docx").lines
    assert lines == [
        "PHỤ LỤC",
        "",
        "| TT | Nhiệm vụ | Chủ trì | Thời hạn |",
        "| I | Nhóm nhiệm vụ về thể chế | Nhóm nhiệm vụ về thể chế | Nhóm nhiệm vụ về thể chế |",
        "| 1 | Sửa Luật | Bộ Tư pháp; Bộ Nội vụ | Quý IV/2025 |",
        "| 2 | Sửa Nghị định / có ký tự gạch | Bộ Tư pháp; Bộ Nội vụ | Quý IV/2025 |",
        "",
        "Nơi nhận:",
    ]


def test_text_boxes_and_line_breaks_are_lines_and_text_is_nfc() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    run = paragraph.add_run("Số: 12/KH-UBND")
    run.add_break()
    paragraph.add_run("Kế hoạch thực hiện")  # decomposed below: e + combining marks
    body = document.element.body
    body.append(
        parse_xml(
            f'<w:p {W_NS}><w:r><w:t xml:space="preserve">Tho\u0302\u0300ng ba\u0301o</w:t>'
            "</w:r></w:p>"
        )
    )
    buffer = io.BytesIO()
    document.save(buffer)
    lines = read_document(buffer.getvalue(), "a.docx").lines
    assert lines == ["Số: 12/KH-UBND", "Kế hoạch thực hiện", "Thồng báo"]
