"""The PDF renderings of `tests.bench.format_render`'s blocks: a text-layer PDF (`to_pdf`:
fpdf2, A4, DejaVu Serif 13 pt, justified paragraphs with a first-line indent that wrap at the
right margin, ruled tables set in 10.5 pt -- smaller, or on landscape pages, when wide -- whose
rows split across pages as Word lets them, the page number at the top centre of each page) and
an image-only PDF of its pages (`to_scan`, what a scanner gives), so the OCR path runs.
"""

from __future__ import annotations

import io
from typing import Any

from tests.bench.format_render import FONTS, Block

_BODY_PT = 13.0
_TABLE_PT = (10.5, 9.0, 8.0)  # a table's font size, the first that fits
_LINE_MM = 6.2  # body line height (1.2 lines of 13 pt is 5.5 mm; Word's "multiple 1.15")
_CELL_LINE_MM = 4.8
_INDENT_MM = 10.0  # first-line indent of a paragraph (Nghị định 30/2020: 1-1.27 cm)
_PAD_MM = 1.2  # cell padding
_MIN_COLUMN_MM = 8.0
_LONG_WORD_MM = 30.0
_MARGINS = (30.0, 20.0, 15.0, 20.0)  # left, top, right, bottom (Nghị định 30/2020, phụ lục I)


def _new_pdf() -> Any:
    from fpdf import FPDF

    class _Paged(FPDF):
        def header(self) -> None:  # the page number, top centre (Nghị định 30/2020)
            self.set_font("serif", "", 11)
            self.set_y(10)
            self.cell(0, 5, str(self.page_no()), align="C")
            self.set_y(_MARGINS[1])

    pdf = _Paged(format="A4")
    pdf.add_font("serif", "", str(FONTS / "DejaVuSerif.ttf"))
    pdf.set_margins(_MARGINS[0], _MARGINS[1], _MARGINS[2])
    pdf.c_margin = 0  # (cells are padded by `_table` itself)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    return pdf


def _room(pdf: Any, height: float) -> None:
    """Start a new page when `height` more millimetres do not fit on this one."""
    if pdf.get_y() + height > pdf.h - _MARGINS[3]:
        pdf.add_page()


def _wrap(pdf: Any, width: float, text: str) -> list[str]:
    lines = pdf.multi_cell(width, 5, text, dry_run=True, output="LINES", wrapmode="WORD")
    return list(lines) or [""]


def _paragraph(pdf: Any, text: str) -> None:
    """A justified paragraph, first line indented, wrapped at the right margin."""
    pdf.set_font("serif", "", _BODY_PT)
    full = pdf.epw
    if not text:
        _room(pdf, _LINE_MM / 2)
        pdf.ln(_LINE_MM / 2)
        return
    first = _wrap(pdf, full - _INDENT_MM, text)[0]
    rest = text[len(first) :].strip()
    lines = [first, *(_wrap(pdf, full, rest) if rest else [])]
    for number, line in enumerate(lines):
        _room(pdf, _LINE_MM)
        indent = _INDENT_MM if number == 0 else 0.0
        last = number == len(lines) - 1
        _line(pdf, pdf.l_margin + indent, full - indent, line, justify=not last)
        pdf.ln(_LINE_MM)


def _line(pdf: Any, x: float, width: float, line: str, *, justify: bool) -> None:
    """One visual line; a justified one spreads its words to fill `width` exactly."""
    words = line.split()
    gap = pdf.get_string_width(" ")
    if justify and len(words) > 1:
        gap = (width - sum(pdf.get_string_width(w) for w in words)) / (len(words) - 1)
    baseline = pdf.get_y() + _LINE_MM * 0.75
    for word in words:
        pdf.text(x, baseline, word)
        x += pdf.get_string_width(word) + gap


def _least(pdf: Any, rows: list[list[str]]) -> list[float]:
    """Each column's narrowest width: its longest word and the padding."""
    return [
        min(
            max((pdf.get_string_width(w) for row in rows for w in row[c].split()), default=0.0),
            _LONG_WORD_MM,  # (a web address is broken anywhere, as Word breaks it)
        )
        + 2 * _PAD_MM
        + 0.5
        for c in range(len(rows[0]))
    ]


