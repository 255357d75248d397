"""The form of a Vietnamese administrative document, in python-docx (Nghị định 30/2020/NĐ-CP).

Times New Roman set for every script (Word falls back to another font for Vietnamese letters
when only the ASCII slot names it), A4 with the decree's margins, the national heading beside
the issuing body, a title, tables whose header row repeats on every page, and page numbers.
Also the few text helpers the documents share (bounded cell text, an evidence file's name).
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from handlers.markup import clean_user_text

if TYPE_CHECKING:  # python-docx is imported when a document is built, not at start-up
    from docx.document import Document as DocxDocument
    from docx.table import Table

FONT = "Times New Roman"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
#: Longest text of one table cell, so a chatty note cannot make one row span pages.
CELL_LIMIT = 600


def cell_text(text: str | None, limit: int = CELL_LIMIT) -> str:
    """User text for a cell: control characters removed, white space folded, cut at `limit`."""
    text = " ".join(clean_user_text(text or "").split())
    text = "".join(ch for ch in text if ch >= " ")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def evidence_name(ref: str | None) -> str:
    """The file name of a report's evidence (`{"name": ...}` JSON, or `ref|name`)."""
    if not ref:
        return ""
    try:
        data = json.loads(ref)
    except ValueError:
        return ref.rpartition("|")[2]
    return str(data.get("name") or "") if isinstance(data, dict) else ""


def vn_date(day: date) -> str:
    """`ngày 05 tháng 12 năm 2025`, as the decree writes the date line."""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def new_document(*, landscape: bool = True) -> DocxDocument:
    """An A4 document in Times New Roman 13, margins per the decree, page numbers at the top."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    _all_scripts(normal.element.get_or_add_rPr())
    # Table text in 11 pt, single-spaced, from the table style (not set run by run).
    grid = doc.styles["Table Grid"]
    grid.font.size = Pt(11)
    grid.paragraph_format.space_after = Pt(0)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    _page_numbers(section.header.paragraphs[0])
    return doc


def _all_scripts(rpr: Any) -> None:
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)


def _page_numbers(paragraph: Any) -> None:
    """A PAGE field, centred (the decree numbers pages from the second one, at the top)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            el = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            el = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = text
        run._r.append(el)


def heading(doc: DocxDocument, *, parent: str, body: str, day: date) -> None:
    """The issuing body (left) beside the national heading and the date line (right)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    lines = [(parent.upper(), False), (body.upper(), True)] if parent else [(body.upper(), True)]
    _lines(left, [*lines, ("", False)])
    _lines(right, [(NATION, True), (MOTTO, True), ("", False)])
    date_line = right.add_paragraph()
    date_line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = date_line.add_run(vn_date(day).capitalize())
    run.italic = True


def _lines(cell: Any, lines: list[tuple[str, bool]]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    first = True
    for text, bold in lines:
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_after = Pt(0)
        run = para.add_run(text)
        run.bold = bold
        run.font.size = Pt(12)


def title(doc: DocxDocument, lines: list[str]) -> None:
    """The document's name (`BÁO CÁO`) and what it is about, bold and centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    for n, text in enumerate(lines):
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_after = Pt(0 if n < len(lines) - 1 else 12)
        run = para.add_run(text)
        run.bold = True
        run.font.size = Pt(14)


def section_heading(doc: DocxDocument, text: str) -> None:
    """A bold numbered heading inside the body (`I. ...`)."""
    from docx.shared import Pt

    para = doc.add_paragraph()
    para.paragraph_format.space_before = Pt(6)
    para.paragraph_format.keep_with_next = True
    para.add_run(text).bold = True


def paragraph(doc: DocxDocument, text: str, *, italic: bool = False) -> None:
    """A plain body paragraph."""
    run = doc.add_paragraph().add_run(text)
    run.italic = italic


def table(doc: DocxDocument, headers: list[str], widths_cm: list[float]) -> Table:
    """A bordered table with a bold header row that repeats on every page."""
    from docx.oxml.ns import qn
    from docx.shared import Cm

    tbl = doc.add_table(rows=1, cols=len(headers))
    tbl.style = "Table Grid"
    tbl.autofit = False
    for column, width in zip(tbl.columns, widths_cm, strict=True):
        column.width = Cm(width)
    head = tbl.rows[0]
    trpr = head._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    for cell, text, width in zip(head.cells, headers, widths_cm, strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0].add_run(text).bold = True
    return tbl


def add_row(tbl: Table, values: list[str]) -> None:
    """One table row; a row never breaks across pages."""
    from docx.oxml.ns import qn
    from docx.table import _Cell

    row = tbl.add_row()
    trpr = row._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))
    # `row.cells` lays out the whole table each time (quadratic in its rows): go by the row's
    # own cells, which a table without merged cells maps one to one.
    cells = [_Cell(tc, tbl) for tc in row._tr.tc_lst]
    # Widths come from the table's grid (fixed layout) and the size from its style: setting
    # them on every cell and run doubled the time a thousand rows take.
    for cell, text in zip(cells, values, strict=True):
        para = cell.paragraphs[0]
        for n, part in enumerate(text.split("\n")):
            if n:
                para = cell.add_paragraph()
            para.add_run(part)