def _widths(pdf: Any, rows: list[list[str]]) -> list[float]:
    """Column widths as a word processor's autofit gives them: wide enough for the column's
    longest word, the rest shared by the length of the column's text."""
    width = len(rows[0])
    least = _least(pdf, rows)
    weight = [min(max(max(len(row[c]) for row in rows), 4), 60) ** 0.8 for c in range(width)]
    spare = max(pdf.epw - sum(least), 0.0)
    widths = [m + spare * w / sum(weight) for m, w in zip(least, weight, strict=True)]
    if sum(widths) > pdf.epw:  # too many columns: squeeze, and past the margin if need be
        widths = [max(pdf.epw * w / sum(widths), _MIN_COLUMN_MM) for w in widths]
    return widths


def _table(pdf: Any, rows: list[list[str]], *, ruled: bool) -> None:
    """A table, ruled or not; a row taller than what is left of the page goes on over the
    next."""
    landscape = _fit(pdf, rows)
    turn = "L" if landscape else "P"
    if landscape:
        pdf.add_page(orientation=turn)
    widths = _widths(pdf, rows)
    bottom = pdf.h - _MARGINS[3]
    pdf.ln(2)
    for row in rows:
        cells = [_wrap(pdf, w - 2 * _PAD_MM, value) for w, value in zip(widths, row, strict=True)]
        height = max(len(lines) for lines in cells)
        if pdf.get_y() + _CELL_LINE_MM + 2 * _PAD_MM > bottom:
            pdf.add_page(orientation=turn)
        line = 0
        while line < height:
            top = pdf.get_y()
            fits = max(1, int((bottom - top - 2 * _PAD_MM) // _CELL_LINE_MM))
            chunk = range(line, min(height, line + fits))
            seg = len(chunk) * _CELL_LINE_MM + 2 * _PAD_MM
            x = pdf.l_margin
            for w, lines in zip(widths, cells, strict=True):
                if ruled:
                    pdf.rect(x, top, w, seg)
                for k, n in enumerate(chunk):
                    if n < len(lines):
                        pdf.set_xy(x + _PAD_MM, top + _PAD_MM + k * _CELL_LINE_MM)
                        pdf.cell(
                            w - 2 * _PAD_MM, _CELL_LINE_MM, lines[n], align="L" if ruled else "C"
                        )
                x += w
            pdf.set_xy(pdf.l_margin, top + seg)
            line = chunk.stop
            if line < height:
                pdf.add_page(orientation=turn)
    pdf.ln(2)
    if landscape:
        pdf.add_page(orientation="P")
    pdf.set_font("serif", "", _BODY_PT)


def _fit(pdf: Any, rows: list[list[str]]) -> bool:
    """Set the table's font size, as a typist would: the largest of `_TABLE_PT` that lets
    every column hold its longest word on an A4 page, portrait or else landscape (wide
    appendices are printed landscape). Returns whether the table goes landscape."""
    for landscape in (False, True):
        room = (pdf.h if landscape else pdf.w) - pdf.l_margin - pdf.r_margin
        for size in _TABLE_PT:
            pdf.set_font("serif", "", size)
            if sum(_least(pdf, rows)) <= room:
                return landscape
    return True


def to_pdf(doc: list[Block]) -> bytes:
    """A text-layer PDF as a word processor prints it (see the module docstring)."""
    pdf = _new_pdf()
    for block in doc:
        if block.is_table:
            _table(pdf, block.rows, ruled=block.ruled)
        else:
            _paragraph(pdf, block.text)
    return bytes(pdf.output())


def to_scan(pdf_bytes: bytes, dpi: int = 300) -> bytes:
    """An image-only PDF of a PDF's pages rendered at `dpi` (a scan without a text layer)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        images = [
            page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document
        ]
    finally:
        document.close()
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return buffer.getvalue()
